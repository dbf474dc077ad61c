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

/// The sites that must compile: the seed and every `tests/fixtures/ok/*/site.kdl`, in order.
pub fn good_sites() -> Vec<PathBuf> {
    let mut sites = vec![root().join("site.kdl")];
    let mut fixtures: Vec<_> = std::fs::read_dir(root().join("tests/fixtures/ok"))
        .unwrap()
        .flatten()
        .map(|e| e.path().join("site.kdl"))
        .collect();
    fixtures.sort();
    sites.extend(fixtures);
    sites
}

/// The Kubernetes objects of a compiled `out/`, parsed back from their YAML (node scripts,
/// kubeadm configurations and the bootstrap's Helm values are not API objects).
pub fn api_objects(files: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<serde_yaml::Value> {
    files
        .iter()
        .filter(|(path, _)| path.ends_with(".yaml") && !path.starts_with("nodes/"))
        .filter(|(path, _)| !path.starts_with("bootstrap/values/"))
        .map(|(_, b)| serde_yaml::from_slice(b).unwrap())
        .collect()
}

/// The Kubernetes objects `site` (a site file's text) compiles to with the embedded stdlib.
pub fn compile_objects(site: &str) -> Vec<serde_yaml::Value> {
    let compiled = labc::compile("site.kdl", site.as_bytes(), &catalog())
        .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)));
    api_objects(compiled.files.as_map())
}

/// The object of `kind` named `name`.
pub fn find<'a>(objects: &'a [serde_yaml::Value], kind: &str, name: &str) -> &'a serde_yaml::Value {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

/// `name` on PATH, if it is there.
pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// `name` on PATH; `None` with a note where it is missing, which CI (`CI` set) never allows:
/// .ci/run installs every tool a test needs.
pub fn tool_or_skip(name: &str) -> Option<PathBuf> {
    let found = on_path(name);
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have {name} (see .ci/run)"
        );
        eprintln!("{name} is not installed: skipped");
    }
    found
}

/// `helm`: `LABC_HELM` (the binary labc verify would use) or `helm` on PATH, as
/// [`tool_or_skip`] finds it.
pub fn helm() -> Option<PathBuf> {
    match std::env::var_os("LABC_HELM") {
        Some(helm) => Some(PathBuf::from(helm)),
        None => tool_or_skip("helm"),
    }
}
