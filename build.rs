//! Embeds every stdlib file, so that adding a component or changing a node template is
//! changing a file, with no Rust to touch; and the explanation of every diagnostic code
//! (`labc explain`), taken from the doc comments of `compiler/diag/error.rs` and the
//! bad-input fixture that produces the code, so that the two can never drift apart.

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

/// `pub static EXPLANATIONS: &[Explanation]`: for each variant of the diagnostic enum, its
/// code, its doc comment, and the first `tests/fixtures/bad/*.kdl` whose first line names it.
fn explanations(code: &mut String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let error = root.join("compiler/diag/error.rs");
    println!("cargo:rerun-if-changed={}", error.display());
    let mut fixtures = Vec::new();
    for folder in ["bad", "warn"] {
        let dir = root.join("tests/fixtures").join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        if let Ok(entries) = std::fs::read_dir(&dir) {
            fixtures.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
        }
    }
    fixtures.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "kdl"));
    fixtures.sort();
    let fixture_of = |wanted: &str| {
        fixtures.iter().find(|path| {
            let bytes = std::fs::read(path).unwrap_or_default();
            let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
            String::from_utf8_lossy(first)
                .trim_start_matches("//")
                .trim()
                == wanted
        })
    };
    let text = std::fs::read_to_string(&error).expect("compiler/diag/error.rs");
    code.push_str("pub static EXPLANATIONS: &[Explanation] = &[\n");
    let mut doc: Vec<&str> = Vec::new();
    let mut found: Option<String> = None;
    for line in text.lines() {
        // only variant docs are indented by exactly four spaces; field docs by eight
        if let Some(rest) = line.strip_prefix("    ///") {
            doc.push(rest.strip_prefix(' ').unwrap_or(rest));
        } else if let Some(at) = line.find("code(labc::") {
            let rest = &line[at + 5..];
            found = rest.split(')').next().map(str::to_string);
        } else if line.starts_with("    ")
            && line.chars().nth(4).is_some_and(|c| c.is_ascii_uppercase())
        {
            let variant: String = line[4..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let code_name = found
                .take()
                .unwrap_or_else(|| panic!("{variant} has no code"));
            let fixture = match fixture_of(&code_name) {
                Some(path) => format!(
                    "Some(({:?}, include_bytes!({:?})))",
                    path.strip_prefix(root).unwrap().display().to_string(),
                    path.display()
                ),
                None => "None".to_string(),
            };
            writeln!(
                code,
                "    Explanation {{ code: {code_name:?}, variant: {variant:?}, doc: {:?}, fixture: {fixture} }},",
                doc.join("\n")
            )
            .unwrap();
            doc.clear();
        }
    }
    code.push_str("];\n");
}

fn main() {
    let mut code = String::new();
    embed(&mut code, "STDLIB_FILES", "components", "kdl");
    embed(&mut code, "NODE_TEMPLATES", "nodes", "hbs");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("stdlib_files.rs");
    std::fs::write(out, code).unwrap();
    let mut code = String::new();
    explanations(&mut code);
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("explanations.rs");
    std::fs::write(out, code).unwrap();
}
