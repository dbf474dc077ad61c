//! Phase 2: the KDL document to the typed site. One file per construct. Decoding reports every
//! problem it finds and goes on with a placeholder, so that one run shows them all; a site with
//! any error never reaches the emitters.

mod app;
mod canary;
mod ci;
mod database;
mod env;
mod exception;
mod layer;
mod node;
mod policy;
mod probe;
mod reader;
mod registry;
mod resources;
mod route;
mod secret;
mod site;
pub mod value;
mod vocabulary;

pub use reader::{first_of, Cx, NodeView, Shape};
pub use vocabulary::{TOP_LEVEL, VOCABULARY};

use crate::diag::{Error, Suggestion};
use crate::model::secret::{TLS, TLS_KEYS};
use crate::model::value::Name;
use crate::model::{Secret, SecretScope, Site, Spanned};
use crate::stdlib::Catalog;
use crate::syntax::Document as KdlDocument;

/// Decodes a parsed site. Returns the site (with placeholders where something was wrong) and
/// every problem found.
pub fn decode(document: &KdlDocument, catalog: &Catalog) -> (Site, Vec<Error>) {
    let mut cx = Cx::default();
    let mut settings = None;
    let mut site_span = None;
    let mut site = Site {
        settings: site::placeholder(),
        nodes: Vec::new(),
        layers: Vec::new(),
        apps: Vec::new(),
        databases: Vec::new(),
        secrets: Vec::new(),
        policies: Vec::new(),
        registries: Vec::new(),
    };
    for node in document.nodes() {
        match node.name().value() {
            "site" => {
                if first_of(&mut site_span, node, &mut cx) {
                    settings = Some(site::decode(node, &mut cx));
                }
            }
            "node" => site.nodes.extend(node::decode(node, &mut cx)),
            "layer" => site.layers.extend(layer::decode(node, catalog, &mut cx)),
            "app" => site.apps.extend(app::decode(node, &mut cx)),
            "database" => site.databases.extend(database::decode(node, &mut cx)),
            "secret" => site.secrets.extend(secret::decode(node, &mut cx)),
            "policy" => site.policies.extend(policy::decode(node, &mut cx)),
            "registry" => site.registries.extend(registry::decode(node, &mut cx)),
            other => cx.push(Error::UnknownNode {
                name: other.to_string(),
                context: "the site file".into(),
                suggestion: Suggestion::new(other, TOP_LEVEL.iter().copied()),
                span: node.name().span(),
            }),
        }
    }
    // the Secrets labc makes for Wazuh, declared as if the site had written them
    let implied = crate::wazuh::implied_secrets(&site, catalog);
    site.secrets.extend(implied);
    let pull = crate::model::registry::implied_secrets(&site.registries, &site.apps);
    site.secrets.extend(pull);
    // each gateway certificate, once, in the gateways' namespace where Istio reads it
    let mut certificates: Vec<&Spanned<Name>> = site
        .layers
        .iter()
        .flat_map(|l| &l.gateways)
        .filter_map(|g| g.tls.as_ref())
        .collect();
    certificates.dedup_by(|a, b| a.value == b.value);
    let tls: Vec<Secret> = certificates
        .into_iter()
        .map(|name| Secret {
            name: name.clone(),
            namespace: Spanned::new(
                Name::parse(crate::flows::GATEWAY_NAMESPACE).expect("a DNS label"),
                name.span,
            ),
            scope: SecretScope::Strict,
            keys: TLS_KEYS
                .iter()
                .map(|k| Spanned::new(k.to_string(), name.span))
                .collect(),
            secret_type: TLS,
            span: name.span,
        })
        .collect();
    site.secrets.extend(tls);
    match settings {
        Some(settings) => site.settings = settings,
        None => cx.push(Error::MissingNode {
            parent: "the site file".into(),
            child: "site",
            example: "site homelab { repo \"https://…\"; kubernetes \"1.31.13\" runtime-version=\"2.1.5\" }",
            span: document.span(),
        }),
    }
    (site, cx.errors)
}
