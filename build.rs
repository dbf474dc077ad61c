//! Embeds every stdlib file, so that adding a component or changing a node template is
//! changing a file, with no Rust to touch.

use std::fmt::Write;
use std::path::Path;

/// `pub static NAME: &[(&str, &str)]` of every `*.ext` file in `stdlib/<folder>`, by name.
fn embed(code: &mut String, name: &str, folder: &str, ext: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("stdlib")
        .join(folder);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{} exists: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    paths.sort();
    writeln!(
        code,
        "/// (file name, text) of every embedded `stdlib/{folder}/*.{ext}` file.\npub static {name}: &[(&str, &str)] = &["
    )
    .unwrap();
    for path in &paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let file = path.file_name().unwrap().to_string_lossy();
        writeln!(
            code,
            "    (\"stdlib/{folder}/{file}\", include_str!({:?})),",
            path.display()
        )
        .unwrap();
    }
    code.push_str("];\n");
}

fn main() {
    let mut code = String::new();
    embed(&mut code, "STDLIB_FILES", "components", "kdl");
    embed(&mut code, "NODE_TEMPLATES", "nodes", "hbs");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("stdlib_files.rs");
    std::fs::write(out, code).unwrap();
}
