//! Reading an existing `out/` back into memory, for `labc diff` and `labc build --check`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::error::{io_err, Action, OutError};
use super::scan::{read_tree, Kind};

/// The files of `out_dir` labc wrote: those its index lists (a listed file that is missing is
/// simply absent), or every regular file when there is no index, so that a folder made by
/// other means can be compared too. The index itself is left out.
pub fn read_dir(out_dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, OutError> {
    let tree = read_tree(out_dir)?;
    let paths: Vec<String> = if tree.index.is_some() {
        tree.owned.into_iter().collect()
    } else {
        tree.entries
            .iter()
            .filter(|(_, kind)| matches!(kind, Kind::File))
            .filter_map(|(path, _)| path.to_str().map(str::to_string))
            .collect()
    };
    let mut files = BTreeMap::new();
    for rel in paths {
        let path = out_dir.join(&rel);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => {
                let bytes = fs::read(&path).map_err(io_err(Action::Read, &path))?;
                files.insert(rel, bytes);
            }
            _ => {} // gone or replaced by something that is not a file: not there
        }
    }
    Ok(files)
}
