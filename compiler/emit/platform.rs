//! Argo CD Applications for the platform: one per release of every component in the site's
//! layers, with chart, version and values from the stdlib, in an AppProject `<site>-platform`.
//! Waves follow the graph (CNI, then storage, then the mesh, then what runs in it); the
//! releases of one component follow each other in the order its stdlib file lists them.

use super::application::{
    application, project, wave, GroupKind, Helm, NamespaceMetadata, ProjectScope, Source,
};
use super::argocd::FOLDER;
use super::files::object_path;
use super::{mesh, Files};
use crate::graph::{Graph, VertexKind};
use crate::model::Site;
use crate::stdlib::{Catalog, ChartSource, Instance, Platform};
use std::collections::BTreeSet;

/// The project of the platform components.
pub fn platform_project(site: &Site) -> String {
    format!("{}-platform", site.settings.name)
}

pub fn emit(site: &Site, catalog: &Catalog, platform: &Platform, graph: &Graph, files: &mut Files) {
    let project_name = platform_project(site);
    let mut namespaces = BTreeSet::new();
    let mut repos = BTreeSet::new();
    for used in site.layers.iter().flat_map(|l| &l.components) {
        let Some(def) = catalog.get(used.name.as_str()) else {
            continue;
        };
        let Some(Ok(instances)) = platform.instances(&def.name) else {
            unreachable!("the checker reported every values template that does not render")
        };
        // the namespaces its chart writes to beyond its releases' (`writes-to` in its file)
        namespaces.extend(def.writes_to.iter().cloned());
        for (step, instance) in instances.iter().enumerate() {
            let wave = wave(graph, VertexKind::Component, &def.name, step as i64);
            let (repo, source) = match &instance.source {
                // the objects labc writes for it, in the site's own repository
                ChartSource::Manifests { .. } => {
                    if def.name == crate::wazuh::COMPONENT {
                        super::wazuh::emit(site, catalog, def, &instance.namespace, files);
                    }
                    (
                        site.settings.repo.url.value.clone(),
                        super::application::site_source(site, &format!("platform/{}", def.name)),
                    )
                }
                _ => source(instance),
            };
            repos.insert(repo);
            namespaces.insert(instance.namespace.clone());
            let mut app = application(
                site,
                &instance.application,
                &instance.namespace,
                project_name.clone(),
                wave,
                source,
            );
            let policy = &mut app.spec.sync_policy;
            policy.sync_options.insert(0, "CreateNamespace=true".into());
            policy.sync_options.extend(def.sync_options.iter().cloned());
            if !instance.namespace_labels.is_empty() {
                policy.managed_namespace_metadata = Some(NamespaceMetadata {
                    labels: instance.namespace_labels.iter().cloned().collect(),
                });
            }
            files.object(
                object_path(FOLDER, "Application", &instance.application),
                &app,
            );
        }
    }
    if let Some(folder) = mesh::emit(site, catalog, files) {
        let name = super::argocd::site_application(site, super::argocd::MESH);
        let app = application(
            site,
            &name,
            mesh::ROOT_NAMESPACE,
            project_name.clone(),
            wave(graph, VertexKind::Component, "istio", WAVE_AFTER_RELEASES),
            super::application::site_source(site, &folder),
        );
        files.object(object_path(FOLDER, "Application", &name), &app);
        repos.insert(site.settings.repo.url.value.clone());
        namespaces.extend(mesh::namespaces(site).map(String::from));
    }
    if repos.is_empty() {
        return;
    }
    // the platform secrets' Application (emit/secrets.rs) is in this project: it syncs every
    // secret no app or database reads, each into its own namespace
    let placed = super::secret_place::places(site, graph, files);
    for secret in &site.secrets {
        let key = (secret.namespace.to_string(), secret.name.to_string());
        if placed.get(&key).is_none_or(|p| p.workload.is_none()) {
            namespaces.insert(key.0);
        }
    }
    // Charts install CRDs, ClusterRoles, webhooks and StorageClasses: the platform project may
    // create any cluster-scoped kind, but only in the namespaces its components install into
    // and declare they write to.
    let app_project = project(
        site,
        &project_name,
        format!("the platform components of site {}", site.settings.name),
        ProjectScope {
            namespaces: namespaces.into_iter().collect(),
            cluster_resources: vec![GroupKind {
                group: "*".into(),
                kind: "*".into(),
            }],
            repos: repos.into_iter().collect(),
        },
    );
    files.object(
        object_path(FOLDER, "AppProject", &project_name),
        &app_project,
    );
}

/// The wave of a component's own configuration objects: after all its releases.
const WAVE_AFTER_RELEASES: i64 = 9;

fn source(instance: &Instance) -> (String, Source) {
    let values = instance
        .values
        .as_object()
        .is_some_and(|m| !m.is_empty())
        .then(|| instance.values.clone());
    match &instance.source {
        ChartSource::Helm {
            repo,
            chart,
            version,
        } => (
            repo.clone(),
            Source {
                chart: Some(chart.clone()),
                helm: Some(Helm {
                    release_name: instance.name.clone(),
                    values_object: values,
                }),
                repo_url: repo.clone(),
                target_revision: version.clone(),
                ..Source::default()
            },
        ),
        ChartSource::Manifests { .. } => unreachable!("handled by the caller"),
        // a chart in git (local-path) gets a Helm block
        ChartSource::Git {
            url,
            path,
            revision,
        } => (
            url.clone(),
            Source {
                helm: values.map(|v| Helm {
                    release_name: instance.name.clone(),
                    values_object: Some(v),
                }),
                path: Some(path.clone()),
                repo_url: url.clone(),
                target_revision: revision.clone(),
                ..Source::default()
            },
        ),
    }
}
