//! The platform's Applications rendered the way Argo CD's repo server renders them (`helm
//! template` with the emitted values, release name, namespace and the site's Kubernetes
//! version), and the contracts between the parts checked against what the charts really make:
//! the AppProject permits every namespace a chart writes to, every endpoint a component declares
//! is a Service of its chart exposing that port, and settings reach the chart's configuration.
//!
//! These need `helm` (on `PATH`, or `LABC_HELM`) and the offline chart cache
//! `../shared/reference/charts/<chart>/<version>/` (or `LABC_CHARTS`); without either they say
//! so and pass, since a user's clone has neither.

use crate::support::{catalog, good_sites, root};
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

struct Renderer {
    helm: PathBuf,
    charts: PathBuf,
    kubernetes: String,
}

impl Renderer {
    /// `None`, with a note on stderr, when helm or the chart cache is missing.
    fn find(kubernetes: &str) -> Option<Renderer> {
        let charts = std::env::var_os("LABC_CHARTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("../shared/reference/charts"));
        let helm = std::env::var_os("LABC_HELM")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("helm"));
        let helm_runs = Command::new(&helm)
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !helm_runs || !charts.is_dir() {
            eprintln!(
                "skipped: needs helm and the chart cache {}",
                charts.display()
            );
            return None;
        }
        Some(Renderer {
            helm,
            charts,
            kubernetes: kubernetes.to_string(),
        })
    }

    /// The objects an Application's Helm source renders to, each with its namespace filled in
    /// as Argo CD fills it (the destination's, for a namespaced object the chart leaves without
    /// one; cluster-scoped kinds have none). `None` for a source that is not a Helm chart.
    fn render(&self, app: &Value) -> Option<Vec<Value>> {
        // the tests render the same Applications (the seed's, the fixtures' shared ones): once
        static CACHE: std::sync::Mutex<BTreeMap<String, Option<Vec<Value>>>> =
            std::sync::Mutex::new(BTreeMap::new());
        let key = format!(
            "{}\n{}",
            self.kubernetes,
            serde_yaml::to_string(&app["spec"]).unwrap()
        );
        if let Some(done) = CACHE.lock().unwrap().get(&key) {
            return done.clone();
        }
        let made = self.render_uncached(app);
        CACHE.lock().unwrap().insert(key, made.clone());
        made
    }

    fn render_uncached(&self, app: &Value) -> Option<Vec<Value>> {
        let source = &app["spec"]["source"];
        let namespace = app["spec"]["destination"]["namespace"].as_str().unwrap();
        let helm = source.get("helm")?;
        let release = helm["releaseName"].as_str().unwrap();
        let version = source["targetRevision"].as_str().unwrap();
        let chart = match source["chart"].as_str() {
            Some(chart) => chart.to_string(),
            // a chart in git: the cache names it after its folder, and its version without the v
            None => source["path"].as_str()?.rsplit('/').next()?.to_string(),
        };
        let cached = self
            .charts
            .join(&chart)
            .join(version.trim_start_matches('v'));
        assert!(
            cached.is_dir(),
            "no {} in the chart cache",
            cached.display()
        );
        let tmp = tempfile::tempdir().unwrap();
        let copy = tmp.path().join(&chart);
        copy_dir(&cached, &copy);
        let disabled = drop_missing_dependencies(&copy);
        let values = tmp.path().join("values.yaml");
        let ours = helm.get("valuesObject").cloned().unwrap_or(Value::Null);
        std::fs::write(&values, serde_yaml::to_string(&ours).unwrap()).unwrap();
        let off = tmp.path().join("disabled.yaml");
        std::fs::write(&off, serde_yaml::to_string(&disabled).unwrap()).unwrap();
        let output = Command::new(&self.helm)
            .args(["template", release])
            .arg(&copy)
            .args(["--namespace", namespace, "--kube-version", &self.kubernetes])
            .arg("-f")
            .arg(&values)
            .arg("-f")
            .arg(&off)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "helm template {release} ({chart} {version}) fails: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8(output.stdout).unwrap();
        let objects = serde_yaml::Deserializer::from_str(&text)
            .filter_map(|doc| Value::deserialize(doc).ok())
            .filter(|o| o.get("kind").is_some())
            .map(|mut o| {
                if o["metadata"].get("namespace").is_none() && !cluster_scoped(&o) {
                    o["metadata"]["namespace"] = Value::from(namespace);
                }
                o
            })
            .collect();
        Some(objects)
    }
}

