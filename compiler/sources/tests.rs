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

#[test]
fn the_text_is_allocated_once_at_its_length() {
    let mut map = sample();
    let text = map.render();
    assert_eq!(text.len(), text::length(&map));
    assert_eq!(text.len(), text.capacity(), "never grown, nothing to spare");
    // a field `clean` rewrites is never longer than before, so the estimate is never short
    map.entries[1].origin = Some("components/we\u{85}ird.kdl".into());
    let text = map.render();
    assert!(text.len() < text::length(&map), "{text}");
}

#[test]
fn the_outline_finds_the_innermost_node_around_a_span() {
    let text = "a 1 {\n  b 2 {\n    c 3\n  }\n  e 5\n}\nd 4\n";
    let parsed = crate::syntax::parse("site.kdl", text.as_bytes()).unwrap();
    let outline = Outline::of(&parsed.document);
    let at = |needle: &str| Span::from((text.find(needle).unwrap(), needle.len()));
    let a = &parsed.document.nodes()[0];
    let b = &a.children().unwrap().nodes()[0];
    let c = &b.children().unwrap().nodes()[0];
    let e = &a.children().unwrap().nodes()[1];
    let d = &parsed.document.nodes()[1];
    assert_eq!(outline.enclosing(at("3")), Some(c.span()));
    assert_eq!(outline.enclosing(at("2")), Some(b.span()));
    assert_eq!(outline.enclosing(at("5")), Some(e.span()));
    assert_eq!(outline.enclosing(at("1")), Some(a.span()));
    assert_eq!(outline.enclosing(at("4")), Some(d.span()));
    // the same answer as a walk over the document itself, for every span of up to 3 bytes
    fn walk(nodes: &[KdlNode], span: Span) -> Option<Span> {
        let inside = |o: Span| {
            o.offset() <= span.offset() && span.offset() + span.len() <= o.offset() + o.len()
        };
        let node = nodes
            .iter()
            .rev()
            .find(|n| n.span().offset() <= span.offset())?;
        let node = Some(node).filter(|n| inside(n.span()))?;
        node.children()
            .and_then(|c| walk(c.nodes(), span))
            .or(Some(node.span()))
    }
    for offset in 0..=text.len() {
        for len in 0..=3 {
            let span = Span::from((offset, len));
            assert_eq!(
                outline.enclosing(span),
                walk(parsed.document.nodes(), span),
                "{span:?}"
            );
        }
    }
}
