//! Every reference resolves: flows, secrets and their keys, gateways, nodes, storage classes and
//! policy endpoints.

use super::SiteView;
use crate::diag::{Error, Suggestion};
use crate::model::value::Name;
use crate::model::{Endpoint, EnvSource, ProbeAction, Secret, Span, Spanned};
use std::collections::BTreeMap;

fn unknown<'a>(
    what: &'static str,
    name: &Spanned<Name>,
    known: impl Iterator<Item = &'a str>,
) -> Error {
    Error::UnknownReference {
        what,
        name: name.to_string(),
        suggestion: Suggestion::new(name.as_str(), known),
        span: name.span,
    }
}

/// The ports each app and database exposes, by name, for resolving flows in one lookup each.
/// The ports of each app and database; `None` for an app one of whose ports failed to decode
/// (and was reported), whose list cannot say that a port is missing.
fn exposed_ports<'a>(view: &SiteView<'a>) -> BTreeMap<&'a str, Option<Vec<u16>>> {
    let apps = view.site.apps.iter().map(|a| {
        (
            a.name.as_str(),
            (!a.ports_incomplete).then(|| a.ports.iter().map(|p| p.number.value).collect()),
        )
    });
    let dbs = view
        .site
        .databases
        .iter()
        .map(|d| (d.name.as_str(), Some(vec![d.engine.port()])));
    // the first declaration wins, as duplicates are reported by the names rule
    let mut map = BTreeMap::new();
    for (name, ports) in apps.chain(dbs) {
        map.entry(name).or_insert(ports);
    }
    map
}

fn port_list(ports: &[u16]) -> String {
    if ports.is_empty() {
        return "no ports".into();
    }
    let list: Vec<String> = ports.iter().map(u16::to_string).collect();
    format!("port {}", list.join(", "))
}

fn secret_for<'a>(
    view: &'a SiteView,
    name: &Spanned<Name>,
    namespace: &Name,
    errors: &mut Vec<Error>,
) -> Option<&'a Secret> {
    let Some(secret) = view
        .site
        .secrets
        .iter()
        .find(|s| s.name.value == name.value)
    else {
        errors.push(unknown(
            "secret",
            name,
            view.site.secrets.iter().map(|s| s.name.as_str()),
        ));
        return None;
    };
    // an empty namespace is the placeholder of one already reported as invalid
    if secret.namespace.value != *namespace && !namespace.as_str().is_empty() {
        errors.push(Error::SecretNamespaceMismatch {
            secret: name.to_string(),
            secret_namespace: secret.namespace.to_string(),
            namespace: namespace.to_string(),
            span: name.span,
            declared: secret.namespace.span,
        });
    }
    Some(secret)
}

