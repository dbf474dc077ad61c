//! The single error type of `out`. Every variant names the path involved, because the
//! user's next step is always "go look at that path".

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why writing or checking `out/` failed. When `write` returns this, `out/` is exactly as
/// it was before the call (the staging copy is removed best-effort).
#[derive(Debug)]
pub enum OutError {
    /// A filesystem operation failed. `path` is where, as the user knows it: a file that was
    /// being staged is reported under `out/`, not under the hidden staging directory.
    Io {
        action: Action,
        path: PathBuf,
        source: io::Error,
    },
    /// The compiler produced a relative path that is unsafe to write (defence in depth: the
    /// checker should have rejected it already). Also used for an unusable `out_dir`.
    BadPath { path: String, reason: &'static str },
    /// The existing index is malformed. It is the only record of which files labc owns, so
    /// without it labc cannot know what it may remove; it refuses rather than guess.
    BadIndex {
        path: PathBuf,
        line: usize,
        reason: &'static str,
    },
    /// Something labc did not write occupies a place the new tree needs (a user's directory
    /// where a file must go, or a user's file where a directory must go). labc never deletes
    /// what it does not own, so the user has to move it.
    InTheWay { path: PathBuf, reason: &'static str },
}

/// What was being attempted when an I/O error happened; chooses the verb in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Read,
    List,
    Write,
    CreateDir,
    /// Carrying an existing file (unchanged, or not labc's) over into the new tree.
    Keep,
    Remove,
    Rename {
        to: PathBuf,
    },
    Swap {
        with: PathBuf,
    },
}

impl OutError {
    /// The underlying I/O error, if any. It is deliberately not exposed through
    /// `Error::source`, because `Display` already includes its text and report printers
    /// (miette, anyhow) would otherwise print it twice.
    pub fn io_error(&self) -> Option<&io::Error> {
        match self {
            OutError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// `map_err` adaptor so call sites stay one line: `.map_err(io_err(Action::Write, &path))`.
pub(super) fn io_err(
    action: Action,
    path: impl Into<PathBuf>,
) -> impl FnOnce(io::Error) -> OutError {
    let path = path.into();
    move |source| OutError::Io {
        action,
        path,
        source,
    }
}

impl fmt::Display for OutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutError::Io {
                action,
                path,
                source,
            } => {
                let p = path.display();
                match action {
                    Action::Read => write!(f, "cannot read {p}: {source}"),
                    Action::List => write!(f, "cannot list {p}: {source}"),
                    Action::Write => write!(f, "cannot write {p}: {source}"),
                    Action::CreateDir => write!(f, "cannot create directory {p}: {source}"),
                    Action::Keep => write!(f, "cannot carry {p} over into the new tree: {source}"),
                    Action::Remove => write!(f, "cannot remove {p}: {source}"),
                    Action::Rename { to } => {
                        write!(f, "cannot rename {p} to {}: {source}", to.display())
                    }
                    Action::Swap { with } => {
                        write!(f, "cannot swap {p} with {}: {source}", with.display())
                    }
                }
            }
            OutError::BadPath { path, reason } => {
                write!(f, "invalid output path {path:?}: {reason}")
            }
            OutError::BadIndex { path, line, reason } => write!(
                f,
                "{} line {line}: {reason}; labc relies on this file to know which files it may \
                 remove, so fix or delete it (if deleted, existing files are left alone)",
                path.display()
            ),
            OutError::InTheWay { path, reason } => {
                write!(f, "cannot write {}: {reason}", path.display())
            }
        }
    }
}

impl std::error::Error for OutError {}
