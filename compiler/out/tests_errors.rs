//! Tests for the failure paths: every error must leave `out/` exactly as it was.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use super::tests::{age, files, setup, snapshot};
use super::*;

#[test]
fn bad_paths_are_rejected_before_touching_disk() {
    let bad = [
        "",
        "/abs",
        "../x",
        "a/../b",
        "./a",
        "a//b",
        "a/",
        "a\\b",
        "a\nb",
        "index.sha256",
    ];
    for path in bad {
        let (tmp, out) = setup();
        let err = write(&out, &files(&[("ok", "1"), (path, "2")])).unwrap_err();
        assert!(matches!(err, OutError::BadPath { .. }), "{path:?}: {err}");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            0,
            "{path:?} wrote something"
        );
    }
    let (_tmp, out) = setup();
    let err = write(&out, &files(&[("a", "1"), ("a/b", "2")])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid output path \"a\": is both a file and a directory"
    );
    assert!(check(&out, &files(&[("../x", "")])).is_err());
}

#[test]
fn io_error_mid_stage_leaves_out_untouched() {
    // Meaningful as root too: no permission can stop root, but a 300-byte file name fails
    // with ENAMETOOLONG after other files were already staged.
    let (tmp, out) = setup();
    let _ = write(&out, &files(&[("a", "1"), ("b", "2")])).unwrap();
    fs::write(out.join("mine"), "x").unwrap();
    age(&out);
    let before = snapshot(tmp.path());
    let long = format!("z/{}", "n".repeat(300));
    let err = write(
        &out,
        &files(&[("a", "changed"), ("c", "3"), (long.as_str(), "4")]),
    )
    .unwrap_err();
    assert!(
        matches!(&err, OutError::Io { action: Action::Write, path, .. } if path == &out.join(&long))
    );
    assert_eq!(
        err.io_error().and_then(|e| e.raw_os_error()),
        Some(libc::ENAMETOOLONG)
    );
    assert!(err
        .to_string()
        .starts_with(&format!("cannot write {}/z/nnn", out.display())));
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn read_only_parent_is_a_clean_error() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: root ignores directory permissions (see io_error_mid_stage_leaves_out_untouched)");
        return;
    }
    let (tmp, out) = setup();
    let _ = write(&out, &files(&[("a", "1")])).unwrap();
    let before = snapshot(tmp.path());
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o555)).unwrap();
    let result = write(&out, &files(&[("a", "2")]));
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let err = result.unwrap_err();
    assert_eq!(
        err.io_error().map(|e| e.kind()),
        Some(std::io::ErrorKind::PermissionDenied)
    );
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn a_file_blocking_the_parent_is_a_clean_error() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("blocker"), "x").unwrap();
    let out = tmp.path().join("blocker/out");
    let err = write(&out, &files(&[("a", "1")])).unwrap_err();
    assert!(err.io_error().is_some(), "{err}");
    assert!(err.to_string().contains("blocker"), "{err}");
    assert_eq!(fs::read(tmp.path().join("blocker")).unwrap(), b"x");
    // `out_dir` itself being a file is refused the same way.
    let err = write(&tmp.path().join("blocker"), &files(&[("a", "1")])).unwrap_err();
    assert!(matches!(err, OutError::InTheWay { .. }), "{err}");
}

#[test]
fn error_display_names_path_and_cause() {
    let err = OutError::Io {
        action: Action::Write,
        path: "out/apps/x.yaml".into(),
        source: std::io::Error::from_raw_os_error(libc::EACCES),
    };
    assert_eq!(
        err.to_string(),
        "cannot write out/apps/x.yaml: Permission denied (os error 13)"
    );
}

#[test]
fn foreign_entries_in_the_way_are_refused() {
    let (tmp, out) = setup();
    let _ = write(&out, &files(&[("keep", "1")])).unwrap();
    fs::create_dir(out.join("x")).unwrap();
    fs::write(out.join("x/user.txt"), "u").unwrap();
    fs::write(out.join("y"), "u").unwrap();
    let before = snapshot(tmp.path());
    for new in [files(&[("x", "1")]), files(&[("y/z", "1")])] {
        let err = write(&out, &new).unwrap_err();
        assert!(matches!(err, OutError::InTheWay { .. }), "{err}");
        assert!(check(&out, &new).is_err());
    }
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn malformed_or_tampered_index_is_refused() {
    let (tmp, out) = setup();
    let _ = write(&out, &files(&[("a", "1")])).unwrap();
    let hash = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";
    for bad in [
        "garbage\n".to_string(),
        format!("{hash}  ../../etc/passwd\n"),
        format!("{hash} a\n"),
        hash.to_uppercase() + "  a\n",
    ] {
        fs::write(out.join("index.sha256"), &bad).unwrap();
        let before = snapshot(tmp.path());
        let err = write(&out, &files(&[("b", "2")])).unwrap_err();
        assert!(
            matches!(err, OutError::BadIndex { line: 1, .. }),
            "{bad:?}: {err}"
        );
        assert_eq!(snapshot(tmp.path()), before);
    }
    let parsed = parse_index(&format!("{hash}  a\n{hash}  d/b")).unwrap();
    assert_eq!(parsed.keys().collect::<Vec<_>>(), ["a", "d/b"]);
    assert_eq!(
        parse_index(&format!("{hash}  a\n{hash}  a\n"))
            .unwrap_err()
            .line,
        2
    );
}
