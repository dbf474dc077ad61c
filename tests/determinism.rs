//! `out/` is a pure function of the site: same bytes wherever and however often it is built,
//! and a rebuild with no change touches nothing.

use crate::support::{labc, list_files, root};
use std::time::{Duration, SystemTime};

#[test]
fn two_builds_into_different_folders_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        let output = labc(
            &["build", "site.kdl", "--out", out.to_str().unwrap()],
            &root(),
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let files = list_files(&a);
    assert!(files.len() > 10);
    assert_eq!(files, list_files(&b));
    for file in &files {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn a_rebuild_without_changes_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let build = || {
        labc(
            &["build", "site.kdl", "--out", out.to_str().unwrap()],
            &root(),
        )
    };
    assert!(build().status.success());
    // move every mtime into the past so that any rewrite would show
    let past = SystemTime::now() - Duration::from_secs(3600);
    let files = list_files(&out);
    for file in &files {
        std::fs::File::options()
            .write(true)
            .open(out.join(file))
            .unwrap()
            .set_modified(past)
            .unwrap();
    }
    let second = build();
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("up to date"));
    for file in &files {
        let modified = std::fs::metadata(out.join(file))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(modified, past, "{file} was rewritten");
    }
}

#[test]
fn out_holds_no_absolute_paths_or_timestamps() {
    let files = labc::compile(
        "site.kdl",
        &std::fs::read(root().join("site.kdl")).unwrap(),
        &crate::support::catalog(),
    )
    .ok()
    .unwrap()
    .files
    .into_map();
    let here = root().display().to_string();
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(&here), "{path} contains the build folder");
        assert!(
            !text.contains("creationTimestamp"),
            "{path} has a timestamp"
        );
        assert!(
            text.ends_with('\n') && !text.ends_with("\n\n"),
            "{path} must end in one newline"
        );
        assert!(!text.contains('\r'), "{path} has CR line endings");
    }
}
