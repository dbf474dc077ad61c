//! Crash consistency of `labc build`, end to end: the real binary is killed with SIGKILL at
//! every numbered point of its write path (`compiler/out/fault.rs`, built only with the
//! `fault-injection` feature), and failed with a full or read-only disk. After each, `out/` must
//! be exactly the old build or exactly the new one, and the next plain build must repair every
//! leftover by itself.
//!
//! Run with `cargo test --features fault-injection crash -- --nocapture` (as `.ci/run` does) to
//! see how many kill points were tried.

use crate::support::root;
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Output};

type Tree = BTreeMap<String, Vec<u8>>;

/// The seed site is the old build, a fixture that differs in almost every file the new one.
const OLD: &str = "site.kdl";
const NEW: &str = "tests/fixtures/ok/shared_namespace/site.kdl";

fn build(site: &str, out: &Path, fault: Option<(&str, String)>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_labc"));
    command
        .args(["build"])
        .arg(root().join(site))
        .arg("--out")
        .arg(out)
        .env("NO_COLOR", "1")
        .env_remove("LABC_FAULT_AFTER")
        .env_remove("LABC_FAULT_ERRNO");
    if let Some((name, value)) = fault {
        command.env(name, value);
    }
    command.output().expect("labc runs")
}

fn tree(dir: &Path) -> Tree {
    fn walk(base: &Path, dir: &Path, into: &mut Tree) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(base, &path, into);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                into.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut into = Tree::new();
    walk(dir, dir, &mut into);
    into
}

/// What is next to `out/`, except what labc keeps there on purpose (the stat record, a cache
/// kept between runs, and the site pipeline's `.github/`).
fn siblings(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // the stat record and the seed's pipeline (`ci github`: the repository's root is the
        // folder above out/) are written beside out/ by design, not left over
        .filter(|name| ![".out.labc-stat", ".github"].contains(&name.as_str()))
        .collect();
    names.sort();
    names
}

/// Builds of the old and the new site made without faults, to compare against.
fn references() -> (tempfile::TempDir, Tree, Tree) {
    let refs = tempfile::tempdir().unwrap();
    for (site, name) in [(OLD, "old"), (NEW, "new")] {
        let output = build(site, &refs.path().join(name), None);
        assert!(output.status.success(), "{output:?}");
    }
    let old = tree(&refs.path().join("old"));
    let new = tree(&refs.path().join("new"));
    assert_ne!(old, new);
    (refs, old, new)
}

#[test]
fn sigkill_at_every_point_leaves_out_old_or_new_and_the_next_build_repairs_it() {
    let (_refs, old, new) = references();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let (mut kills, mut saw_old, mut saw_new, mut leftovers) = (0, 0, 0, 0);
    for n in 1.. {
        let output = build(OLD, &out, None);
        assert!(output.status.success(), "{output:?}");
        assert_eq!(tree(&out), old, "reset to the old build");

        let output = build(NEW, &out, Some(("LABC_FAULT_AFTER", n.to_string())));
        if output.status.success() {
            assert_eq!(tree(&out), new);
            break;
        }
        assert_eq!(
            output.status.signal(),
            Some(libc::SIGKILL),
            "kill point {n}: {output:?}"
        );
        kills += 1;
        let found = tree(&out);
        if found == old {
            saw_old += 1;
        } else if found == new {
            saw_new += 1;
        } else {
            panic!("kill point {n}: out/ is neither the old nor the new build");
        }
        leftovers += usize::from(siblings(work.path()) != ["out"]);

        let output = build(NEW, &out, None);
        assert!(
            output.status.success(),
            "repair after point {n}: {output:?}"
        );
        assert_eq!(tree(&out), new, "repaired after point {n}");
        assert_eq!(siblings(work.path()), ["out"], "leftovers after point {n}");
    }
    eprintln!(
        "crash consistency: {kills} kill points tried; out/ was old after {saw_old}, new after \
         {saw_new}; {leftovers} left staging state that the next build removed"
    );
    assert!(
        kills >= 50,
        "only {kills} kill points: is the writer instrumented?"
    );
    assert!(
        saw_old > 0 && saw_new > 0,
        "kills landed both before and after the swap"
    );
}

#[test]
fn a_full_or_read_only_disk_is_a_clear_error_and_out_stays_as_it_was() {
    let (_refs, old, new) = references();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    for (errno, words) in [(libc::ENOSPC, "No space left"), (libc::EROFS, "Read-only")] {
        // early (staging the first directories), midway (files) and at the swap itself
        for at in [1, 20, 60] {
            let output = build(OLD, &out, None);
            assert!(output.status.success(), "{output:?}");
            let fault = format!("{at}:{errno}");
            let output = build(NEW, &out, Some(("LABC_FAULT_ERRNO", fault.clone())));
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{fault}: {stderr}");
            assert!(
                stderr.contains(words) && stderr.contains("was left as it was"),
                "{fault}: {stderr}"
            );
            assert_eq!(tree(&out), old, "{fault}: out/ changed");
            assert_eq!(siblings(work.path()), ["out"], "{fault}: stage left behind");
        }
    }
    let output = build(NEW, &out, None);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(tree(&out), new);
}

/// The same through real permissions, where they apply (root ignores them, as in CI).
#[test]
fn a_read_only_parent_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: root ignores directory permissions; the EROFS case above covers it");
        return;
    }
    let (_refs, old, _) = references();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    assert!(build(OLD, &out, None).status.success());
    std::fs::set_permissions(work.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let output = build(NEW, &out, None);
    std::fs::set_permissions(work.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("Permission denied"), "{stderr}");
    assert_eq!(tree(&out), old);
}
