//! Building the complete new tree in the staging directory next to `out/`. `out/` itself
//! is only read here; if anything fails, the caller deletes the stage and `out/` is as it
//! was.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::symlink;
use std::path::Path;

use super::error::{io_err, Action, OutError};
use super::paths::{Siblings, INDEX_NAME};
use super::plan::{Job, Plan};
use super::stamps::Stamp;
use super::{fault, par};

/// Creates `s.stage` and fills it with the planned tree and `index`. Errors about single
/// files name the file's place in `out/`, since that is the path the user knows.
///
/// Returns the stat data of each file written fresh, by its position among the `files`
/// produced (`None` for the others): taken from the open file, it spares the stat record a
/// lookup by path per file. Nothing later changes these files' inodes: the swap renames
/// their directory, which leaves their ctime alone.
pub fn build(
    s: &Siblings,
    plan: &Plan,
    files: usize,
    index: &str,
    root_perm: Option<&fs::Permissions>,
) -> Result<Vec<Option<Stamp>>, OutError> {
    // The parent of `out/` may not exist yet on a first build. The stage itself uses
    // `create_dir`: recovery removed any leftover under the lock, so a stage that exists
    // now was made by something else, and labc must not build into it.
    if let Some(parent) = s.stage.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(io_err(Action::CreateDir, parent))?;
    }
    fs::create_dir(&s.stage).map_err(io_err(Action::CreateDir, &s.stage))?;

    for (dir, _) in &plan.dirs {
        fault::point()
            .and_then(|()| fs::create_dir(s.stage.join(dir)))
            .map_err(io_err(Action::CreateDir, s.out_path(dir)))?;
    }

    let done = par::map(&plan.jobs, |job| match *job {
        Job::Write(rel, bytes, _) => write_new(&s.stage.join(rel), bytes)
            .map(Some)
            .map_err(io_err(Action::Write, s.out_path(rel))),
        Job::Keep(rel) => keep(&s.out_path(rel), &s.stage.join(rel))
            .map(|()| None)
            .map_err(io_err(Action::Keep, s.out_path(rel))),
        Job::Symlink(rel) => keep_symlink(&s.out_path(rel), &s.stage.join(rel))
            .map(|()| None)
            .map_err(io_err(Action::Keep, s.out_path(rel))),
    });
    let mut stamps = vec![None; files];
    // the first error in path order wins, so the one reported does not depend on timing
    for (job, result) in plan.jobs.iter().zip(done) {
        if let (Job::Write(_, _, position), Some(stamp)) = (job, result?) {
            stamps[*position] = Some(stamp);
        }
    }

    write_new(&s.stage.join(INDEX_NAME), index.as_bytes())
        .map_err(io_err(Action::Write, s.out_path(INDEX_NAME)))?;

    // Permissions last and deepest first: a read-only directory must be complete before
    // it becomes read-only.
    for (dir, perm) in plan.dirs.iter().rev() {
        if let Some(perm) = perm {
            fs::set_permissions(s.stage.join(dir), (*perm).clone())
                .map_err(io_err(Action::Write, s.out_path(dir)))?;
        }
    }
    if let Some(perm) = root_perm {
        fs::set_permissions(&s.stage, perm.clone()).map_err(io_err(Action::Write, &s.out))?;
    }
    Ok(stamps)
}

/// `create_new`: the stage is fresh, so an existing file here would be a bug or a race.
/// No fsync: a SIGKILL cannot lose data already handed to the kernel; only a power loss
/// could, and that would need an fsync per file, which costs far more than the build.
/// Returns the file's stat data, from the open file (`statx` on the descriptor).
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<Stamp> {
    fault::point()?;
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    Ok(Stamp::of(&file.metadata()?))
}

/// Carries a file over with a hard link, which keeps content, mode and mtime for free.
/// Linking can fail where copying works (EXDEV if something is mounted inside `out/`,
/// EMLINK, filesystems without hard links), so fall back to a copy with the old mtime.
fn keep(from: &Path, to: &Path) -> io::Result<()> {
    fault::point()?;
    let link_error = match fs::hard_link(from, to) {
        Ok(()) => return Ok(()),
        Err(e) => e,
    };
    let meta = fs::symlink_metadata(from)?;
    // Copying a FIFO or device would block or read forever; only regular files fall back.
    if !meta.is_file() {
        return Err(link_error);
    }
    fs::copy(from, to)?; // Also copies permissions.
    File::options()
        .write(true)
        .open(to)?
        .set_modified(meta.modified()?)
}

/// A hard link to the symlink itself (Linux `linkat` without following) keeps it exactly,
/// mtime included; where that is refused, recreate it with the same target.
fn keep_symlink(from: &Path, to: &Path) -> io::Result<()> {
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    symlink(fs::read_link(from)?, to)
}
