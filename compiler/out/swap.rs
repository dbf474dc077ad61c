//! Replacing `out/` with the staged tree in one step, and cleaning up after a run that was
//! killed half-way. The invariant: at every instant `out/` is the complete old tree or the
//! complete new one; the only exception (fallback swap, between two renames) leaves the old
//! tree intact at `.<name>.labc-old`, and `recover` puts it back first thing next run.

use std::fs::{self, File};
use std::io::{self, ErrorKind};
use std::os::fd::AsRawFd;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::error::{io_err, Action, OutError};
use super::fault;
use super::paths::Siblings;

/// An advisory lock on `out/`'s parent directory, held for a whole `write` (exclusive) or
/// `check` (shared). Without it, a second labc starting mid-run would take the first one's
/// stage for a crash leftover and delete it while it is being built or swapped. The parent
/// is locked because `out/` itself is replaced; released on drop, and by the kernel if the
/// process dies, so a killed run never blocks the next one.
pub struct Lock {
    _dir: File,
}

/// Waits for the lock. `None` when there is nothing to lock yet (no parent directory) or
/// the filesystem has no `flock` (some network filesystems): then runs unlocked, as labc
/// did before the lock existed, rather than refusing to build.
pub fn lock(s: &Siblings, exclusive: bool) -> Result<Option<Lock>, OutError> {
    let parent = match s.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = match File::open(parent) {
        Ok(dir) => dir,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            return Ok(None)
        }
        Err(e) => return Err(io_err(Action::Read, parent)(e)),
    };
    let op = if exclusive {
        libc::LOCK_EX
    } else {
        libc::LOCK_SH
    };
    loop {
        // SAFETY: `dir` is an open descriptor for the duration of the call.
        if unsafe { libc::flock(dir.as_raw_fd(), op) } == 0 {
            return Ok(Some(Lock { _dir: dir }));
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::ENOLCK | libc::EOPNOTSUPP | libc::EBADF | libc::ENOSYS) => return Ok(None),
            _ => return Err(io_err(Action::Read, parent)(e)),
        }
    }
}

/// Undoes whatever an interrupted earlier run left behind. Both names are labc's own, so
/// whatever is found under them is deleted.
pub fn recover(s: &Siblings) -> Result<(), OutError> {
    if !exists(&s.out)? && exists(&s.old)? {
        // Killed between the two fallback renames: the old tree is complete, restore it.
        rename(&s.old, &s.out)?;
    }
    for leftover in [&s.stage, &s.old] {
        if exists(leftover)? {
            remove_tree(leftover).map_err(io_err(Action::Remove, leftover))?;
        }
    }
    Ok(())
}

/// Where `out/` should be read from without changing anything: the old tree if an
/// interrupted fallback swap left it aside (that is what `recover` would restore).
pub fn current(s: &Siblings) -> Result<&Path, OutError> {
    if !exists(&s.out)? && exists(&s.old)? {
        Ok(&s.old)
    } else {
        Ok(&s.out)
    }
}

/// Moves the finished stage into place. Returns where the old tree now is, for the caller
/// to delete (`None` on a first build). On error `out/` holds the old tree (or, if even
/// restoring failed, the old tree is at `.<name>.labc-old` for `recover`).
pub fn install(s: &Siblings, had_out: bool) -> Result<Option<PathBuf>, OutError> {
    fault::point().map_err(io_err(
        Action::Swap {
            with: s.out.clone(),
        },
        &s.stage,
    ))?;
    if !had_out {
        rename(&s.stage, &s.out)?;
        return Ok(None);
    }
    match exchange(&s.stage, &s.out) {
        Ok(()) => Ok(Some(s.stage.clone())),
        // The filesystem (or kernel) cannot exchange: fall back to two renames.
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) => {
            swap_by_renames(s).map(Some)
        }
        Err(e) => Err(io_err(
            Action::Swap {
                with: s.out.clone(),
            },
            &s.stage,
        )(e)),
    }
}

/// The fallback swap; separate so tests can exercise it on filesystems that do exchange.
pub(super) fn swap_by_renames(s: &Siblings) -> Result<PathBuf, OutError> {
    rename(&s.out, &s.old)?;
    let _ = fault::point(); // only a kill matters here: the case `recover` restores
                            // A kill right here leaves no `out/`; `recover` renames `.labc-old` back.
    if let Err(e) = rename(&s.stage, &s.out) {
        let _ = fs::rename(&s.old, &s.out); // If this fails too, `recover` retries it.
        return Err(e);
    }
    Ok(s.old.clone())
}

fn rename(from: &Path, to: &Path) -> Result<(), OutError> {
    fs::rename(from, to).map_err(io_err(
        Action::Rename {
            to: to.to_path_buf(),
        },
        from,
    ))
}

/// `renameat2(RENAME_EXCHANGE)`: swaps two existing paths atomically. Called through
/// `syscall` rather than glibc's wrapper, which older glibc and some musl lack.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call; the
    // syscall only reads them.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from_raw_os_error(libc::ENOSYS))
}

fn exists(path: &Path) -> Result<bool, OutError> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => Ok(false),
        Err(e) => Err(io_err(Action::Read, path)(e)),
    }
}

/// Deletes a tree of labc's (a stage or an old `out/`), whatever is under that name. Trees
/// can contain read-only directories carried over from the user's `out/`, which block
/// deletion for non-root users; on that error, open them up and retry once.
pub fn remove_tree(path: &Path) -> io::Result<()> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        return fs::remove_file(path);
    }
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() == ErrorKind::PermissionDenied => {
            make_writable(path);
            fs::remove_dir_all(path)
        }
        other => other,
    }
}

/// Best effort; whatever still fails is reported by the retried removal.
fn make_writable(dir: &Path) {
    let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            make_writable(&entry.path());
        }
    }
}
