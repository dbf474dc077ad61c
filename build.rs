//! Embeds every stdlib file, so that adding a component or changing a node template is
//! changing a file, with no Rust to touch; and the explanation of every diagnostic code
//! (`labc explain`), taken from the doc comments of `compiler/diag/error.rs` and the
//! bad-input fixture that produces the code, so that the two can never drift apart. The
//! stdlib's handlebars templates are compiled here (`build/templates.rs`).

use std::fmt::Write;
use std::path::Path;

// the CRD conversion is shared with the compiler, which runs it on a site's own CRDs
#[allow(dead_code)]
#[path = "compiler/schema/convert.rs"]
mod convert;
#[allow(dead_code)]
#[path = "compiler/schema/table.rs"]
mod table;
#[path = "build/templates.rs"]
mod templates;

/// `pub static NAME: &[(&str, &str)]` of every `*.ext` file in `stdlib/<folder>`, by name.
fn embed(code: &mut String, name: &str, folder: &str, ext: &str) {
    let paths = stdlib_paths(folder, &format!(".{ext}"));
    writeln!(
        code,
        "/// (file name, text) of every embedded `stdlib/{folder}/*.{ext}` file.\npub static {name}: &[(&str, &str)] = &["
    )
    .unwrap();
    for path in &paths {
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
    // one entry per variant, sorted by code (area, then name) so that `labc explain` and
    // docs/diagnostics.md list them in a stable order, whatever the order of the enum
    let mut entries: Vec<(String, String)> = Vec::new();
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
            entries.push((
                code_name.clone(),
                format!(
                    "    Explanation {{ code: {code_name:?}, variant: {variant:?}, doc: {:?}, fixture: {fixture} }},\n",
                    doc.join("\n")
                ),
            ));
            doc.clear();
        }
    }
    entries.sort();
    code.push_str("pub static EXPLANATIONS: &[Explanation] = &[\n");
    for (_, entry) in entries {
        code.push_str(&entry);
    }
    code.push_str("];\n");
}

/// The schemas of every `stdlib/crds/*.yaml` as the statics of `schema/embedded.rs`: the CRDs
/// are parsed here, once, so that a build of a site parses no YAML to validate its objects.
fn crds(code: &mut String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("stdlib/crds");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=compiler/schema/table.rs");
    println!("cargo:rerun-if-changed=compiler/schema/convert.rs");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{} exists: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let mut builder = convert::Builder::default();
    for path in &paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = format!(
            "stdlib/crds/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let doc: serde_yaml::Value =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        builder
            .crd(&name, &doc)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let (table, kinds) = builder.into_table();
    let range = |r: table::Range| format!("r({},{})", r.start, r.len);
    code.push_str("static NODES: &[Node] = &[\n");
    for n in table.nodes.iter() {
        writeln!(
            code,
            "n(Type::{:?},{},{},{},{},{},{},{},{},{:?},{:?},{:?}),",
            n.ty,
            n.flags,
            range(n.props),
            n.additional,
            n.items,
            range(n.watched),
            n.required,
            n.rule,
            range(n.enumeration),
            n.minimum,
            n.maximum,
            n.limits
        )
        .unwrap();
    }
    code.push_str("];\nstatic PROPS: &[(Cow<'static, str>, u32)] = &[\n");
    for (name, node) in table.props.iter() {
        writeln!(code, "(b({name:?}),{node}),").unwrap();
    }
    code.push_str("];\nstatic NAMES: &[Cow<'static, str>] = &[\n");
    for name in table.names.iter() {
        writeln!(code, "b({name:?}),").unwrap();
    }
    code.push_str("];\nstatic LITERALS: &[Literal] = &[\n");
    for literal in table.literals.iter() {
        match literal {
            table::Literal::Str(s) => writeln!(code, "Literal::Str(b({s:?})),"),
            other => writeln!(code, "Literal::{other:?},"),
        }
        .unwrap();
    }
    code.push_str("];\nstatic BRANCHES: &[Branch] = &[\n");
    for b in table.branches.iter() {
        writeln!(
            code,
            "Branch {{ required: {}, not: {}, any_of: {}, one_of: {}, all_of: {} }},",
            b.required,
            b.not,
            range(b.any_of),
            range(b.one_of),
            range(b.all_of)
        )
        .unwrap();
    }
    writeln!(code, "];\nstatic LISTS: &[u32] = &{:?};", table.lists).unwrap();
    code.push_str("/// Every embedded CRD, in file order.\npub static KINDS: &[Kind] = &[\n");
    for k in &kinds {
        let versions: Vec<String> = k
            .versions
            .iter()
            .map(|(v, root)| format!("(b({v:?}),{root})"))
            .collect();
        writeln!(
            code,
            "Kind {{ group: b({:?}), kind: b({:?}), file: b({:?}), versions: Cow::Borrowed(&[{}]) }},",
            k.group,
            k.kind,
            k.file,
            versions.join(",")
        )
        .unwrap();
    }
    code.push_str("];\n");
    let files: Vec<String> = paths
        .iter()
        .map(|p| format!("{:?}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    writeln!(
        code,
        "/// The file names the tables were made from.\npub static FILES: &[&str] = &[{}];",
        files.join(",")
    )
    .unwrap();
}

/// The sorted paths of every `*.ext` file in `stdlib/<folder>`, each a reason to rerun.
fn stdlib_paths(folder: &str, ext: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("stdlib")
        .join(folder);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{} exists: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().unwrap().to_string_lossy().ends_with(ext))
        .collect();
    paths.sort();
    for path in &paths {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    paths
}

/// The compiled templates of `stdlib/nodes/*.hbs` and `stdlib/wazuh/*.hbs`, each named after its
/// file without `.hbs`, and of every stdlib component's values templates, each named by its text
/// (as `stdlib/values.rs` registers them).
fn prepared(code: &mut String) {
    let read = |path: &Path| {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .display()
            .to_string();
        (file, text)
    };
    for (static_name, folder) in [("NODE_TEMPLATES", "nodes"), ("WAZUH_TEMPLATES", "wazuh")] {
        let templates: Vec<_> = stdlib_paths(folder, ".hbs")
            .iter()
            .map(|path| {
                let (file, text) = read(path);
                let name = file
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .trim_end_matches(".hbs")
                    .to_string();
                (name, file, text)
            })
            .collect();
        templates::prepare(code, static_name, &templates);
    }
    let mut values = Vec::new();
    for path in stdlib_paths("components", ".kdl") {
        let (file, text) = read(&path);
        for template in templates::values_templates(&text) {
            values.push((template.clone(), file.clone(), template));
        }
    }
    templates::prepare(code, "VALUES_TEMPLATES", &values);
    // for the tests only: every construct of handlebars, which the stdlib may use one day
    let every =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates/every_construct.hbs");
    println!("cargo:rerun-if-changed={}", every.display());
    let (file, text) = read(&every);
    code.push_str("#[cfg(test)]\n");
    templates::prepare(
        code,
        "TEST_TEMPLATES",
        &[("every_construct".into(), file, text)],
    );
}

fn main() {
    let mut code = String::new();
    crds(&mut code);
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("crds.rs");
    std::fs::write(out, code).unwrap();
    let mut code = String::new();
    embed(&mut code, "STDLIB_FILES", "components", "kdl");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("stdlib_files.rs");
    std::fs::write(out, code).unwrap();
    let mut code = String::new();
    prepared(&mut code);
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("templates.rs");
    std::fs::write(out, code).unwrap();
    let mut code = String::new();
    explanations(&mut code);
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("explanations.rs");
    std::fs::write(out, code).unwrap();
}
