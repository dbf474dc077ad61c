//! `.<name>.labc-stat` next to `out/`: the stat data (device, inode, size, mode, mtime,
//! ctime) of every file and directory of `out/`, recorded after a build. It serves two
//! no-op tests:
//! - `write`'s own: a file whose stat data is unchanged is trusted instead of read back. This
//!   is what git's index does for `git status`.
//! - `labc build`'s shortcut (`unchanged`): `labc build` binds to the record a key, the digest
//!   of everything the build read (site file, the site's own components, CRDs and sealed files,
//!   the options that decide the output, the identity of the labc binary), and a payload of
//!   its own (what to print again). When the next run computes the same key and every
//!   directory, file and the index of `out/` still has its recorded stat data, `out/` is what
//!   this very build would write, so the compile is skipped. An unchanged directory has the
//!   same entries, so no file was added (a stray one) or removed without it showing.
//!
//! Both follow git's racy-timestamp rule, made stricter: the record holds `since`, the file
//! system's clock read (by touching the record itself) *before* anything was stat'ed, and only
//! an entry whose mtime and ctime are both older than `since` is trusted. A change that
//! happened after its stat call, even within the same clock tick, carries a time not older
//! than `since`, so it is read (or rebuilt) anyway. When `out/` is a mount point (another
//! device than the record's folder), whose time stamps may be coarser than the clock read,
//! `since` is moved two seconds back.
//!
//! The record is a cache, never a source of truth:
//! - it is bound to the exact index text it was taken for (its SHA-256 is in the header), so
//!   a trusted file is one whose bytes hash to the line of the current index;
//! - anything that does not match exactly (another inode, size, mode or time stamp, a torn or
//!   missing record, another key) just means "read the file" or "compile", as before the
//!   record existed;
//! - writing it is best effort: it lives outside `out/` (nothing in `out/`, in git or in
//!   `labc build --check` depends on it), and a failure to write it (read-only disk) costs
//!   the next no-op its speed, not its correctness.
//!
//! Tampering that keeps size and mtime (`touch -d`) still changes the ctime, which no user can
//! set, so it is caught; only a clock set backwards between two builds could fool it, as it
//! would fool git.
//!
//! Format (`labcst02`, integers little-endian, each variable part length-prefixed; a record
//! whose parts do not add up to its exact length is ignored, so a torn write is harmless):
//!
//! ```text
//! magic "labcst02" | SHA-256 of the index text (32) | since: secs i64, nanos u32
//! bound u8 (0 or 1) | key (32; zeros when not bound) | payload: u64 length, bytes
//! foreign: u64 count, each u32 length + path          (files labc keeps but did not write)
//! index.sha256's stamp (52)
//! dirs:  u64 count, each u32 length + path + stamp   (the root first, as the empty path)
//! files: u64 count, each u32 length + path + stamp   (in index order)
//! stamp = dev u64, ino u64, size u64, mode u32, mtime (i64, u32), ctime (i64, u32)
//! ```

use std::ffi::OsStr;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::par;
use super::paths::INDEX_NAME;

/// File format version; a record of another version is ignored (and rewritten).
const MAGIC: &[u8; 8] = b"labcst02";
/// The bytes of one `Stamp`.
pub const STAMP: usize = 8 * 3 + 4 + (8 + 4) * 2;

/// From this many entries on, `unchanged` stats them on several threads.
const PARALLEL_STATS: usize = 2048;

/// A file system time: seconds and nanoseconds since the epoch.
type Time = (i64, u32);

/// What identifies one unchanged file or directory. An entry that could not be stat'ed is
/// recorded as all zeros, which nothing on disk matches (its mode has the file-type bits).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mode: u32,
    mtime: Time,
    ctime: Time,
}

impl Stamp {
    pub fn of(meta: &Metadata) -> Stamp {
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mode: meta.mode(),
            mtime: (meta.mtime(), meta.mtime_nsec() as u32),
            ctime: (meta.ctime(), meta.ctime_nsec() as u32),
        }
    }

    /// The stamp as bytes, for a digest that must change with it (`labc build`'s key holds
    /// the stamp of the running binary).
    pub fn bytes(&self) -> [u8; STAMP] {
        let mut buf = Vec::with_capacity(STAMP);
        self.put(&mut buf);
        buf.try_into().unwrap_or([0; STAMP])
    }

    /// Both time stamps older than `since`: no change after `since` can hide behind them.
    fn settled(&self, since: Time) -> bool {
        self.mtime < since && self.ctime < since
    }

    fn put(&self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(&self.dev.to_le_bytes());
        buf.extend_from_slice(&self.ino.to_le_bytes());
        buf.extend_from_slice(&self.size.to_le_bytes());
        buf.extend_from_slice(&self.mode.to_le_bytes());
        for (secs, nanos) in [self.mtime, self.ctime] {
            buf.extend_from_slice(&secs.to_le_bytes());
            buf.extend_from_slice(&nanos.to_le_bytes());
        }
    }

    fn get(b: &[u8]) -> Stamp {
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default());
        let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap_or_default());
        Stamp {
            dev: u64_at(0),
            ino: u64_at(8),
            size: u64_at(16),
            mode: u32_at(24),
            mtime: (u64_at(28) as i64, u32_at(36)),
            ctime: (u64_at(40) as i64, u32_at(48)),
        }
    }
}

