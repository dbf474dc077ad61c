//! Behaviour tests for `write` and `check` on real temporary directories.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::*;

pub(super) fn files(list: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    list.iter()
        .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
        .collect()
}

/// A time far enough in the past that any rewrite is visible as a newer mtime.
pub(super) const PAST: Duration = Duration::from_secs(1_000_000_000);

/// Pushes every mtime under `root` (files and directories) into the past.
pub(super) fn age(root: &Path) {
    for entry in fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        let meta = fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            age(&path);
        }
        if !meta.file_type().is_symlink() {
            File::open(&path)
                .unwrap()
                .set_modified(SystemTime::UNIX_EPOCH + PAST)
                .unwrap();
        }
    }
}

/// The stat record next to `out/` (`stamps.rs`): a cache that any run may refresh, kept
/// between runs, so neither a leftover nor part of what a run must leave alone.
pub(super) fn is_stat_record(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().ends_with(".labc-stat")
}

/// Everything observable about a tree: kind, bytes (or link target), mtime, per path,
/// except the stat record.
pub(super) fn snapshot(root: &Path) -> BTreeMap<PathBuf, (String, Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            if dir == root && is_stat_record(&entry.file_name()) {
                continue;
            }
            let path = entry.path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let (kind, bytes) = if meta.is_dir() {
                pending.push(path.clone());
                ("dir", Vec::new())
            } else if meta.file_type().is_symlink() {
                (
                    "link",
                    fs::read_link(&path)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                )
            } else {
                ("file", fs::read(&path).unwrap())
            };
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            out.insert(rel, (kind.to_string(), bytes, meta.modified().unwrap()));
        }
    }
    out
}

pub(super) fn mtime(path: &Path) -> SystemTime {
    fs::symlink_metadata(path).unwrap().modified().unwrap()
}

/// A temp dir with `out` as the (not yet existing) output directory inside it.
pub(super) fn setup() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    (tmp, out)
}

/// The parent must hold nothing but `out/` (and what the test put there): no stage, no old.
fn assert_no_leftovers(tmp: &Path) {
    for entry in fs::read_dir(tmp).unwrap() {
        let name = entry.unwrap().file_name();
        assert!(
            is_stat_record(&name) || !name.to_string_lossy().contains(".labc-"),
            "leftover {name:?}"
        );
    }
}

#[test]
fn fresh_write_creates_files_and_exact_index() {
    let (tmp, out) = setup();
    let new = files(&[("b.yaml", "b"), ("apps/a.yaml", "a")]);
    let report = write(&out, &new).unwrap();
    assert_eq!(report.written, ["apps/a.yaml", "b.yaml"]);
    assert!(!report.noop && report.removed.is_empty() && report.cleanup.is_none());
    assert_eq!(fs::read(out.join("apps/a.yaml")).unwrap(), b"a");
    assert_eq!(fs::read(out.join("b.yaml")).unwrap(), b"b");
    let expected =
        "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  apps/a.yaml\n\
                    3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  b.yaml\n";
    assert_eq!(
        fs::read_to_string(out.join("index.sha256")).unwrap(),
        expected
    );
    assert_eq!(index_text(&new), expected);
    assert_no_leftovers(tmp.path());
    // The format is really sha256sum's, when the tool is around to confirm it.
    if let Ok(status) = std::process::Command::new("sha256sum")
        .args(["--check", "--quiet", "--strict", "index.sha256"])
        .current_dir(&out)
        .status()
    {
        assert!(status.success());
    }
}

#[test]
fn identical_rewrite_touches_nothing() {
    let (tmp, out) = setup();
    let new = files(&[
        ("a.yaml", "a"),
        ("apps/x/b.yaml", "b"),
        ("apps/c.yaml", "c"),
    ]);
    let _ = write(&out, &new).unwrap();
    fs::write(out.join("README.md"), "mine").unwrap();
    age(&out);
    File::open(&out)
        .unwrap()
        .set_modified(SystemTime::UNIX_EPOCH + PAST)
        .unwrap();
    let before = snapshot(tmp.path());
    let report = write(&out, &new).unwrap();
    assert!(report.noop);
    assert_eq!(
        (report.written.len(), report.removed.len(), report.unchanged),
        (0, 0, 3)
    );
    assert_eq!(
        snapshot(tmp.path()),
        before,
        "a no-op must not change any file, dir or mtime"
    );
}

