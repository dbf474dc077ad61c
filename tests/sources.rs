//! The source map (`out/sources.tsv`) and `labc why`: every file of every site in the repository
//! maps to its declaration, a comment edit changes the map and never an object, and `why`
//! answers from the committed map or says why it cannot.

use crate::support::{catalog, display_name, good_sites, labc, root};
use labc::sources::{SourceMap, SOURCES_NAME};

#[test]
fn every_file_of_every_site_maps_to_its_declaration() {
    for site in good_sites() {
        let bytes = std::fs::read(&site).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let sealed = labc::seal::read_sealed(site.parent().unwrap()).unwrap();
        let name = display_name(&site);
        let compiled = labc::compile_with_sealed(&name, &bytes, &catalog(), &sealed)
            .unwrap_or_else(|e| panic!("{name}: {}", labc::cli::render_plain(e)));
        let map = &compiled.sources;
        assert!(
            map.unmapped.is_empty(),
            "{name}: no rule for {:?}",
            map.unmapped
        );
        let files = compiled.files.as_map();
        let written = SourceMap::parse(std::str::from_utf8(&files[SOURCES_NAME]).unwrap());
        assert_eq!(
            written.as_ref().map(|m| &m.entries),
            Ok(&map.entries),
            "{name}"
        );
        assert_eq!(map.site, "site.kdl");
        for path in files.keys().filter(|p| *p != SOURCES_NAME) {
            let entry = map
                .get(path)
                .unwrap_or_else(|| panic!("{name}: {path} is not in the map"));
            let declared = &text[entry.start..entry.end];
            // the span is the declaration itself: it starts with the word the label names
            let (label, word) = match entry.declaration.rsplit_once(" / ") {
                Some((_, last)) => (last, last.split(' ').next().unwrap()),
                None => (
                    entry.declaration.as_str(),
                    entry.declaration.split(' ').next().unwrap(),
                ),
            };
            let word = match word {
                // a component's node is named for the component
                "component" => label.split('"').nth(1).unwrap(),
                // a namespace is the `namespace=` entry of an app or database, or the whole
                // app when it has none
                "namespace" if !declared.starts_with("namespace=") => {
                    entry.declaration.split(' ').next().unwrap()
                }
                "namespace" => "namespace=",
                word => word,
            };
            assert!(
                declared.starts_with(word),
                "{name}: {path} -> {} at {}:{}, which is `{declared}`",
                entry.declaration,
                entry.line,
                entry.column
            );
            let before = &text[..entry.start];
            assert_eq!(
                entry.line,
                before.matches('\n').count() + 1,
                "{name}: {path}"
            );
            if path.starts_with("argocd/application-") && word != "site" && word != "app" {
                // platform releases name the stdlib file their chart and values come from
                let database = entry.declaration.starts_with("database");
                assert!(database || entry.origin.is_some(), "{name}: {path}");
            }
            if path.starts_with("nodes/") {
                let origin = entry.origin.as_deref().unwrap_or_default();
                assert!(origin.starts_with("stdlib/nodes/"), "{name}: {path}");
            }
        }
    }
}

fn built_seed() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("site.kdl"), tmp.path().join("site.kdl")).unwrap();
    assert_eq!(labc(&["build"], tmp.path()).status.code(), Some(0));
    tmp
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn why_names_the_declaration_of_a_path_or_an_object() {
    let tmp = built_seed();
    let dir = tmp.path();
    let line = |pattern: &str| {
        let site = std::fs::read_to_string(dir.join("site.kdl")).unwrap();
        site.lines().position(|l| l.starts_with(pattern)).unwrap() + 1
    };
    let was = format!("site.kdl:{}:1  app \"was\"\n", line("app was "));
    for target in [
        "out/apps/was/rollout-was.yaml",
        "apps/was/rollout-was.yaml",
        "Rollout/was",
        "blog/Rollout/was",
    ] {
        let output = labc(&["why", target], dir);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{target}: {}",
            stderr(&output)
        );
        let text = stdout(&output);
        assert!(text.starts_with(&was), "{target}: {text}");
        assert!(text.contains("│ app was namespace=\"blog\""), "{text}");
    }
    let absolute = dir.join("out/apps/was/rollout-was.yaml");
    let output = labc(&["why", absolute.to_str().unwrap()], dir);
    assert!(stdout(&output).starts_with(&was), "{}", stderr(&output));

    let loki = stdout(&labc(&["why", "out/argocd/application-loki.yaml"], dir));
    assert!(
        loki.contains("layer \"observability\" / component \"loki\"")
            && loki.contains("from stdlib/components/loki.kdl"),
        "{loki}"
    );
    let script = labc(
        &["why", "nodes/worker-1/provision.sh", "--format", "json"],
        dir,
    );
    let json: serde_json::Value = serde_json::from_slice(&script.stdout).unwrap();
    assert_eq!(json[0]["declaration"], "node \"worker-1\"");
    assert_eq!(json[0]["origin"], "stdlib/nodes/provision.sh.hbs");
    assert_eq!(json[0]["line"], line("node worker-1 "));
}

#[test]
fn why_refuses_unknown_paths_with_a_suggestion_and_a_stale_or_missing_map() {
    let tmp = built_seed();
    let dir = tmp.path();
    let typo = labc(&["why", "out/apps/was/rolout-was.yaml"], dir);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("did you mean `apps/was/rollout-was.yaml`?"),
        "{}",
        stderr(&typo)
    );
    assert_eq!(labc(&["why", "Rollout/nope"], dir).status.code(), Some(2));

    // a comment edit: the map is stale until the next build, which rewrites only the map
    let site = std::fs::read_to_string(dir.join("site.kdl")).unwrap();
    std::fs::write(dir.join("site.kdl"), format!("// a new first line\n{site}")).unwrap();
    let stale = labc(&["why", "apps/was/rollout-was.yaml"], dir);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        stderr(&stale).contains("run `labc build`"),
        "{}",
        stderr(&stale)
    );
    let check = labc(&["build", "--check"], dir);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr(&check).contains("~ sources.tsv"),
        "{}",
        stderr(&check)
    );
    let rebuilt = labc(&["build"], dir);
    assert!(
        stderr(&rebuilt).contains("(1 written, 0 removed"),
        "only the source map changes: {}",
        stderr(&rebuilt)
    );
    assert_eq!(
        labc(&["why", "apps/was/rollout-was.yaml"], dir)
            .status
            .code(),
        Some(0)
    );

    std::fs::remove_file(dir.join("out").join(SOURCES_NAME)).unwrap();
    let missing = labc(&["why", "apps/was/rollout-was.yaml"], dir);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("no source map"),
        "{}",
        stderr(&missing)
    );
}
