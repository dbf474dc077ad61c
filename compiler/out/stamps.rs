//! `.<name>.labc-stat` next to `out/`: the stat data (device, inode, size, mode, mtime,
//! ctime) of every file the index lists, recorded after a build, so that a rebuild with no
//! change can trust a file whose stat data is unchanged instead of reading it back. This is
//! what git's index does for `git status`, with git's racy-timestamp rule: a file whose mtime
//! is not older than the record's own write time may have changed within the same clock tick
//! after it was stat'ed, so it is read and compared anyway.
//!
//! The record is a cache, never a source of truth:
//! - it is bound to the exact index text it was taken for (its SHA-256 is in the header), so
//!   a trusted file is one whose bytes hash to the line of the current index;
//! - anything that does not match exactly (another inode, size, mode or time stamp, a torn or
//!   missing record) just means "read the file", as before the record existed;
//! - writing it is best effort: it lives outside `out/` (nothing in `out/`, in git or in
//!   `labc build --check` depends on it), and a failure to write it (read-only disk) costs
//!   the next no-op its speed, not its correctness.
//!
//! Tampering that keeps size and mtime (`touch -d`) still changes the ctime, which no user can
//! set, so it is caught; only a clock set backwards between two builds could fool it, as it
//! would fool git.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::par;

/// File format version; a record of another version is ignored (and rewritten).
const MAGIC: &[u8; 8] = b"labcst01";
const HEADER: usize = 8 + 32 + 8;
const RECORD: usize = 8 * 3 + 4 + (8 + 4) * 2;

/// What identifies one unchanged file. A file that could not be stat'ed is recorded as all
/// zeros, which no regular file matches (its mode has the regular-file bits).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mode: u32,
    mtime: (i64, u32),
    ctime: (i64, u32),
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

/// A record read back from disk, for the index it was taken for.
#[derive(Debug)]
pub struct Stamps {
    entries: Vec<Stamp>,
    /// The record's own mtime: files not older than this are racy.
    written: (i64, u32),
}

impl Stamps {
    /// Whether the file at position `i` of the index (whose current stat data is `meta`) is
    /// the very file recorded there, and old enough for its stat data to be conclusive.
    pub fn trusts(&self, i: usize, meta: &Metadata) -> bool {
        let now = Stamp::of(meta);
        meta.is_file()
            && self.entries.get(i) == Some(&now)
            && now.mtime < self.written
            && now.ctime < self.written
    }
}

/// Reads the record at `path` if it was taken for exactly `index` (listing `count` files);
/// `None` in every other case, including a torn or foreign file.
pub fn load(path: &Path, index: &str, count: usize) -> Option<Stamps> {
    let mut file = File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    let want = HEADER.checked_add(count.checked_mul(RECORD)?)?;
    if !meta.is_file() || meta.len() != want as u64 {
        return None;
    }
    let mut bytes = Vec::with_capacity(want);
    file.read_to_end(&mut bytes).ok()?;
    if bytes.len() != want
        || &bytes[..8] != MAGIC
        || bytes[8..40] != Sha256::digest(index.as_bytes())[..]
        || bytes[40..48] != (count as u64).to_le_bytes()
    {
        return None;
    }
    Some(Stamps {
        entries: bytes[HEADER..]
            .chunks_exact(RECORD)
            .map(Stamp::get)
            .collect(),
        written: (meta.mtime(), meta.mtime_nsec() as u32),
    })
}

/// Stats every listed file under `out` (`rels` in index order) and writes the record for
/// `index` to `path`, replacing any earlier one. `known[i]`, where present, is the stat data
/// of `rels[i]` already taken (from the open file, as it was written) and is used instead.
/// Written in place with one `write`: a run killed half-way leaves a short file, which `load`
/// refuses by its length.
pub fn save(
    path: &Path,
    out: &Path,
    index: &str,
    rels: &[&str],
    known: &[Option<Stamp>],
) -> std::io::Result<()> {
    let items: Vec<(&str, Option<Stamp>)> = rels
        .iter()
        .enumerate()
        .map(|(i, rel)| (*rel, known.get(i).copied().flatten()))
        .collect();
    let stamps = par::map(&items, |&(rel, known)| {
        known.unwrap_or_else(|| {
            fs::symlink_metadata(out.join(rel))
                .map(|meta| Stamp::of(&meta))
                .unwrap_or_default()
        })
    });
    let mut buf = Vec::with_capacity(HEADER + stamps.len() * RECORD);
    buf.extend_from_slice(MAGIC);
    buf.extend_from_slice(&Sha256::digest(index.as_bytes()));
    buf.extend_from_slice(&(stamps.len() as u64).to_le_bytes());
    for stamp in &stamps {
        stamp.put(&mut buf);
    }
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?
        .write_all(&buf)
}