/// What `labc build` binds to the record: the digest of everything its output depends on,
/// and what it printed, to print again when the next run skips the compile.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    pub key: [u8; 32],
    pub payload: &'a [u8],
}

/// The entries of the new `out/` besides the produced files: every directory below the root
/// (relative) and the files labc keeps but did not write.
pub struct Tree<'a> {
    pub dirs: Vec<&'a OsStr>,
    pub foreign: &'a [String],
}

/// What `unchanged` found: `out/` is as the bound build left it.
#[derive(Debug, PartialEq, Eq)]
pub struct Unchanged {
    /// The payload the build bound.
    pub payload: Vec<u8>,
    /// Files in `out/` that labc keeps but did not write, as that build reported them.
    pub foreign: Vec<String>,
    /// How many files the index lists.
    pub files: usize,
}

/// A record read back from disk, for the index it was taken for.
#[derive(Debug)]
pub struct Stamps {
    entries: Vec<Stamp>,
    /// Files not older than this are racy.
    since: Time,
}

impl Stamps {
    /// Whether the file at position `i` of the index (whose current stat data is `meta`) is
    /// the very file recorded there, and old enough for its stat data to be conclusive.
    pub fn trusts(&self, i: usize, meta: &Metadata) -> bool {
        let now = Stamp::of(meta);
        meta.is_file() && self.entries.get(i) == Some(&now) && now.settled(self.since)
    }

    /// The recorded stat data, in index order.
    #[cfg(test)]
    pub fn entries(&self) -> &[Stamp] {
        &self.entries
    }
}

/// A record, parsed.
struct Record<'a> {
    index_sha: &'a [u8],
    since: Time,
    key: Option<&'a [u8]>,
    payload: &'a [u8],
    foreign: Vec<&'a [u8]>,
    index: Stamp,
    dirs: Vec<(&'a [u8], Stamp)>,
    files: Vec<(&'a [u8], Stamp)>,
}

/// Reads the parts of a record in order; `None` past the end.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        // each item takes at least 4 bytes: a count past that is a corrupt record, not an
        // allocation to attempt
        (n <= self.0.len() / 4).then_some(n)
    }

    fn path(&mut self) -> Option<&'a [u8]> {
        let len = self.u32()? as usize;
        self.take(len)
    }

    fn stamp(&mut self) -> Option<Stamp> {
        Some(Stamp::get(self.take(STAMP)?))
    }

    fn stamped(&mut self) -> Option<Vec<(&'a [u8], Stamp)>> {
        let n = self.count()?;
        let mut list = Vec::with_capacity(n);
        for _ in 0..n {
            list.push((self.path()?, self.stamp()?));
        }
        Some(list)
    }
}

fn parse(bytes: &[u8]) -> Option<Record<'_>> {
    let mut c = Cursor(bytes);
    if c.take(8)? != MAGIC {
        return None;
    }
    let index_sha = c.take(32)?;
    let since = (c.u64()? as i64, c.u32()?);
    let bound = c.take(1)?[0];
    let key = c.take(32)?;
    let payload = {
        let len = usize::try_from(c.u64()?).ok()?;
        c.take(len)?
    };
    let foreign = (0..c.count()?).map(|_| c.path()).collect::<Option<_>>()?;
    let index = c.stamp()?;
    let dirs = c.stamped()?;
    let files = c.stamped()?;
    if !c.0.is_empty() || bound > 1 {
        return None;
    }
    Some(Record {
        index_sha,
        since,
        key: (bound == 1).then_some(key),
        payload,
        foreign,
        index,
        dirs,
        files,
    })
}

fn read(path: &Path) -> Option<Vec<u8>> {
    let mut file = File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).ok()?);
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Reads the record at `path` if it was taken for exactly `index` (listing `count` files);
/// `None` in every other case, including a torn or foreign file.
pub fn load(path: &Path, index: &str, count: usize) -> Option<Stamps> {
    let bytes = read(path)?;
    let record = parse(&bytes)?;
    if record.index_sha != &Sha256::digest(index.as_bytes())[..] || record.files.len() != count {
        return None;
    }
    Some(Stamps {
        entries: record.files.iter().map(|(_, stamp)| *stamp).collect(),
        since: record.since,
    })
}

