//! The rendered system: every object every Application would apply, with the Application that
//! applies it, where it sits in the sync order, and the namespace Argo CD puts it in.

use super::apps::{str_at, wave_of, App, Project};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One object Argo CD would apply.
#[derive(Debug, Clone)]
pub struct Object {
    /// Index of its Application in `System::apps`.
    pub app: usize,
    /// The file of `out/` it was read from, for objects of a folder of `out/`.
    pub file: Option<String>,
    pub api_version: String,
    pub kind: String,
    /// Empty for a cluster-scoped object.
    pub namespace: String,
    pub name: String,
    /// Its own place inside its Application: its sync wave, or before or after every wave for
    /// a PreSync or PostSync hook (Helm's pre- and post-install hooks become those).
    pub wave: i64,
    pub value: Value,
    /// For an object nobody applies but the cluster makes at run time, who makes it.
    pub made_by: Option<String>,
}

impl Object {
    pub fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// `Kind namespace/name` (or `Kind name`), the way people name an object.
    pub fn describe(&self) -> String {
        if self.namespace.is_empty() {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        }
    }

    /// The ports a Service exposes (`spec.ports[].port`).
    pub fn service_ports(&self) -> Vec<u16> {
        self.value
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| p.get("port").and_then(Value::as_u64))
            .filter_map(|p| u16::try_from(p).ok())
            .collect()
    }

    pub fn labels(&self) -> BTreeMap<String, String> {
        string_map(self.value.pointer("/metadata/labels"))
    }

    /// Where the object is applied: its Application's wave, then its own.
    pub fn position(&self, apps: &[App]) -> (i64, i64) {
        (apps[self.app].wave, self.wave)
    }
}

pub fn string_map(value: Option<&Value>) -> BTreeMap<String, String> {
    value
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// Kinds of Kubernetes 1.31 that are not namespaced; custom resources say so in their CRD.
const CLUSTER_SCOPED: &[&str] = &[
    "APIService",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "FlowSchema",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "RuntimeClass",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
];

/// The whole system: Applications, projects, and what they apply.
#[derive(Debug, Default)]
pub struct System {
    pub apps: Vec<App>,
    pub projects: BTreeMap<String, Project>,
    pub objects: Vec<Object>,
    /// (group, kind) of cluster-scoped custom resources, from every CRD rendered or embedded.
    pub cluster_kinds: BTreeSet<(String, String)>,
    /// Per Application, the subcharts rendered off because the cache lacks them.
    pub missing: BTreeMap<usize, Vec<super::cache::Missing>>,
    /// Applications that did not render (each has its own diagnostic).
    pub unrendered: BTreeSet<usize>,
}

impl System {
    /// Builds the system from each Application's rendered objects (same order as `apps`).
    /// `crd_scopes` are (group, kind, cluster-scoped) of CRDs that are not rendered but known.
    pub fn new(
        apps: Vec<App>,
        projects: BTreeMap<String, Project>,
        rendered: Vec<Vec<(Option<String>, Value)>>,
        known_cluster_kinds: impl IntoIterator<Item = (String, String)>,
    ) -> System {
        let mut cluster_kinds: BTreeSet<(String, String)> =
            known_cluster_kinds.into_iter().collect();
        for objects in &rendered {
            for (_, object) in objects {
                if str_at(object, &["kind"]) == "CustomResourceDefinition" {
                    let group = str_at(object, &["spec", "group"]).to_string();
                    let kind = str_at(object, &["spec", "names", "kind"]).to_string();
                    if str_at(object, &["spec", "scope"]) == "Cluster" {
                        cluster_kinds.insert((group, kind));
                    } else {
                        cluster_kinds.remove(&(group, kind));
                    }
                }
            }
        }
        let mut objects = Vec::new();
        for (index, rendered) in rendered.into_iter().enumerate() {
            for (file, value) in rendered {
                let api_version = str_at(&value, &["apiVersion"]).to_string();
                let kind = str_at(&value, &["kind"]).to_string();
                if kind.is_empty() {
                    continue;
                }
                let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
                let cluster =
                    (group.is_empty() || !group.contains('.') || group.ends_with(".k8s.io"))
                        && CLUSTER_SCOPED.contains(&kind.as_str())
                        || cluster_kinds.contains(&(group.to_string(), kind.clone()));
                let namespace = if cluster {
                    String::new()
                } else {
                    match str_at(&value, &["metadata", "namespace"]) {
                        "" => apps[index].namespace.clone(),
                        ns => ns.to_string(),
                    }
                };
                objects.push(Object {
                    app: index,
                    file,
                    name: str_at(&value, &["metadata", "name"]).to_string(),
                    wave: hook_wave(&value).unwrap_or_else(|| wave_of(&value)),
                    made_by: None,
                    api_version,
                    kind,
                    namespace,
                    value,
                });
            }
        }
        let mut system = System {
            apps,
            projects,
            objects,
            cluster_kinds,
            missing: BTreeMap::new(),
            unrendered: BTreeSet::new(),
        };
        system.apps.push(super::runtime::cluster_app());
        let namespaces: Vec<String> = system
            .namespaces()
            .into_iter()
            .map(str::to_string)
            .collect();
        let made = super::runtime::objects(&system.objects, &namespaces, system.apps.len() - 1);
        system.objects.extend(made);
        system
    }

    /// A system of one Application applying the objects of a YAML stream, for unit tests.
    #[cfg(test)]
    pub fn from_yaml(text: &str) -> System {
        let app = App {
            name: "test".into(),
            file: "argocd/application-test.yaml".into(),
            wave: 0,
            project: "default".into(),
            namespace: "default".into(),
            source: super::apps::Source::Folder {
                path: "test".into(),
                recurse: false,
            },
        };
        let objects = super::apps::documents("test", text.as_bytes())
            .expect("test YAML")
            .into_iter()
            .map(|o| (None, o))
            .collect();
        System::new(
            vec![app],
            BTreeMap::new(),
            vec![objects],
            std::iter::empty(),
        )
    }

    /// The objects Applications apply, without those the cluster makes at run time.
    pub fn applied(&self) -> impl Iterator<Item = &Object> {
        self.objects.iter().filter(|o| o.made_by.is_none())
    }

    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        self.objects.iter().filter(move |o| o.kind == kind)
    }

    pub fn find(&self, kind: &str, namespace: &str, name: &str) -> Option<&Object> {
        self.objects
            .iter()
            .find(|o| o.kind == kind && o.namespace == namespace && o.name == name)
    }

    /// Every namespace the system has or deploys into, with the ones every cluster has.
    pub fn namespaces(&self) -> BTreeSet<&str> {
        let mut all: BTreeSet<&str> = ["default", "kube-system", "kube-public", "kube-node-lease"]
            .into_iter()
            .collect();
        all.extend(
            self.objects
                .iter()
                .map(|o| o.namespace.as_str())
                .filter(|n| !n.is_empty()),
        );
        all.extend(self.of_kind("Namespace").map(|o| o.name.as_str()));
        all.extend(self.apps.iter().map(|a| a.namespace.as_str()));
        all
    }
}