#[test]
fn changed_file_is_rewritten_and_others_keep_mtime() {
    let (tmp, out) = setup();
    let _ = write(&out, &files(&[("a", "1"), ("d/b", "2"), ("d/c", "3")])).unwrap();
    age(&out);
    let report = write(&out, &files(&[("a", "1"), ("d/b", "two"), ("d/c", "3")])).unwrap();
    assert_eq!(report.written, ["d/b"]);
    assert_eq!(report.unchanged, 2);
    assert_eq!(fs::read(out.join("d/b")).unwrap(), b"two");
    assert!(mtime(&out.join("d/b")) > SystemTime::UNIX_EPOCH + PAST);
    assert_eq!(mtime(&out.join("a")), SystemTime::UNIX_EPOCH + PAST);
    assert_eq!(mtime(&out.join("d/c")), SystemTime::UNIX_EPOCH + PAST);
    assert_eq!(
        fs::read_to_string(out.join("index.sha256")).unwrap(),
        index_text(&files(&[("a", "1"), ("d/b", "two"), ("d/c", "3")]))
    );
    assert_no_leftovers(tmp.path());
}

#[test]
fn dropped_files_go_and_foreign_files_stay() {
    let (tmp, out) = setup();
    let _ = write(
        &out,
        &files(&[("a", "1"), ("sub/b", "2"), ("sub/c", "3"), ("gone/x", "4")]),
    )
    .unwrap();
    fs::write(out.join("README.md"), "mine").unwrap();
    fs::write(out.join(".gitkeep"), "").unwrap();
    fs::write(out.join("sub/notes.txt"), "my notes").unwrap();
    fs::create_dir_all(out.join("empty/deeper")).unwrap();
    symlink("a", out.join("link")).unwrap();
    fs::set_permissions(out.join("sub"), fs::Permissions::from_mode(0o750)).unwrap();
    age(&out);
    // Directories are recreated in the stage (only their permissions carry over), so
    // only the files' and the symlink's mtimes are compared.
    let foreign = ["README.md", ".gitkeep", "sub/notes.txt", "link"];
    let before = snapshot(&out);

    let report = write(&out, &files(&[("a", "1")])).unwrap();
    assert_eq!(report.removed, ["gone/x", "sub/b", "sub/c"]);
    assert!(report.written.is_empty());
    let after = snapshot(&out);
    for path in foreign {
        assert_eq!(
            after.get(Path::new(path)),
            before.get(Path::new(path)),
            "{path} changed"
        );
    }
    assert!(
        out.join("empty/deeper").is_dir(),
        "an already-empty directory is kept"
    );
    assert!(!out.join("sub/b").exists() && !out.join("sub/c").exists());
    assert!(
        !out.join("gone").exists(),
        "a directory emptied by removals is not recreated"
    );
    assert_eq!(
        fs::metadata(out.join("sub")).unwrap().permissions().mode() & 0o777,
        0o750
    );
    assert_eq!(
        fs::read_to_string(out.join("index.sha256")).unwrap(),
        index_text(&files(&[("a", "1")]))
    );
    assert_no_leftovers(tmp.path());
}

#[test]
fn files_without_an_index_are_adopted_not_clobbered() {
    let (_tmp, out) = setup();
    fs::create_dir(&out).unwrap();
    fs::write(out.join("a"), "same").unwrap();
    fs::write(out.join("b"), "old").unwrap();
    age(&out);
    let report = write(&out, &files(&[("a", "same"), ("b", "new")])).unwrap();
    assert_eq!(
        (report.written.as_slice(), report.unchanged),
        (&["b".to_string()][..], 1)
    );
    assert_eq!(mtime(&out.join("a")), SystemTime::UNIX_EPOCH + PAST);
    assert_eq!(fs::read(out.join("b")).unwrap(), b"new");
}

#[test]
fn check_reports_differences_and_writes_nothing() {
    let (tmp, out) = setup();
    let v1 = files(&[("a", "1"), ("b", "2"), ("d/c", "3")]);
    let stale = check(&out, &v1).unwrap();
    assert_eq!(stale.added, ["a", "b", "d/c"]);
    assert!(stale.index_stale && !out.exists());

    let _ = write(&out, &v1).unwrap();
    fs::write(out.join("mine"), "x").unwrap();
    assert!(check(&out, &v1).unwrap().is_fresh());
    let before = snapshot(tmp.path());
    let v2 = files(&[("a", "1"), ("b", "22"), ("e", "5")]);
    let stale = check(&out, &v2).unwrap();
    assert_eq!(
        stale,
        Staleness {
            added: vec!["e".into()],
            changed: vec!["b".into()],
            removed: vec!["d/c".into()],
            foreign: vec!["mine".into()],
            index_stale: true,
        }
    );
    assert!(!stale.is_fresh());
    assert_eq!(snapshot(tmp.path()), before);

    // Same files but a hand-edited index: only the index is stale.
    fs::write(out.join("index.sha256"), "").unwrap();
    let stale = check(&out, &v1).unwrap();
    assert!(stale.index_stale && stale.added.is_empty() && stale.changed.is_empty());
}

