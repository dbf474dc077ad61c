//! Argo CD's Git webhook (`argocd github-webhook=#true`): the emitted values and the secret's
//! seal template. The rendered `argocd-secret` is checked in tests/bootstrap.rs with the chart.

use crate::support::{catalog, root};
use serde_yaml::Value;

fn compile(text: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    labc::compile("site.kdl", text.as_bytes(), &catalog())
        .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)))
        .files
        .into_map()
}

fn yaml(files: &std::collections::BTreeMap<String, Vec<u8>>, path: &str) -> Value {
    serde_yaml::from_slice(&files[path]).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn seed() -> String {
    std::fs::read_to_string(root().join("site.kdl")).unwrap()
}

#[test]
fn the_webhook_annotates_argocds_secret_in_both_installs_and_seals_only_its_key() {
    let files = compile(&seed());
    let app = yaml(&files, "argocd/application-argocd.yaml");
    let from_app = &app["spec"]["source"]["helm"]["valuesObject"]["configs"]["secret"];
    let from_bootstrap = &yaml(&files, "bootstrap/values/argocd.yaml")["configs"]["secret"];
    for secret in [from_app, from_bootstrap] {
        assert_eq!(
            secret["annotations"]["sealedsecrets.bitnami.com/patch"],
            "true"
        );
        // never the value itself, and nothing that makes the chart write `data:`
        let keys: Vec<&str> = secret
            .as_mapping()
            .unwrap()
            .keys()
            .map(|k| k.as_str().unwrap())
            .collect();
        assert_eq!(keys, ["annotations"]);
    }
    let template = yaml(&files, "seal/argocd/secret-argocd-secret.yaml");
    assert_eq!(template["metadata"]["name"], "argocd-secret");
    assert_eq!(template["metadata"]["namespace"], "argocd");
    let data = template["stringData"]
        .as_mapping()
        .or_else(|| template["data"].as_mapping())
        .expect("the template's keys");
    let keys: Vec<&str> = data.keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(keys, ["webhook.github.secret"]);
}

#[test]
fn without_the_webhook_the_chart_keeps_its_secret_as_it_is() {
    let site = seed().replace("argocd github-webhook=#true", "argocd");
    let site = site.replace(
        "secret argocd-secret namespace=\"argocd\" {\n    keys \"webhook.github.secret\"\n}\n",
        "",
    );
    let files = compile(&site);
    let app = yaml(&files, "argocd/application-argocd.yaml");
    let configs = &app["spec"]["source"]["helm"]["valuesObject"]["configs"];
    assert!(configs["cm"].is_mapping());
    assert_eq!(configs["secret"], Value::Null);
}

#[test]
fn the_documented_webhook_url_is_argocds_endpoint() {
    let page = std::fs::read_to_string(root().join("docs/argocd.md")).unwrap();
    assert!(page.contains("https://<argocd host>/api/webhook"));
    assert!(page.contains("webhook.github.secret"));
}
