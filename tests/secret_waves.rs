//! Every sealed secret is synced no later than its first consumer. The root Application syncs
//! the Applications of `argocd/` wave by wave and waits for each to be healthy, so a Secret
//! that arrives in a later wave than a pod that reads it deadlocks the sync.
//!
//! Read from the emitted objects alone: for the seed and every ok fixture, each declared secret
//! (its skeleton in `seal/`) is sealed with the test-only certificate (the fixture's own sealed
//! files where it has them), the site is compiled, and every object that reads the Secret (a
//! pod template's env, envFrom or volumes; an Application's chart values that name it) is
//! followed to the Application that syncs its folder and that Application's sync wave.

use crate::support::{catalog, good_sites};
use base64::Engine;
use labc::model::SecretScope;
use labc::secrets::{cert, format, SealedFile};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::Path;

const WAVE: &str = "argocd.argoproj.io/sync-wave";

/// One Application of `argocd/`: the folder of `out/` it syncs (none for a chart) and its wave.
struct Application {
    name: String,
    folder: Option<String>,
    wave: i64,
    values: Option<Value>,
    namespace: String,
}

fn wave_of(object: &Value) -> i64 {
    object["metadata"]["annotations"][WAVE]
        .as_str()
        .map_or(0, |w| w.parse().unwrap())
}

fn applications(files: &BTreeMap<String, Vec<u8>>, out_path: &str) -> Vec<Application> {
    files
        .iter()
        .filter(|(path, _)| path.starts_with("argocd/application-"))
        .map(|(_, bytes)| {
            let object: Value = serde_yaml::from_slice(bytes).unwrap();
            let source = &object["spec"]["source"];
            // a path in another repository (a chart in git) is no folder of out/
            let folder = source["path"]
                .as_str()
                .and_then(|p| p.strip_prefix(&format!("{out_path}/")))
                .map(String::from);
            let helm = &source["helm"];
            let values = match (&helm["valuesObject"], helm["values"].as_str()) {
                (Value::Null, Some(text)) => Some(serde_yaml::from_str(text).unwrap()),
                (Value::Null, None) => None,
                (object, _) => Some(object.clone()),
            };
            Application {
                name: object["metadata"]["name"].as_str().unwrap().to_string(),
                folder,
                wave: wave_of(&object),
                values,
                namespace: object["spec"]["destination"]["namespace"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            }
        })
        .collect()
}

/// The Application that syncs the file at `path` (a directory source is not recursive).
fn syncing<'a>(apps: &'a [Application], path: &str) -> Option<&'a Application> {
    let folder = &path[..path.rfind('/')?];
    apps.iter().find(|a| a.folder.as_deref() == Some(folder))
}

