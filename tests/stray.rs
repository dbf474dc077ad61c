//! Files in `out/` that labc did not write: `build --check` fails naming each one, `build`
//! removes what it wrote before and no longer writes, and keeps (but reports) the rest.

use crate::support::{labc, root};
use std::path::Path;

fn built_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("site.kdl"), tmp.path().join("site.kdl")).unwrap();
    let built = labc(&["build"], tmp.path());
    assert_eq!(built.status.code(), Some(0), "{built:?}");
    tmp
}

/// A second Application for the gateway release, as an older labc wrote it: the same objects
/// as `application-gateway-public.yaml`, which Argo CD would sync from the same folder.
fn stale_application(out: &Path) -> std::path::PathBuf {
    let path = out.join("argocd/application-public.yaml");
    let current = std::fs::read_to_string(out.join("argocd/application-gateway-public.yaml"));
    let stale = current
        .unwrap()
        .replace("name: gateway-public", "name: public");
    std::fs::write(&path, stale).unwrap();
    path
}

#[test]
fn a_foreign_file_makes_check_fail_naming_it() {
    let tmp = built_site();
    let out = tmp.path().join("out");
    let fresh = labc(&["build", "--check"], tmp.path());
    assert_eq!(fresh.status.code(), Some(0), "{fresh:?}");
    let foreign = stale_application(&out);

    let checked = labc(&["build", "--check"], tmp.path());
    assert_eq!(checked.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(stderr.contains("labc::out::stray_file"), "{stderr}");
    assert!(
        stderr.contains("out/argocd/application-public.yaml was not written by labc"),
        "{stderr}"
    );
    assert!(
        stderr.contains("git rm out/argocd/application-public.yaml"),
        "{stderr}"
    );
    // not reported as stale: every file labc writes is current
    assert!(!stderr.contains("is stale"), "{stderr}");

    // one JSON array with the site's warnings and the stray file, as CI reads it
    let json = labc(&["build", "--check", "--format", "json"], tmp.path());
    assert_eq!(json.status.code(), Some(1));
    let found: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON array");
    let stray: Vec<&serde_json::Value> = found
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "labc::out::stray_file")
        .collect();
    assert_eq!(stray.len(), 1, "{found:#}");
    assert_eq!(stray[0]["severity"], "error");
    assert!(foreign.exists(), "--check deletes nothing");
}

#[test]
fn build_removes_a_file_it_wrote_before_and_no_longer_writes() {
    let tmp = built_site();
    let out = tmp.path().join("out");
    // a previous build wrote a file this one does not: listed in the index, with its hash
    let old = out.join("argocd/application-public.yaml");
    std::fs::write(
        &old,
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\n",
    )
    .unwrap();
    let index = std::fs::read_to_string(out.join("index.sha256")).unwrap();
    let mut files = labc::out::read_dir(&out).unwrap();
    files.insert(
        "argocd/application-public.yaml".into(),
        std::fs::read(&old).unwrap(),
    );
    let listed = labc::out::index_text(&files);
    assert_ne!(listed, index);
    std::fs::write(out.join("index.sha256"), &listed).unwrap();
    assert!(labc::out::stray(&out).unwrap().is_empty());

    let checked = labc(&["build", "--check"], tmp.path());
    assert_eq!(checked.status.code(), Some(1), "a file to remove is stale");

    let built = labc(&["build"], tmp.path());
    assert_eq!(built.status.code(), Some(0), "{built:?}");
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(stderr.contains("1 removed"), "{stderr}");
    assert!(!old.exists(), "the file labc wrote before is gone");
    assert_eq!(
        std::fs::read_to_string(out.join("index.sha256")).unwrap(),
        index
    );
    let checked = labc(&["build", "--check"], tmp.path());
    assert_eq!(checked.status.code(), Some(0), "{checked:?}");
}

#[test]
fn a_foreign_file_is_reported_by_build_and_kept() {
    let tmp = built_site();
    let out = tmp.path().join("out");
    let foreign = stale_application(&out);
    let bytes = std::fs::read(&foreign).unwrap();
    let readme = out.join("README.md");
    std::fs::write(&readme, "notes\n").unwrap();
    assert_eq!(
        labc::out::stray(&out).unwrap(),
        ["README.md", "argocd/application-public.yaml"]
    );

    // both when nothing else changes (the no-op path) and when the build writes
    for edit in [false, true] {
        if edit {
            std::fs::write(out.join("apps/was/rollout-was.yaml"), "edited\n").unwrap();
        }
        let built = labc(&["build"], tmp.path());
        assert_eq!(built.status.code(), Some(0), "{built:?}");
        let stderr = String::from_utf8_lossy(&built.stderr);
        for path in ["out/README.md", "out/argocd/application-public.yaml"] {
            assert!(
                stderr.contains(&format!(
                    "warning: {path} was not written by labc and was kept"
                )),
                "{stderr}"
            );
        }
        assert!(stderr.contains("0 removed") || !edit, "{stderr}");
        assert_eq!(std::fs::read(&foreign).unwrap(), bytes, "kept as it was");
        assert!(readme.exists());
    }
}
