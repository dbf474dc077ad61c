//! L3/L4 policy, one CiliumNetworkPolicy per workload, written from the site's flows
//! (`crate::flows`), so that both sides of a flow come from one declaration: a `uses` gives the
//! client its egress and the server its ingress; a route admits its gateway's pods; `egress`
//! opens the declared ports to the world, a host or a range; an explicit `policy` adds a rule
//! or, with `action=deny`, an `ingressDeny`/`egressDeny` that wins over every allow. Every pod
//! may resolve names through kube-dns and, in a mesh, reach istiod. Everything else is denied
//! (`enableDefaultDeny`). Methods and paths are left to Istio's AuthorizationPolicy: Cilium's
//! own HTTP rules do not work under Istio mTLS, where Cilium only sees encrypted bytes.

use super::files::object_path;
use super::{labels, workload, Files};
use crate::flows::{Action, Flow, Peer, GATEWAY_NAMESPACE};
use serde::Serialize;
use std::collections::BTreeMap;

const NAMESPACE_LABEL: &str = "k8s:io.kubernetes.pod.namespace";

type Policy = super::custom_resource::CustomResource<Spec>;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Spec {
    // every workload's policy has egress (DNS at least); a namespace ingress policy has none
    #[serde(skip_serializing_if = "Vec::is_empty")]
    egress: Vec<Rule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    egress_deny: Vec<Rule>,
    enable_default_deny: DefaultDeny,
    endpoint_selector: Selector,
    ingress: Vec<Rule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ingress_deny: Vec<Rule>,
}

#[derive(Serialize)]
pub struct DefaultDeny {
    pub egress: bool,
    pub ingress: bool,
}

pub use super::labels::Selector;

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    #[serde(rename = "fromCIDR", skip_serializing_if = "Vec::is_empty")]
    from_cidr: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    from_endpoints: Vec<Selector>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub from_entities: Vec<&'static str>,
    #[serde(rename = "toCIDR", skip_serializing_if = "Vec::is_empty")]
    to_cidr: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    to_endpoints: Vec<Selector>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub to_entities: Vec<&'static str>,
    #[serde(rename = "toFQDNs", skip_serializing_if = "Vec::is_empty")]
    to_fqdns: Vec<Fqdn>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    to_ports: Vec<PortRule>,
}

impl Rule {
    /// A rule on whole classes of peers (`world`, `all`…) and every port.
    pub fn from_entities(entities: Vec<&'static str>) -> Self {
        Rule {
            from_entities: entities,
            ..Default::default()
        }
    }

    pub fn to_entities(entities: Vec<&'static str>) -> Self {
        Rule {
            to_entities: entities,
            ..Default::default()
        }
    }
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

fn namespace(name: &str) -> Selector {
    Selector {
        match_labels: BTreeMap::from([(NAMESPACE_LABEL.to_string(), name.to_string())]),
    }
}

fn gateway(name: &str) -> Selector {
    Selector {
        match_labels: BTreeMap::from([
            (NAMESPACE_LABEL.to_string(), GATEWAY_NAMESPACE.to_string()),
            ("istio".to_string(), name.to_string()),
        ]),
    }
}

/// Ports as Cilium wants them; no ports means every port, which Cilium writes as no `toPorts`.
fn tcp(ports: &[u16]) -> Vec<PortRule> {
    if ports.is_empty() {
        return Vec::new();
    }
    let ports: Vec<Port> = ports
        .iter()
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
        to_ports: tcp(&[15012]),
        ..Default::default()
    }
}

/// The rule admitting traffic from `peer`.
fn inbound(peer: &Peer, ports: &[u16]) -> Rule {
    let mut rule = Rule {
        to_ports: tcp(ports),
        ..Default::default()
    };
    match peer {
        Peer::Workload {
            name,
            namespace: ns,
        } => rule.from_endpoints.push(pods(name, ns)),
        Peer::Gateway { name } => rule.from_endpoints.push(gateway(name)),
        Peer::Namespace { name } => rule.from_endpoints.push(namespace(name)),
        Peer::World | Peer::Fqdn { .. } => rule.from_entities.push("world"),
        Peer::Cidr { cidr } => rule.from_cidr.push(cidr.clone()),
        Peer::Nodes => rule.from_entities.extend(NODE_ENTITIES),
    }
    rule
}

/// The rule letting traffic out to `peer`.
fn outbound(peer: &Peer, ports: &[u16]) -> Rule {
    let mut rule = Rule {
        to_ports: tcp(ports),
        ..Default::default()
    };
    match peer {
        Peer::Workload {
            name,
            namespace: ns,
        } => rule.to_endpoints.push(pods(name, ns)),
        Peer::Gateway { name } => rule.to_endpoints.push(gateway(name)),
        Peer::Namespace { name } => rule.to_endpoints.push(namespace(name)),
        Peer::World => rule.to_entities.push("world"),
        Peer::Fqdn { host } => rule.to_fqdns.push(Fqdn {
            match_name: host.clone(),
        }),
        Peer::Cidr { cidr } => rule.to_cidr.push(cidr.clone()),
        Peer::Nodes => rule.to_entities.extend(NODE_ENTITIES),
    }
    rule
}

/// The cluster's nodes as Cilium names them: this pod's own node and every other one.
const NODE_ENTITIES: [&str; 2] = ["host", "remote-node"];