/// Where a hook runs relative to its Application's waves: Argo CD runs PreSync hooks before
/// the first wave and PostSync hooks once every object is healthy.
fn hook_wave(object: &Value) -> Option<i64> {
    let annotations = object.pointer("/metadata/annotations")?;
    // an Argo CD hook annotation replaces Helm's (gitops-engine's hook.go)
    let hook = annotations
        .get("argocd.argoproj.io/hook")
        .or_else(|| annotations.get("helm.sh/hook"))
        .and_then(Value::as_str)?;
    let words: Vec<&str> = hook.split(',').map(str::trim).collect();
    if words
        .iter()
        .any(|w| matches!(*w, "PreSync" | "pre-install" | "pre-upgrade"))
    {
        Some(i64::MIN / 2)
    } else if words
        .iter()
        .any(|w| matches!(*w, "PostSync" | "post-install" | "post-upgrade"))
    {
        Some(i64::MAX / 2)
    } else {
        None
    }
}

/// Pod templates of workloads (and bare pods): the object, and the pod spec and its labels.
pub fn pod_templates(object: &Object) -> Option<(&Value, BTreeMap<String, String>)> {
    let v = &object.value;
    let (spec, labels) = match object.kind.as_str() {
        "Pod" => (v.pointer("/spec"), v.pointer("/metadata/labels")),
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" | "Rollout" => (
            v.pointer("/spec/template/spec"),
            v.pointer("/spec/template/metadata/labels"),
        ),
        "CronJob" => (
            v.pointer("/spec/jobTemplate/spec/template/spec"),
            v.pointer("/spec/jobTemplate/spec/template/metadata/labels"),
        ),
        _ => return None,
    };
    Some((spec?, string_map(labels)))
}

/// Whether `labels` satisfy a label selector (`matchLabels` and `matchExpressions`). An empty
/// selector selects everything.
pub fn selects(selector: &Value, labels: &BTreeMap<String, String>) -> bool {
    let match_labels = string_map(selector.get("matchLabels"));
    if !match_labels.iter().all(|(k, v)| labels.get(k) == Some(v)) {
        return false;
    }
    let expressions = selector
        .get("matchExpressions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    expressions.iter().all(|e| {
        let key = str_at(e, &["key"]);
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let have = labels.get(key).map(String::as_str);
        match str_at(e, &["operator"]) {
            "In" => have.is_some_and(|h| values.contains(&h)),
            "NotIn" => !have.is_some_and(|h| values.contains(&h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn hooks_run_where_argo_cd_runs_them() {
        let hook =
            |annotations| super::hook_wave(&json!({"metadata": {"annotations": annotations}}));
        assert_eq!(
            hook(json!({"helm.sh/hook": "post-install,post-upgrade"})),
            Some(i64::MAX / 2)
        );
        assert_eq!(
            hook(json!({"helm.sh/hook": "pre-install"})),
            Some(i64::MIN / 2)
        );
        assert_eq!(
            hook(json!({"argocd.argoproj.io/hook": "PreSync"})),
            Some(i64::MIN / 2)
        );
        // Argo CD's own annotation replaces Helm's: a Sync hook runs with the other objects
        assert_eq!(
            hook(json!({"helm.sh/hook": "post-install", "argocd.argoproj.io/hook": "Sync"})),
            None
        );
        assert_eq!(hook(json!({"other": "x"})), None);
    }
}