/// Secret names a pod template reads: env `secretKeyRef`, `envFrom` `secretRef`, volumes, and
/// the kubelet's `imagePullSecrets`.
fn pod_reads(object: &Value) -> Vec<String> {
    let mut spec = &object["spec"]["template"]["spec"];
    if spec.is_null() {
        spec = &object["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    }
    let mut names = Vec::new();
    let containers = ["initContainers", "containers"]
        .iter()
        .filter_map(|k| spec[*k].as_sequence())
        .flatten();
    for container in containers {
        for env in container["env"].as_sequence().into_iter().flatten() {
            if let Some(n) = env["valueFrom"]["secretKeyRef"]["name"].as_str() {
                names.push(n.to_string());
            }
        }
        for from in container["envFrom"].as_sequence().into_iter().flatten() {
            if let Some(n) = from["secretRef"]["name"].as_str() {
                names.push(n.to_string());
            }
        }
    }
    for pull in spec["imagePullSecrets"].as_sequence().into_iter().flatten() {
        if let Some(n) = pull["name"].as_str() {
            names.push(n.to_string());
        }
    }
    for volume in spec["volumes"].as_sequence().into_iter().flatten() {
        if let Some(n) = volume["secret"]["secretName"].as_str() {
            names.push(n.to_string());
        }
        for source in volume["projected"]["sources"]
            .as_sequence()
            .into_iter()
            .flatten()
        {
            if let Some(n) = source["secret"]["name"].as_str() {
                names.push(n.to_string());
            }
        }
    }
    names
}

/// Whether chart values name `secret` anywhere: any string equal to its name counts, which is
/// wider than any one chart's convention and so never misses a consumer.
fn values_name(values: &Value, secret: &str) -> bool {
    match values {
        Value::String(s) => s == secret,
        Value::Sequence(items) => items.iter().any(|v| values_name(v, secret)),
        Value::Mapping(map) => map.values().any(|v| values_name(v, secret)),
        _ => false,
    }
}

fn certificate() -> cert::Certificate {
    let pem = std::fs::read(crate::support::root().join("tests/seal/cert.pem")).unwrap();
    cert::read(&pem, 1_800_000_000).unwrap()
}

/// A sealed file for each skeleton of `seal/`, as `labc seal` would write it.
fn seal_every_skeleton(files: &BTreeMap<String, Vec<u8>>) -> Vec<SealedFile> {
    let cert = certificate();
    let mut rng = rand::rngs::OsRng;
    let mut sealed = Vec::new();
    for (path, bytes) in files {
        if !(path.starts_with("seal/") && path.ends_with(".yaml")) {
            continue;
        }
        let skeleton: Value = serde_yaml::from_slice(bytes).unwrap();
        let meta = &skeleton["metadata"];
        let (name, ns) = (
            meta["name"].as_str().unwrap(),
            meta["namespace"].as_str().unwrap(),
        );
        let on = |a: &str| meta["annotations"][a].as_str() == Some("true");
        let scope = if on(labc::secrets::CLUSTER_WIDE) {
            SecretScope::ClusterWide
        } else if on(labc::secrets::NAMESPACE_WIDE) {
            SecretScope::NamespaceWide
        } else {
            SecretScope::Strict
        };
        let mut annotations = serde_yaml::Mapping::new();
        for key in [labc::secrets::CLUSTER_WIDE, labc::secrets::NAMESPACE_WIDE] {
            if on(key) {
                annotations.insert(key.into(), "true".into());
            }
        }
        let data: serde_yaml::Mapping = skeleton["stringData"]
            .as_mapping()
            .unwrap()
            .keys()
            .map(|k| {
                let c = format::seal(&cert.key, scope, ns, name, b"value", &mut rng);
                (
                    k.clone(),
                    base64::engine::general_purpose::STANDARD.encode(c).into(),
                )
            })
            .collect();
        let meta = serde_yaml::to_value(BTreeMap::from([
            ("name", Value::from(name)),
            ("namespace", Value::from(ns)),
            ("annotations", Value::Mapping(annotations)),
        ]))
        .unwrap();
        let object = serde_yaml::to_value(BTreeMap::from([
            ("apiVersion", Value::from("bitnami.com/v1alpha1")),
            ("kind", Value::from("SealedSecret")),
            ("metadata", meta.clone()),
            (
                "spec",
                serde_yaml::to_value(BTreeMap::from([
                    ("encryptedData", Value::Mapping(data)),
                    (
                        "template",
                        serde_yaml::to_value(BTreeMap::from([("metadata", meta)])).unwrap(),
                    ),
                ]))
                .unwrap(),
            ),
        ]))
        .unwrap();
        sealed.push(SealedFile {
            path: labc::secrets::sealed::path_of(ns, name),
            text: serde_yaml::to_string(&object).unwrap(),
        });
    }
    sealed
}

/// The site compiled with a sealed file for every declared secret.
fn compiled_with_every_secret_sealed(site: &Path) -> BTreeMap<String, Vec<u8>> {
    let bytes = std::fs::read(site).unwrap();
    let dir = site.parent().unwrap();
    let compile = |sealed: &[SealedFile]| {
        labc::compile_with_sealed("site.kdl", &bytes, &catalog(), sealed)
            .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)))
            .files
            .into_map()
    };
    let committed = labc::seal::read_sealed(dir).unwrap();
    if !committed.is_empty() {
        return compile(&committed);
    }
    let sealed = seal_every_skeleton(&compile(&[]));
    compile(&sealed)
}

/// Where `out/` lives in the site's repository: the root Application syncs `<it>/argocd`.
fn out_path(files: &BTreeMap<String, Vec<u8>>) -> String {
    let (_, root) = files
        .iter()
        .find(|(p, _)| p.starts_with("bootstrap/application-"))
        .expect("a root Application");
    let root: Value = serde_yaml::from_slice(root).unwrap();
    let path = root["spec"]["source"]["path"].as_str().unwrap();
    path.strip_suffix("/argocd").unwrap().to_string()
}

/// One consumer of a Secret: the object reading it, its Application and that wave.
struct Consumer {
    what: String,
    application: String,
    wave: i64,
    /// The object's own wave inside its Application.
    inner: i64,
}