use serde::Deserialize;

/// Kinds that have no namespace; enough for what the pinned charts make.
fn cluster_scoped(object: &Value) -> bool {
    const KINDS: &[&str] = &[
        "APIService",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "MutatingWebhookConfiguration",
        "Namespace",
        "PersistentVolume",
        "PriorityClass",
        "StorageClass",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingWebhookConfiguration",
        "CSIDriver",
        "IngressClass",
        "RuntimeClass",
        "GatewayClass",
    ];
    object["kind"].as_str().is_some_and(|k| KINDS.contains(&k))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Some cached charts lack the folders of subcharts they depend on (kube-prometheus-stack's
/// exporters and Grafana, Loki's minio, Falco's sidekick): they are dropped from `Chart.yaml`
/// and their conditions set false, so that the chart itself renders. The values that switch
/// them off.
fn drop_missing_dependencies(chart: &Path) -> Value {
    let path = chart.join("Chart.yaml");
    let mut meta: Value = serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut off = Value::Mapping(Default::default());
    let Some(deps) = meta
        .get("dependencies")
        .and_then(Value::as_sequence)
        .cloned()
    else {
        return off;
    };
    let present = |name: &str| {
        chart.join("charts").join(name).is_dir()
            || std::fs::read_dir(chart.join("charts")).is_ok_and(|d| {
                d.flatten().any(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with(&format!("{name}-"))
                })
            })
    };
    let mut kept = Vec::new();
    for dep in deps {
        if present(dep["name"].as_str().unwrap()) {
            kept.push(dep);
            continue;
        }
        if let Some(condition) = dep["condition"].as_str() {
            let keys: Vec<&str> = condition.split(',').next().unwrap().split('.').collect();
            let mut at = &mut off;
            for key in &keys[..keys.len() - 1] {
                if at.get(*key).is_none() {
                    at[*key] = Value::Mapping(Default::default());
                }
                at = &mut at[*key];
            }
            at[keys[keys.len() - 1]] = Value::Bool(false);
        }
    }
    meta["dependencies"] = Value::Sequence(kept);
    std::fs::write(&path, serde_yaml::to_string(&meta).unwrap()).unwrap();
    for lock in ["Chart.lock", "requirements.lock"] {
        let _ = std::fs::remove_file(chart.join(lock));
    }
    off
}

/// A compiled site's Argo CD objects by file.
fn argocd_objects(site: &Path) -> BTreeMap<String, Value> {
    let bytes = std::fs::read(site).unwrap();
    let compiled = labc::compile("site.kdl", &bytes, &catalog())
        .unwrap_or_else(|e| panic!("{}: {}", site.display(), labc::cli::render_plain(e)));
    compiled
        .files
        .as_map()
        .iter()
        .filter(|(p, _)| p.starts_with("argocd/"))
        .map(|(p, b)| (p.clone(), serde_yaml::from_slice(b).unwrap()))
        .collect()
}

fn kubernetes_of(site: &Path) -> String {
    let text = std::fs::read_to_string(site).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("kubernetes "))
        .unwrap();
    line.split('"').nth(1).unwrap().to_string()
}

