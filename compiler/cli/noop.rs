//! `labc build`'s no-op shortcut: when nothing the build reads has changed and `out/` is as the
//! last build left it, the compile is skipped and what that build printed is printed again.
//!
//! - **The key** is a SHA-256 of everything that decides the output: the site file's bytes,
//!   every file of the site's own `components/`, `crds/` and `sealed/` (as `inputs.rs` read
//!   them for the compile, paths included, so an added or removed file changes it), the site
//!   and output paths as given (the diagnostics name the site as given; `out/`'s path decides
//!   the repository's root), labc's version, and the identity of the running binary: the stat
//!   data (device, inode, size, mode, mtime, ctime) of `/proc/self/exe`. A rebuilt or
//!   reinstalled labc is a new file (new inode or ctime), so it never skips; a copy of the
//!   same binary merely compiles once. Hashing the binary's bytes instead would cost 10–40 ms
//!   for every fresh record, and a digest of the sources made by `build.rs` would miss the
//!   dependencies, the compiler and its flags.
//! - **`out/`** must hold exactly what that build left: `crate::out::unchanged` checks the
//!   stat data of its root, directories, index and files against the record next to it,
//!   bound to the key by `crate::out::write_bound` (git's index, with its racy-timestamp rule).
//!   The binary's stamp must be older than the record too.
//! - **The repository's files** the build wrote (`.github/workflows/labc.yaml`) are outside
//!   `out/` and written after the record: they are read and compared by SHA-256.
//! - **What is printed** is the same on every run: the build's warnings, rendered when it ran
//!   in each way a run may ask for (human with and without colour, JSON, GitHub), the files
//!   kept in `out/` that labc did not write, the note on the repository's files, and the
//!   count line. They are the payload bound with the key.
//!
//! Anything uncertain (no `/proc`, a torn record, an unreadable `sealed/`, a racy time stamp)
//! means the full build, which is always right. `labc build --check` never takes the
//! shortcut: it is the gate CI trusts, so it compiles and compares every time.

use super::inputs::Inputs;
use super::{color, printed, up_to_date, warn_foreign, Format, Printed, QUIET};
use crate::out::Stamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::ExitCode;

/// Changes whenever what goes into the key or the payload changes meaning.
const VERSION: &[u8] = b"labc build key 1";

/// The ways of printing diagnostics a run may ask for; colour matters only to `Human`.
const WAYS: [(Format, bool); 4] = [
    (Format::Human, false),
    (Format::Human, true),
    (Format::Json, false),
    (Format::Github, false),
];

/// The key of one build, and the stamp of the binary it holds.
pub(super) struct Key {
    pub key: [u8; 32],
    exe: Stamp,
}

/// What a skipped build prints again.
#[derive(Serialize, Deserialize)]
pub(super) struct Replay {
    /// The warnings, as printed in each of `WAYS`.
    warnings: Vec<(String, bool, Printed)>,
    /// Why the repository's files were neither written nor checked, when they were not.
    note: Option<String>,
    /// Each repository file the build wrote: its path (as reached from the working directory,
    /// like `out/`) and the SHA-256 of its bytes.
    repo: Vec<(String, [u8; 32])>,
}

/// The key of a build of `inputs` into `out_dir`; `None` when the binary cannot be stat'ed
/// or `sealed/` could not be read (the full build reports that).
pub(super) fn key(inputs: &Inputs, out_dir: &Path) -> Option<Key> {
    let sealed = inputs.sealed.as_ref().ok()?;
    let exe = Stamp::of(&std::fs::metadata("/proc/self/exe").ok()?);
    let mut h = Sha256::new();
    let part = |h: &mut Sha256, bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    part(&mut h, VERSION);
    part(&mut h, env!("CARGO_PKG_VERSION").as_bytes());
    part(&mut h, &exe.bytes());
    part(&mut h, inputs.site.as_os_str().as_bytes());
    part(&mut h, out_dir.as_os_str().as_bytes());
    part(&mut h, &inputs.bytes);
    let sealed = sealed.iter().map(|f| (&f.path, &f.text));
    let lists = [
        inputs
            .components
            .iter()
            .map(|(p, t)| (p, t))
            .collect::<Vec<_>>(),
        inputs.crds.iter().map(|(p, t)| (p, t)).collect(),
        sealed.collect(),
    ];
    for list in lists {
        h.update((list.len() as u64).to_le_bytes());
        for (path, text) in list {
            part(&mut h, path.as_bytes());
            part(&mut h, text.as_bytes());
        }
    }
    Some(Key {
        key: h.finalize().into(),
        exe,
    })
}

fn name(format: Format) -> &'static str {
    match format {
        Format::Human => "human",
        Format::Json => "json",
        Format::Github => "github",
    }
}

impl Replay {
    /// What a build of `compiled` into `out_dir` prints besides what `out::write` says.
    pub(super) fn of(compiled: &crate::Compiled, out_dir: &Path) -> Replay {
        let warnings = WAYS
            .iter()
            .map(|&(format, color)| {
                let (printed, _) = printed(compiled.warnings.clone(), format, color, false, "");
                (name(format).to_string(), color, printed)
            })
            .collect();
        let (mut note, mut repo) = (None, Vec::new());
        let files = &compiled.repo_files;
        if !files.is_empty() {
            match super::repo::root(out_dir, &compiled.repo_path, files, false) {
                Ok(root) => {
                    for (path, bytes) in files {
                        let at = root.join(path).to_string_lossy().into_owned();
                        repo.push((at, Sha256::digest(bytes).into()));
                    }
                }
                Err(why) => note = Some(why),
            }
        }
        Replay {
            warnings,
            note,
            repo,
        }
    }

    /// The payload to bind to the record.
    pub(super) fn bytes(&self) -> Option<Vec<u8>> {
        serde_json::to_vec(self).ok()
    }

    /// Prints the warnings as this run asks for them (`format`, colour, `--quiet`); false if
    /// they were not rendered that way.
    pub(super) fn print_warnings(&self, format: Format) -> bool {
        let color = format == Format::Human && color();
        if QUIET.load(std::sync::atomic::Ordering::Relaxed) {
            // a successful build has no errors: `--quiet` leaves nothing
            printed(Vec::new(), format, color, true, "").0.print();
            return true;
        }
        let way = (name(format), color);
        let found = self
            .warnings
            .iter()
            .find(|(f, c, _)| (f.as_str(), *c) == way);
        found.map(|(_, _, printed)| printed.print()).is_some()
    }
}

/// The shortcut: if the build `key` stands for already made `out_dir` what it is, prints
/// what that build printed and returns its exit code; `None` means "compile".
pub(super) fn replay(out_dir: &Path, key: &Key, format: Format) -> Option<ExitCode> {
    let found = crate::out::unchanged(out_dir, &key.key, &[key.exe])?;
    let replay: Replay = serde_json::from_slice(&found.payload).ok()?;
    for (path, digest) in &replay.repo {
        let bytes = std::fs::read(path).ok()?;
        if Sha256::digest(&bytes)[..] != digest[..] {
            return None;
        }
    }
    if !replay.print_warnings(format) {
        return None;
    }
    warn_foreign(out_dir, &found.foreign);
    if let Some(note) = &replay.note {
        eprintln!("{note}");
    }
    up_to_date(out_dir, found.files);
    Some(ExitCode::SUCCESS)
}
