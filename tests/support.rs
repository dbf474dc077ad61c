//! Shared helpers: compiling fixtures with the embedded stdlib, rendering `out/` as one text,
//! and running the built binary.

use labc::stdlib::Catalog;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn catalog() -> Catalog {
    Catalog::embedded().unwrap_or_else(|e| panic!("stdlib: {}", labc::cli::render_plain(e)))
}

/// The path of a fixture as diagnostics name it: relative to the repository.
pub fn display_name(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Every file of a compiled site, each under a header with its path, as one reviewable text.
pub fn out_text(files: &std::collections::BTreeMap<String, Vec<u8>>) -> String {
    let mut text = String::new();
    for (path, bytes) in files {
        text.push_str(&format!("=== {path}\n"));
        text.push_str(std::str::from_utf8(bytes).expect("out/ is UTF-8"));
    }
    text
}

pub fn labc(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_labc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("labc runs")
}

/// Files under `dir`, relative, sorted.
pub fn list_files(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}
