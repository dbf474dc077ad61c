//! Sites that compile: the whole `out/` of each is a snapshot, read and judged when accepted.

use crate::support::{catalog, display_name, out_text, root};

fn compile(path: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    match labc::compile(&display_name(path), &bytes, &catalog()) {
        Ok(compiled) => {
            assert!(
                compiled.warnings.is_empty(),
                "{}",
                labc::cli::render_plain(compiled.warnings)
            );
            compiled.files.into_map()
        }
        Err(errors) => panic!(
            "{} failed:\n{}",
            path.display(),
            labc::cli::render_plain(errors)
        ),
    }
}

#[test]
fn the_seed_site_compiles_to_its_snapshot() {
    let files = compile(&root().join("site.kdl"));
    insta::assert_snapshot!("seed_site_out", out_text(&files));
}

#[test]
fn every_fixture_site_compiles_to_its_snapshot() {
    let dir = root().join("tests/fixtures/ok");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 3, "at least three fixture sites");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let files = compile(&case.join("site.kdl"));
        insta::assert_snapshot!(format!("ok_{name}"), out_text(&files));
    }
}
