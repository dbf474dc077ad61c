//! The documentation stays true: every word of the language is in `docs/language.md`, and every
//! stdlib component is in `docs/components.md`.

use crate::support::root;

#[test]
fn the_language_reference_names_every_node_and_property() {
    let doc = std::fs::read_to_string(root().join("docs/language.md")).unwrap();
    let mut missing = Vec::new();
    for (context, words) in labc::decode::VOCABULARY {
        for word in *words {
            if !doc.contains(&format!("`{word}`")) {
                missing.push(format!("{context}: {word}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/language.md does not document: {missing:?}"
    );
}

/// `docs/diagnostics.md` is generated; set `LABC_BLESS=1` to rewrite it.
#[test]
fn the_diagnostics_page_is_current() {
    let path = root().join("docs/diagnostics.md");
    let want = labc::cli::diagnostics_page();
    if std::env::var_os("LABC_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/diagnostics.md is stale: run `LABC_BLESS=1 cargo test diagnostics_page`"
    );
}

/// `docs/components.md` is generated from the embedded stdlib; set `LABC_BLESS=1` to rewrite it.
#[test]
fn the_components_page_is_current() {
    let path = root().join("docs/components.md");
    let want = labc::stdlib::reference_page(&crate::support::catalog());
    if std::env::var_os("LABC_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/components.md is stale: run `LABC_BLESS=1 cargo test components_page`"
    );
}
