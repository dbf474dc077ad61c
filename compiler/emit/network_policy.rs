//! L3/L4 policy, one CiliumNetworkPolicy per workload, derived from the flows of the site so
//! that both sides of a flow come from one declaration: a `uses` gives the client its egress and
//! the server its ingress; a route admits its gateway; `egress` opens the declared ports to the
//! world or to named hosts; every pod may resolve names through kube-dns and, in a mesh, reach
//! istiod. Everything else is denied (`enableDefaultDeny`).

use super::files::object_path;
use super::{labels, workload, Files};
use crate::model::{App, EgressTarget, Site};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where Istio gateways run; each gateway's pods carry `istio: <gateway name>`.
pub const GATEWAY_NAMESPACE: &str = "istio-ingress";
const NAMESPACE_LABEL: &str = "k8s:io.kubernetes.pod.namespace";

type Labels = BTreeMap<String, String>;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Policy {
    api_version: &'static str,
    kind: &'static str,
    metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    spec: Spec,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Spec {
    egress: Vec<Rule>,
    enable_default_deny: DefaultDeny,
    endpoint_selector: Selector,
    ingress: Vec<Rule>,
}

#[derive(Serialize)]
struct DefaultDeny {
    egress: bool,
    ingress: bool,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct Selector {
    match_labels: Labels,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Rule {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    from_endpoints: Vec<Selector>,
    #[serde(rename = "toCIDR", skip_serializing_if = "Vec::is_empty")]
    to_cidr: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    to_endpoints: Vec<Selector>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    to_entities: Vec<&'static str>,
    #[serde(rename = "toFQDNs", skip_serializing_if = "Vec::is_empty")]
    to_fqdns: Vec<Fqdn>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    to_ports: Vec<PortRule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fqdn {
    match_name: String,
}

#[derive(Serialize)]
struct PortRule {
    ports: Vec<Port>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rules: Option<L7>,
}

#[derive(Serialize)]
struct Port {
    port: String,
    protocol: &'static str,
}

#[derive(Serialize)]
struct L7 {
    dns: Vec<DnsRule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DnsRule {
    match_pattern: &'static str,
}

fn pods(name: &str, namespace: &str) -> Selector {
    let mut match_labels = labels::selector(name);
    match_labels.insert(NAMESPACE_LABEL.into(), namespace.into());
    Selector { match_labels }
}

fn tcp(ports: impl IntoIterator<Item = u16>) -> Vec<PortRule> {
    let ports: Vec<Port> = ports
        .into_iter()
        .map(|p| Port {
            port: p.to_string(),
            protocol: "TCP",
        })
        .collect();
    vec![PortRule { ports, rules: None }]
}

/// Name resolution through kube-dns, with Cilium's DNS proxy so that `toFQDNs` rules work.
fn dns() -> Rule {
    Rule {
        to_endpoints: vec![Selector {
            match_labels: BTreeMap::from([
                (NAMESPACE_LABEL.to_string(), "kube-system".to_string()),
                ("k8s-app".to_string(), "kube-dns".to_string()),
            ]),
        }],
        to_ports: vec![PortRule {
            ports: vec![Port {
                port: "53".into(),
                protocol: "ANY",
            }],
            rules: Some(L7 {
                dns: vec![DnsRule { match_pattern: "*" }],
            }),
        }],
        ..Default::default()
    }
}

/// The sidecar's connection to istiod for configuration and certificates.
fn istiod() -> Rule {
    Rule {
        to_endpoints: vec![Selector {
            match_labels: BTreeMap::from([
                (NAMESPACE_LABEL.to_string(), "istio-system".to_string()),
                ("app".to_string(), "istiod".to_string()),
            ]),
        }],
        to_ports: tcp([15012]),
        ..Default::default()
    }
}

/// What every workload's policy needs to know about the rest of the site.
pub struct Flows<'a> {
    /// The clients of each workload, with the port they use, from every `uses`.
    clients: BTreeMap<&'a str, Vec<(&'a App, u16)>>,
    /// Where each app and database lives and the port a flow reaches by default.
    targets: BTreeMap<&'a str, (&'a str, Option<u16>)>,
    mesh: bool,
}

impl<'a> Flows<'a> {
    pub fn new(site: &'a Site) -> Self {
        let mut targets = BTreeMap::new();
        for app in &site.apps {
            targets.entry(app.name.as_str()).or_insert((
                app.namespace.as_str(),
                app.ports.first().map(|p| p.number.value),
            ));
        }
        for db in &site.databases {
            targets
                .entry(db.name.as_str())
                .or_insert((db.namespace.as_str(), Some(db.engine.port())));
        }
        let mut flows = Flows {
            clients: BTreeMap::new(),
            targets,
            mesh: super::has_component(site, "istio"),
        };
        for app in &site.apps {
            for used in &app.uses {
                if let Some((_, port)) =
                    flows.port(used.target.as_str(), used.port.map(|p| p.value))
                {
                    flows
                        .clients
                        .entry(used.target.as_str())
                        .or_default()
                        .push((app, port));
                }
            }
        }
        flows
    }

    /// The namespace of `target` and the port a flow to it uses: the one named on `uses`, else
    /// the target's first port.
    fn port(&self, target: &str, declared: Option<u16>) -> Option<(&'a str, u16)> {
        let (namespace, default) = self.targets.get(target)?;
        Some((namespace, declared.or(*default)?))
    }

    fn common(&self, egress: &mut Vec<Rule>) {
        egress.push(dns());
        if self.mesh {
            egress.push(istiod());
        }
    }
}

/// The policy of one app.
pub fn emit_app(site: &Site, app: &App, flows: &Flows, files: &mut Files) {
    {
        let mut ingress = inbound(flows.clients.get(app.name.as_str()));
        for route in &app.routes {
            let port = route
                .port
                .map(|p| p.value)
                .or_else(|| app.ports.first().map(|p| p.number.value));
            ingress.push(Rule {
                from_endpoints: vec![Selector {
                    match_labels: BTreeMap::from([
                        (NAMESPACE_LABEL.to_string(), GATEWAY_NAMESPACE.to_string()),
                        ("istio".to_string(), route.gateway.to_string()),
                    ]),
                }],
                to_ports: tcp(port),
                ..Default::default()
            });
        }
        let mut egress = Vec::new();
        flows.common(&mut egress);
        for used in &app.uses {
            if let Some((namespace, port)) =
                flows.port(used.target.as_str(), used.port.map(|p| p.value))
            {
                egress.push(Rule {
                    to_endpoints: vec![pods(used.target.as_str(), namespace)],
                    to_ports: tcp([port]),
                    ..Default::default()
                });
            }
        }
        for out in &app.egress {
            let ports = tcp(out.ports.iter().map(|p| p.value));
            let mut rule = Rule {
                to_ports: ports,
                ..Default::default()
            };
            match &out.target.value {
                EgressTarget::World => rule.to_entities.push("world"),
                EgressTarget::Fqdn(host) => rule.to_fqdns.push(Fqdn {
                    match_name: host.to_string(),
                }),
                EgressTarget::Cidr(cidr) => rule.to_cidr.push(cidr.to_string()),
            }
            egress.push(rule);
        }
        write(
            site,
            app.name.as_str(),
            app.namespace.as_str(),
            ingress,
            egress,
            files,
        );
    }
}

/// The policy of one database: only its clients may reach it.
pub fn emit_database(site: &Site, db: &crate::model::Database, flows: &Flows, files: &mut Files) {
    let ingress = inbound(flows.clients.get(db.name.as_str()));
    let mut egress = Vec::new();
    flows.common(&mut egress);
    write(
        site,
        db.name.as_str(),
        db.namespace.as_str(),
        ingress,
        egress,
        files,
    );
}

fn inbound(clients: Option<&Vec<(&App, u16)>>) -> Vec<Rule> {
    let mut rules: Vec<Rule> = Vec::new();
    for (client, port) in clients.into_iter().flatten() {
        rules.push(Rule {
            from_endpoints: vec![pods(client.name.as_str(), client.namespace.as_str())],
            to_ports: tcp([*port]),
            ..Default::default()
        });
    }
    rules
}

fn write(
    site: &Site,
    name: &str,
    namespace: &str,
    ingress: Vec<Rule>,
    egress: Vec<Rule>,
    files: &mut Files,
) {
    let policy = Policy {
        api_version: "cilium.io/v2",
        kind: "CiliumNetworkPolicy",
        metadata: workload::meta(name, namespace, name, site),
        spec: Spec {
            egress,
            enable_default_deny: DefaultDeny {
                egress: true,
                ingress: true,
            },
            endpoint_selector: Selector {
                match_labels: labels::selector(name),
            },
            ingress,
        },
    };
    files.object(
        object_path(&workload::folder(name), "CiliumNetworkPolicy", name),
        &policy,
    );
}
