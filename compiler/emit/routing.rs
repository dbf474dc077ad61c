//! The app's Istio VirtualService: one HTTP route per `route` of the site, bound to the Istio
//! Gateway `istio-ingress/<gateway>` (the Gateway object comes with the ingress layer), matching
//! the route's host, path prefix and methods, with its CORS policy. For a canary with Istio
//! traffic routing the same VirtualService also carries the app's in-mesh traffic (route
//! `mesh`), and every route splits between the DestinationRule's `stable` and `canary` subsets,
//! whose weights the Rollout moves.

use super::canary::{CANARY, STABLE};
use super::files::object_path;
use super::{workload, Files};
use crate::flows::GATEWAY_NAMESPACE;
use crate::model::{App, Route, Site, TrafficRouting};
use serde::Serialize;

type VirtualService = super::custom_resource::CustomResource<Spec>;

#[derive(Serialize)]
struct Spec {
    gateways: Vec<String>,
    hosts: Vec<String>,
    http: Vec<HttpRoute>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HttpRoute {
    #[serde(skip_serializing_if = "Option::is_none")]
    cors_policy: Option<CorsPolicy>,
    #[serde(rename = "match")]
    matches: Vec<Match>,
    name: String,
    route: Vec<Destination>,
}

#[derive(Serialize, Default)]
struct Match {
    #[serde(skip_serializing_if = "Option::is_none")]
    authority: Option<StringMatch>,
    gateways: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<StringMatch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<StringMatch>,
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum StringMatch {
    Exact(String),
    Prefix(String),
    Regex(String),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CorsPolicy {
    allow_methods: Vec<&'static str>,
    allow_origins: Vec<StringMatch>,
    max_age: &'static str,
}

#[derive(Serialize)]
struct Destination {
    destination: Target,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<u32>,
}

#[derive(Serialize)]
struct Target {
    host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    port: Option<PortSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subset: Option<&'static str>,
}

#[derive(Serialize)]
struct PortSelector {
    number: u16,
}

/// The in-cluster name of the app's Service.
pub fn service_host(app: &App) -> String {
    format!("{}.{}.svc.cluster.local", app.name, app.namespace)
}

fn split(app: &App) -> bool {
    app.canary
        .as_ref()
        .is_some_and(|c| c.traffic.value == TrafficRouting::Istio)
}

/// The names of the VirtualService's HTTP routes, which the Rollout lists as the ones it manages.
pub fn route_names(app: &App) -> Vec<String> {
    let mut names: Vec<String> = (0..app.routes.len())
        .map(|i| format!("route-{i}"))
        .collect();
    if split(app) {
        names.extend(app.ports.iter().map(|p| mesh_route(p.number.value)));
    }
    names
}

/// The in-mesh route of one port of a canary app.
fn mesh_route(port: u16) -> String {
    format!("mesh-{port}")
}

fn gateway(route: &Route) -> String {
    format!("{GATEWAY_NAMESPACE}/{}", route.gateway)
}

fn destinations(app: &App, port: Option<u16>) -> Vec<Destination> {
    let target = |subset| Target {
        host: service_host(app),
        port: port.map(|number| PortSelector { number }),
        subset,
    };
    if split(app) {
        vec![
            Destination {
                destination: target(Some(STABLE)),
                weight: Some(100),
            },
            Destination {
                destination: target(Some(CANARY)),
                weight: Some(0),
            },
        ]
    } else {
        vec![Destination {
            destination: target(None),
            weight: None,
        }]
    }
}

pub fn emit(site: &Site, app: &App, files: &mut Files) {
    if app.routes.is_empty() && !split(app) {
        return;
    }
    let names = route_names(app);
    let mut http = Vec::new();
    for (route, name) in app.routes.iter().zip(&names) {
        let methods: Vec<&'static str> = if route.methods.is_empty() {
            vec!["GET"]
        } else {
            route.methods.iter().map(|m| m.as_str()).collect()
        };
        let matches = methods
            .iter()
            .map(|method| Match {
                authority: Some(StringMatch::Exact(route.host.to_string())),
                gateways: vec![gateway(route)],
                method: Some(StringMatch::Exact(method.to_string())),
                port: None,
                uri: Some(StringMatch::Prefix(route.path.to_string())),
            })
            .collect();
        let cors_policy = route.cors.as_ref().map(|cors| CorsPolicy {
            allow_methods: methods.clone(),
            allow_origins: cors
                .origins
                .iter()
                .map(|o| match o.as_str() {
                    "*" => StringMatch::Regex(".*".into()),
                    origin => StringMatch::Exact(origin.to_string()),
                })
                .collect(),
            max_age: "24h",
        });
        let port = route
            .port
            .map(|p| p.value)
            .or_else(|| app.ports.first().map(|p| p.number.value));
        http.push(HttpRoute {
            cors_policy,
            matches,
            name: name.clone(),
            route: destinations(app, port),
        });
    }
    let mut gateways: Vec<String> = app.routes.iter().map(gateway).collect();
    let mut hosts: Vec<String> = app.routes.iter().map(|r| r.host.to_string()).collect();
    if split(app) {
        // one route per port: a destination must name its Service port when there are several,
        // and every port's traffic is split, not only the first's
        for port in app.ports.iter().map(|p| p.number.value) {
            http.push(HttpRoute {
                cors_policy: None,
                matches: vec![Match {
                    gateways: vec!["mesh".into()],
                    port: Some(port),
                    ..Default::default()
                }],
                name: mesh_route(port),
                route: destinations(app, Some(port)),
            });
        }
        gateways.push("mesh".into());
        hosts.push(service_host(app));
    }
    gateways.sort();
    gateways.dedup();
    hosts.sort();
    hosts.dedup();
    let name = app.name.as_str();
    let service = VirtualService {
        api_version: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: workload::meta(name, app.namespace.as_str(), name, site),
        spec: Spec {
            gateways,
            hosts,
            http,
        },
    };
    files.object(
        object_path(&workload::folder(name), "VirtualService", name),
        &service,
    );
}
