//! Files in `out/` that its index does not list. The root Application syncs whole folders of
//! `out/`, so a file labc did not write (a stale Application left from an older layout, a copy
//! made by hand) is applied to the cluster all the same; labc never deletes it, but says so.

use std::path::Path;

use super::error::OutError;
use super::paths::Siblings;
use super::scan::{read_tree, Kind, OldTree};
use super::swap;

/// Every file, symlink or other non-directory under `out_dir` that `out_dir/index.sha256` does
/// not list, relative with `/` separators, sorted; all of them when there is no index (labc
/// wrote none of them). Empty directories are not listed: Argo CD reads no object from them.
/// Reads only, like `check`: the tree an interrupted swap left aside is read in place of a
/// missing `out/`. `labc build --check` and `labc verify` refuse an `out/` where this is not
/// empty.
pub fn stray(out_dir: &Path) -> Result<Vec<String>, OutError> {
    let s = Siblings::of(out_dir)?;
    let _lock = swap::lock(&s, false)?;
    let out = swap::current(&s)?;
    Ok(unlisted(&read_tree(out)?))
}

/// The non-directories of `tree` its index does not list, in path order.
pub(super) fn unlisted(tree: &OldTree) -> Vec<String> {
    tree.entries
        .iter()
        .filter(|(_, kind)| !matches!(kind, Kind::Dir { .. }))
        .filter(|(path, _)| path.to_str().is_none_or(|p| !tree.owned.contains(p)))
        .map(|(path, _)| path.to_string_lossy().into_owned())
        .collect()
}
