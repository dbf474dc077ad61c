//! Secrets end to end: sealing round-trips per scope with the test-only key in `tests/seal/`,
//! ciphertext made by the independent Python implementation (`tests/seal/interop.py`) opens,
//! `labc seal` keeps unchanged values byte for byte, bad certificates, missing values and bad
//! sealed files are diagnostics that write nothing, and no Application syncs the skeletons.

use crate::support::{catalog, labc, list_files, root};
use base64::Engine;
use labc::model::SecretScope;
use labc::secrets::{cert, format};
use rsa::pkcs1::DecodeRsaPrivateKey;
use std::path::Path;

const SCOPES: [(&str, SecretScope); 3] = [
    ("strict", SecretScope::Strict),
    ("namespace-wide", SecretScope::NamespaceWide),
    ("cluster-wide", SecretScope::ClusterWide),
];

pub fn private_key() -> rsa::RsaPrivateKey {
    let pem = std::fs::read_to_string(root().join("tests/seal/test-only-private-key.pem")).unwrap();
    rsa::RsaPrivateKey::from_pkcs1_pem(&pem).unwrap()
}

fn certificate() -> cert::Certificate {
    let pem = std::fs::read(root().join("tests/seal/cert.pem")).unwrap();
    cert::read(&pem, 1_800_000_000).unwrap()
}

#[test]
fn sealed_values_open_to_the_exact_bytes_for_each_scope_and_only_where_the_scope_allows() {
    let (key, cert) = (private_key(), certificate());
    let mut rng = rand::rngs::OsRng;
    let value = b"p\xc3\xa4ss word\nwith a newline";
    for (word, scope) in SCOPES {
        let sealed = format::seal(&cert.key, scope, "blog", "db", value, &mut rng);
        let open = |ns, name| format::open(&key, scope, ns, name, &sealed);
        assert_eq!(open("blog", "db").as_deref(), Ok(&value[..]), "{word}");
        let other_name = open("blog", "other").is_ok();
        let other_ns = open("shop", "db").is_ok();
        assert_eq!(
            other_name,
            scope != SecretScope::Strict,
            "{word}: other name"
        );
        assert_eq!(
            other_ns,
            scope == SecretScope::ClusterWide,
            "{word}: other namespace"
        );
    }
    assert_eq!(
        format::open(&key, SecretScope::Strict, "blog", "db", &[0, 9, 1]),
        Err(format::OpenError::TooShort)
    );
}

#[test]
fn ciphertext_from_the_independent_implementation_opens() {
    let key = private_key();
    // CI passes vectors it has just made with tests/seal/interop.py; the recorded ones otherwise
    let path = std::env::var_os("LABC_INTEROP_VECTORS")
        .map_or_else(|| root().join("tests/seal/python-vectors.txt"), Into::into);
    let vectors = std::fs::read_to_string(path).unwrap();
    for line in vectors.lines() {
        let (word, b64) = line.split_once(' ').unwrap();
        let scope = SCOPES.iter().find(|(w, _)| *w == word).unwrap().1;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        let value = format::open(&key, scope, "notes", "api-token", &bytes).unwrap();
        assert_eq!(value, format!("from-python-{word}").into_bytes());
    }
}

#[test]
fn certificates_that_cannot_seal_are_refused() {
    let read = |file: &str| {
        let pem = std::fs::read(root().join("tests/seal").join(file)).unwrap();
        cert::read(&pem, 1_800_000_000).err().map(|e| e.to_string())
    };
    assert!(read("expired-cert.pem")
        .unwrap()
        .starts_with("it expired at"));
    assert!(read("ec-cert.pem").unwrap().contains("not RSA"));
    assert!(read("test-only-private-key.pem")
        .unwrap()
        .contains("not a PEM certificate"));
    assert_eq!(read("cert.pem"), None);
}

/// A scratch copy of the `ok/sealed` fixture without its sealed files.
fn scratch_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/ok/sealed");
    for file in ["site.kdl", "cert.pem"] {
        std::fs::copy(fixture.join(file), dir.path().join(file)).unwrap();
    }
    dir
}

fn seal(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_labc"))
        .arg("seal")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LABC_SEAL_KEY", "11".repeat(32))
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn labc_seal_reseals_only_changed_values_and_never_prints_them() {
    let dir = scratch_site();
    let path = dir.path().join("sealed/notes/tls.yaml");
    let first = seal(
        dir.path(),
        &["tls"],
        &[],
        "tls.crt: CERT-ONE\ntls.key: KEY-ONE\n",
    );
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let sealed_once = std::fs::read_to_string(&path).unwrap();
    let again = seal(
        dir.path(),
        &["tls"],
        &[],
        "tls.crt: CERT-ONE\ntls.key: KEY-ONE\n",
    );
    assert!(again.status.success());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), sealed_once);
    assert!(String::from_utf8_lossy(&again.stderr).contains("unchanged"));
    let changed = seal(
        dir.path(),
        &["tls"],
        &[],
        "tls.crt: CERT-TWO\ntls.key: KEY-ONE\n",
    );
    assert!(changed.status.success());
    let sealed_twice = std::fs::read_to_string(&path).unwrap();
    let line = |text: &str, key: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("{key}: AQ")))
            .unwrap()
            .to_string()
    };
    assert_eq!(
        line(&sealed_once, "tls.key"),
        line(&sealed_twice, "tls.key")
    );
    assert_ne!(
        line(&sealed_once, "tls.crt"),
        line(&sealed_twice, "tls.crt")
    );
    for output in [&first, &again, &changed] {
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        for value in ["CERT-ONE", "CERT-TWO", "KEY-ONE"] {
            assert!(!all.contains(value), "printed a value: {all}");
        }
    }
    // the build accepts what `labc seal` wrote and opens nothing
    let compiled = labc::compile_with_sealed(
        "site.kdl",
        &std::fs::read(dir.path().join("site.kdl")).unwrap(),
        &catalog(),
        &labc::seal::read_sealed(dir.path()).unwrap(),
    );
    let files = compiled.expect("compiles").files.into_map();
    let emitted = std::str::from_utf8(&files["apps/notes/sealedsecret-tls.yaml"]).unwrap();
    assert_eq!(line(emitted, "tls.crt"), line(&sealed_twice, "tls.crt"));
}

