use super::*;

fn sample() -> SourceMap {
    SourceMap {
        site: "site.kdl".into(),
        sha256: site_hash(b"site x {}\n"),
        entries: vec![
            Entry {
                path: "apps/was/rollout-was.yaml".into(),
                line: 130,
                column: 1,
                start: 3561,
                end: 4630,
                declaration: "app \"was\"".into(),
                origin: None,
            },
            Entry {
                path: "argocd/application-loki.yaml".into(),
                line: 66,
                column: 5,
                start: 1473,
                end: 1490,
                declaration: "layer \"observability\" / component \"loki\"".into(),
                origin: Some("stdlib/components/loki.kdl".into()),
            },
        ],
        unmapped: Vec::new(),
    }
}

#[test]
fn a_map_reads_back_as_it_was_written() {
    let map = sample();
    let text = map.render();
    assert!(text.ends_with('\n'));
    assert_eq!(SourceMap::parse(&text), Ok(map.clone()));
    assert_eq!(
        map.get("argocd/application-loki.yaml").map(|e| e.line),
        Some(66)
    );
    assert!(map.get("argocd/application-nope.yaml").is_none());
}

#[test]
fn a_malformed_map_is_an_error_with_its_line_never_a_panic() {
    let text = sample().render();
    let cases = [
        (text.replace("\t-\n", "\n"), 4),
        (text.replace("3561..4630", "4630..3561"), 4),
        (text.replace(":130:1", ":x:1"), 4),
        (text.replace("sha256:", "md5:"), 2),
        // `labc why` reads out/ by these paths
        (
            text.replace("apps/was/rollout-was.yaml", "../../etc/passwd"),
            4,
        ),
        (text.replace("apps/was/rollout-was.yaml", "/etc/passwd"), 4),
    ];
    for (bad, line) in cases {
        assert_eq!(
            SourceMap::parse(&bad).map_err(|e| e.line),
            Err(line),
            "{bad}"
        );
    }
    let unsorted: Vec<&str> = text.lines().collect();
    let swapped = [
        unsorted[0],
        unsorted[1],
        unsorted[2],
        unsorted[4],
        unsorted[3],
    ]
    .join("\n");
    assert_eq!(SourceMap::parse(&swapped).map_err(|e| e.line), Err(5));
    assert_eq!(SourceMap::parse("").map_err(|e| e.line), Err(0));
    for text in [
        "\t\t\t\t",
        "# site\t",
        "a\tb:c:d\t1..\td\te",
        "a\t:1:1\t1..2\td\te",
    ] {
        let _ = SourceMap::parse(text);
    }
}

#[test]
fn fields_never_carry_separators() {
    let mut map = sample();
    map.entries[1].origin = Some("components/we\tird\n.kdl".into());
    let parsed = SourceMap::parse(&map.render()).unwrap();
    assert_eq!(
        parsed.entries[1].origin.as_deref(),
        Some("components/we?ird?.kdl")
    );
}
