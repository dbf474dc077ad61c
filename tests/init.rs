//! `labc init`: the starter site builds as it is, without warnings, and is never overwritten.

use crate::support::{labc, list_files};

#[test]
fn the_starter_site_builds_without_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let init = labc(&["init", "lab"], tmp.path());
    assert_eq!(init.status.code(), Some(0));
    let site = std::fs::read_to_string(tmp.path().join("lab/site.kdl")).unwrap();
    insta::assert_snapshot!("starter_site", site);
    let build = labc(&["build", "lab/site.kdl"], tmp.path());
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(list_files(&tmp.path().join("lab")).contains(&"out/index.sha256".to_string()));
}

#[test]
fn init_refuses_to_overwrite_a_site() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("site.kdl"), "// mine\n").unwrap();
    let init = labc(&["init"], tmp.path());
    assert_eq!(init.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&init.stderr).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("site.kdl")).unwrap(),
        "// mine\n"
    );
}
