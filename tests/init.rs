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

#[test]
fn the_stat_record_build_leaves_is_ignored_by_git_and_an_existing_gitignore_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let lab = tmp.path().join("lab");
    std::fs::create_dir_all(&lab).unwrap();
    std::fs::write(lab.join(".gitignore"), "/target").unwrap();
    assert_eq!(labc(&["init", "lab"], tmp.path()).status.code(), Some(0));
    assert_eq!(
        labc(&["build", "lab/site.kdl"], tmp.path()).status.code(),
        Some(0)
    );
    let ignore = std::fs::read_to_string(lab.join(".gitignore")).unwrap();
    assert!(ignore.starts_with("/target\n"), "{ignore}");
    assert_eq!(ignore.matches(".*.labc-stat").count(), 1, "{ignore}");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(&lab)
            .output()
            .expect("git runs")
    };
    if git(&["init", "-q"]).status.success() {
        let status = git(&["status", "--porcelain", "--untracked-files=all"]);
        let status = String::from_utf8_lossy(&status.stdout);
        assert!(status.contains("site.kdl"), "{status}");
        assert!(!status.contains("labc-stat"), "{status}");
        let stat_records: Vec<_> = std::fs::read_dir(&lab)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".labc-stat"))
            .collect();
        assert_eq!(stat_records.len(), 1, "build leaves one stat record");
    }
}
