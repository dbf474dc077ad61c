//! The classes of change a reviewer must not miss, most dangerous first: who may do what
//! (RBAC), the API itself (CRDs), secrets, who may talk to whom (network and L7 policy), what
//! code runs (images) and what runs as root on the machines (node scripts).

use super::fields::FieldChange;
use super::object::{Body, ObjectId};
use super::What;
use serde_yaml::Value;
use std::collections::BTreeSet;

/// In the order the summary lists them: most risky first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Risk {
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

pub fn of_change(id: &ObjectId, file: &str, what: &What) -> BTreeSet<Risk> {
    let mut risks = of_kind(id, file);
    if let What::Fields(fields) = what {
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

/// An added or removed object: its kind, and whether it brings or takes away images.
pub fn of_object(id: &ObjectId, file: &str, body: &Body) -> BTreeSet<Risk> {
    let mut risks = of_kind(id, file);
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
