//! The bad-input corpus: each `tests/fixtures/bad/*.kdl` holds one mistake and names the code
//! it must produce on its first line (`// labc::area::name`). Each is checked structurally,
//! then its rendered diagnostics are snapshotted. None may panic, and `labc build` on it must
//! write nothing.

use crate::support::{catalog, display_name, labc, root};
use labc::syntax::MAX_SIZE;

fn expected_code(bytes: &[u8]) -> String {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    first.trim_start_matches("//").trim().to_string()
}

/// The `// errors: N` line among the leading comments, if the fixture has one.
fn expected_errors(bytes: &[u8]) -> Option<usize> {
    String::from_utf8_lossy(bytes)
        .lines()
        .take_while(|line| line.starts_with("//"))
        .find_map(|line| line.strip_prefix("// errors:"))
        .and_then(|n| n.trim().parse().ok())
}

/// Every fixture of `bad/`, and of `bad/once/`: mistakes that must be reported exactly once
/// (`// errors: N`), kept apart so that `labc explain` shows the plainer example of each code.
fn cases() -> Vec<std::path::PathBuf> {
    let mut cases: Vec<_> = ["tests/fixtures/bad", "tests/fixtures/bad/once"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root().join(dir)).unwrap().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "kdl"))
        .collect();
    cases.sort();
    cases
}

#[test]
fn the_corpus_is_large_enough() {
    assert!(cases().len() >= 30, "{} cases", cases().len());
}

#[test]
fn every_bad_input_reports_its_code_and_is_snapshotted() {
    let catalog = catalog();
    for case in cases() {
        let bytes = std::fs::read(&case).unwrap();
        let code = expected_code(&bytes);
        assert!(
            code.starts_with("labc::"),
            "{}: first line must name the code",
            case.display()
        );
        let errors = match labc::compile(&display_name(&case), &bytes, &catalog) {
            Ok(_) => panic!("{} compiled but should fail with {code}", case.display()),
            Err(errors) => errors,
        };
        let codes: Vec<String> = errors.iter().map(|e| e.error.code_str()).collect();
        assert!(
            codes.contains(&code),
            "{}: expected {code}, got {codes:?}",
            case.display()
        );
        // a mistake in the site is shown in the site: never in a file of out/ (not written on
        // an error) nor in the stdlib
        let elsewhere: Vec<String> = errors
            .iter()
            .filter(|e| e.file.name != display_name(&case))
            .map(|e| format!("{} in {}", e.error.code_str(), e.file.name))
            .collect();
        assert!(
            elsewhere.is_empty(),
            "{}: labelled outside the site: {elsewhere:?}",
            case.display()
        );
        // `// errors: N` in the header: exactly N errors, so that a value that failed is not
        // reported again by a later rule under a value the user never wrote
        if let Some(count) = expected_errors(&bytes) {
            let errors: Vec<String> = errors
                .iter()
                .filter(|e| !e.error.is_warning())
                .map(|e| e.error.to_string())
                .collect();
            assert_eq!(
                errors.len(),
                count,
                "{}: expected {count} error(s), got {errors:#?}",
                case.display()
            );
        }
        let name = case.file_stem().unwrap().to_string_lossy().to_string();
        insta::assert_snapshot!(format!("bad_{name}"), labc::cli::render_plain(errors));
    }
}

#[test]
fn building_a_bad_input_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    for case in cases() {
        let out = tmp.path().join("out");
        let output = labc(
            &[
                "build",
                case.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            &root(),
        );
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}: {}",
            case.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!out.exists(), "{} wrote into out/", case.display());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{}: {stderr}", case.display());
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_parsing() {
    let mut bytes = b"// padding\n".repeat(MAX_SIZE / 11 + 1);
    bytes.extend_from_slice(b"site x {}\n");
    let errors = labc::compile("huge.kdl", &bytes, &catalog())
        .err()
        .expect("refused");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].error.code_str(), "labc::syntax::too_large");
}

#[test]
fn nesting_far_past_the_limit_is_reported_not_followed() {
    // deep enough to overflow the parser's stack if it were parsed
    let bytes = "a {".repeat(200_000).into_bytes();
    let errors = labc::compile("deep.kdl", &bytes, &catalog())
        .err()
        .expect("refused");
    assert_eq!(errors[0].error.code_str(), "labc::syntax::too_deep");
}

