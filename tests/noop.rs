//! `labc build`'s no-op shortcut (`compiler/cli/noop.rs`), end to end with the real binary: a
//! build whose inputs, binary and `out/` are all as the last build left them skips the compile
//! and prints what the compile printed; any change to any of them compiles (and repairs).
//!
//! Whether a run skipped is seen from the stat record next to `out/`: every run that compiles
//! rewrites it (with a new clock in it), a skipped run only reads it.

use crate::support::root;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

const RECORD: &str = ".out.labc-stat";

/// The seed site, alone in a temporary folder (its `.github/` is written beside `out/`).
fn seed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join("site.kdl"), dir.path().join("site.kdl")).unwrap();
    dir
}

fn run_with(labc: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(labc)
        .arg("build")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("labc runs")
}

fn labc() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_labc"))
}

fn record(dir: &Path) -> Vec<u8> {
    fs::read(dir.join(RECORD)).unwrap_or_default()
}

/// `labc build args` with `labc`, and whether it skipped the compile.
fn build_with(labc: &Path, dir: &Path, args: &[&str]) -> (Output, bool) {
    let before = record(dir);
    let output = run_with(labc, dir, args);
    (output, !before.is_empty() && record(dir) == before)
}

fn build(dir: &Path, args: &[&str]) -> (Output, bool) {
    build_with(&labc(), dir, args)
}

