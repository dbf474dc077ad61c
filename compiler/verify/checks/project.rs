//! Every object's namespace and kind are permitted by the AppProject of its Application, or
//! Argo CD refuses to sync it ("resource … is not permitted in project …").

use super::super::finding::{Contract, End, Finding};
use super::super::System;
use super::glob;

const IN_CLUSTER: &str = "https://kubernetes.default.svc";

pub fn check(system: &System) -> Vec<Finding> {
    let mut findings = Vec::new();
    for object in system.applied() {
        let app = &system.apps[object.app];
        // `default` exists in every Argo CD and permits everything
        if app.project == "default" || app.project.is_empty() {
            continue;
        }
        let Some(project) = system.projects.get(&app.project) else {
            findings.push(Finding::new(
                Contract::Project,
                format!(
                    "Application `{}` belongs to AppProject `{}`, which out/ does not declare",
                    app.name, app.project
                ),
                "Argo CD refuses every object of an Application whose project does not exist",
                End::new(&app.file, "this Application"),
            ));
            break;
        };
        let group = object.group();
        let kind = object.kind.as_str();
        let pair =
            |list: &[(String, String)]| list.iter().any(|(g, k)| glob(g, group) && glob(k, kind));
        let refused = if object.namespace.is_empty() {
            (!pair(&project.cluster_whitelist)).then(|| {
                format!(
                    "cluster-scoped {} is not in the clusterResourceWhitelist of AppProject `{}`",
                    object.describe(),
                    project.name
                )
            })
        } else if !project.destinations.iter().any(|(server, ns)| {
            (glob(server, IN_CLUSTER) || server.is_empty()) && glob(ns, &object.namespace)
        }) {
            Some(format!(
                "{} is in namespace `{}`, which AppProject `{}` does not permit as a destination",
                object.describe(),
                object.namespace,
                project.name
            ))
        } else if pair(&project.namespace_blacklist)
            || (!project.namespace_whitelist.is_empty() && !pair(&project.namespace_whitelist))
        {
            Some(format!(
                "kind {} is not permitted in namespaces by AppProject `{}`",
                object.kind, project.name
            ))
        } else {
            None
        };
        if let Some(message) = refused {
            findings.push(
                Finding::new(
                    Contract::Project,
                    format!("{message}: Argo CD refuses it when it syncs Application `{}`", app.name),
                    "the AppProject must permit every namespace and cluster-scoped kind the Application's source writes",
                    End::object(system, object, format!("{} comes from here", object.describe())),
                )
                .and(End::new(&project.file, "this AppProject refuses it")),
            );
        }
    }
    findings
}
