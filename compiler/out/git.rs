//! Reading `out/` as it was at a git revision, with `git show`, so that `labc diff` can compare
//! a pull request with its base without a checkout. Only the files that revision's index
//! lists are read: they are the ones labc wrote.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use super::index::parse_index;
use super::INDEX_NAME;

/// The files of the folder `out_dir` (which must be inside a git work tree) at `revision`.
pub fn read_git(out_dir: &Path, revision: &str) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let name = out_dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{} is not a folder name git can look up", out_dir.display()))?;
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let prefix = git(parent, &["rev-parse", "--show-prefix"])?;
    let prefix = String::from_utf8_lossy(&prefix).trim().to_string();
    let show = |rel: &str| {
        git(
            parent,
            &["show", &format!("{revision}:{prefix}{name}/{rel}")],
        )
    };
    let index = show(INDEX_NAME)?;
    let index = String::from_utf8(index)
        .map_err(|_| format!("{name}/{INDEX_NAME} at {revision} is not UTF-8"))?;
    let listed =
        parse_index(&index).map_err(|e| format!("{name}/{INDEX_NAME} at {revision}: {e}"))?;
    let mut files = BTreeMap::new();
    for rel in listed.into_keys() {
        let bytes = show(&rel)?;
        files.insert(rel, bytes);
    }
    Ok(files)
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output.stdout)
}
