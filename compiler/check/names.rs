//! Names that must be unique, each within its own kind.

use super::SiteView;
use crate::diag::Error;
use crate::model::Span;
use std::collections::BTreeMap;

fn unique(
    kind: &'static str,
    scope: &'static str,
    items: impl Iterator<Item = (String, Span)>,
    errors: &mut Vec<Error>,
) {
    let mut first: BTreeMap<String, Span> = BTreeMap::new();
    for (name, span) in items {
        if name.is_empty() {
            continue; // a placeholder for a name already reported as invalid
        }
        match first.get(&name) {
            Some(first) => errors.push(Error::DuplicateName {
                kind,
                scope,
                name,
                span,
                first: *first,
            }),
            None => {
                first.insert(name, span);
            }
        }
    }
}

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let site = view.site;
    unique(
        "node",
        "in a site",
        site.nodes.iter().map(|n| (n.name.to_string(), n.name.span)),
        errors,
    );
    unique(
        "node address",
        "in a site",
        site.nodes
            .iter()
            .filter(|n| !n.address_failed)
            .map(|n| (n.address.to_string(), n.address.span)),
        errors,
    );
    unique(
        "layer",
        "in a site",
        site.layers
            .iter()
            .map(|l| (l.kind.value.as_str().to_string(), l.kind.span)),
        errors,
    );
    unique(
        "component",
        "in a site",
        view.components().map(|c| (c.name.to_string(), c.name.span)),
        errors,
    );
    unique(
        "gateway",
        "in a site",
        site.layers
            .iter()
            .flat_map(|l| &l.gateways)
            .map(|g| (g.name.to_string(), g.name.span)),
        errors,
    );
    // apps and databases share one space: `uses NAME` must name exactly one of them
    unique(
        "app or database",
        "in a site",
        site.apps
            .iter()
            .map(|a| (a.name.to_string(), a.name.span))
            .chain(
                site.databases
                    .iter()
                    .map(|d| (d.name.to_string(), d.name.span)),
            ),
        errors,
    );
    unique(
        "secret",
        "in a site",
        // a registry's pull secret is one declaration with a copy per namespace, all at the
        // registry's span: counted once
        {
            let mut secrets: Vec<(String, Span)> = site
                .secrets
                .iter()
                .map(|s| (s.name.to_string(), s.name.span))
                .collect();
            secrets.dedup();
            secrets.into_iter()
        },
        errors,
    );
    unique(
        "registry",
        "in a site",
        site.registries
            .iter()
            .map(|r| (r.server.to_string(), r.server.span)),
        errors,
    );
    unique(
        "policy",
        "in a site",
        site.policies
            .iter()
            .map(|p| (p.name.to_string(), p.name.span)),
        errors,
    );
    for app in &site.apps {
        unique(
            "port name",
            "in an app",
            app.ports.iter().map(|p| (p.name.to_string(), p.name.span)),
            errors,
        );
        unique(
            "port",
            "in an app",
            app.ports
                .iter()
                .map(|p| (p.number.to_string(), p.number.span)),
            errors,
        );
        unique(
            "environment variable",
            "in an app",
            // with the variables `uses … env=` gives, which must not shadow one the site sets
            app.environment(site)
                .into_iter()
                .map(|e| (e.name.value, e.name.span)),
            errors,
        );
    }
    applications(view, errors);
    for secret in &site.secrets {
        unique(
            "secret key",
            "in a secret",
            secret.keys.iter().map(|k| (k.value.clone(), k.span)),
            errors,
        );
    }
}

/// Apps and databases against the site's other Argo CD Applications: every Application is named
/// in Argo CD's one namespace and written to `argocd/application-<name>.yaml`, so a shared name
/// would make one overwrite the other. The platform's names come from the rendered releases
/// (`stdlib::Platform`), the same the emitter writes.
fn applications(view: &SiteView, errors: &mut Vec<Error>) {
    let site = view.site;
    let site_name = site.settings.name.as_str();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for used in view.components() {
        if let Some(Ok(instances)) = view.platform.instances(used.name.as_str()) {
            for instance in instances {
                taken
                    .entry(instance.application.clone())
                    .or_insert_with(|| format!("component `{}`", used.name));
            }
        }
    }
    if !site_name.is_empty() {
        // every one, even those this site does not write (yet): a later line of site.kdl (a
        // mesh, a sealed secret nothing reads) must not make an existing app's name clash
        for (suffix, owner) in crate::emit::SITE_APPLICATIONS {
            taken
                .entry(crate::emit::site_application(site, suffix))
                .or_insert_with(|| owner.to_string());
        }
    }
    let workloads = site
        .apps
        .iter()
        .map(|a| ("app", &a.name))
        .chain(site.databases.iter().map(|d| ("database", &d.name)));
    for (kind, name) in workloads {
        if let Some(owner) = taken.get(name.as_str()) {
            errors.push(Error::ApplicationNameTaken {
                kind,
                name: name.to_string(),
                owner: owner.clone(),
                span: name.span,
            });
        }
    }
}
