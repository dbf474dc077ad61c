//! The only code in labc that touches the disk: replacing `out/` with the compiler's
//! in-memory output.
//!
//! Guarantees, and how they are kept:
//! - **Ownership.** `out/index.sha256` (sha256sum format) lists every file labc wrote. labc
//!   removes only files the previous index lists; everything else in `out/` (a README, a
//!   `.gitkeep`) is carried over untouched, same inode, content and mtime, and reported as
//!   foreign (`stray` lists them; `labc build --check` refuses them, since Argo CD would sync
//!   them).
//! - **No-op.** If the files and the index are already current, nothing in `out/` is written
//!   at all, so no mtime changes and nothing for git or Argo CD to notice. To know that
//!   without reading every file back, the stat data of each file is recorded after a build in
//!   `.<name>.labc-stat` next to `out/` (`stamps`: git's index trick, with its racy-timestamp
//!   rule); a file whose stat data changed is read and compared as before. `labc build` binds
//!   the digest of its inputs to that record (`write_bound`), and before compiling asks
//!   `unchanged` whether `out/` is still exactly what the build with that digest left.
//! - **Atomicity.** The new tree is built complete in `.<name>.labc-stage` next to `out/`
//!   (changed files written, everything else hard-linked), then swapped in with one
//!   `renameat2(RENAME_EXCHANGE)`. A SIGKILL at any moment leaves `out/` entirely old or
//!   entirely new; the next run deletes the leftovers (`swap::recover`).
//! - **Safety.** Every path is validated before the disk is touched; on any error `out/`
//!   is left as it was. Nothing here panics.
//! - **Concurrency.** Runs on the same `out/` take turns (`flock` on its parent directory).
//!
//! It also reads `out/` back (`read_dir`, or `read_git` at a revision) for `labc diff`.
//!
//! Not guaranteed: durability across power loss (no fsync; see `stage::write_new`).

mod error;
mod fault;
mod git;
mod index;
mod par;
pub mod paths;
mod plan;
mod read;
pub mod repo;
mod scan;
mod stage;
mod stamps;
mod stray;
mod swap;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_crash;
#[cfg(test)]
mod tests_errors;

use std::collections::BTreeMap;
use std::path::Path;

pub use error::{Action, OutError};
pub use git::read_git;
pub use index::{index_text, parse_index, ParseIndexError};
pub use paths::INDEX_NAME;
pub use read::read_dir;
pub use stamps::{Binding, Stamp, Unchanged, STAMP};
pub use stray::stray;

use paths::Siblings;

/// What `write` did.
#[derive(Debug)]
#[must_use]
pub struct WriteReport {
    /// Added or changed paths, sorted. Includes paths where a file labc did not own was
    /// replaced because the compiler now produces that path.
    pub written: Vec<String>,
    /// Files the previous index listed that are no longer produced, sorted.
    pub removed: Vec<String>,
    /// Files in `out/` labc did not write (neither produced nor in the previous index),
    /// sorted: kept as they are, for the caller to report.
    pub foreign: Vec<String>,
    /// Produced files whose bytes were already on disk (carried over, mtime kept).
    pub unchanged: usize,
    /// Nothing in `out/` was touched: all files and the index were already current. (The
    /// stat record next to `out/` is refreshed when some file had to be read to know it.)
    pub noop: bool,
    /// The build succeeded and `out/` is new, but the old tree could not be deleted from its
    /// hidden sibling directory. The next run retries; worth a warning, not a failure.
    pub cleanup: Option<OutError>,
}

/// What `check` found: how `out/` differs from what `write` would make it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Staleness {
    /// Produced paths with no file on disk yet.
    pub added: Vec<String>,
    /// Produced paths whose file on disk has other bytes (or is not a regular file).
    pub changed: Vec<String>,
    /// Owned files on disk that are no longer produced.
    pub removed: Vec<String>,
    /// Files on disk that are neither produced nor in the index on disk: `write` would keep
    /// them (it never deletes what labc did not write), so they do not make `out/` stale, but
    /// Argo CD would sync them; `labc build --check` fails on them.
    pub foreign: Vec<String>,
    /// The index on disk is missing or differs from the one `write` would write.
    pub index_stale: bool,
}

impl Staleness {
    /// `out/` is exactly what `write` would produce; `write` would be a no-op.
    pub fn is_fresh(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.removed.is_empty()
            && !self.index_stale
    }
}