/// `labc build`'s no-op test: whether the record at `path` is bound to `key` and `out` is
/// exactly as recorded (the root, every directory, the index and every file has its recorded
/// stat data, all settled), and each of `settled` (the stamps the key was made from, such as
/// the binary's) is older than the record. Reads nothing in `out/`.
pub fn unchanged(path: &Path, out: &Path, key: &[u8; 32], settled: &[Stamp]) -> Option<Unchanged> {
    let bytes = read(path)?;
    let record = parse(&bytes)?;
    if record.key != Some(&key[..]) || !settled.iter().all(|s| s.settled(record.since)) {
        return None;
    }
    let since = record.since;
    // one path buffer per thread: joining 10,000 paths one by one was a quarter of the work
    let holds_all = |entries: &[(&[u8], &Stamp, bool)]| {
        let mut path = out.as_os_str().as_bytes().to_vec();
        path.push(b'/');
        let base = path.len();
        entries.iter().all(|&(rel, want, dir)| {
            path.truncate(base);
            path.extend_from_slice(rel);
            fs::symlink_metadata(OsStr::from_bytes(&path)).is_ok_and(|meta| {
                (if dir { meta.is_dir() } else { meta.is_file() })
                    && Stamp::of(&meta) == *want
                    && want.settled(since)
            })
        })
    };
    // the root is the first directory: without it, nothing says no entry was added to out/
    if record.dirs.first().is_none_or(|(p, _)| !p.is_empty()) {
        return None;
    }
    let entries: Vec<(&[u8], &Stamp, bool)> = [(INDEX_NAME.as_bytes(), &record.index, false)]
        .into_iter()
        .chain(record.dirs.iter().map(|(p, s)| (*p, s, true)))
        .chain(record.files.iter().map(|(p, s)| (*p, s, false)))
        .collect();
    // a stat is a microsecond: below a few thousand, a second thread costs more than it saves
    let all = if entries.len() < PARALLEL_STATS || crate::cores::cores() < 2 {
        holds_all(&entries)
    } else {
        let (first, second) = entries.split_at(entries.len() / 2);
        std::thread::scope(|scope| {
            let other = scope.spawn(|| holds_all(second));
            let mine = holds_all(first);
            other.join().is_ok_and(|theirs| theirs) && mine
        })
    };
    if !all {
        return None;
    }
    Some(Unchanged {
        payload: record.payload.to_vec(),
        foreign: record
            .foreign
            .iter()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect(),
        files: record.files.len(),
    })
}

