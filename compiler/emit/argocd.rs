//! Argo CD objects for the apps: one Application per app and database and one for their
//! namespaces, in an AppProject scoped to those namespaces, plus the root Application that a new
//! cluster is bootstrapped with (app-of-apps over `argocd/`). Sync waves come from the graph.

use super::files::object_path;
use super::{labels, namespace, workload, Files};
use crate::graph::{Graph, VertexKind};
use crate::model::Site;
use serde::Serialize;
use std::collections::BTreeMap;

pub const FOLDER: &str = "argocd";
/// The namespace Argo CD runs in and reads Applications from.
pub const ARGOCD_NAMESPACE: &str = "argocd";
const IN_CLUSTER: &str = "https://kubernetes.default.svc";
const WAVE: &str = "argocd.argoproj.io/sync-wave";
/// Deleting an Application deletes what it deployed, so that removing an app from `site.kdl`
/// removes it from the cluster.
const FINALIZER: &str = "resources-finalizer.argocd.argoproj.io";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    annotations: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    finalizers: Vec<String>,
    labels: BTreeMap<String, String>,
    name: String,
    namespace: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Application {
    api_version: &'static str,
    kind: &'static str,
    metadata: Meta,
    spec: ApplicationSpec,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApplicationSpec {
    destination: Destination,
    project: String,
    source: Source,
    sync_policy: SyncPolicy,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Destination {
    namespace: String,
    server: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Source {
    path: String,
    #[serde(rename = "repoURL")]
    repo_url: String,
    target_revision: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SyncPolicy {
    automated: Automated,
    sync_options: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Automated {
    prune: bool,
    self_heal: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AppProject {
    api_version: &'static str,
    kind: &'static str,
    metadata: Meta,
    spec: AppProjectSpec,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AppProjectSpec {
    description: String,
    destinations: Vec<Destination>,
    source_repos: Vec<String>,
}

fn meta(site: &Site, name: &str, wave: Option<i64>) -> Meta {
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

/// The project of the site's own workloads.
pub fn apps_project(site: &Site) -> String {
    format!("{}-apps", site.settings.name)
}

fn application(
    site: &Site,
    name: &str,
    folder: &str,
    namespace: &str,
    project: String,
    wave: i64,
) -> Application {
    let repo = &site.settings.repo;
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
            source: Source {
                path: format!("{}/{folder}", repo.path),
                repo_url: repo.url.value.clone(),
                target_revision: repo.revision.clone(),
            },
            sync_policy: SyncPolicy {
                automated: Automated {
                    prune: true,
                    self_heal: true,
                },
                sync_options: vec!["PruneLast=true"],
            },
        },
    }
}

pub fn emit(site: &Site, graph: &Graph, files: &mut Files) {
    let repo = &site.settings.repo;
    let project = apps_project(site);
    let namespaces: Vec<&str> = namespace::names(site).into_iter().collect();
    let app_project = AppProject {
        api_version: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: meta(site, &project, Some(-2)),
        spec: AppProjectSpec {
            description: format!("the workloads of site {}", site.settings.name),
            destinations: namespaces
                .iter()
                .map(|ns| Destination {
                    namespace: ns.to_string(),
                    server: IN_CLUSTER,
                })
                .collect(),
            source_repos: vec![repo.url.value.clone()],
        },
    };
    files.object(object_path(FOLDER, "AppProject", &project), &app_project);

    // Namespaces come first: every workload Application syncs into one. They are cluster-scoped,
    // so they sync through the `default` project and the apps' project may create nothing
    // outside its namespaces.
    let ns_app_name = format!("{}-namespaces", site.settings.name);
    let ns_app = application(
        site,
        &ns_app_name,
        namespace::FOLDER,
        "default",
        "default".into(),
        -1,
    );
    files.object(object_path(FOLDER, "Application", &ns_app_name), &ns_app);

    let workloads = site
        .apps
        .iter()
        .map(|a| (VertexKind::App, a.name.as_str(), a.namespace.as_str()))
        .chain(
            site.databases
                .iter()
                .map(|d| (VertexKind::Database, d.name.as_str(), d.namespace.as_str())),
        );
    for (kind, name, ns) in workloads {
        let wave = i64::from(graph.wave(kind, name));
        let app = application(
            site,
            name,
            &workload::folder(name),
            ns,
            project.clone(),
            wave,
        );
        files.object(object_path(FOLDER, "Application", name), &app);
    }

    // The root Application, applied once by hand (`kubectl apply -f bootstrap/`); from then on
    // Argo CD syncs every Application above from git, including changes to this file's folder.
    let mut root = application(
        site,
        &format!("{}-root", site.settings.name),
        FOLDER,
        ARGOCD_NAMESPACE,
        "default".into(),
        0,
    );
    root.metadata.annotations.clear();
    files.object(
        object_path("bootstrap", "Application", &root.metadata.name),
        &root,
    );
}