/// Makes `out_dir` hold exactly `files` (relative `/`-separated path -> bytes) plus the
/// index, keeping every file labc does not own. See the module docs for the guarantees.
pub fn write(out_dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<WriteReport, OutError> {
    write_with(out_dir, files, None)
}

/// `write`, binding `binding` (the digest of what the build read) to the stat record it
/// leaves next to `out/`, for `unchanged` to find on the next run. A no-op refreshes the
/// record too: `labc build` only gets here when `unchanged` said no.
pub fn write_bound(
    out_dir: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    binding: &Binding,
) -> Result<WriteReport, OutError> {
    write_with(out_dir, files, Some(binding))
}

/// `labc build`'s shortcut: the record next to `out_dir` is bound to `key`, no leftover of a
/// killed run is next to it, and `out_dir` is exactly as that build left it (see `stamps`).
/// `settled` are stamps the key was made from that must be older than the record. `None`
/// whenever anything is uncertain: then the caller compiles and calls `write_bound`.
pub fn unchanged(out_dir: &Path, key: &[u8; 32], settled: &[Stamp]) -> Option<Unchanged> {
    let s = Siblings::of(out_dir).ok()?;
    let _lock = swap::lock(&s, false).ok()?;
    for leftover in [&s.stage, &s.old] {
        match std::fs::symlink_metadata(leftover) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            _ => return None,
        }
    }
    stamps::unchanged(&s.stamps, &s.out, key, settled)
}

fn write_with(
    out_dir: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    binding: Option<&Binding>,
) -> Result<WriteReport, OutError> {
    paths::validate_all(files)?;
    let s = Siblings::of(out_dir)?;
    let _lock = swap::lock(&s, true)?;
    swap::recover(&s)?;
    let index = index::render(files, &index::hashes(files));

    let old = scan::read_tree(&s.out)?;
    let recorded = stamps::load(&s.stamps, &index, files.len());
    if let scan::Currency::Current { read } =
        scan::is_current(&s.out, &old, &index, files, recorded.as_ref())?
    {
        let foreign = stray::unlisted(&old);
        if read > 0 || binding.is_some() {
            // `out/` is untouched; only the cache next to it is refreshed
            let dirs = old
                .entries
                .iter()
                .filter(|(_, k)| matches!(k, scan::Kind::Dir { .. }));
            let dirs = dirs.map(|(d, _)| d.as_os_str()).collect();
            record_stamps(
                &s,
                &index,
                files,
                &[],
                &stamps::Tree {
                    dirs,
                    foreign: &foreign,
                },
                binding,
            );
        }
        return Ok(WriteReport {
            written: Vec::new(),
            removed: Vec::new(),
            foreign,
            unchanged: files.len(),
            noop: true,
            cleanup: None,
        });
    }

    let plan = plan::make(&s.out, &old, files)?;
    let known = match stage::build(&s, &plan, files.len(), &index, old.root_perm.as_ref()) {
        Ok(known) => known,
        Err(e) => {
            let _ = swap::remove_tree(&s.stage); // Best effort; `recover` retries next run.
            return Err(e);
        }
    };
    let previous = match swap::install(&s, old.root_perm.is_some()) {
        Ok(previous) => previous,
        Err(e) => {
            let _ = swap::remove_tree(&s.stage);
            return Err(e);
        }
    };
    let cleanup = previous.and_then(|p| {
        fault::point()
            .and_then(|()| swap::remove_tree(&p))
            .err()
            .map(|source| OutError::Io {
                action: Action::Remove,
                path: p,
                source,
            })
    });

    let dirs = plan.dirs.iter().map(|(d, _)| *d).collect();
    let tree = stamps::Tree {
        dirs,
        foreign: &plan.foreign,
    };
    record_stamps(&s, &index, files, &known, &tree, binding);

    let mut written = plan.added;
    written.extend(plan.changed);
    written.sort_unstable();
    Ok(WriteReport {
        written,
        removed: plan.removed,
        foreign: plan.foreign,
        unchanged: plan.unchanged,
        noop: false,
        cleanup,
    })
}

/// Records the stat data of every file of the new `out/` for the next no-op test. Best effort:
/// the record is a cache, and a run that cannot write it (read-only disk) is still correct.
/// `known`: the stat data `stage::build` took of the files it wrote, by position.
fn record_stamps(
    s: &Siblings,
    index: &str,
    files: &BTreeMap<String, Vec<u8>>,
    known: &[Option<stamps::Stamp>],
    tree: &stamps::Tree,
    binding: Option<&Binding>,
) {
    let rels: Vec<&str> = files.keys().map(String::as_str).collect();
    let _ = stamps::save(&s.stamps, &s.out, index, &rels, known, tree, binding);
}

/// Reports how `out_dir` differs from what `write(out_dir, files)` would make it, without
/// writing anything (not even the crash recovery `write` does first; leftovers of an
/// interrupted run are read around instead).
pub fn check(out_dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<Staleness, OutError> {
    paths::validate_all(files)?;
    let s = Siblings::of(out_dir)?;
    let _lock = swap::lock(&s, false)?;
    let out = swap::current(&s)?;
    let index = index::render(files, &index::hashes(files));
    let old = scan::read_tree(out)?;
    let plan = plan::make(out, &old, files)?;
    Ok(Staleness {
        added: plan.added,
        changed: plan.changed,
        removed: plan.removed,
        foreign: plan.foreign,
        index_stale: old.index.as_deref() != Some(index.as_bytes()),
    })
}