#[test]
fn foreign_files_are_listed_by_stray_check_and_write_and_kept() {
    let (_tmp, out) = setup();
    let v1 = files(&[("a", "1"), ("d/c", "3")]);
    let _ = write(&out, &v1).unwrap();
    assert!(stray(&out).unwrap().is_empty());
    fs::write(out.join("d/mine"), "x").unwrap();
    symlink("a", out.join("link")).unwrap();
    fs::create_dir(out.join("empty")).unwrap();
    let foreign = ["d/mine", "link"];
    assert_eq!(
        stray(&out).unwrap(),
        foreign,
        "empty directories are not files"
    );
    assert_eq!(check(&out, &v1).unwrap().foreign, foreign);

    let noop = write(&out, &v1).unwrap();
    assert!(noop.noop);
    assert_eq!(noop.foreign, foreign);
    let v2 = files(&[("a", "2")]);
    let report = write(&out, &v2).unwrap();
    assert_eq!(
        (report.removed, report.foreign),
        (vec!["d/c".into()], foreign.map(String::from).to_vec())
    );
    assert_eq!(fs::read(out.join("d/mine")).unwrap(), b"x");
    assert!(fs::symlink_metadata(out.join("link")).unwrap().is_symlink());

    // without an index, nothing there is labc's
    fs::remove_file(out.join(INDEX_NAME)).unwrap();
    assert_eq!(stray(&out).unwrap(), ["a", "d/mine", "link"]);
}

