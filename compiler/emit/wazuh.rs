//! Wazuh's objects in `platform/wazuh/`, which its Application reads as a plain folder of
//! YAML. They are upstream's `wazuh/` tree of wazuh-kubernetes at the pinned tag, kept as
//! templates in `stdlib/wazuh/` and rendered for the site: the site's StorageClass instead of
//! upstream's MicroK8s one, the sealed `wazuh-certs` and `wazuh-credentials` instead of
//! certificate files and default passwords, requests the capacity check counts, ClusterIP
//! Services, and the workers' syslog listener. Each object is read into its Kubernetes type
//! before it is written, so a field the API does not know cannot slip through.

use super::files::object_path;
use super::{labels, Files};
use crate::model::{SettingValue, Site};
use crate::stdlib::prepared::{self, WAZUH_TEMPLATES};
use crate::stdlib::{Catalog, Component};
use crate::wazuh::{self as facts, certs, Role};
use handlebars::Handlebars;
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::core::v1::{ConfigMap, Service};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// The folder in `out/` (under the site's repo path) that the Application syncs.
pub const FOLDER: &str = "platform/wazuh";

const INTERNAL_USERS: &str = include_str!("../../stdlib/wazuh/internal_users.yml");

/// The manager's state, on its volume: upstream's list of folders kept across restarts.
const MANAGER_PATHS: &[(&str, &str)] = &[
    (
        "/var/ossec/api/configuration",
        "wazuh/var/ossec/api/configuration",
    ),
    ("/var/ossec/etc", "wazuh/var/ossec/etc"),
    ("/var/ossec/logs", "wazuh/var/ossec/logs"),
    ("/var/ossec/queue", "wazuh/var/ossec/queue"),
    (
        "/var/ossec/var/multigroups",
        "wazuh/var/ossec/var/multigroups",
    ),
    ("/var/ossec/integrations", "wazuh/var/ossec/integrations"),
    (
        "/var/ossec/active-response/bin",
        "wazuh/var/ossec/active-response/bin",
    ),
    ("/var/ossec/agentless", "wazuh/var/ossec/agentless"),
    ("/var/ossec/wodles", "wazuh/var/ossec/wodles"),
    ("/etc/filebeat", "filebeat/etc/filebeat"),
    ("/var/lib/filebeat", "filebeat/var/lib/filebeat"),
];

/// The registry of `stdlib/wazuh/*.hbs`, each named after its file without `.hbs`, built from
/// the templates build.rs compiled (`stdlib/prepared.rs`).
fn registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        handlebars::handlebars_helper!(to_json: |v: Json| serde_json::to_string(v).unwrap_or_default());
        hb.register_helper("json", Box::new(to_json));
        prepared::register(&mut hb, WAZUH_TEMPLATES);
        hb
    })
}

fn render(name: &str, context: &Value) -> String {
    registry()
        .render(name, context)
        .unwrap_or_else(|e| panic!("stdlib/wazuh/{name}.hbs: {e}"))
}

/// The StorageClass of Wazuh's volumes: the site's default class, else the first class a
/// storage component of the site provides; none (the cluster's default) without one.
pub fn storage_class(site: &Site, catalog: &Catalog) -> Option<String> {
    let providers: Vec<(&str, bool)> = site
        .layers
        .iter()
        .flat_map(|l| &l.components)
        .filter_map(|used| {
            let def = catalog.get(used.name.as_str())?;
            let class = def.storage_class.as_deref()?;
            let default = matches!(
                used.settings.get("default").map(|s| &s.value),
                Some(SettingValue::Bool(true))
            );
            Some((class, default))
        })
        .collect();
    providers
        .iter()
        .find(|(_, default)| *default)
        .or(providers.first())
        .map(|(class, _)| class.to_string())
}

fn setting_bool(site: &Site, def: &Component, name: &str) -> bool {
    let used = site
        .layers
        .iter()
        .flat_map(|l| &l.components)
        .find(|c| c.name.as_str() == def.name);
    let value = used
        .and_then(|u| u.settings.get(name).map(|s| &s.value))
        .or(def.setting(name).and_then(|s| s.default.as_ref()));
    matches!(value, Some(SettingValue::Bool(true)))
}

fn resources(role: Role) -> Value {
    json!({
        "requests": {"cpu": role.cpu, "memory": role.memory},
        "limits": {"cpu": role.cpu_limit, "memory": role.memory_limit},
    })
}

fn plain(name: &str, value: &str) -> Value {
    json!({"name": name, "value": value})
}

fn sealed(name: &str, key: &str) -> Value {
    json!({"name": name, "valueFrom": {"secretKeyRef": {"name": facts::CREDENTIALS, "key": key}}})
}

