//! Validation of the compiler's relative paths, and the names of labc's own sibling
//! directories. Validation runs before anything touches the disk, so a bad path can never
//! make `write` escape `out/` or half-build a tree.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::error::{io_err, Action, OutError};

/// The index's name inside `out/`. Reserved: no produced file may use it.
pub const INDEX_NAME: &str = "index.sha256";

/// Rejects anything that is not a plain relative path below `out/`.
pub fn validate(path: &str) -> Result<(), OutError> {
    let bad = |reason| {
        Err(OutError::BadPath {
            path: path.to_owned(),
            reason,
        })
    };
    if path.is_empty() {
        return bad("is empty");
    }
    if path.starts_with('/') {
        return bad("is absolute");
    }
    if path.contains('\\') {
        return bad("contains a backslash");
    }
    // Control characters (newline above all) would break the one-line-per-file index.
    if path.chars().any(char::is_control) {
        return bad("contains a control character");
    }
    for component in path.split('/') {
        match component {
            "" => return bad("contains an empty component"),
            "." | ".." => return bad("contains a `.` or `..` component"),
            _ => {}
        }
    }
    if path == INDEX_NAME {
        return bad("collides with labc's index file");
    }
    Ok(())
}

/// Validates every path, and that no path is also used as a directory by another
/// ("a" and "a/b"): such a set has no on-disk representation.
pub fn validate_all(files: &BTreeMap<String, Vec<u8>>) -> Result<(), OutError> {
    for path in files.keys() {
        validate(path)?;
        let mut end = 0;
        while let Some(i) = path[end..].find('/') {
            end += i;
            let dir = &path[..end];
            if files.contains_key(dir) {
                return Err(OutError::BadPath {
                    path: dir.to_owned(),
                    reason: "is both a file and a directory",
                });
            }
            end += 1;
        }
    }
    Ok(())
}

/// `out/` and labc's two working names next to it. They are siblings so that renames
/// between them stay on one filesystem and are therefore atomic.
#[derive(Debug, Clone)]
pub struct Siblings {
    pub out: PathBuf,
    /// `.<name>.labc-stage`: the new tree while it is being built; after an exchange, the
    /// old tree while it is being deleted.
    pub stage: PathBuf,
    /// `.<name>.labc-old`: the old tree during the rename-based fallback swap.
    pub old: PathBuf,
    /// `.<name>.labc-stat`: the stat data of the directories and files of `out/` (`stamps`),
    /// which lets a no-op rebuild skip reading them back, and `labc build` skip compiling. A
    /// cache, kept between runs.
    pub stamps: PathBuf,
}

impl Siblings {
    /// If `out_dir` is a symlink, works on its target: renaming the link itself would replace
    /// the user's symlink with a plain directory.
    pub fn of(out_dir: &Path) -> Result<Siblings, OutError> {
        let out = match fs::symlink_metadata(out_dir) {
            Ok(meta) if meta.file_type().is_symlink() => {
                fs::canonicalize(out_dir).map_err(io_err(Action::Read, out_dir))?
            }
            _ => out_dir.to_path_buf(),
        };
        let Some(name) = out.file_name() else {
            return Err(OutError::BadPath {
                path: out_dir.display().to_string(),
                reason: "an output directory needs a final name (not `.`, `..` or `/`)",
            });
        };
        let sibling = |suffix: &str| {
            let mut n = std::ffi::OsString::from(".");
            n.push(name);
            n.push(suffix);
            out.with_file_name(n)
        };
        Ok(Siblings {
            stage: sibling(".labc-stage"),
            old: sibling(".labc-old"),
            stamps: sibling(".labc-stat"),
            out,
        })
    }

    /// Where a relative output path lives inside `out/`; used for reading and for messages.
    pub fn out_path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.out.join(rel)
    }
}
