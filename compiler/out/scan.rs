//! Reading what is in `out/` now: the old index (which files labc owns), every entry on
//! disk (so files labc does not own can be carried over), and byte comparisons against
//! the new contents. Nothing here writes.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, ErrorKind, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::error::{io_err, Action, OutError};
use super::index::parse_index;
use super::paths::INDEX_NAME;
use super::stamps::Stamps;

/// One entry found under `out/`. Symlinks are never followed.
#[derive(Debug)]
pub enum Kind {
    File,
    Symlink,
    /// `empty` = had no entries at all. An already-empty directory is preserved, but one
    /// emptied by labc's removals is not.
    Dir {
        empty: bool,
        perm: Permissions,
    },
    /// FIFO, socket, device: not labc's, carried over by hard link.
    Other,
}

/// The current state of `out/`.
#[derive(Debug, Default)]
pub struct OldTree {
    /// `None` if `out/` does not exist.
    pub root_perm: Option<Permissions>,
    /// Raw bytes of `out/index.sha256`, if present.
    pub index: Option<Vec<u8>>,
    /// Paths the old index lists: the only files labc may remove.
    pub owned: BTreeSet<String>,
    /// Everything under `out/` except the index, relative to `out/` with `/` separators.
    /// Keyed by `OsString` rather than `PathBuf`: names need not be UTF-8 (they are not
    /// labc's), and byte-wise comparison is several times cheaper than `Path`'s
    /// component-wise one, which showed up in timings. Byte order still sorts a directory
    /// before everything inside it.
    pub entries: BTreeMap<OsString, Kind>,
}

/// Reads the whole tree. `out` may not exist (first build).
pub fn read_tree(out: &Path) -> Result<OldTree, OutError> {
    let root_perm = match fs::symlink_metadata(out) {
        Ok(meta) if meta.is_dir() => meta.permissions(),
        Ok(_) => {
            return Err(OutError::InTheWay {
                path: out.to_path_buf(),
                reason: "it exists and is not a directory",
            })
        }
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(OldTree::default()),
        Err(e) => return Err(io_err(Action::Read, out)(e)),
    };
    let index = read_index(out)?;
    let owned = match &index {
        Some(bytes) => parse_owned(out, bytes)?,
        None => BTreeSet::new(),
    };
    let mut entries = BTreeMap::new();
    walk(out, &mut entries)?;
    Ok(OldTree {
        root_perm: Some(root_perm),
        index,
        owned,
        entries,
    })
}

fn parse_owned(out: &Path, bytes: &[u8]) -> Result<BTreeSet<String>, OutError> {
    let bad = |line, reason| OutError::BadIndex {
        path: out.join(INDEX_NAME),
        line,
        reason,
    };
    let text = std::str::from_utf8(bytes).map_err(|_| bad(0, "it is not UTF-8"))?;
    let parsed = parse_index(text).map_err(|e| bad(e.line, e.reason))?;
    Ok(parsed.into_keys().collect())
}

/// Reads `out/index.sha256`; `None` if absent. The index is labc's, so anything other than
/// a regular file there is an obstacle rather than something to follow.
pub fn read_index(out: &Path) -> Result<Option<Vec<u8>>, OutError> {
    let path = out.join(INDEX_NAME);
    let mut buf = Vec::new();
    match open_regular(&path) {
        Ok(Some((mut file, len))) => {
            buf.reserve_exact(len as usize);
            file.read_to_end(&mut buf)
                .map_err(io_err(Action::Read, &path))?;
            Ok(Some(buf))
        }
        Ok(None) => Err(OutError::InTheWay {
            path,
            reason: "labc's index path is taken by something that is not a regular file",
        }),
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => Ok(None),
        Err(e) => Err(io_err(Action::Read, path)(e)),
    }
}

/// Opens `path` only if it is a regular file, without following a final symlink and without
/// blocking on a FIFO. `Ok(None)`: exists but is not a regular file.
fn open_regular(path: &Path) -> io::Result<Option<(File, u64)>> {
    let file = match OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
    {
        Ok(file) => file,
        // ELOOP: the final component is a symlink.
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Ok(None),
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    Ok(meta.is_file().then_some((file, meta.len())))
}

/// Whether `path` is a regular file holding exactly `want`. Length is checked from metadata
/// before any byte is read; bytes are compared directly (no hashing of disk contents).
/// A missing file, a symlink or a directory is simply "not the same".
pub fn same_content(path: &Path, want: &[u8]) -> io::Result<bool> {
    let (mut file, len) = match open_regular(path) {
        Ok(Some(found)) => found,
        Ok(None) => return Ok(false),
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            return Ok(false)
        }
        Err(e) => return Err(e),
    };
    if len != want.len() as u64 {
        return Ok(false);
    }
    let mut buf = [0u8; 16 * 1024];
    let mut rest = want;
    loop {
        let n = match file.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(rest.is_empty());
        }
        // More bytes than expected (file grew since fstat) also means "different".
        if n > rest.len() || buf[..n] != rest[..n] {
            return Ok(false);
        }
        rest = &rest[n..];
    }
}