/// Stats `out`, its directories (`tree.dirs`), its index and every listed file (`rels` in
/// index order) and writes the record for `index` to `path`, replacing any earlier one, bound
/// to `binding` if given. The record is truncated and its mtime set to now first, which gives
/// `since`; the stats come after; the contents are written last, with one `write`: a run
/// killed half-way leaves a short file, which `parse` refuses by its length.
pub fn save(
    path: &Path,
    out: &Path,
    index: &str,
    rels: &[&str],
    known: &[Option<Stamp>],
    tree: &Tree,
    binding: Option<&Binding>,
) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    // SAFETY: `file` is an open descriptor; a null `times` means "now" for both.
    if unsafe { libc::futimens(file.as_raw_fd(), std::ptr::null()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let meta = file.metadata()?;
    let since = (meta.mtime(), meta.mtime_nsec() as u32);

    let mut paths: Vec<&OsStr> = Vec::with_capacity(2 + tree.dirs.len() + rels.len());
    paths.push(OsStr::new(INDEX_NAME));
    paths.push(OsStr::new(""));
    paths.extend(&tree.dirs);
    paths.extend(rels.iter().map(OsStr::new));
    // a file `stage::build` wrote was stat'ed on its open descriptor (`known`, by position in
    // `rels`): one path lookup per file fewer; the rest are stat'ed by path
    let first_file = paths.len() - rels.len();
    let items: Vec<(&OsStr, Option<Stamp>)> = paths
        .iter()
        .enumerate()
        .map(|(i, rel)| {
            let known = i
                .checked_sub(first_file)
                .and_then(|f| known.get(f).copied().flatten());
            (*rel, known)
        })
        .collect();
    let stamps = par::map(&items, |&(rel, known)| {
        known.unwrap_or_else(|| {
            fs::symlink_metadata(out.join(rel))
                .map(|meta| Stamp::of(&meta))
                .unwrap_or_default()
        })
    });
    let Some((index_stamp, rest)) = stamps.split_first() else {
        return Ok(()); // never: `paths` starts with the index
    };
    let (dir_stamps, file_stamps) = rest.split_at(rest.len() - rels.len());
    // `out/` mounted on another file system may keep coarser time stamps (seconds, or two on
    // FAT) than the one the record's clock comes from: then the last two seconds are racy too
    let since = match dir_stamps.first() {
        Some(root) if root.dev != meta.dev() => (since.0 - 2, 0),
        _ => since,
    };

    let sizes: usize = paths.iter().map(|p| 4 + p.len() + STAMP).sum();
    let payload = binding.map_or(&[][..], |b| b.payload);
    let mut buf = Vec::with_capacity(128 + sizes + payload.len());
    buf.extend_from_slice(MAGIC);
    buf.extend_from_slice(&Sha256::digest(index.as_bytes()));
    buf.extend_from_slice(&since.0.to_le_bytes());
    buf.extend_from_slice(&since.1.to_le_bytes());
    buf.push(u8::from(binding.is_some()));
    buf.extend_from_slice(&binding.map_or([0; 32], |b| b.key));
    buf.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    buf.extend_from_slice(payload);
    buf.extend_from_slice(&(tree.foreign.len() as u64).to_le_bytes());
    for path in tree.foreign {
        put_path(&mut buf, path.as_bytes());
    }
    index_stamp.put(&mut buf);
    for (list, stamps) in [(&paths[1..1 + dir_stamps.len()], dir_stamps)]
        .into_iter()
        .chain([(&paths[paths.len() - rels.len()..], file_stamps)])
    {
        buf.extend_from_slice(&(list.len() as u64).to_le_bytes());
        for (path, stamp) in list.iter().zip(stamps) {
            put_path(&mut buf, path.as_bytes());
            stamp.put(&mut buf);
        }
    }
    file.write_all(&buf)
}

fn put_path(buf: &mut Vec<u8>, path: &[u8]) {
    buf.extend_from_slice(&(path.len() as u32).to_le_bytes());
    buf.extend_from_slice(path);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(binding: Option<&Binding>) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir_all(out.join("apps")).unwrap();
        fs::write(out.join(INDEX_NAME), "i\n").unwrap();
        fs::write(out.join("apps/a.yaml"), "a\n").unwrap();
        let path = tmp.path().join(".out.labc-stat");
        let tree = Tree {
            dirs: vec![OsStr::new("apps")],
            foreign: &["notes.txt".to_string()],
        };
        save(&path, &out, "i\n", &["apps/a.yaml"], &[], &tree, binding).unwrap();
        let bytes = fs::read(&path).unwrap();
        (tmp, out, bytes)
    }

    /// Every part written is read back, and a record cut anywhere or with a byte added is
    /// refused as a whole rather than read as a shorter one.
    #[test]
    fn a_record_reads_back_whole_and_any_cut_of_it_is_refused() {
        let binding = Binding {
            key: [7; 32],
            payload: b"what to print",
        };
        let (_tmp, _out, bytes) = record(Some(&binding));
        let parsed = parse(&bytes).unwrap();
        assert_eq!(parsed.key, Some(&[7u8; 32][..]));
        assert_eq!(parsed.payload, b"what to print");
        assert_eq!(parsed.foreign, [b"notes.txt"]);
        let dirs: Vec<&[u8]> = parsed.dirs.iter().map(|(p, _)| *p).collect();
        assert_eq!(dirs, [&b""[..], b"apps"]);
        assert_eq!(parsed.files.len(), 1);
        assert_eq!(parsed.files[0].0, b"apps/a.yaml");
        assert_ne!(parsed.files[0].1, Stamp::default());
        for cut in 0..bytes.len() {
            assert!(parse(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(parse(&longer).is_none());
        let (_tmp, _out, unbound) = record(None);
        assert_eq!(parse(&unbound).unwrap().key, None);
    }

    /// `since` is the file system's own clock before the stats: not later than the record's
    /// mtime, and not earlier than the files written before it.
    #[test]
    fn since_is_taken_before_the_stats_from_the_file_systems_clock() {
        let (tmp, out, bytes) = record(None);
        let since = parse(&bytes).unwrap().since;
        let meta = fs::metadata(tmp.path().join(".out.labc-stat")).unwrap();
        assert!(since <= (meta.mtime(), meta.mtime_nsec() as u32));
        let file = fs::metadata(out.join("apps/a.yaml")).unwrap();
        assert!(since >= (file.mtime(), file.mtime_nsec() as u32));
    }
}