#[test]
fn read_only_foreign_directories_survive_and_do_not_block_cleanup() {
    let (tmp, out) = setup();
    let _ = write(&out, &files(&[("a", "1")])).unwrap();
    fs::create_dir(out.join("ro")).unwrap();
    fs::write(out.join("ro/f"), "mine").unwrap();
    fs::set_permissions(out.join("ro"), fs::Permissions::from_mode(0o555)).unwrap();
    let report = write(&out, &files(&[("a", "2")])).unwrap();
    assert!(report.cleanup.is_none(), "{:?}", report.cleanup);
    assert_eq!(
        fs::metadata(out.join("ro")).unwrap().permissions().mode() & 0o777,
        0o555
    );
    assert_eq!(fs::read(out.join("ro/f")).unwrap(), b"mine");
    assert_no_leftovers(tmp.path());
    fs::set_permissions(out.join("ro"), fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_symlinked_out_dir_stays_a_symlink() {
    let (tmp, out) = setup();
    let real = tmp.path().join("real");
    fs::create_dir(&real).unwrap();
    symlink("real", &out).unwrap();
    let _ = write(&out, &files(&[("a", "1")])).unwrap();
    let _ = write(&out, &files(&[("a", "2")])).unwrap();
    assert!(fs::symlink_metadata(&out).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(real.join("a")).unwrap(), b"2");
    assert_no_leftovers(tmp.path());
}

/// Rewrites `path` with `bytes` of the same length and puts its mtime back, the way a tool
/// that preserves time stamps would: only the ctime (which no user can set) shows it.
fn tamper_keeping_size_and_mtime(path: &Path, bytes: &str) {
    let before = mtime(path);
    assert_eq!(fs::metadata(path).unwrap().len(), bytes.len() as u64);
    fs::write(path, bytes).unwrap();
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(before)
        .unwrap();
}

#[test]
fn a_file_changed_behind_labcs_back_is_found_even_with_size_and_mtime_kept() {
    let (tmp, out) = setup();
    let new = files(&[("a.yaml", "aaaa"), ("apps/b.yaml", "bbbb")]);
    let _ = write(&out, &new).unwrap();
    assert!(Siblings::of(&out).unwrap().stamps.exists());
    // a second no-op refreshes nothing and trusts the record
    assert!(write(&out, &new).unwrap().noop);
    tamper_keeping_size_and_mtime(&out.join("apps/b.yaml"), "BBBB");
    let report = write(&out, &new).unwrap();
    assert_eq!(report.written, ["apps/b.yaml"]);
    assert_eq!(fs::read(out.join("apps/b.yaml")).unwrap(), b"bbbb");
    assert_no_leftovers(tmp.path());
}

/// Proves the record is really trusted (the no-op reads no file whose stat data matches), and
/// that the racy-timestamp rule takes that trust back for files not older than the record.
#[test]
fn matching_stat_data_is_trusted_unless_the_file_is_not_older_than_the_record() {
    let (_tmp, out) = setup();
    let new = files(&[("a.yaml", "aaaa"), ("apps/b.yaml", "bbbb")]);
    let _ = write(&out, &new).unwrap();
    let s = Siblings::of(&out).unwrap();
    let index = index_text(&new);
    let rels = ["a.yaml", "apps/b.yaml"];
    let tree = stamps::Tree {
        dirs: vec![std::ffi::OsStr::new("apps")],
        foreign: &[],
    };
    // the file changes, and a record is taken afterwards that (wrongly) vouches for it
    fs::write(out.join("apps/b.yaml"), "BBBB").unwrap();
    std::thread::sleep(Duration::from_millis(20));
    stamps::save(&s.stamps, &out, &index, &rels, &[], &tree, None).unwrap();
    let report = write(&out, &new).unwrap();
    assert!(report.noop, "a matching, non-racy record is believed");
    assert_eq!(fs::read(out.join("apps/b.yaml")).unwrap(), b"BBBB");

    // the same record, but of a file whose mtime is not older than the record's clock: a
    // change in the same tick as the stat could hide behind it, so it is read anyway
    File::options()
        .write(true)
        .open(out.join("apps/b.yaml"))
        .unwrap()
        .set_modified(SystemTime::now() + Duration::from_secs(3600))
        .unwrap();
    stamps::save(&s.stamps, &out, &index, &rels, &[], &tree, None).unwrap();
    let report = write(&out, &new).unwrap();
    assert_eq!(report.written, ["apps/b.yaml"]);
    assert_eq!(fs::read(out.join("apps/b.yaml")).unwrap(), b"bbbb");
}

/// A file written fresh is stat'ed on its open descriptor (`stage::build`), not by path after
/// the swap: what the record holds must be what a stat by path gives afterwards, or the next
/// no-op would read every file back (or, worse, trust a stale one).
#[test]
fn the_stat_data_taken_from_the_open_file_is_what_a_stat_by_path_gives() {
    let (_tmp, out) = setup();
    let old = files(&[("a.yaml", "aaaa"), ("apps/b.yaml", "bbbb")]);
    let _ = write(&out, &old).unwrap();
    // one file changed (written fresh), one kept (hard-linked), one added in a new folder
    let new = files(&[
        ("a.yaml", "AAAA"),
        ("apps/b.yaml", "bbbb"),
        ("c/d.yaml", "dd"),
    ]);
    let report = write(&out, &new).unwrap();
    assert_eq!(report.written, ["a.yaml", "c/d.yaml"]);
    let s = Siblings::of(&out).unwrap();
    let record = stamps::load(&s.stamps, &index_text(&new), new.len()).unwrap();
    let by_path: Vec<stamps::Stamp> = new
        .keys()
        .map(|rel| stamps::Stamp::of(&fs::symlink_metadata(out.join(rel)).unwrap()))
        .collect();
    assert_eq!(record.entries(), by_path);
}

#[test]
fn a_torn_or_foreign_stat_record_is_ignored() {
    let (_tmp, out) = setup();
    let new = files(&[("a.yaml", "aaaa")]);
    let _ = write(&out, &new).unwrap();
    let s = Siblings::of(&out).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    for record in [&b""[..], b"labcst02", b"labcst01", b"not a record at all"] {
        fs::write(&s.stamps, record).unwrap();
        assert!(stamps::load(&s.stamps, &index_text(&new), 1).is_none());
        assert!(write(&out, &new).unwrap().noop);
        // the no-op read the file and wrote a fresh record for the next run
        assert!(stamps::load(&s.stamps, &index_text(&new), 1).is_some());
    }
    // a record for another index never vouches for these files
    assert!(stamps::load(&s.stamps, &index_text(&files(&[("a.yaml", "x")])), 1).is_none());
}

/// A tree written by `write_bound` for key 1, its record settled (all entries older than it).
fn bound(list: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, BTreeMap<String, Vec<u8>>) {
    let (tmp, out) = setup();
    let new = files(list);
    let _ = write(&out, &new).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let binding = Binding {
        key: [1; 32],
        payload: b"printed",
    };
    assert!(write_bound(&out, &new, &binding).unwrap().noop);
    (tmp, out, new)
}

/// The shortcut believes a settled record of the same key, and nothing else: another key, an
/// unbound record, a leftover of a killed run.
#[test]
fn unchanged_needs_the_same_key_and_no_leftover() {
    let (tmp, out, new) = bound(&[("a.yaml", "aaaa"), ("apps/b.yaml", "bbbb")]);
    let found = unchanged(&out, &[1; 32], &[]).expect("settled and bound to key 1");
    assert_eq!(
        found,
        Unchanged {
            payload: b"printed".to_vec(),
            foreign: Vec::new(),
            files: 2
        }
    );
    assert_eq!(unchanged(&out, &[2; 32], &[]), None, "another key");
    fs::create_dir(tmp.path().join(".out.labc-stage")).unwrap();
    assert_eq!(unchanged(&out, &[1; 32], &[]), None, "a leftover stage");
    fs::remove_dir(tmp.path().join(".out.labc-stage")).unwrap();
    let _ = write(&out, &new).unwrap();
    let s = Siblings::of(&out).unwrap();
    fs::remove_file(&s.stamps).unwrap();
    let _ = write(&out, &new).unwrap();
    assert_eq!(unchanged(&out, &[1; 32], &[]), None, "an unbound record");
}

/// Every change to `out/` that a build would undo or report makes the shortcut say no: an edited
/// file (even keeping size and mtime), a removed one, one added next to labc's (a stray file,
/// which must be reported again), an edited index.
#[test]
fn unchanged_sees_every_change_to_out() {
    type Change = fn(&Path);
    let changes: [(&str, Change); 5] = [
        ("an edited file", |out| {
            tamper_keeping_size_and_mtime(&out.join("apps/b.yaml"), "BBBB")
        }),
        ("a removed file", |out| {
            fs::remove_file(out.join("apps/b.yaml")).unwrap()
        }),
        ("a file added at the top", |out| {
            fs::write(out.join("stray.yaml"), "x").unwrap()
        }),
        ("a file added below", |out| {
            fs::write(out.join("apps/stray.yaml"), "x").unwrap()
        }),
        ("an edited index", |out| {
            let index = out.join(INDEX_NAME);
            let text = fs::read_to_string(&index).unwrap();
            tamper_keeping_size_and_mtime(&index, &text.replace("a.yaml", "c.yaml"))
        }),
    ];
    for (what, change) in changes {
        let (_tmp, out, new) = bound(&[("a.yaml", "aaaa"), ("apps/b.yaml", "bbbb")]);
        assert!(unchanged(&out, &[1; 32], &[]).is_some());
        change(&out);
        assert_eq!(unchanged(&out, &[1; 32], &[]), None, "{what}");
        // the full path then repairs it and binds a record the shortcut believes again
        let binding = Binding {
            key: [1; 32],
            payload: b"printed",
        };
        let _ = write_bound(&out, &new, &binding).unwrap();
        assert_eq!(
            fs::read(out.join("apps/b.yaml")).unwrap(),
            b"bbbb",
            "{what}"
        );
        std::thread::sleep(Duration::from_millis(20));
        let _ = write_bound(&out, &new, &binding).unwrap();
        let found = unchanged(&out, &[1; 32], &[]).expect(what);
        let strays = found.foreign.len();
        assert_eq!(
            strays,
            usize::from(what.starts_with("a file added")),
            "{what}"
        );
    }
}

/// The racy-timestamp rule: an entry (file, directory, or a stamp the key was made from, like
/// the binary's) whose time is not older than the record's clock is not trusted, even when its
/// stat data matches the record exactly.
#[test]
fn unchanged_does_not_trust_a_racy_time_stamp() {
    let future = SystemTime::now() + Duration::from_secs(3600);
    for racy in ["apps/b.yaml", "apps", "the binary"] {
        let (tmp, out, new) = bound(&[("a.yaml", "aaaa"), ("apps/b.yaml", "bbbb")]);
        let binary = tmp.path().join("labc");
        fs::write(&binary, "an executable").unwrap();
        let path = if racy == "the binary" {
            binary.clone()
        } else {
            out.join(racy)
        };
        File::open(&path).unwrap().set_modified(future).unwrap();
        let binding = Binding {
            key: [1; 32],
            payload: b"",
        };
        // recorded after the change: the stamps match, only their times give them away
        let _ = write_bound(&out, &new, &binding).unwrap();
        let stamp = Stamp::of(&fs::metadata(&binary).unwrap());
        assert_eq!(unchanged(&out, &[1; 32], &[stamp]), None, "{racy}");
    }
}
