//! Deciding what the new tree is, before anything is written: which produced files are
//! new or changed, which existing files are carried over (unchanged ones and everything
//! labc does not own), which owned files go, and which directories exist afterwards.
//! Conflicts with files labc does not own are found here, so `write` fails before staging.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs::Permissions;
use std::path::Path;

use super::error::{io_err, Action, OutError};
use super::par;
use super::scan::{self, parent, Kind, OldTree};

/// One file of the new tree.
pub enum Job<'a> {
    /// Added or changed: written fresh. The number is the file's position among the produced
    /// files (the index's order), where its stat data goes (`super::stamps`).
    Write(&'a str, &'a [u8], usize),
    /// Carried over from the old tree by hard link (keeps inode, content and mtime).
    Keep(&'a OsStr),
    /// A symlink not owned by labc, carried over as a symlink (never followed).
    Symlink(&'a OsStr),
}

pub struct Plan<'a> {
    /// In path order, so each worker's share stays within neighbouring directories.
    pub jobs: Vec<Job<'a>>,
    /// Every directory of the new tree, parents before children, with the permissions of
    /// the old directory at that path if there was one.
    pub dirs: Vec<(&'a OsStr, Option<&'a Permissions>)>,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// Files neither produced nor listed in the old index: not labc's, carried over as they
    /// are and reported (`super::stray`), never removed.
    pub foreign: Vec<String>,
    pub unchanged: usize,
}

/// Compares the produced `files` against `old` (read from `out`).
pub fn make<'a>(
    out: &Path,
    old: &'a OldTree,
    files: &'a BTreeMap<String, Vec<u8>>,
) -> Result<Plan<'a>, OutError> {
    // Byte comparison is the expensive part; only regular files at produced paths need it.
    let candidates: Vec<(&str, &[u8])> = files
        .iter()
        .filter(|(p, _)| matches!(old.entries.get(OsStr::new(p)), Some(Kind::File)))
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let same = par::map(&candidates, |(p, b)| {
        scan::same_content(&out.join(p), b).map_err(io_err(Action::Read, out.join(p)))
    });
    let mut same_as_before = BTreeSet::new();
    for ((path, _), result) in candidates.iter().zip(same) {
        if result? {
            same_as_before.insert(*path);
        }
    }

    let mut plan = Plan {
        jobs: Vec::new(),
        dirs: Vec::new(),
        added: Vec::new(),
        changed: Vec::new(),
        removed: Vec::new(),
        foreign: Vec::new(),
        unchanged: 0,
    };
    // Every non-directory of the new tree, plus directories kept because they were already
    // empty. `true` = produced by this build.
    let mut leaves: BTreeMap<&OsStr, (Option<Job>, bool)> = BTreeMap::new();

    for (position, (path, bytes)) in files.iter().enumerate() {
        let rel = OsStr::new(path);
        let job = match old.entries.get(rel) {
            _ if same_as_before.contains(path.as_str()) => {
                plan.unchanged += 1;
                Job::Keep(rel)
            }
            Some(Kind::Dir { empty: true, .. }) => {
                return Err(OutError::InTheWay {
                    path: out.join(rel),
                    reason: "an empty directory not written by labc is in the way",
                })
            }
            // A non-empty directory here is a conflict only if something survives in it;
            // that is decided below, once all survivors are known.
            None | Some(Kind::Dir { .. }) => {
                plan.added.push(path.clone());
                Job::Write(path, bytes, position)
            }
            // Replacing whatever is there: the compiler now produces this path, so the
            // file becomes labc's (this is how an index-less tree is adopted).
            Some(Kind::File | Kind::Symlink | Kind::Other) => {
                plan.changed.push(path.clone());
                Job::Write(path, bytes, position)
            }
        };
        leaves.insert(rel, (Some(job), true));
    }

    for (rel, kind) in &old.entries {
        let as_str = rel.to_str();
        if as_str.is_some_and(|p| files.contains_key(p)) {
            continue;
        }
        let job = match kind {
            Kind::Dir { empty: false, .. } => continue,
            Kind::Dir { empty: true, .. } => None,
            _ if as_str.is_some_and(|p| old.owned.contains(p)) => {
                plan.removed.extend(as_str.map(str::to_owned));
                continue;
            }
            Kind::Symlink => {
                plan.foreign.push(rel.to_string_lossy().into_owned());
                Some(Job::Symlink(rel))
            }
            Kind::File | Kind::Other => {
                plan.foreign.push(rel.to_string_lossy().into_owned());
                Some(Job::Keep(rel))
            }
        };
        leaves.insert(rel.as_os_str(), (job, false));
    }

    let mut dirs: BTreeSet<&OsStr> = BTreeSet::new();
    for (&leaf, (job, _)) in &leaves {
        if job.is_none() {
            dirs.insert(leaf);
        }
        let mut dir = parent(leaf);
        // Stop at the first known directory: its ancestors were added with it.
        while let Some(d) = dir.filter(|d| dirs.insert(*d)) {
            dir = parent(d);
        }
    }
    for &dir in &dirs {
        match leaves.get(dir) {
            Some((Some(_), true)) => {
                return Err(OutError::InTheWay {
                    path: out.join(dir),
                    reason: "a directory with files not written by labc is in the way",
                })
            }
            Some((Some(_), false)) => {
                return Err(OutError::InTheWay {
                    path: out.join(dir),
                    reason:
                        "labc needs a directory here, and a file it did not write is in the way",
                })
            }
            _ => {}
        }
        let perm = match old.entries.get(dir) {
            Some(Kind::Dir { perm, .. }) => Some(perm),
            _ => None,
        };
        plan.dirs.push((dir, perm));
    }
    plan.jobs = leaves.into_values().filter_map(|(job, _)| job).collect();
    Ok(plan)
}