#[test]
fn json_diagnostics_carry_position_code_and_help() {
    let case = root().join("tests/fixtures/bad/unknown_property_near_miss.kdl");
    let output = labc(
        &["check", case.to_str().unwrap(), "--format", "json"],
        &root(),
    );
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let first = &json[0];
    assert_eq!(first["code"], "labc::decode::unknown_property");
    assert_eq!(first["severity"], "error");
    assert!(first["line"].as_u64().unwrap() > 1);
    assert!(first["column"].as_u64().unwrap() > 1);
    assert!(first["help"].as_str().unwrap().contains("did you mean"));
    assert!(first["file"]
        .as_str()
        .unwrap()
        .ends_with("unknown_property_near_miss.kdl"));
}

/// A component file from a site's own folder whose values template reads a fact that does not
/// exist: the site's use of the component is the diagnostic's label.
#[test]
fn a_component_whose_values_do_not_render_is_reported() {
    let broken = "component cilium {\n    layer cni\n    namespace kube-system\n    chart repo=\"https://helm.cilium.io/\" name=cilium version=\"1.18.12\"\n    values \"k8sServiceHost: {{api_server.adress}}\"\n}\n";
    let files = labc::stdlib::STDLIB_FILES
        .iter()
        .map(|(n, t)| (*n, *t))
        .chain([("components/cilium.kdl", broken)]);
    let catalog = labc::stdlib::Catalog::from_files(files).unwrap();
    let site = std::fs::read(root().join("tests/fixtures/ok/one_node/site.kdl")).unwrap();
    let errors = match labc::compile("site.kdl", &site, &catalog) {
        Ok(_) => panic!("compiled with a broken template"),
        Err(errors) => errors,
    };
    let codes: Vec<String> = errors.iter().map(|e| e.error.code_str()).collect();
    assert_eq!(codes, ["labc::component::values_template"]);
    insta::assert_snapshot!("values_template", labc::cli::render_plain(errors));
}

/// A component file that names its releases and also gives values beside them: the values
/// would configure nothing, so the catalogue refuses them, on the `values` node.
#[test]
fn component_values_beside_explicit_releases_are_refused() {
    let text = "component cache {\n    layer observability\n    namespace monitoring\n    chart repo=\"https://example.org/charts\" name=cache version=\"1.0.0\"\n    release cache-main\n    values \"replicas: 2\"\n}\n";
    let files = labc::stdlib::STDLIB_FILES
        .iter()
        .map(|(n, t)| (*n, *t))
        .chain([("components/cache.kdl", text)]);
    let errors = match labc::stdlib::Catalog::from_files(files) {
        Ok(_) => panic!("values beside releases were accepted"),
        Err(errors) => errors,
    };
    let codes: Vec<String> = errors.iter().map(|e| e.error.code_str()).collect();
    assert_eq!(codes, ["labc::value::invalid"]);
    let label = miette::Diagnostic::labels(&errors[0].error)
        .and_then(|mut l| l.next())
        .expect("a labelled span");
    assert!(text[label.offset()..].starts_with("values \"replicas"));
    assert_eq!(errors[0].file.name, "components/cache.kdl");
}

/// `tests/fixtures/warn/*.kdl`: sites that build but warn; the first line names the warning.
#[test]
fn every_warning_input_warns_with_its_code_and_is_snapshotted() {
    let catalog = catalog();
    let mut cases: Vec<_> = std::fs::read_dir(root().join("tests/fixtures/warn"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    cases.sort();
    for case in cases {
        let bytes = std::fs::read(&case).unwrap();
        let code = expected_code(&bytes);
        let warnings = match labc::compile(&display_name(&case), &bytes, &catalog) {
            Ok(compiled) => compiled.warnings,
            Err(errors) => panic!(
                "{} should build with a warning:\n{}",
                case.display(),
                labc::cli::render_plain(errors)
            ),
        };
        let codes: Vec<String> = warnings.iter().map(|e| e.error.code_str()).collect();
        // a declared secret without a sealed file also warns `not_sealed`, whatever else is wrong
        assert!(codes.contains(&code), "{}: {codes:?}", case.display());
        let name = case.file_stem().unwrap().to_string_lossy().to_string();
        insta::assert_snapshot!(format!("warn_{name}"), labc::cli::render_plain(warnings));
    }
}
