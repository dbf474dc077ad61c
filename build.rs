//! Embeds every stdlib component file, so that adding a component is adding one file.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("stdlib/components");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("stdlib/components exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "kdl"))
        .collect();
    names.sort();
    let mut code = String::from("/// (file name, text) of every embedded stdlib component.\npub static STDLIB_FILES: &[(&str, &str)] = &[\n");
    for path in &names {
        println!("cargo:rerun-if-changed={}", path.display());
        let file = path.file_name().unwrap().to_string_lossy();
        writeln!(
            code,
            "    (\"stdlib/components/{file}\", include_str!({:?})),",
            path.display()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("stdlib_files.rs");
    std::fs::write(out, code).unwrap();
}