fn check_key(secret: &Secret, key: &str, span: Span, errors: &mut Vec<Error>) {
    if !secret.has_key(key) {
        errors.push(Error::UnknownSecretKey {
            secret: secret.name.to_string(),
            key: key.to_string(),
            suggestion: Suggestion::new(key, secret.keys.iter().map(|k| k.value.as_str())),
            span,
        });
    }
}

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let site = view.site;
    let workloads = || {
        site.apps
            .iter()
            .map(|a| a.name.as_str())
            .chain(site.databases.iter().map(|d| d.name.as_str()))
    };
    let gateways: Vec<_> = site.layers.iter().flat_map(|l| &l.gateways).collect();
    let node_names = || site.nodes.iter().map(|n| n.name.as_str());
    let exposed = exposed_ports(view);
    let check_nodes = |nodes: &[Spanned<Name>], errors: &mut Vec<Error>| {
        for node in nodes {
            if !site.nodes.iter().any(|n| n.name.value == node.value) {
                errors.push(unknown("node", node, node_names()));
            }
        }
    };
    for app in &site.apps {
        for used in &app.uses {
            match exposed.get(used.target.as_str()).cloned() {
                None => errors.push(unknown("app or database", &used.target, workloads())),
                Some(None) => {}
                Some(Some(ports)) => {
                    let wanted = used.port.as_ref();
                    let missing = match wanted {
                        Some(port) => {
                            (!ports.contains(&port.value)).then_some((port.value, port.span))
                        }
                        None => ports.is_empty().then_some((0, used.target.span)),
                    };
                    if let Some((port, span)) = missing {
                        errors.push(Error::UnknownPort {
                            target: used.target.to_string(),
                            port,
                            ports: port_list(&ports),
                            span,
                        });
                    }
                }
            }
        }
        // with what `uses … env=` reads: a database's secret in another namespace is unreadable
        for env in &app.environment(site) {
            if let EnvSource::Secret { secret, key } = &env.source {
                if let Some(found) = secret_for(view, secret, &app.namespace, errors) {
                    check_key(found, &key.value, key.span, errors);
                }
            }
        }
        for mount in &app.secrets {
            secret_for(view, &mount.secret, &app.namespace, errors);
        }
        for route in &app.routes {
            if !gateways.iter().any(|g| g.name.value == route.gateway.value) {
                errors.push(unknown(
                    "gateway",
                    &route.gateway,
                    gateways.iter().map(|g| g.name.as_str()),
                ));
            }
            if app.ports_incomplete {
                // a port failed and was reported; the route's may be that one
            } else if let Some(port) = &route.port {
                if app.port(port.value).is_none() {
                    let ports: Vec<u16> = app.ports.iter().map(|p| p.number.value).collect();
                    errors.push(Error::UnknownPort {
                        target: app.name.to_string(),
                        port: port.value,
                        ports: port_list(&ports),
                        span: port.span,
                    });
                }
            } else if app.ports.is_empty() {
                errors.push(Error::UnknownPort {
                    target: app.name.to_string(),
                    port: 0,
                    ports: "no ports".into(),
                    span: route.span,
                });
            }
        }
        if let Some(metrics) = app.metrics.as_ref().filter(|_| !app.ports_incomplete) {
            let ports: Vec<u16> = app.ports.iter().map(|p| p.number.value).collect();
            let missing = match &metrics.port {
                Some(port) => app
                    .port(port.value)
                    .is_none()
                    .then_some((port.value, port.span)),
                None => ports.is_empty().then_some((0, metrics.span)),
            };
            if let Some((port, span)) = missing {
                errors.push(Error::UnknownPort {
                    target: app.name.to_string(),
                    port,
                    ports: port_list(&ports),
                    span,
                });
            }
        }
        for probe in app.probes.iter().filter(|_| !app.ports_incomplete) {
            let port = match &probe.action {
                ProbeAction::Http { port, .. } | ProbeAction::Tcp { port } => Some(*port),
                ProbeAction::Exec { .. } => None,
            };
            if let Some(port) = port.filter(|p| app.port(*p).is_none()) {
                let ports: Vec<u16> = app.ports.iter().map(|p| p.number.value).collect();
                errors.push(Error::UnknownPort {
                    target: app.name.to_string(),
                    port,
                    ports: port_list(&ports),
                    span: probe.span,
                });
            }
        }
        check_nodes(&app.nodes, errors);
    }
    for db in &site.databases {
        if let Some(secret_name) = &db.secret {
            if let Some(secret) = secret_for(view, secret_name, &db.namespace, errors) {
                let root = db.engine.value.root_key();
                for key in db.secret_keys() {
                    // a key the site wrote is labelled where it wrote it
                    let span = if root == Some(key) {
                        secret_name.span
                    } else {
                        db.password_key.span
                    };
                    check_key(secret, key, span, errors);
                }
            }
        }
        let classes: Vec<&str> = view
            .components()
            .filter_map(|c| view.catalog.get(c.name.as_str())?.storage_class.as_deref())
            .collect();
        if !db.storage.class.as_str().is_empty() && !classes.contains(&db.storage.class.as_str()) {
            errors.push(unknown(
                "storage class",
                &db.storage.class,
                classes.iter().copied(),
            ));
        }
        check_nodes(&db.nodes, errors);
    }
    for alert in &site.settings.alerts {
        if !site
            .secrets
            .iter()
            .any(|s| s.name.value == alert.secret.value)
        {
            errors.push(unknown(
                "secret",
                &alert.secret,
                site.secrets.iter().map(|s| s.name.as_str()),
            ));
        }
    }
    for policy in &site.policies {
        for side in [&policy.from, &policy.to] {
            if let Endpoint::Named(name) = &side.value {
                let known = workloads().any(|w| w == name.as_str()) || view.has(name.as_str());
                if !known {
                    let spanned = Spanned::new(name.clone(), side.span);
                    errors.push(unknown(
                        "app, database or component",
                        &spanned,
                        workloads().chain(view.components().map(|c| c.name.as_str())),
                    ));
                }
            }
        }
    }
}
