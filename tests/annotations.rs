//! `--format github`: diagnostics as GitHub Actions workflow commands, on stdout, one line each.

use crate::support::{labc, root};

#[test]
fn diagnostics_become_workflow_annotations() {
    let mut text = String::new();
    for case in [
        "bad/unknown_property_near_miss.kdl",
        "bad/overlapping_cidrs.kdl",
        "bad/bad_percentage.kdl",
        "bad/syntax_unclosed_block.kdl",
    ] {
        let path = format!("tests/fixtures/{case}");
        let out = labc(&["check", &path, "--format", "github"], &root());
        assert_eq!(out.status.code(), Some(1), "{case}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            stdout.lines().all(|l| l.starts_with("::error ")),
            "{stdout}"
        );
        text.push_str(&stdout);
    }
    let warned = labc(
        &[
            "check",
            "tests/fixtures/warn/unused_secret.kdl",
            "--format",
            "github",
        ],
        &root(),
    );
    assert_eq!(warned.status.code(), Some(0));
    text.push_str(&String::from_utf8(warned.stdout).unwrap());
    insta::assert_snapshot!("github_annotations", text);
}
