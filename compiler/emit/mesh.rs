//! Mesh-wide Istio configuration that no chart renders: the `PeerAuthentication` that sets the
//! mesh's mTLS mode (in the root namespace, so it applies to every namespace) and one `Gateway`
//! per declared gateway with its hosts. Written to `platform/istio/` and synced after istiod.
//!
//! The gateways listen on plain HTTP: the site's edge is a Cloudflare tunnel that ends TLS at
//! Cloudflare and reaches the gateway Service from inside the cluster.

use super::files::object_path;
use super::{labels, Files};
use crate::flows::GATEWAY_NAMESPACE;
use crate::model::{SettingValue, Site};
use crate::stdlib::Catalog;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use std::collections::BTreeMap;

/// Istio's root namespace (`meshConfig.rootNamespace`): policy here applies mesh-wide.
pub const ROOT_NAMESPACE: &str = "istio-system";
const FOLDER: &str = "platform/istio";

use super::custom_resource::CustomResource as Object;

#[derive(Serialize)]
struct PeerAuthenticationSpec {
    mtls: Mtls,
}

#[derive(Serialize)]
struct Mtls {
    mode: &'static str,
}

#[derive(Serialize)]
struct GatewaySpec {
    selector: BTreeMap<String, String>,
    servers: Vec<Server>,
}

#[derive(Serialize)]
struct Server {
    hosts: Vec<String>,
    port: Port,
}

#[derive(Serialize)]
struct Port {
    name: &'static str,
    number: u16,
    protocol: &'static str,
}

fn metadata(site: &Site, name: &str, namespace: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        namespace: Some(namespace.to_string()),
        labels: Some(labels::of(name, site.settings.name.as_str())),
        ..ObjectMeta::default()
    }
}

/// The namespaces the mesh configuration lives in.
pub fn namespaces(site: &Site) -> impl Iterator<Item = &'static str> {
    let gateways = site.layers.iter().any(|l| !l.gateways.is_empty());
    [Some(ROOT_NAMESPACE), gateways.then_some(GATEWAY_NAMESPACE)]
        .into_iter()
        .flatten()
}

/// Writes the mesh objects and returns their folder, or nothing without Istio.
pub fn emit(site: &Site, catalog: &Catalog, files: &mut Files) -> Option<String> {
    if !site.has_component("istio") {
        return None;
    }
    let used = site
        .layers
        .iter()
        .flat_map(|l| &l.components)
        .find(|c| c.name.as_str() == "istio")?;
    let mode = used
        .settings
        .get("mtls")
        .map(|v| &v.value)
        .or_else(|| catalog.get("istio")?.setting("mtls")?.default.as_ref());
    let mode = match mode {
        Some(SettingValue::String(m)) if m == "permissive" => "PERMISSIVE",
        _ => "STRICT",
    };
    let peer = Object {
        api_version: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: metadata(site, "default", ROOT_NAMESPACE),
        spec: PeerAuthenticationSpec {
            mtls: Mtls { mode },
        },
    };
    files.object(object_path(FOLDER, "PeerAuthentication", "default"), &peer);
    for gateway in site.layers.iter().flat_map(|l| &l.gateways) {
        let name = gateway.name.as_str();
        let object = Object {
            api_version: "networking.istio.io/v1",
            kind: "Gateway",
            metadata: metadata(site, name, GATEWAY_NAMESPACE),
            spec: GatewaySpec {
                // the gateway chart labels its pods `istio: <release>`, and the release is
                // named after the gateway
                selector: BTreeMap::from([("istio".to_string(), name.to_string())]),
                servers: vec![Server {
                    hosts: gateway
                        .hosts
                        .iter()
                        .map(|h| h.as_str().to_string())
                        .collect(),
                    port: Port {
                        name: "http",
                        number: 80,
                        protocol: "HTTP",
                    },
                }],
            },
        };
        files.object(object_path(FOLDER, "Gateway", name), &object);
    }
    Some(FOLDER.to_string())
}