/// Depth-first listing of `out/` using the directory entries' own types (no stat per
/// file); only directories are stat'ed, for their permissions.
fn walk(out: &Path, entries: &mut BTreeMap<OsString, Kind>) -> Result<(), OutError> {
    let mut pending = vec![OsString::new()];
    while let Some(rel) = pending.pop() {
        let dir = out.join(&rel);
        let mut count = 0usize;
        for entry in fs::read_dir(&dir).map_err(io_err(Action::List, &dir))? {
            let entry = entry.map_err(io_err(Action::List, &dir))?;
            count += 1;
            let child = join(&rel, &entry.file_name());
            if child == INDEX_NAME {
                continue;
            }
            let ty = entry
                .file_type()
                .map_err(io_err(Action::Read, out.join(&child)))?;
            let kind = if ty.is_dir() {
                let meta = entry
                    .metadata()
                    .map_err(io_err(Action::Read, out.join(&child)))?;
                pending.push(child.clone());
                Kind::Dir {
                    empty: false,
                    perm: meta.permissions(),
                }
            } else if ty.is_file() {
                Kind::File
            } else if ty.is_symlink() {
                Kind::Symlink
            } else {
                Kind::Other
            };
            entries.insert(child, kind);
        }
        if let Some(Kind::Dir { empty, .. }) = entries.get_mut(&rel) {
            *empty = count == 0;
        }
    }
    Ok(())
}

fn join(dir: &OsStr, name: &OsStr) -> OsString {
    if dir.is_empty() {
        return name.to_owned();
    }
    let mut path = OsString::with_capacity(dir.len() + 1 + name.len());
    path.push(dir);
    path.push("/");
    path.push(name);
    path
}

/// The directory part of a relative `/`-separated path, `None` at the top level.
pub fn parent(path: &OsStr) -> Option<&OsStr> {
    let bytes = path.as_bytes();
    let slash = bytes.iter().rposition(|&b| b == b'/')?;
    Some(OsStr::from_bytes(&bytes[..slash]))
}

/// What the no-op test found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Currency {
    /// Something differs: a full build is needed.
    Stale,
    /// `out/` is current. `read` files had to be read back to know it (no record, stat data
    /// changed, or racy): refreshing the stat record then makes the next no-op cheaper.
    Current { read: usize },
}

/// The no-op test: `out/` (read as `old`) already holds exactly `files` with `index` as its
/// index. The old index equal to the new one already proves that the owned set is the
/// produced set, so each produced file just has to be present with the same bytes. A file
/// whose stat data matches `stamps` (taken for this very index) is trusted without reading it.
pub fn is_current(
    out: &Path,
    old: &OldTree,
    index: &str,
    files: &BTreeMap<String, Vec<u8>>,
    stamps: Option<&Stamps>,
) -> Result<Currency, OutError> {
    if old.index.as_deref() != Some(index.as_bytes()) {
        return Ok(Currency::Stale);
    }
    // `same_content` refuses only a symlink as the file itself; a directory replaced by a
    // symlink would still read the same, while the full path (which never follows symlinks)
    // sees a different tree. The walk saw every directory without following symlinks.
    let mut dirs = BTreeSet::new();
    for path in files.keys() {
        let mut dir = parent(OsStr::new(path));
        while let Some(d) = dir.filter(|d| dirs.insert(*d)) {
            dir = parent(d);
        }
    }
    if !dirs
        .iter()
        .all(|d| matches!(old.entries.get(*d), Some(Kind::Dir { .. })))
    {
        return Ok(Currency::Stale);
    }
    let items: Vec<(usize, (&String, &Vec<u8>))> = files.iter().enumerate().collect();
    let mut read = 0;
    for result in super::par::map(&items, |&(i, (p, b))| {
        let path = out.join(p);
        if let Some(stamps) = stamps {
            match fs::symlink_metadata(&path) {
                Ok(meta) if stamps.trusts(i, &meta) => return Ok((true, false)),
                _ => {}
            }
        }
        same_content(&path, b)
            .map(|same| (same, true))
            .map_err(io_err(Action::Read, &path))
    }) {
        let (same, was_read) = result?;
        if !same {
            return Ok(Currency::Stale);
        }
        read += usize::from(was_read);
    }
    Ok(Currency::Current { read })
}