/// Builds, lets the clock move on, and builds once more. A record taken in the same clock tick
/// as the files it vouches for is racy, so the second build compiled and recorded again, or
/// the first record was not and it skipped; either way an unchanged site skips next time.
fn settle(dir: &Path) {
    for _ in 0..2 {
        let (output, _) = build(dir, &[]);
        assert!(output.status.success(), "{output:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Builds `dir` and requires that it compiled and succeeded.
fn compiles(dir: &Path, why: &str) -> Output {
    let (output, skipped) = build(dir, &[]);
    assert!(output.status.success(), "{why}: {output:?}");
    assert!(!skipped, "{why}: the build skipped the compile");
    output
}

/// Builds `dir` and requires that it skipped the compile and succeeded.
fn skips(dir: &Path, why: &str) -> Output {
    let (output, skipped) = build(dir, &[]);
    assert!(output.status.success(), "{why}: {output:?}");
    assert!(skipped, "{why}: the build compiled: {}", stderr(&output));
    output
}

/// In every way of printing, a skipped build prints exactly what a compiling no-op printed,
/// and what `labc build --check` (which prints its diagnostics without the record) prints: the
/// seed's seven `secret::not_sealed` warnings above all.
#[test]
fn a_skipped_build_prints_what_the_compile_printed() {
    let site = seed();
    let dir = site.path();
    assert!(run_with(&labc(), dir, &[]).status.success());
    for args in [
        &[][..],
        &["--format", "json"],
        &["--format", "github"],
        &["--quiet"],
    ] {
        fs::remove_file(dir.join(RECORD)).unwrap();
        let (compiled, skipped) = build(dir, args);
        assert!(
            !skipped && compiled.status.success(),
            "{args:?}: {compiled:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
        let (replayed, skipped) = build(dir, args);
        assert!(skipped, "{args:?}: {}", stderr(&replayed));
        assert_eq!(replayed.status.code(), Some(0));
        assert_eq!(
            String::from_utf8_lossy(&replayed.stdout),
            String::from_utf8_lossy(&compiled.stdout),
            "{args:?}"
        );
        assert_eq!(stderr(&replayed), stderr(&compiled), "{args:?}");
        let checked = run_with(&labc(), dir, &[&["--check"][..], args].concat());
        assert_eq!(checked.status.code(), Some(0), "{args:?}: {checked:?}");
        assert_eq!(checked.stdout, replayed.stdout, "{args:?}");
        assert_eq!(stderr(&checked), stderr(&replayed), "{args:?}");
        let warnings = if args.is_empty() {
            stderr(&replayed)
                .matches("labc::secret::not_sealed")
                .count()
        } else {
            String::from_utf8_lossy(&replayed.stdout)
                .matches("not_sealed")
                .count()
        };
        assert_eq!(
            warnings,
            if args == ["--quiet"] { 0 } else { 7 },
            "{args:?}"
        );
        assert!(stderr(&replayed).ends_with("out is up to date (105 files)\n"));
    }
}

/// An edit that keeps the site file's size and its mtime (to the nanosecond) is still seen:
/// the key holds the bytes, not the time stamp.
#[test]
fn an_edit_of_the_same_size_with_the_same_mtime_rebuilds() {
    let site = seed();
    let dir = site.path();
    settle(dir);
    skips(dir, "nothing changed");
    let path = dir.join("site.kdl");
    let mtime = fs::metadata(&path).unwrap().modified().unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let web = "app web namespace=\"blog\" image=\"ghcr.io/example/blog-web:1.4.2\" replicas=";
    let edited = text.replacen(&format!("{web}2"), &format!("{web}3"), 1);
    assert_ne!(edited, text);
    fs::write(&path, &edited).unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), mtime);
    let output = compiles(dir, "a same-size edit");
    // the rollout, and `sources.tsv`, which holds the span of every declaration
    assert!(
        stderr(&output).contains("(2 written"),
        "{}",
        stderr(&output)
    );
    let rollout = fs::read_to_string(dir.join("out/apps/web/rollout-web.yaml")).unwrap();
    assert!(rollout.contains("replicas: 3"), "{rollout}");
}

/// The site's other inputs are in the key: a file added to `sealed/` or `components/` is
/// compiled (here into an error), and once it is gone the build skips again.
#[test]
fn a_new_sealed_or_component_file_rebuilds() {
    let site = seed();
    let dir = site.path();
    for (folder, file, error) in [
        (
            "sealed/blog",
            "ghcr-pull.yaml",
            "not a readable SealedSecret",
        ),
        ("components", "extra.kdl", "extra.kdl"),
        ("crds", "extra.yaml", "extra.yaml"),
    ] {
        settle(dir);
        skips(dir, "nothing changed");
        fs::create_dir_all(dir.join(folder)).unwrap();
        fs::write(dir.join(folder).join(file), "junk: {\n").unwrap();
        // the compile's error says it compiled (a failed build leaves the record as it was)
        let (output, _) = build(dir, &[]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{folder}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(error),
            "{folder}: {}",
            stderr(&output)
        );
        fs::remove_dir_all(dir.join(folder.split('/').next().unwrap())).unwrap();
    }
}

/// Another labc binary (a rebuild, an upgrade, a copy) never trusts the record of this one.
#[test]
fn another_labc_binary_compiles_once() {
    let site = seed();
    let dir = site.path();
    let copy = dir.join("labc-copy");
    fs::copy(labc(), &copy).unwrap();
    settle(dir);
    skips(dir, "nothing changed");
    let (output, skipped) = build_with(&copy, dir, &[]);
    assert!(
        output.status.success() && !skipped,
        "another binary: {output:?}"
    );
    std::thread::sleep(Duration::from_millis(20));
    let (output, skipped) = build_with(&copy, dir, &[]);
    assert!(
        output.status.success() && skipped,
        "the copy again: {output:?}"
    );
    compiles(dir, "back to the first binary");
}

/// Whatever happens to `out/` or the repository's files is undone, as by a compiling build.
#[test]
fn an_edited_or_deleted_output_file_is_restored() {
    let site = seed();
    let dir = site.path();
    let file = dir.join("out/apps/web/rollout-web.yaml");
    let workflow = dir.join(".github/workflows/labc.yaml");
    settle(dir);
    let (good, good_workflow) = (fs::read(&file).unwrap(), fs::read(&workflow).unwrap());
    type Change = fn(&Path, &Path);
    let changes: [(&str, Change); 5] = [
        ("edited", |f, _| fs::write(f, "kind: Other\n").unwrap()),
        ("deleted", |f, _| fs::remove_file(f).unwrap()),
        ("edited, size and mtime kept", |f, _| {
            let mtime = fs::metadata(f).unwrap().modified().unwrap();
            let text = fs::read_to_string(f)
                .unwrap()
                .replace("replicas: 2", "replicas: 9");
            fs::write(f, text).unwrap();
            let file = fs::File::options().write(true).open(f).unwrap();
            file.set_modified(mtime).unwrap();
        }),
        ("workflow edited", |_, w| {
            fs::write(w, "on: push\n").unwrap()
        }),
        ("workflow deleted", |_, w| fs::remove_file(w).unwrap()),
    ];
    for (what, change) in changes {
        skips(dir, "nothing changed");
        change(&file, &workflow);
        compiles(dir, what);
        assert_eq!(fs::read(&file).unwrap(), good, "{what}");
        assert_eq!(fs::read(&workflow).unwrap(), good_workflow, "{what}");
        settle(dir);
    }
}

/// A file in `out/` that labc did not write is reported by every build, skipped or not.
#[test]
fn a_stray_file_is_reported_by_every_build() {
    let site = seed();
    let dir = site.path();
    settle(dir);
    fs::write(dir.join("out/apps/extra.yaml"), "kind: ConfigMap\n").unwrap();
    let output = compiles(dir, "a stray file");
    assert!(stderr(&output).contains("out/apps/extra.yaml was not written by labc"));
    settle(dir);
    let replayed = skips(dir, "nothing changed since");
    assert_eq!(stderr(&replayed), stderr(&output));
}

/// `labc build --check` is CI's gate: it compiles and compares every time, even when the
/// record vouches for `out/`. The record here is forged: it binds the real key to an `out/`
/// with one file changed, which `labc build` (trusting it) calls up to date; `--check` does not.
#[test]
fn check_never_trusts_the_record() {
    let site = seed();
    let dir = site.path();
    settle(dir);
    let record = record(dir);
    // the documented layout: magic, index digest, clock, bound flag, key, payload length
    assert_eq!(&record[..8], b"labcst02");
    assert_eq!(record[52], 1, "bound");
    let key: [u8; 32] = record[53..85].try_into().unwrap();
    let len = u64::from_le_bytes(record[85..93].try_into().unwrap()) as usize;
    let payload = record[93..93 + len].to_vec();
    let out = dir.join("out");
    let mut forged = labc::out::read_dir(&out).unwrap();
    let rollout = forged.get_mut("apps/web/rollout-web.yaml").unwrap();
    *rollout = String::from_utf8_lossy(rollout)
        .replace("replicas: 2", "replicas: 9")
        .into_bytes();
    let binding = labc::out::Binding {
        key,
        payload: &payload,
    };
    let _ = labc::out::write_bound(&out, &forged, &binding).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let _ = labc::out::write_bound(&out, &forged, &binding).unwrap();
    let output = skips(dir, "the forged record");
    assert!(stderr(&output).contains("up to date"));

    let (output, _) = build(dir, &["--check"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("is stale"), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("rollout-web.yaml"),
        "{}",
        stderr(&output)
    );
}
