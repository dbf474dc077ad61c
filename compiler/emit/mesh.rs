//! Mesh-wide Istio configuration that no chart renders: the `PeerAuthentication` that sets the
//! mesh's mTLS mode (in the root namespace, so it applies to every namespace) and one `Gateway`
//! per declared gateway with its hosts. Written to `platform/istio/` and synced after istiod.
//!
//! A gateway listens on plain HTTP on port 80, and with `tls=` also serves its certificate on
//! 443 (HTTPS, terminated at the gateway). Port 80 then redirects to HTTPS, unless the site has
//! a Cloudflare tunnel: cloudflared reaches the gateway Service over plain HTTP from inside the
//! cluster and passes on the visitor's Host, so a redirect would send the visitor back through
//! the tunnel to port 80 forever. Cloudflare keeps terminating the visitors' TLS at its edge
//! (its "Always Use HTTPS" redirects there), and 443 serves clients that reach the gateway
//! directly.

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
    #[serde(skip_serializing_if = "Option::is_none")]
    tls: Option<ServerTls>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct ServerTls {
    #[serde(skip_serializing_if = "Option::is_none")]
    https_redirect: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<&'static str>,
    /// A Secret in the gateway's namespace, read by the gateway through SDS.
    #[serde(skip_serializing_if = "Option::is_none")]
    credential_name: Option<String>,
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
        let hosts: Vec<String> = gateway
            .hosts
            .iter()
            .map(|h| h.as_str().to_string())
            .collect();
        let redirect = gateway.tls.is_some() && !site.has_component("cloudflare");
        let mut servers = vec![Server {
            hosts: hosts.clone(),
            port: Port {
                name: "http",
                number: 80,
                protocol: "HTTP",
            },
            tls: redirect.then(|| ServerTls {
                https_redirect: Some(true),
                ..ServerTls::default()
            }),
        }];
        if let Some(secret) = &gateway.tls {
            servers.push(Server {
                hosts,
                port: Port {
                    name: "https",
                    number: 443,
                    protocol: "HTTPS",
                },
                tls: Some(ServerTls {
                    mode: Some("SIMPLE"),
                    credential_name: Some(secret.to_string()),
                    ..ServerTls::default()
                }),
            });
        }
        let object = Object {
            api_version: "networking.istio.io/v1",
            kind: "Gateway",
            metadata: metadata(site, name, GATEWAY_NAMESPACE),
            spec: GatewaySpec {
                // the gateway chart labels its pods `istio: <release>`, and the release is
                // named after the gateway
                selector: BTreeMap::from([("istio".to_string(), name.to_string())]),
                servers,
            },
        };
        files.object(object_path(FOLDER, "Gateway", name), &object);
    }
    Some(FOLDER.to_string())
}
