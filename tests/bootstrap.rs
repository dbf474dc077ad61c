//! `out/bootstrap/`: from bare nodes to the app-of-apps. The CNI and Argo CD are installed with
//! exactly the chart, version and values of their Applications, so that Argo CD adopts them as
//! they are; the script is shellcheck clean; the values render with the pinned charts.
//!
//! Needs, or skips with a message: `shellcheck` (Debian package `shellcheck`) for the lint;
//! `helm` and `../shared/reference/charts` for the render.

use crate::support::{catalog, good_sites, root};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn compile(site: &Path) -> BTreeMap<String, Vec<u8>> {
    let bytes = std::fs::read(site).unwrap();
    labc::compile("site.kdl", &bytes, &catalog())
        .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)))
        .files
        .into_map()
}

fn yaml(files: &BTreeMap<String, Vec<u8>>, path: &str) -> Value {
    let bytes = files.get(path).unwrap_or_else(|| panic!("no {path}"));
    serde_yaml::from_slice(bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// One `helm upgrade --install` of the script, as its words.
#[derive(Debug)]
struct Install {
    release: String,
    chart: String,
    repo: String,
    version: String,
    namespace: String,
    values: Option<String>,
}

/// The script's helm commands, in order, with their continuation lines joined.
fn installs(script: &str) -> Vec<Install> {
    let joined = script.replace(" \\\n", " ");
    joined
        .lines()
        .filter_map(|line| line.strip_prefix("helm upgrade --install "))
        .map(|rest| {
            let words: Vec<&str> = rest.split_whitespace().collect();
            let after = |flag: &str| {
                let i = words.iter().position(|w| *w == flag)?;
                Some(words[i + 1].to_string())
            };
            Install {
                release: words[0].into(),
                chart: words[1].into(),
                repo: after("--repo").expect("--repo"),
                version: after("--version").expect("--version"),
                namespace: after("--namespace").expect("--namespace"),
                values: after("-f").map(|f| {
                    let file = f.strip_prefix("\"$here\"/").expect("beside the script");
                    format!("bootstrap/{file}")
                }),
            }
        })
        .collect()
}

/// The CNI's Application (layer `cni`) and Argo CD's, as `out/argocd/` has them.
fn bootstrapped_applications(files: &BTreeMap<String, Vec<u8>>) -> Vec<Value> {
    let cni: Vec<String> = catalog()
        .names()
        .filter(|name| {
            let def = catalog().get(name).cloned().unwrap();
            def.layer == labc::model::LayerKind::Cni
        })
        .map(String::from)
        .collect();
    let mut apps: Vec<Value> = files
        .keys()
        .filter(|p| p.starts_with("argocd/application-"))
        .map(|p| yaml(files, p))
        .filter(|app| {
            let name = app["metadata"]["name"].as_str().unwrap();
            cni.iter().any(|c| c == name)
        })
        .collect();
    apps.push(yaml(files, "argocd/application-argocd.yaml"));
    apps
}

#[test]
fn bootstrap_installs_the_cni_then_argocd_with_their_applications_chart_and_values() {
    for site in good_sites() {
        let name = site.display();
        let files = compile(&site);
        let script = std::str::from_utf8(&files["bootstrap/install.sh"]).unwrap();
        let installs = installs(script);
        let apps = bootstrapped_applications(&files);
        assert_eq!(installs.len(), apps.len(), "{name}: {installs:?}");
        for (install, app) in installs.iter().zip(&apps) {
            let source = &app["spec"]["source"];
            let helm = &source["helm"];
            assert_eq!(install.release, helm["releaseName"].as_str().unwrap());
            assert_eq!(install.chart, source["chart"].as_str().unwrap());
            assert_eq!(install.repo, source["repoURL"].as_str().unwrap());
            assert_eq!(install.version, source["targetRevision"].as_str().unwrap());
            let namespace = &app["spec"]["destination"]["namespace"];
            assert_eq!(install.namespace, namespace.as_str().unwrap());
            // the values helm installs with are the values Argo CD will sync: parsed, equal
            let object = &helm["valuesObject"];
            match &install.values {
                Some(path) => assert_eq!(&yaml(&files, path), object, "{name}: {path}"),
                None => assert!(object.is_null(), "{name}: {} has values", install.release),
            }
        }
        // the health check of Applications is what makes the root Application's waves wait
        let argocd = yaml(&files, "bootstrap/values/argocd.yaml");
        let health =
            &argocd["configs"]["cm"]["resource.customizations.health.argoproj.io_Application"];
        assert!(
            health
                .as_str()
                .is_some_and(|h| h.contains("obj.status.health")),
            "{name}"
        );
        let values: Vec<&String> = files
            .keys()
            .filter(|p| p.starts_with("bootstrap/values/"))
            .collect();
        assert_eq!(
            values.len(),
            installs.iter().filter(|i| i.values.is_some()).count()
        );

        // the root Application last, once Argo CD's CRD is there
        let root_app = files
            .keys()
            .find(|p| p.starts_with("bootstrap/application-"))
            .unwrap();
        let apply = format!(
            "kubectl apply -f \"$here\"/{}",
            root_app.strip_prefix("bootstrap/").unwrap()
        );
        let last_helm = script.rfind("helm upgrade --install").unwrap();
        let wait = script
            .find("kubectl wait --for=condition=Established")
            .unwrap();
        let applied = script
            .find(&apply)
            .unwrap_or_else(|| panic!("{name}: {apply}"));
        assert!(last_helm < wait && wait < applied, "{name}");
        let cni = script.find("helm upgrade --install cilium").unwrap();
        let argo = script.find("helm upgrade --install argocd").unwrap();
        assert!(
            cni < argo,
            "{name}: the CNI first, or Argo CD's pods cannot start"
        );
    }
}

/// A site whose CNI is its own component, from a chart kept in git: the script fetches it.
fn site_with_own_cni(dir: &Path) -> PathBuf {
    let seed = std::fs::read_to_string(root().join("tests/fixtures/ok/one_node/site.kdl")).unwrap();
    let cilium = std::fs::read_to_string(root().join("stdlib/components/cilium.kdl")).unwrap();
    let own = cilium.replace(
        r#"chart repo="https://helm.cilium.io/" name=cilium version="1.18.12""#,
        r#"git url="https://example.org/it's/cilium.git" path="install/kubernetes/cilium" revision="v1.18.12""#,
    );
    assert_ne!(own, cilium);
    std::fs::create_dir_all(dir.join("components")).unwrap();
    std::fs::write(dir.join("components/cilium.kdl"), own).unwrap();
    std::fs::write(dir.join("site.kdl"), seed).unwrap();
    dir.join("site.kdl")
}

fn shellcheck() -> Option<()> {
    let found = Command::new("shellcheck").arg("--version").output().is_ok();
    if !found {
        eprintln!("skipped: shellcheck is not installed (Debian package `shellcheck`)");
    }
    found.then_some(())
}

#[test]
fn the_script_passes_shellcheck() {
    if shellcheck().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let own = site_with_own_cni(&tmp.path().join("own"));
    let mut sites = good_sites();
    sites.push(own);
    for site in sites {
        let out = tmp.path().join("out");
        let _ = std::fs::remove_dir_all(&out);
        let built = crate::support::labc(
            &[
                "build",
                site.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            &root(),
        );
        assert_eq!(built.status.code(), Some(0), "{built:?}");
        let script = out.join("bootstrap/install.sh");
        let checked = Command::new("shellcheck")
            .args(["--shell=bash", "--severity=style"])
            .arg(&script)
            .output()
            .unwrap();
        assert!(
            checked.status.success(),
            "{}:\n{}",
            site.display(),
            String::from_utf8_lossy(&checked.stdout)
        );
        let text = std::fs::read_to_string(&script).unwrap();
        assert!(text.contains("set -euo pipefail"));
        if site.starts_with(tmp.path()) {
            assert!(
                text.contains("checkout 'https://example.org/it'\\''s/cilium.git' v1.18.12 cilium"),
                "{text}"
            );
            assert!(
                text.contains(
                    "helm upgrade --install cilium \"$work\"/cilium/install/kubernetes/cilium"
                ),
                "{text}"
            );
        }
    }
}

/// `../shared/reference/charts` (every pinned chart, `<chart>/<version>/`) and `helm`.
fn charts() -> Option<PathBuf> {
    let charts = root().join("../shared/reference/charts");
    let helm = Command::new("helm").arg("version").output().is_ok();
    if !charts.is_dir() || !helm {
        eprintln!("skipped: needs helm on PATH and ../shared/reference/charts");
        return None;
    }
    Some(charts)
}

#[test]
fn the_bootstrap_values_render_with_the_pinned_charts() {
    let Some(charts) = charts() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let files = compile(&root().join("site.kdl"));
    let script = std::str::from_utf8(&files["bootstrap/install.sh"]).unwrap();
    let mut rendered = BTreeMap::new();
    for install in installs(script) {
        let chart = charts.join(&install.chart).join(&install.version);
        let mut helm = Command::new("helm");
        helm.args(["template", &install.release]).arg(&chart).args([
            "--namespace",
            &install.namespace,
            "--kube-version",
            "1.31.13",
        ]);
        if let Some(path) = &install.values {
            let file = tmp.path().join(path.replace('/', "_"));
            std::fs::write(&file, &files[path]).unwrap();
            helm.arg("-f").arg(file);
        }
        let output = helm.output().unwrap();
        assert!(
            output.status.success(),
            "{}: {}",
            install.release,
            String::from_utf8_lossy(&output.stderr)
        );
        rendered.insert(install.release, String::from_utf8(output.stdout).unwrap());
    }
    // what the bootstrap must bring: the CNI agent without kube-proxy, and Argo CD with the
    // health check of Applications in its configuration
    let objects = |release: &str| -> Vec<Value> {
        serde_yaml::Deserializer::from_str(&rendered[release])
            .map(|d| serde::Deserialize::deserialize(d).unwrap())
            .filter(|v: &Value| !v.is_null())
            .collect()
    };
    let cilium = objects("cilium");
    let config = cilium
        .iter()
        .find(|o| o["kind"] == "ConfigMap" && o["metadata"]["name"] == "cilium-config")
        .expect("cilium-config");
    assert_eq!(config["data"]["kube-proxy-replacement"], "true");
    assert_eq!(config["data"]["cluster-pool-ipv4-cidr"], "10.244.0.0/16");
    assert!(cilium
        .iter()
        .any(|o| o["kind"] == "DaemonSet" && o["metadata"]["name"] == "cilium"));
    let argocd = objects("argocd");
    let cm = argocd
        .iter()
        .find(|o| o["kind"] == "ConfigMap" && o["metadata"]["name"] == "argocd-cm")
        .expect("argocd-cm");
    let health = cm["data"]["resource.customizations.health.argoproj.io_Application"]
        .as_str()
        .expect("the health check of Applications");
    assert!(
        health.contains("hs.status = obj.status.health.status"),
        "{health}"
    );
    assert!(argocd
        .iter()
        .any(|o| o["kind"] == "CustomResourceDefinition"
            && o["metadata"]["name"] == "applications.argoproj.io"));
    // the seed's GitHub webhook: the chart's argocd-secret carries the annotation that lets
    // sealed-secrets merge `webhook.github.secret` into it, and no data, which would erase the
    // keys Argo CD and sealed-secrets write (the chart says so above its `data:`)
    let secret = argocd
        .iter()
        .find(|o| o["kind"] == "Secret" && o["metadata"]["name"] == "argocd-secret")
        .expect("the chart writes argocd-secret");
    assert_eq!(
        secret["metadata"]["annotations"]["sealedsecrets.bitnami.com/patch"],
        "true"
    );
    assert_eq!(
        secret["metadata"]["labels"]["app.kubernetes.io/part-of"],
        "argocd"
    );
    assert!(secret.get("data").is_none(), "{secret:?}");
}

/// docs/argocd.md lists the seed's bootstrap commands as the script runs them.
#[test]
fn the_documented_commands_are_the_seed_scripts() {
    let files = compile(&root().join("site.kdl"));
    let script = std::str::from_utf8(&files["bootstrap/install.sh"]).unwrap();
    let commands = |text: &str| -> Vec<String> {
        text.replace(" \\\n  ", " ")
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("helm ") || l.starts_with("kubectl "))
            .filter(|l| !l.contains("get applications"))
            .map(|l| l.replace("\"$here\"/", "out/bootstrap/"))
            .collect()
    };
    let docs = std::fs::read_to_string(root().join("docs/argocd.md")).unwrap();
    assert_eq!(commands(&docs), commands(script));
}
