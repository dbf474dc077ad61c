//! The classes of change a reviewer must not miss, most dangerous first: a Namespace removed
//! (Kubernetes deletes everything in it), a change the API server refuses to apply in place (the
//! sync fails until the object is deleted and created again, losing what it held), who may do
//! what (RBAC), the API itself (CRDs), secrets, who may talk to whom (network and L7 policy),
//! what code runs (images) and what runs as root on the machines (node scripts).

use super::fields::FieldChange;
use super::object::{Body, ObjectId};
use super::What;
use serde_yaml::Value;
use std::collections::BTreeSet;

/// In the order the summary lists them: most risky first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Risk {
    NamespaceRemoved,
    Immutable,
    Rbac,
    Crd,
    Secrets,
    NetworkPolicy,
    L7Policy,
    Images,
    NodeScripts,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::NamespaceRemoved => "namespace removed",
            Risk::Immutable => "not applicable in place",
            Risk::Rbac => "RBAC",
            Risk::Crd => "CRDs",
            Risk::Secrets => "secrets",
            Risk::NetworkPolicy => "network policy",
            Risk::L7Policy => "L7 policy",
            Risk::Images => "images",
            Risk::NodeScripts => "node scripts",
        }
    }
}

/// What any change to this object touches, whatever its fields.
fn of_kind(id: &ObjectId, file: &str) -> BTreeSet<Risk> {
    let mut risks = BTreeSet::new();
    let kind = match id.kind.as_str() {
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" | "ServiceAccount"
        // an AppProject bounds what Argo CD may deploy, and where
        | "AppProject" => Some(Risk::Rbac),
        "CustomResourceDefinition" => Some(Risk::Crd),
        "Secret" | "SealedSecret" => Some(Risk::Secrets),
        "NetworkPolicy" | "CiliumNetworkPolicy" | "CiliumClusterwideNetworkPolicy" => {
            Some(Risk::NetworkPolicy)
        }
        "AuthorizationPolicy" | "PeerAuthentication" | "RequestAuthentication" => {
            Some(Risk::L7Policy)
        }
        _ => None,
    };
    risks.extend(kind);
    if file.starts_with("nodes/") {
        risks.insert(Risk::NodeScripts);
    }
    risks
}

/// What a field path touches: images (`…image`, Helm's `image.tag`) and secret references.
fn of_path(path: &str) -> Option<Risk> {
    let segments: Vec<&str> = path
        .split(['.', '['])
        .map(|s| s.trim_end_matches(']').trim_matches('"'))
        .collect();
    if segments.iter().any(|s| *s == "image" || *s == "images") {
        return Some(Risk::Images);
    }
    if segments.iter().any(|s| {
        matches!(
            *s,
            "secretKeyRef" | "secretRef" | "secretName" | "secret" | "existingSecret"
        )
    }) {
        return Some(Risk::Secrets);
    }
    None
}

/// Whether the API server refuses `change` to an object of `kind` in place: the fields its
/// validation makes immutable once the object exists (apps/v1 StatefulSet and Deployment,
/// batch/v1 Job, core/v1 Service and PersistentVolumeClaim).
fn immutable(kind: &str, change: &FieldChange) -> bool {
    let path = change.path.as_str();
    let under = |prefix: &str| {
        path == prefix
            || path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with(['.', '[']))
    };
    match kind {
        "StatefulSet" => {
            under("spec.volumeClaimTemplates")
                || under("spec.selector")
                || under("spec.serviceName")
                || under("spec.podManagementPolicy")
        }
        "Deployment" | "DaemonSet" | "ReplicaSet" => under("spec.selector"),
        "Job" => under("spec.template") || under("spec.selector") || under("spec.completionMode"),
        "Service" => {
            // ClusterIP <-> NodePort <-> LoadBalancer is applied in place; an address once
            // given is not, nor is a move to or from ExternalName (which has none)
            let external =
                |v: &Option<Value>| v.as_ref().and_then(Value::as_str) == Some("ExternalName");
            under("spec.clusterIP")
                || under("spec.clusterIPs")
                || (path == "spec.type" && (external(&change.old) || external(&change.new)))
        }
        "PersistentVolumeClaim" => {
            under("spec.storageClassName")
                || under("spec.accessModes")
                || under("spec.volumeMode")
                || under("spec.volumeName")
                || (path == "spec.resources.requests.storage" && shrinks(change))
        }
        _ => false,
    }
}

/// A storage request made smaller (or removed): claims only grow.
fn shrinks(change: &FieldChange) -> bool {
    let size = |v: &Option<Value>| v.as_ref().and_then(quantity_of);
    match (size(&change.old), size(&change.new)) {
        (Some(old), Some(new)) => new < old,
        (Some(_), None) => change.new.is_none(),
        _ => false,
    }
}

/// A Kubernetes quantity (`10Gi`, `500M`, `1.5T`, `1024`) in bytes.
fn quantity_of(value: &Value) -> Option<f64> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        _ => return None,
    };
    Some(number * factor)
}

pub fn of_change(id: &ObjectId, file: &str, what: &What) -> BTreeSet<Risk> {
    let mut risks = of_kind(id, file);
    if let What::Fields(fields) = what {
        if fields.iter().any(|f| immutable(&id.kind, f)) {
            risks.insert(Risk::Immutable);
        }
        risks.extend(fields.iter().filter_map(|f: &FieldChange| {
            of_path(&f.path).or_else(|| {
                // a whole subtree added or removed may hold an image
                let inner = f.new.as_ref().or(f.old.as_ref())?;
                holds_image(inner).then_some(Risk::Images)
            })
        }));
    }
    risks
}

/// An added or removed object: its kind, and whether it brings or takes away images; a
/// Namespace removed takes everything in it.
pub fn of_object(id: &ObjectId, file: &str, body: &Body, removed: bool) -> BTreeSet<Risk> {
    let mut risks = of_kind(id, file);
    if removed && id.kind == "Namespace" && id.group.is_empty() {
        risks.insert(Risk::NamespaceRemoved);
    }
    if let Body::Yaml(value) = body {
        if holds_image(value) {
            risks.insert(Risk::Images);
        }
    }
    risks
}

fn holds_image(value: &Value) -> bool {
    match value {
        Value::Mapping(map) => map
            .iter()
            .any(|(k, v)| k.as_str() == Some("image") || holds_image(v)),
        Value::Sequence(list) => list.iter().any(holds_image),
        Value::Tagged(tagged) => holds_image(&tagged.value),
        _ => false,
    }
}
