//! One Namespace per namespace the apps and databases live in, enforcing the restricted Pod
//! Security profile and, with a mesh, Istio sidecar injection.

use super::files::object_path;
use super::{labels, Files};
use crate::model::Site;
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeSet;

pub const FOLDER: &str = "namespaces";

pub fn names(site: &Site) -> BTreeSet<&str> {
    site.apps
        .iter()
        .map(|a| a.namespace.as_str())
        .chain(site.databases.iter().map(|d| d.namespace.as_str()))
        .collect()
}

/// The namespaces labc writes a Namespace object for: those of the apps and databases but the
/// ones `site` declares foreign (`foreign-namespace`), which belong to someone else.
pub fn owned(site: &Site) -> BTreeSet<&str> {
    let mut names = names(site);
    names.retain(|n| !site.settings.is_foreign(n));
    names
}

pub fn emit(site: &Site, files: &mut Files) {
    let mesh = site
        .layers
        .iter()
        .flat_map(|l| &l.components)
        .any(|c| c.name.as_str() == "istio");
    for name in owned(site) {
        let mut labels = labels::of(name, site.settings.name.as_str());
        for mode in ["enforce", "audit", "warn"] {
            labels.insert(
                format!("pod-security.kubernetes.io/{mode}"),
                "restricted".into(),
            );
        }
        if mesh {
            labels.insert("istio-injection".into(), "enabled".into());
        }
        let namespace = Namespace {
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                labels: Some(labels),
                ..Default::default()
            },
            ..Default::default()
        };
        files.object(object_path(FOLDER, "Namespace", name), &namespace);
    }
}
