//! Argo CD objects for the apps: one Application per app and database and one for their
//! namespaces, in an AppProject scoped to those namespaces, plus the root Application that a new
//! cluster is bootstrapped with (app-of-apps over `argocd/`). Sync waves come from the graph.

use super::application::{application, project, site_source, wave, ProjectScope, ARGOCD_NAMESPACE};
use super::files::object_path;
use super::{namespace, workload, Files};
use crate::graph::{Graph, VertexKind};
use crate::model::Site;

pub const FOLDER: &str = "argocd";

/// The Applications labc names after the site, `<site>-<suffix>`, and what each holds. All live
/// in Argo CD's namespace beside the components' and the apps', so no app may take these names
/// (`labc::name::application_taken`).
pub const SITE_APPLICATIONS: &[(&str, &str)] = &[
    (NAMESPACES, "the site's namespaces"),
    (MESH, "the site's mesh configuration"),
    (
        PLATFORM_SECRETS,
        "the site's sealed secrets that no workload reads",
    ),
    (ROOT, "the site's root (app of apps)"),
];
pub const NAMESPACES: &str = "namespaces";
pub const MESH: &str = "mesh";
pub const PLATFORM_SECRETS: &str = "platform-secrets";
pub const ROOT: &str = "root";

/// The name of the site's own Application with `suffix`, one of [`SITE_APPLICATIONS`].
pub fn site_application(site: &Site, suffix: &str) -> String {
    format!("{}-{suffix}", site.settings.name)
}

/// The project of the site's own workloads.
pub fn apps_project(site: &Site) -> String {
    format!("{}-apps", site.settings.name)
}

pub fn emit(site: &Site, graph: &Graph, files: &mut Files) {
    let name = apps_project(site);
    let app_project = project(
        site,
        &name,
        format!("the workloads of site {}", site.settings.name),
        ProjectScope {
            namespaces: namespace::names(site)
                .into_iter()
                .map(String::from)
                .collect(),
            cluster_resources: Vec::new(),
            repos: vec![site.settings.repo.url.value.clone()],
        },
    );
    files.object(object_path(FOLDER, "AppProject", &name), &app_project);

    // Namespaces come first: every workload Application syncs into one. They are cluster-scoped,
    // so they sync through the `default` project and the apps' project may create nothing
    // outside its namespaces.
    let ns_app_name = site_application(site, NAMESPACES);
    let ns_app = application(
        site,
        &ns_app_name,
        "default",
        "default".into(),
        -1,
        site_source(site, namespace::FOLDER),
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
    for (kind, app_name, ns) in workloads {
        let app = application(
            site,
            app_name,
            ns,
            name.clone(),
            wave(graph, kind, app_name, 0),
            site_source(site, &workload::folder(app_name)),
        );
        files.object(object_path(FOLDER, "Application", app_name), &app);
    }

    // The root Application, applied once by hand (`kubectl apply -f bootstrap/`); from then on
    // Argo CD syncs every Application above from git, including changes to this file's folder.
    let mut root = application(
        site,
        &site_application(site, ROOT),
        ARGOCD_NAMESPACE,
        "default".into(),
        0,
        site_source(site, FOLDER),
    );
    root.metadata.annotations.clear();
    files.object(
        object_path("bootstrap", "Application", &root.metadata.name),
        &root,
    );
}
