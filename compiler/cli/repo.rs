//! `labc build` and `labc build --check` for the files at the repository's root (`crate::ci`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What `labc build` reports about the repository's files.
pub enum Outcome {
    /// Nothing to write or all current.
    Fresh,
    /// `--check`: these are missing or differ.
    Stale,
    /// An I/O error, already printed.
    Failed,
}

/// The repository's root, or the note saying why `files` are not written (or with `check`,
/// not checked): `out_dir` is not at `repo_path` in a repository (`repo path=`).
pub fn root(
    out_dir: &Path,
    repo_path: &str,
    files: &BTreeMap<String, Vec<u8>>,
    check: bool,
) -> Result<PathBuf, String> {
    crate::out::repo::repo_root(out_dir, repo_path).ok_or_else(|| {
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        format!(
            "note: {} not {}: {} is not at `{repo_path}` in a repository (`repo path=`), so \
             its root is unknown",
            names.join(" and "),
            if check { "checked" } else { "written" },
            out_dir.display()
        )
    })
}

/// Writes (or with `check`, compares) the repository's files under the root `out_dir` gives.
pub fn build(
    out_dir: &Path,
    repo_path: &str,
    files: &BTreeMap<String, Vec<u8>>,
    check: bool,
) -> Outcome {
    if files.is_empty() {
        return Outcome::Fresh;
    }
    let root = match root(out_dir, repo_path, files, check) {
        Ok(root) => root,
        Err(note) => {
            eprintln!("{note}");
            return Outcome::Fresh;
        }
    };
    let shown = |path: &str| root.join(path).display().to_string();
    if check {
        return match crate::out::repo::stale(&root, files) {
            Ok(stale) if stale.is_empty() => Outcome::Fresh,
            Ok(stale) => {
                for path in stale {
                    eprintln!(
                        "error: {} is stale; run `labc build` and commit the result",
                        shown(&path)
                    );
                }
                Outcome::Stale
            }
            Err(e) => {
                eprintln!("error: {e}");
                Outcome::Failed
            }
        };
    }
    match crate::out::repo::write(&root, files) {
        Ok(written) => {
            for path in written {
                eprintln!("wrote {}", shown(&path));
            }
            Outcome::Fresh
        }
        Err(e) => {
            eprintln!("error: {e}");
            Outcome::Failed
        }
    }
}
