//! The endpoints of a whole catalogue and of one site: every name a values template gives
//! `endpoint` must be declared by the component it names (checked when the catalogue loads),
//! and a site's endpoints are the declarations of the components it uses, with namespaces and
//! gateways filled in (what the templates read and what a verifier proves against the charts).

use super::endpoint::{references, SiteEndpoint};
use super::{Catalog, Component};
use crate::diag::{Error, Located, Suggestion};
use crate::model::Site;
use miette::SourceSpan;
use serde_json::{json, Map, Value};

/// A template that names an endpoint no component of the catalogue declares, labelled on its
/// `values` node in the component's file.
pub fn check_references(catalog: &Catalog) -> Vec<Located> {
    let mut problems = Vec::new();
    for consumer in catalog.components() {
        let Some(file) = &consumer.source_file else {
            continue;
        };
        for release in &consumer.releases {
            let Some(template) = &release.values else {
                continue;
            };
            for (provider, name, _) in references(template) {
                let declared = catalog.get(&provider).and_then(|p| p.endpoint(&name));
                if declared.is_some() {
                    continue;
                }
                let known: Vec<String> = catalog
                    .endpoints()
                    .map(|(c, e)| format!("{} {}", c.name, e.name))
                    .collect();
                let wrote = format!("{provider} {name}");
                problems.push(Located::new(
                    file,
                    Error::UnknownEndpoint {
                        component: consumer.name.clone(),
                        provider,
                        endpoint: name,
                        suggestion: Suggestion::new(&wrote, known.iter().map(String::as_str)),
                        span: release.values_span.unwrap_or(SourceSpan::from((0, 0))),
                    },
                ));
            }
        }
    }
    problems
}

/// The endpoints of the components `site` uses, by component and declaration order; an endpoint
/// of a release repeated per gateway once per gateway.
pub fn site_endpoints(site: &Site, catalog: &Catalog) -> Vec<SiteEndpoint> {
    let mut out = Vec::new();
    for used in site.layers.iter().flat_map(|l| &l.components) {
        if let Some(def) = catalog.get(used.name.as_str()) {
            out.extend(component_endpoints(site, def));
        }
    }
    out
}

fn component_endpoints(site: &Site, def: &Component) -> Vec<SiteEndpoint> {
    let mut out = Vec::new();
    for e in &def.endpoints {
        let namespace = e.namespace_in(def).to_string();
        let one = |service: String, gateway: Option<String>| SiteEndpoint {
            component: def.name.clone(),
            endpoint: e.name.clone(),
            gateway,
            service,
            namespace: namespace.clone(),
            port: e.port,
            protocol: e.protocol.as_str(),
            path: e.path.clone(),
        };
        if e.per_gateway(&def.releases) {
            for gateway in site.layers.iter().flat_map(|l| &l.gateways) {
                let name = gateway.name.to_string();
                out.push(one(name.clone(), Some(name)));
            }
        } else if let Some(service) = &e.service {
            out.push(one(service.clone(), None));
        }
    }
    out
}

/// The `endpoints` fact of the template context: component -> endpoint -> {url, host, port,
/// service, namespace, protocol}, or -> endpoint -> {gateways: gateway -> {…}} for one repeated
/// per gateway. Only the site's components are there, which is how `{{endpoint …}}` knows that
/// a provider is missing.
pub fn context(site: &Site, catalog: &Catalog) -> Value {
    let mut components = Map::new();
    for e in site_endpoints(site, catalog) {
        let entry = json!({
            "url": e.url(),
            "host": e.host(),
            "port": e.port,
            "service": e.service,
            "namespace": e.namespace,
            "protocol": e.protocol,
        });
        let endpoints = components
            .entry(e.component.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let slot = &mut endpoints[e.endpoint.as_str()];
        match e.gateway {
            Some(gateway) => {
                if slot.is_null() {
                    *slot = json!({"gateways": {}});
                }
                slot["gateways"][gateway.as_str()] = entry;
            }
            None => *slot = entry,
        }
    }
    Value::Object(components)
}
