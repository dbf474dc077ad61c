//! The secret scan of `site.kdl` measured on a corpus: realistic credentials it must refuse
//! (`tests/scan/credentials.tsv`) and realistic values that are not credentials, which it must
//! let pass (`tests/scan/not_credentials.tsv`). The rates are reported in docs/hardening.md;
//! the thresholds below fail on a regression of either.

use crate::support::root;

/// `(name, value)` of each line; a name of `-` is a value given to no name.
fn corpus(file: &str) -> Vec<(Option<String>, String)> {
    let text = std::fs::read_to_string(root().join("tests/scan").join(file)).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (name, value) = l.split_once('\t').expect("NAME<TAB>VALUE");
            ((name != "-").then(|| name.to_string()), value.to_string())
        })
        .collect()
}

fn refused(name: &Option<String>, value: &str) -> bool {
    labc::secrets::judge(name.as_deref(), value).is_some()
}

#[test]
fn credentials_are_caught_and_ordinary_values_pass() {
    let credentials = corpus("credentials.tsv");
    let ordinary = corpus("not_credentials.tsv");
    assert!(credentials.len() >= 60 && ordinary.len() >= 60);
    let missed: Vec<_> = credentials.iter().filter(|(n, v)| !refused(n, v)).collect();
    let false_alarms: Vec<_> = ordinary.iter().filter(|(n, v)| refused(n, v)).collect();
    let catch = 1.0 - missed.len() as f64 / credentials.len() as f64;
    let false_positive = false_alarms.len() as f64 / ordinary.len() as f64;
    println!(
        "caught {}/{} credentials ({:.1}%), refused {}/{} ordinary values ({:.1}%)",
        credentials.len() - missed.len(),
        credentials.len(),
        catch * 100.0,
        false_alarms.len(),
        ordinary.len(),
        false_positive * 100.0
    );
    println!("missed: {missed:?}\nfalse alarms: {false_alarms:?}");
    // docs/hardening.md has 80/81 and 0/93: one more miss or one more false alarm still
    // passes, two fail. Raise the bars when the scan gets better.
    assert!(catch >= 0.97, "catch rate fell to {catch:.3}: {missed:?}");
    assert!(
        false_positive <= 0.011,
        "false-positive rate rose to {false_positive:.3}: {false_alarms:?}"
    );
}

/// The corpus is judged the way `site.kdl` is: a credential written as an `env` value in a site
/// is refused by `labc check` with the meaning-based code, and a describing name passes.
#[test]
fn the_site_scan_uses_the_same_judgement() {
    let site = |env: &str| {
        format!(
            "site lab {{\n    repo \"https://github.com/example/lab\"\n    kubernetes \"1.31.13\" runtime=\"containerd\" runtime-version=\"2.1.5\"\n}}\nnode cp role=\"control-plane\" address=\"10.0.0.1\"\nnode w1 role=\"worker\" address=\"10.0.0.2\"\nlayer cni {{ cilium; }}\nlayer gitops {{ argocd; }}\napp web image=\"ghcr.io/x/web:1\" {{\n    port 8080\n    {env}\n}}\n"
        )
    };
    let catalog = crate::support::catalog();
    let codes = |env: &str| -> Vec<String> {
        match labc::compile("site.kdl", site(env).as_bytes(), &catalog) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(|e| e.error.code_str()).collect(),
        }
    };
    assert!(codes(r#"env MYSQL_ROOT_PASSWORD "changeme123""#)
        .contains(&"labc::secret::credential".to_string()));
    assert!(codes(r#"env PASSWORD_MIN_LENGTH "12""#).is_empty());
    assert!(codes(r#"env TOKEN_TTL "3600""#).is_empty());
}