fn hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// checkov's skips for what the upstream images need, each with its reason, in checkov's own
/// annotation (as a site's `exception`s are for its apps; docs/hardening.md).
fn checkov() -> Value {
    const DIGEST: (&str, &str) = (
        "CKV_K8S_43",
        "the Wazuh release's tag, pinned in stdlib/components/wazuh.kdl",
    );
    const ENV_SECRETS: (&str, &str) = (
        "CKV_K8S_35",
        "the Wazuh images read their passwords from the environment only",
    );
    let manager: &[(&str, &str)] = &[
        DIGEST,
        ENV_SECRETS,
        (
            "CKV_K8S_20",
            "the manager's init (s6-overlay) starts as root and switches users",
        ),
        (
            "CKV_K8S_22",
            "the manager's entrypoint writes its configuration into /var/ossec and /etc",
        ),
        (
            "CKV_K8S_23",
            "the manager starts as root and its daemons drop to the wazuh user",
        ),
        (
            "CKV_K8S_25",
            "the manager's daemons chroot (SYS_CHROOT, as upstream)",
        ),
        (
            "CKV_K8S_37",
            "the manager's daemons chroot (SYS_CHROOT, as upstream)",
        ),
        (
            "CKV_K8S_40",
            "the manager starts as root and its daemons drop to the wazuh user",
        ),
    ];
    let indexer: &[(&str, &str)] = &[
        DIGEST,
        ENV_SECRETS,
        (
            "CKV_K8S_22",
            "the indexer writes its keystore and security files under its config folder",
        ),
        ("CKV_K8S_40", "uid 1000 owns the indexer image's files"),
    ];
    let dashboard: &[(&str, &str)] = &[
        DIGEST,
        ENV_SECRETS,
        (
            "CKV_K8S_22",
            "the dashboard's entrypoint writes wazuh.yml into its data folder",
        ),
        (
            "CKV_K8S_23",
            "runs as the image's own non-root user, named, which runAsNonRoot cannot verify",
        ),
        (
            "CKV_K8S_40",
            "runs as the image's own user, which owns its files",
        ),
    ];
    let annotate = |skips: &[(&str, &str)]| -> Value {
        skips
            .iter()
            .enumerate()
            .map(|(n, (check, why))| {
                (
                    format!("checkov.io/skip{}", n + 1),
                    json!(format!("{check}={why}")),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    json!({
        "master": annotate(manager),
        "worker": annotate(manager),
        "indexer": annotate(indexer),
        "dashboard": annotate(dashboard),
    })
}

/// The whole context of the templates, for one site.
fn context(site: &Site, catalog: &Catalog, def: &Component, namespace: &str) -> Value {
    let version = def.version().unwrap_or_default().trim_start_matches('v');
    let organization = site.settings.name.as_str();
    let dashboard_tls = setting_bool(site, def, "dashboard-tls");
    let indexer_url = format!("https://indexer.{namespace}.svc.cluster.local:9200");
    let api_url = format!("https://wazuh.{namespace}.svc.cluster.local");
    let network = &site.settings.network;
    // Falcosidekick's pods, and the nodes (their syslog and the API server's audit log); a site
    // that does not give its node network allows the pods only
    let syslog_allowed: Vec<String> = std::iter::once(network.pods.to_string())
        .chain(network.nodes.as_ref().map(|n| n.to_string()))
        .collect();
    let base = json!({
        "namespace": namespace,
        "syslog_port": facts::SYSLOG_PORT,
        "syslog_allowed": syslog_allowed,
        "admin_dn": certs::dn("admin", organization),
        "node_dn": certs::dn("node", organization),
        "dashboard_tls": dashboard_tls,
    });
    let conf = json!({
        "master": render("master.conf", &base),
        "worker": render("worker.conf", &base),
        "opensearch": render("opensearch.yml", &base),
        "internal_users": INTERNAL_USERS,
        "dashboard": render("opensearch_dashboards.yml", &base),
    });
    let text = |k: &str| conf[k].as_str().unwrap_or_default().to_string();
    let indexer_env = [
        plain("INDEXER_URL", &indexer_url),
        plain("INDEXER_USERNAME", "admin"),
        sealed("INDEXER_PASSWORD", "indexer-password"),
    ];
    let filebeat = [
        plain("FILEBEAT_SSL_VERIFICATION_MODE", "full"),
        plain("SSL_CERTIFICATE_AUTHORITIES", "/etc/ssl/root-ca.pem"),
        plain("SSL_CERTIFICATE", "/etc/ssl/filebeat.pem"),
        plain("SSL_KEY", "/etc/ssl/filebeat.key"),
    ];
    let api = [
        plain("API_USERNAME", "wazuh-wui"),
        sealed("API_PASSWORD", "api-password"),
    ];
    let cluster = sealed("WAZUH_CLUSTER_KEY", "cluster-key");
    let mut master: Vec<Value> = indexer_env.to_vec();
    master.extend(filebeat.iter().cloned());
    master.extend(api.iter().cloned());
    master.push(cluster.clone());
    let mut worker: Vec<Value> = indexer_env.to_vec();
    worker.extend(filebeat.iter().cloned());
    worker.push(cluster);
    let mut dashboard: Vec<Value> = indexer_env.to_vec();
    dashboard.push(plain("DASHBOARD_USERNAME", "kibanaserver"));
    dashboard.push(sealed("DASHBOARD_PASSWORD", "dashboard-password"));
    dashboard.push(plain("WAZUH_API_URL", &api_url));
    dashboard.push(plain("API_PORT", &crate::wazuh::API_PORT.to_string()));
    dashboard.extend(api.iter().cloned());
    if dashboard_tls {
        dashboard.push(plain("SERVER_SSL_ENABLED", "true"));
        dashboard.push(plain(
            "SERVER_SSL_CERTIFICATE",
            "/usr/share/wazuh-dashboard/certs/cert.pem",
        ));
        dashboard.push(plain(
            "SERVER_SSL_KEY",
            "/usr/share/wazuh-dashboard/certs/key.pem",
        ));
    } else {
        dashboard.push(plain("SERVER_SSL_ENABLED", "false"));
    }
    let hash_env = vec![
        sealed("INDEXER_PASSWORD", "indexer-password"),
        sealed("DASHBOARD_PASSWORD", "dashboard-password"),
    ];
    let label = |owner: &str| {
        let mut l = labels::of(owner, organization);
        l.insert("app".into(), owner.to_string());
        l
    };
    let mut out = base;
    let obj = out.as_object_mut().expect("an object");
    obj.insert("version".into(), json!(version));
    obj.insert("conf".into(), conf.clone());
    obj.insert(
        "config_hash".into(),
        json!({
            "manager": hash(&[&text("master"), &text("worker")]),
            "indexer": hash(&[&text("opensearch"), &text("internal_users")]),
            "dashboard": hash(&[&text("dashboard")]),
        }),
    );
    obj.insert(
        "labels".into(),
        json!({
            "manager": label("wazuh-manager"),
            "indexer": label("wazuh-indexer"),
            "dashboard": label("wazuh-dashboard"),
        }),
    );
    obj.insert(
        "secrets".into(),
        json!({"certs": facts::CERTS, "credentials": facts::CREDENTIALS}),
    );
    obj.insert(
        "resources".into(),
        json!({
            "master": resources(facts::role("master")),
            "worker": resources(facts::role("worker")),
            "indexer": resources(facts::role("indexer")),
            "dashboard": resources(facts::role("dashboard")),
            // hash.sh starts a JVM for a moment
            "hash": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}},
        }),
    );
    obj.insert(
        "replicas".into(),
        json!({"worker": facts::role("worker").replicas}),
    );
    obj.insert(
        "env".into(),
        json!({"master": master, "worker": worker, "dashboard": dashboard, "hash": hash_env}),
    );
    obj.insert("manager_paths".into(), json!(MANAGER_PATHS));
    obj.insert("storage_class".into(), json!(storage_class(site, catalog)));
    obj.insert(
        "storage".into(),
        json!({"manager": "2Gi", "indexer": "20Gi"}),
    );
    obj.insert("heap".into(), json!("1g"));
    obj.insert("checkov".into(), checkov());
    obj.insert(
        "syslog_ip".into(),
        json!(facts::syslog_address(site).map(|ip| ip.to_string())),
    );
    out
}

/// Reads one rendered document into its Kubernetes type and writes that.
fn add(doc: &str, files: &mut Files) {
    let value: serde_yaml::Value =
        serde_yaml::from_str(doc).unwrap_or_else(|e| panic!("stdlib/wazuh/manifests: {e}"));
    let kind = value["kind"]
        .as_str()
        .expect("every document has a kind")
        .to_string();
    let name = value["metadata"]["name"]
        .as_str()
        .expect("named")
        .to_string();
    let path = object_path(FOLDER, &kind, &name);
    fn typed<T: serde::de::DeserializeOwned + serde::Serialize>(
        value: serde_yaml::Value,
        path: String,
        files: &mut Files,
    ) {
        let object: T = serde_yaml::from_value(value)
            .unwrap_or_else(|e| panic!("stdlib/wazuh/manifests ({path}): {e}"));
        files.object(path, &object);
    }
    match kind.as_str() {
        "ConfigMap" => typed::<ConfigMap>(value, path, files),
        "Service" => typed::<Service>(value, path, files),
        "StatefulSet" => typed::<StatefulSet>(value, path, files),
        "Deployment" => typed::<Deployment>(value, path, files),
        other => panic!("stdlib/wazuh/manifests: no type for kind {other}"),
    }
}

/// The rendered documents, one per object, before they are typed (for the tests too).
pub fn documents(site: &Site, catalog: &Catalog, def: &Component, namespace: &str) -> Vec<String> {
    let text = render("manifests.yaml", &context(site, catalog, def, namespace));
    text.split("\n---\n")
        .map(str::to_string)
        .filter(|d| d.lines().any(|l| l.starts_with("kind:")))
        .collect()
}

pub fn emit(site: &Site, catalog: &Catalog, def: &Component, namespace: &str, files: &mut Files) {
    for doc in documents(site, catalog, def, namespace) {
        add(&doc, files);
    }
}