#[test]
fn values_come_from_the_environment_too() {
    let dir = scratch_site();
    let env = [
        ("LABC_SECRET_DB_CREDENTIALS_PASSWORD", "from-env"),
        ("LABC_SECRET_API_TOKEN_TOKEN", "t"),
        ("LABC_SECRET_TLS_TLS_CRT", "c"),
        ("LABC_SECRET_TLS_TLS_KEY", "k"),
    ];
    let output = seal(dir.path(), &["--env"], &env, "");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sealed = dir.path().join("sealed/notes/db-credentials.yaml");
    let object: labc::secrets::sealed::SealedSecret =
        serde_yaml::from_str(&std::fs::read_to_string(sealed).unwrap()).unwrap();
    let b64 = &object.spec.encrypted_data["password"];
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let value = format::open(
        &private_key(),
        SecretScope::Strict,
        "notes",
        "db-credentials",
        &bytes,
    );
    assert_eq!(value.unwrap(), b"from-env");
}

/// `labc seal` refusals: each a diagnostic snapshot, and nothing written.
#[test]
fn sealing_refusals_are_diagnostics_and_write_nothing() {
    let cases: [(&str, &str, &[&str], &str); 4] = [
        (
            "seal_expired_certificate",
            "expired-cert.pem",
            &["db-credentials"],
            "password: VALUE-NOT-TO-PRINT\n",
        ),
        (
            "seal_certificate_not_rsa",
            "ec-cert.pem",
            &["db-credentials"],
            "password: VALUE-NOT-TO-PRINT\n",
        ),
        (
            "seal_value_missing_from_stdin",
            "cert.pem",
            &["tls"],
            "tls.crt: VALUE-NOT-TO-PRINT\n",
        ),
        (
            "seal_unknown_secret",
            "cert.pem",
            &["db-credential"],
            "password: VALUE-NOT-TO-PRINT\n",
        ),
    ];
    for (name, cert_file, args, stdin) in cases {
        let dir = scratch_site();
        std::fs::copy(
            root().join("tests/seal").join(cert_file),
            dir.path().join("cert.pem"),
        )
        .unwrap();
        let output = seal(dir.path(), args, &[], stdin);
        assert_eq!(output.status.code(), Some(1), "{name}");
        assert!(
            !dir.path().join("sealed").exists(),
            "{name} wrote a sealed file"
        );
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert!(
            !stderr.contains("VALUE-NOT-TO-PRINT"),
            "{name} printed a value"
        );
        insta::assert_snapshot!(name, stderr);
    }
}

/// `tests/fixtures/sealed_bad/<case>/`: a site and sealed files with one mistake; the case's
/// first line of `site.kdl` names the code.
#[test]
fn bad_sealed_files_are_reported_in_the_file() {
    let base = root().join("tests/fixtures/sealed_bad");
    let mut cases: Vec<_> = std::fs::read_dir(&base)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 3);
    for case in cases {
        let site = std::fs::read(case.join("site.kdl")).unwrap();
        let code = String::from_utf8_lossy(site.split(|b| *b == b'\n').next().unwrap())
            .trim_start_matches("//")
            .trim()
            .to_string();
        let sealed = labc::seal::read_sealed(&case).unwrap();
        let errors = labc::compile_with_sealed("site.kdl", &site, &catalog(), &sealed)
            .err()
            .unwrap_or_else(|| panic!("{} compiled", case.display()));
        let codes: Vec<_> = errors.iter().map(|e| e.error.code_str()).collect();
        assert!(codes.contains(&code), "{}: {codes:?}", case.display());
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        insta::assert_snapshot!(
            format!("sealed_bad_{name}"),
            labc::cli::render_plain(errors)
        );
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("out");
        let output = labc(
            &[
                "build",
                case.join("site.kdl").to_str().unwrap(),
                "--out",
                target.to_str().unwrap(),
            ],
            &root(),
        );
        assert_eq!(output.status.code(), Some(1), "{name}");
        assert!(!target.exists(), "{name} wrote out/");
    }
}

/// The skeletons are Secrets with empty values: synced, they would blank the real ones.
#[test]
fn no_application_syncs_the_sealing_inputs() {
    let out = root().join("out");
    let mut paths = Vec::new();
    for file in list_files(&out) {
        if !file.ends_with(".yaml") {
            continue;
        }
        let text = std::fs::read_to_string(out.join(&file)).unwrap();
        // node configurations hold several documents and no Application
        let Ok(object) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
            continue;
        };
        if object["kind"] == "Application" {
            if let Some(path) = object["spec"]["source"]["path"].as_str() {
                paths.push(path.to_string());
            }
        }
    }
    assert!(!paths.is_empty());
    for path in paths {
        let inside = path.trim_start_matches("out").trim_start_matches('/');
        assert!(
            !("seal/".starts_with(&format!("{inside}/"))
                || inside.is_empty()
                || inside.starts_with("seal")),
            "an Application syncs {path}, which holds the sealing inputs"
        );
    }
    assert!(list_files(&out).iter().any(|f| f.starts_with("seal/")));
}