/// Checks one site; returns how many (secret, consumer) pairs it checked.
fn check_site(site: &Path) -> usize {
    let files = compiled_with_every_secret_sealed(site);
    let apps = applications(&files, &out_path(&files));
    let mut checked = 0;
    for path in files
        .keys()
        .filter(|p| p.starts_with("seal/") && p.ends_with(".yaml"))
    {
        let skeleton: Value = serde_yaml::from_slice(&files[path]).unwrap();
        let name = skeleton["metadata"]["name"].as_str().unwrap();
        let ns = skeleton["metadata"]["namespace"].as_str().unwrap();
        let mut consumers = Vec::new();
        let mut sealed = Vec::new();
        for (path, bytes) in &files {
            if !path.ends_with(".yaml") || path.starts_with("seal/") || path.starts_with("nodes/") {
                continue;
            }
            let object: Value = serde_yaml::from_slice(bytes).unwrap();
            let kind = object["kind"].as_str().unwrap_or_default();
            if object["metadata"]["namespace"].as_str() == Some(ns)
                && object["metadata"]["name"].as_str() == Some(name)
                && kind == "SealedSecret"
            {
                let app = syncing(&apps, path)
                    .unwrap_or_else(|| panic!("{}: no Application syncs {path}", site.display()));
                sealed.push((app, wave_of(&object), path.clone()));
            } else if object["metadata"]["namespace"].as_str() == Some(ns)
                && pod_reads(&object).iter().any(|n| n == name)
            {
                let app = syncing(&apps, path)
                    .unwrap_or_else(|| panic!("{}: no Application syncs {path}", site.display()));
                consumers.push(Consumer {
                    what: path.clone(),
                    application: app.name.clone(),
                    wave: app.wave,
                    inner: wave_of(&object),
                });
            }
        }
        for app in &apps {
            if app.namespace == ns && app.values.as_ref().is_some_and(|v| values_name(v, name)) {
                consumers.push(Consumer {
                    what: format!("the chart values of Application {}", app.name),
                    application: app.name.clone(),
                    wave: app.wave,
                    inner: 0,
                });
            }
        }
        assert_eq!(
            sealed.len(),
            1,
            "{}: secret {ns}/{name} is synced {} times: {:?}",
            site.display(),
            sealed.len(),
            sealed.iter().map(|s| &s.2).collect::<Vec<_>>()
        );
        let (synced_by, inner, sealed_path) = &sealed[0];
        for consumer in &consumers {
            checked += 1;
            assert!(
                synced_by.wave <= consumer.wave,
                "{}: secret {ns}/{name} ({sealed_path}) is synced by Application {} in wave {}, \
                 after {} (Application {}, wave {}) which reads it",
                site.display(),
                synced_by.name,
                synced_by.wave,
                consumer.what,
                consumer.application,
                consumer.wave
            );
            if consumer.application == synced_by.name {
                assert!(
                    inner < &consumer.inner,
                    "{}: {sealed_path} is applied with {} in its Application, not before it",
                    site.display(),
                    consumer.what
                );
            }
        }
    }
    checked
}

#[test]
fn every_sealed_secret_is_synced_no_later_than_its_first_consumer() {
    let mut total = 0;
    for site in good_sites() {
        total += check_site(&site);
    }
    // the seed alone: the database and the app read mysql-credentials, charts read the others
    assert!(
        total >= 4,
        "only {total} consumers found: the walk misses them"
    );
}

#[test]
fn the_seeds_database_credentials_come_with_the_database_not_the_app() {
    let files = compiled_with_every_secret_sealed(&crate::support::root().join("site.kdl"));
    let apps = applications(&files, &out_path(&files));
    let (path, _) = files
        .iter()
        .find(|(p, _)| p.ends_with("/sealedsecret-mysql-credentials.yaml"))
        .expect("mysql-credentials is emitted");
    let by = syncing(&apps, path).expect("synced");
    let database = apps.iter().find(|a| a.name == "mysql").unwrap();
    let app = apps.iter().find(|a| a.name == "was").unwrap();
    assert!(
        database.wave < app.wave,
        "the test's premise: the database comes first"
    );
    assert_eq!(by.name, "mysql", "{path}");
}

/// Two consumers in one wave: the secret goes to the first folder by name, whichever app is
/// declared first, so that reordering `site.kdl` moves nothing.
#[test]
fn consumers_of_one_wave_are_ordered_by_folder_name() {
    let site = |first: &str, second: &str| {
        let app = |name: &str| {
            format!(
                "app {name} namespace=\"team\" image=\"ghcr.io/me/{name}:1.0.0@sha256:{}\" {{\n    port 8080\n    env TOKEN secret=\"token\" key=\"token\"\n    exception CKV_K8S_35 why=\"reads its token from the environment\"\n}}\n",
                "a".repeat(64)
            )
        };
        format!(
            "site tie {{\n    repo \"https://git.example.org/me/tie.git\" revision=\"main\" path=\"out\"\n    kubernetes \"1.31.13\" runtime=\"containerd\" runtime-version=\"2.1.5\"\n}}\n\
             node box role=\"control-plane\" address=\"10.0.0.2\" schedulable=#true\n\
             layer cni {{ cilium; }}\nlayer gitops {{ argocd; sealed-secrets; }}\n\
             secret token namespace=\"team\" {{\n    keys \"token\"\n}}\n{}{}",
            app(first),
            app(second)
        )
    };
    let placed = |text: String| {
        let unsealed = labc::compile("site.kdl", text.as_bytes(), &catalog())
            .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)))
            .files
            .into_map();
        let sealed = seal_every_skeleton(&unsealed);
        let files = labc::compile_with_sealed("site.kdl", text.as_bytes(), &catalog(), &sealed)
            .unwrap()
            .files
            .into_map();
        let apps = applications(&files, "out");
        let waves: Vec<i64> = ["alpha", "zeta"]
            .iter()
            .map(|n| apps.iter().find(|a| a.name == *n).unwrap().wave)
            .collect();
        assert_eq!(waves[0], waves[1], "the test's premise: one wave");
        files
            .keys()
            .filter(|p| p.ends_with("/sealedsecret-token.yaml"))
            .cloned()
            .collect::<Vec<_>>()
    };
    let want = vec!["apps/alpha/sealedsecret-token.yaml".to_string()];
    assert_eq!(placed(site("zeta", "alpha")), want);
    assert_eq!(placed(site("alpha", "zeta")), want);
}