/// Ingress of every pod of a platform component's namespace that labc writes the objects of
/// (Wazuh): default deny, with the namespace's own pods and exactly the flows that reach the
/// namespace. Egress is left open (no default deny): the component's own traffic is its
/// upstream's business, and this policy only says who may reach it.
pub fn namespace_ingress(
    site: &crate::model::Site,
    name: &str,
    ns: &str,
    folder: &str,
    flows: &[Flow],
    files: &mut Files,
) {
    let mut ingress = vec![inbound(
        &Peer::Namespace {
            name: ns.to_string(),
        },
        &[],
    )];
    let mut ingress_deny = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for flow in flows
        .iter()
        .filter(|f| matches!(&f.to, Peer::Namespace { name } if name == ns))
    {
        // two sources from one peer on one port (the nodes' syslog and audit log) are one rule
        if !seen.insert((flow.action, &flow.from, &flow.ports)) {
            continue;
        }
        match flow.action {
            Action::Allow => ingress.push(inbound(&flow.from, &flow.ports)),
            Action::Deny if !flow.is_l7() => ingress_deny.push(inbound(&flow.from, &flow.ports)),
            Action::Deny => {}
        }
    }
    let policy = Policy {
        api_version: "cilium.io/v2",
        kind: "CiliumNetworkPolicy",
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(ns.to_string()),
            labels: Some(labels::of(name, site.settings.name.as_str())),
            ..Default::default()
        },
        spec: Spec {
            egress: Vec::new(),
            egress_deny: Vec::new(),
            enable_default_deny: DefaultDeny {
                egress: false,
                ingress: true,
            },
            endpoint_selector: Selector {
                match_labels: BTreeMap::new(),
            },
            ingress,
            ingress_deny,
        },
    };
    files.object(object_path(folder, "CiliumNetworkPolicy", name), &policy);
    // the standard policy beside it (see default_deny.rs): ingress only, so that it denies no
    // egress the Cilium policy leaves open
    let standard = k8s_openapi::api::networking::v1::NetworkPolicy {
        metadata: policy.metadata.clone(),
        spec: Some(k8s_openapi::api::networking::v1::NetworkPolicySpec {
            pod_selector: Some(Default::default()),
            policy_types: Some(vec!["Ingress".into()]),
            ..Default::default()
        }),
    };
    files.object(object_path(folder, "NetworkPolicy", name), &standard);
}

type Index<'a> = BTreeMap<&'a str, BTreeMap<&'a str, Vec<&'a Flow>>>;

/// The flows each workload takes part in, indexed once for the whole site by namespace and
/// name.
pub struct Flows<'a> {
    reaching: Index<'a>,
    leaving: Index<'a>,
    mesh: bool,
}

fn lookup<'a, 'i>(index: &'i Index<'a>, name: &str, namespace: &str) -> &'i [&'a Flow] {
    index
        .get(namespace)
        .and_then(|names| names.get(name))
        .map_or(&[], |v| v.as_slice())
}

impl<'a> Flows<'a> {
    pub fn new(flows: &'a [Flow], mesh: bool) -> Self {
        let mut index = Flows {
            reaching: BTreeMap::new(),
            leaving: BTreeMap::new(),
            mesh,
        };
        for flow in flows {
            if let Some((name, ns)) = flow.to.workload() {
                let names = index.reaching.entry(ns).or_default();
                names.entry(name).or_default().push(flow);
            }
            if let Some((name, ns)) = flow.from.workload() {
                let names = index.leaving.entry(ns).or_default();
                names.entry(name).or_default().push(flow);
            }
        }
        index
    }

    /// The flows that reach the workload `name` in `namespace`.
    pub fn reaching(&self, name: &str, namespace: &str) -> &[&'a Flow] {
        lookup(&self.reaching, name, namespace)
    }

    /// The flows that leave the workload `name` in `namespace`.
    pub fn leaving(&self, name: &str, namespace: &str) -> &[&'a Flow] {
        lookup(&self.leaving, name, namespace)
    }
}

/// The CiliumNetworkPolicy of one app or database.
pub fn emit(site: &crate::model::Site, name: &str, ns: &str, flows: &Flows, files: &mut Files) {
    let (mut ingress, mut ingress_deny) = (Vec::new(), Vec::new());
    for flow in flows.reaching(name, ns) {
        match flow.action {
            Action::Allow => ingress.push(inbound(&flow.from, &flow.ports)),
            Action::Deny if !flow.is_l7() => ingress_deny.push(inbound(&flow.from, &flow.ports)),
            Action::Deny => {}
        }
    }
    let mut egress = vec![dns()];
    if flows.mesh {
        egress.push(istiod());
    }
    let mut egress_deny = Vec::new();
    for flow in flows.leaving(name, ns) {
        match flow.action {
            Action::Allow => egress.push(outbound(&flow.to, &flow.ports)),
            Action::Deny if !flow.is_l7() => egress_deny.push(outbound(&flow.to, &flow.ports)),
            Action::Deny => {}
        }
    }
    let policy = Policy {
        api_version: "cilium.io/v2",
        kind: "CiliumNetworkPolicy",
        metadata: workload::meta(name, ns, name, site),
        spec: Spec {
            egress,
            egress_deny,
            enable_default_deny: DefaultDeny {
                egress: true,
                ingress: true,
            },
            endpoint_selector: Selector::of(name),
            ingress,
            ingress_deny,
        },
    };
    files.object(
        object_path(&workload::folder(name), "CiliumNetworkPolicy", name),
        &policy,
    );
}
