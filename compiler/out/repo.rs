//! The few files labc writes at the site repository's root, outside `out/` (its CI pipelines,
//! `crate::ci`). They are not in `out/`'s index or its atomic swap: each is replaced on its own
//! by a rename, and labc never removes one (a site that drops `ci github` leaves the workflow
//! for its owner to delete, which `labc build` says).

use super::{Action, OutError};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The repository's root, given where `out/` is on disk and where it is in the repository
/// (`repo path=`): `None` when `out_dir` does not end with that path (a `--out` elsewhere).
pub fn repo_root(out_dir: &Path, repo_path: &str) -> Option<PathBuf> {
    let inside = Path::new(repo_path);
    if !out_dir.ends_with(inside) {
        return None;
    }
    let mut root = out_dir.to_path_buf();
    for _ in inside.components() {
        root.pop();
    }
    // `out` relative to the working directory pops to an empty path
    if root.as_os_str().is_empty() || root.components().all(|c| c == Component::CurDir) {
        return Some(PathBuf::from("."));
    }
    Some(root)
}

/// The files under `root` whose bytes differ from `files` (or that are missing), sorted.
pub fn stale(root: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<String>, OutError> {
    let mut stale = Vec::new();
    for (path, bytes) in files {
        let at = root.join(path);
        match std::fs::read(&at) {
            Ok(found) if &found == bytes => {}
            Ok(_) => stale.push(path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => stale.push(path.clone()),
            Err(source) => {
                return Err(OutError::Io {
                    action: Action::Read,
                    path: at,
                    source,
                })
            }
        }
    }
    Ok(stale)
}

/// Writes the stale ones of `files` under `root`, each through a temporary file renamed into
/// place; returns what it wrote.
pub fn write(root: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<String>, OutError> {
    super::paths::validate_all(files)?;
    let stale = stale(root, files)?;
    for path in &stale {
        let at = root.join(path);
        let io = |action: Action, path: &Path| {
            let path = path.to_path_buf();
            move |source| OutError::Io {
                action,
                path,
                source,
            }
        };
        if let Some(dir) = at.parent() {
            std::fs::create_dir_all(dir).map_err(io(Action::CreateDir, dir))?;
        }
        let name = at.file_name().unwrap_or_default().to_string_lossy();
        let temp = at.with_file_name(format!(".{name}.labc-new"));
        std::fs::write(&temp, &files[path]).map_err(io(Action::Write, &at))?;
        if let Err(e) = std::fs::rename(&temp, &at) {
            let _ = std::fs::remove_file(&temp);
            return Err(io(Action::Rename { to: at.clone() }, &temp)(e));
        }
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_out_dir_less_the_repository_path() {
        let root = |out: &str, path: &str| repo_root(Path::new(out), path);
        assert_eq!(root("/r/site/out", "out"), Some(PathBuf::from("/r/site")));
        assert_eq!(
            root("/r/clusters/home/out", "clusters/home/out"),
            Some(PathBuf::from("/r"))
        );
        assert_eq!(root("out", "out"), Some(PathBuf::from(".")));
        assert_eq!(root("./out", "out"), Some(PathBuf::from(".")));
        assert_eq!(root("/tmp/build-7", "out"), None);
        assert_eq!(root("/r/home/out", "clusters/home/out"), None);
    }

    #[test]
    fn only_stale_files_are_written_and_a_second_run_writes_nothing() {
        let dir = std::env::temp_dir().join(format!("labc-repo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = BTreeMap::from([(".github/workflows/labc.yaml".to_string(), b"a\n".to_vec())]);
        assert_eq!(
            stale(&dir, &files).unwrap(),
            vec![".github/workflows/labc.yaml"]
        );
        assert_eq!(write(&dir, &files).unwrap().len(), 1);
        assert_eq!(
            std::fs::read(dir.join(".github/workflows/labc.yaml")).unwrap(),
            b"a\n"
        );
        assert!(write(&dir, &files).unwrap().is_empty());
        std::fs::write(dir.join(".github/workflows/labc.yaml"), b"edited\n").unwrap();
        assert_eq!(stale(&dir, &files).unwrap().len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