#[test]
fn the_platform_project_permits_every_namespace_the_charts_write_to() {
    let Some(_) = Renderer::find("1.31.13") else {
        return;
    };
    let mut rendered = 0;
    let mut problems = Vec::new();
    for site in good_sites() {
        let renderer = Renderer::find(&kubernetes_of(&site)).unwrap();
        let objects = argocd_objects(&site);
        let projects: BTreeMap<&str, BTreeSet<&str>> = objects
            .values()
            .filter(|o| o["kind"] == "AppProject")
            .map(|p| {
                let destinations = p["spec"]["destinations"]
                    .as_sequence()
                    .unwrap()
                    .iter()
                    .filter_map(|d| d["namespace"].as_str())
                    .collect();
                (p["metadata"]["name"].as_str().unwrap(), destinations)
            })
            .collect();
        for (path, app) in &objects {
            if app["kind"] != "Application" {
                continue;
            }
            let Some(made) = renderer.render(app) else {
                continue;
            };
            rendered += 1;
            let project = app["spec"]["project"].as_str().unwrap();
            let permitted = &projects[project];
            let written: BTreeSet<&str> = made
                .iter()
                .filter_map(|o| o["metadata"]["namespace"].as_str())
                .collect();
            for namespace in written.difference(permitted) {
                problems.push(format!(
                    "{}: {path} writes to namespace `{namespace}`, which project `{project}` does not permit",
                    site.display()
                ));
            }
        }
    }
    assert!(rendered >= 20, "only {rendered} Applications rendered");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every endpoint a component of a good site declares is a Service of that name, in that
/// namespace, exposing that port, in what one of the component's Applications renders.
#[test]
fn every_declared_endpoint_is_a_service_its_chart_renders() {
    let Some(renderer) = Renderer::find("1.31.13") else {
        return;
    };
    let catalog = catalog();
    let mut proven = 0;
    let mut problems = Vec::new();
    for site in good_sites() {
        let objects = argocd_objects(&site);
        let bytes = std::fs::read(&site).unwrap();
        let (parsed, _) = labc::decode::decode(
            &labc::syntax::parse("site.kdl", &bytes).unwrap().document,
            &catalog,
        );
        let mut services: Vec<Value> = Vec::new();
        for app in objects.values().filter(|o| o["kind"] == "Application") {
            if let Some(made) = renderer.render(app) {
                services.extend(made.into_iter().filter(|o| o["kind"] == "Service"));
            }
        }
        for e in labc::stdlib::site_endpoints(&parsed, &catalog) {
            let found = services.iter().any(|s| {
                s["metadata"]["name"].as_str() == Some(e.service.as_str())
                    && s["metadata"]["namespace"].as_str() == Some(e.namespace.as_str())
                    && s["spec"]["ports"]
                        .as_sequence()
                        .is_some_and(|ports| ports.iter().any(|p| p["port"] == e.port))
            });
            if found {
                proven += 1;
            } else {
                problems.push(format!(
                    "{}: endpoint `{}` of `{}` is {}:{} in {}, which no rendered Service exposes",
                    site.display(),
                    e.endpoint,
                    e.component,
                    e.service,
                    e.port,
                    e.namespace
                ));
            }
        }
    }
    assert!(proven >= 10, "only {proven} endpoints proven");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The Falcosidekick configuration as its chart hands it to the pod: the Secret's entries.
fn sidekick_config(renderer: &Renderer, site: &Path) -> BTreeMap<String, String> {
    use base64::Engine;
    let objects = argocd_objects(site);
    let app = &objects["argocd/application-falcosidekick.yaml"];
    let made = renderer.render(app).expect("a Helm chart");
    let secret = made
        .iter()
        .find(|o| o["kind"] == "Secret" && o["metadata"]["name"] == "falcosidekick")
        .expect("the chart's configuration Secret");
    secret["data"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(v.as_str().unwrap_or_default())
                .unwrap();
            (
                k.as_str().unwrap().to_string(),
                String::from_utf8(bytes).unwrap(),
            )
        })
        .collect()
}

/// No outputs: the chart still renders (an empty `config:` would have erased its defaults and
/// failed on `config.tlsserver`) and its defaults survive.
#[test]
fn falcosidekick_without_outputs_keeps_the_charts_configuration() {
    let Some(renderer) = Renderer::find("1.31.13") else {
        return;
    };
    let config = sidekick_config(
        &renderer,
        &root().join("tests/fixtures/ok/falco_quiet/site.kdl"),
    );
    assert_eq!(config["ALERTMANAGER_HOSTPORT"], "");
    assert_eq!(
        config["ALERTMANAGER_ENDPOINT"], "/api/v1/alerts",
        "a chart default"
    );
}

/// The seed sends Falco events to Discord through Alertmanager from `warning` up, at the v2 API
/// Alertmanager 0.27 and later serve; a site can raise the bar.
#[test]
fn falco_chat_alerts_have_a_minimum_priority() {
    let Some(renderer) = Renderer::find("1.31.13") else {
        return;
    };
    let seed = sidekick_config(&renderer, &root().join("site.kdl"));
    assert_eq!(seed["ALERTMANAGER_MINIMUMPRIORITY"], "warning");
    assert_eq!(seed["ALERTMANAGER_ENDPOINT"], "/api/v2/alerts");
    let text = std::fs::read_to_string(root().join("site.kdl"))
        .unwrap()
        .replace(
            "falcosidekick {",
            "falcosidekick chat-priority=\"critical\" {",
        );
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site.kdl");
    std::fs::write(&site, text).unwrap();
    let raised = sidekick_config(&renderer, &site);
    assert_eq!(raised["ALERTMANAGER_MINIMUMPRIORITY"], "critical");
}
