//! The Argo CD objects labc writes (Application, AppProject) as serde types, and the one rule
//! for their metadata, sync policy and sync waves, shared by the apps and the platform.

use super::labels;
use crate::graph::{Graph, VertexKind};
use crate::model::Site;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The namespace Argo CD runs in and reads Applications from.
pub const ARGOCD_NAMESPACE: &str = "argocd";
pub const IN_CLUSTER: &str = "https://kubernetes.default.svc";
const WAVE: &str = "argocd.argoproj.io/sync-wave";
/// Deleting an Application deletes what it deployed, so that removing something from
/// `site.kdl` removes it from the cluster.
const FINALIZER: &str = "resources-finalizer.argocd.argoproj.io";
/// Sync waves are ten per graph level, so that the releases of one component (Istio's base,
/// istiod, gateways) and its configuration get waves of their own inside its level.
pub const WAVES_PER_LEVEL: i64 = 10;

/// The sync wave of the `step`th object of a graph vertex.
pub fn wave(graph: &Graph, kind: VertexKind, name: &str, step: i64) -> i64 {
    i64::from(graph.wave(kind, name)) * WAVES_PER_LEVEL + step
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub finalizers: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub name: String,
    pub namespace: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: Meta,
    pub spec: ApplicationSpec,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSpec {
    pub destination: Destination,
    pub project: String,
    pub source: Source,
    pub sync_policy: SyncPolicy,
}

#[derive(Serialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub struct Destination {
    pub namespace: String,
    pub server: &'static str,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub helm: Option<Helm>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(rename = "repoURL")]
    pub repo_url: String,
    pub target_revision: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Helm {
    pub release_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values_object: Option<Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncPolicy {
    pub automated: Automated,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_namespace_metadata: Option<NamespaceMetadata>,
    pub sync_options: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceMetadata {
    pub labels: BTreeMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Automated {
    pub prune: bool,
    pub self_heal: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppProject {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: Meta,
    pub spec: AppProjectSpec,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppProjectSpec {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cluster_resource_whitelist: Vec<GroupKind>,
    pub description: String,
    pub destinations: Vec<Destination>,
    pub source_repos: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupKind {
    pub group: String,
    pub kind: String,
}

pub fn meta(site: &Site, name: &str, wave: Option<i64>) -> Meta {
    Meta {
        name: name.to_string(),
        namespace: ARGOCD_NAMESPACE.into(),
        annotations: wave
            .map(|w| (WAVE.to_string(), w.to_string()))
            .into_iter()
            .collect(),
        labels: labels::of(name, site.settings.name.as_str()),
        finalizers: Vec::new(),
    }
}

pub fn project(
    site: &Site,
    name: &str,
    description: String,
    spec_extra: ProjectScope,
) -> AppProject {
    AppProject {
        api_version: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: meta(site, name, Some(-2)),
        spec: AppProjectSpec {
            cluster_resource_whitelist: spec_extra.cluster_resources,
            description,
            destinations: spec_extra
                .namespaces
                .into_iter()
                .map(|namespace| Destination {
                    namespace,
                    server: IN_CLUSTER,
                })
                .collect(),
            source_repos: spec_extra.repos,
        },
    }
}

/// What a project may deploy: namespaces, cluster-scoped kinds and source repositories.
pub struct ProjectScope {
    pub namespaces: Vec<String>,
    pub cluster_resources: Vec<GroupKind>,
    pub repos: Vec<String>,
}

/// An Application with automated sync, prune, self-heal and the resources finalizer.
pub fn application(
    site: &Site,
    name: &str,
    namespace: &str,
    project: String,
    wave: i64,
    source: Source,
) -> Application {
    let mut metadata = meta(site, name, Some(wave));
    metadata.finalizers.push(FINALIZER.into());
    Application {
        api_version: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata,
        spec: ApplicationSpec {
            destination: Destination {
                namespace: namespace.to_string(),
                server: IN_CLUSTER,
            },
            project,
            source,
            sync_policy: SyncPolicy {
                automated: Automated {
                    prune: true,
                    self_heal: true,
                },
                managed_namespace_metadata: None,
                sync_options: vec!["PruneLast=true".into()],
            },
        },
    }
}

/// A source in the site's own repository: a folder of `out/`.
pub fn site_source(site: &Site, folder: &str) -> Source {
    let repo = &site.settings.repo;
    Source {
        path: Some(format!("{}/{folder}", repo.path)),
        repo_url: repo.url.value.clone(),
        target_revision: repo.revision.clone(),
        ..Source::default()
    }
}
