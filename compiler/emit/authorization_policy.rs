//! L7 policy in the mesh: Istio AuthorizationPolicies on each server, from the same flows as the
//! CiliumNetworkPolicies. The ALLOW policy `<name>` lists who may call the workload (by the
//! caller's mTLS identity, its service account), on which ports, and for routes and explicit
//! policies with which methods, paths and hosts. Istio denies whatever an ALLOW policy does not
//! match, and a workload with no callers gets an ALLOW policy without rules, which denies
//! everything. Explicit `action=deny` policies become the DENY policy `<name>-deny`, which Istio
//! evaluates before any ALLOW. The Prometheus scrape of the sidecar's merged metrics (port
//! 15020) is written like every other flow, but Envoy does not intercept that port, so only the
//! CiliumNetworkPolicy decides it; the rule keeps the policy a complete list of the flows.

use super::files::object_path;
use super::labels::Selector;
use super::network_policy::Flows;
use super::{workload, Files};
use crate::flows::{path_patterns, Action, Flow, Peer};
use crate::model::Site;
use serde::Serialize;

type AuthorizationPolicy = super::custom_resource::CustomResource<Spec>;

#[derive(Serialize)]
struct Spec {
    action: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rules: Vec<Rule>,
    selector: Selector,
}

#[derive(Serialize)]
struct Rule {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    from: Vec<From>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    to: Vec<To>,
}

#[derive(Serialize)]
struct From {
    source: Source,
}

#[derive(Serialize)]
struct Source {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    namespaces: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    principals: Vec<String>,
}

#[derive(Serialize)]
struct To {
    operation: Operation,
}

#[derive(Serialize)]
struct Operation {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hosts: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    methods: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    paths: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ports: Vec<String>,
}

fn rule(flow: &Flow) -> Rule {
    let source = match &flow.from {
        Peer::Workload { .. } | Peer::Gateway { .. } => Some(Source {
            namespaces: Vec::new(),
            principals: flow.from.principal().into_iter().collect(),
        }),
        Peer::Namespace { name } => Some(Source {
            namespaces: vec![name.clone()],
            principals: Vec::new(),
        }),
        // outside the mesh there is no identity to name; the CiliumNetworkPolicy holds the line
        Peer::World | Peer::Fqdn { .. } | Peer::Cidr { .. } | Peer::Nodes => None,
    };
    let operation = Operation {
        hosts: flow.hosts.clone(),
        methods: flow.methods.iter().map(|m| m.as_str()).collect(),
        paths: flow.paths.iter().flat_map(|p| path_patterns(p)).collect(),
        ports: flow.ports.iter().map(u16::to_string).collect(),
    };
    let any = operation.hosts.is_empty()
        && operation.methods.is_empty()
        && operation.paths.is_empty()
        && operation.ports.is_empty();
    Rule {
        from: source.map(|source| From { source }).into_iter().collect(),
        to: if any {
            Vec::new()
        } else {
            vec![To { operation }]
        },
    }
}

fn write(
    site: &Site,
    name: &str,
    ns: &str,
    object: &str,
    action: &'static str,
    rules: Vec<Rule>,
    files: &mut Files,
) {
    let policy = AuthorizationPolicy {
        api_version: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        metadata: workload::meta(object, ns, name, site),
        spec: Spec {
            action,
            rules,
            selector: Selector::of(name),
        },
    };
    files.object(
        object_path(&workload::folder(name), "AuthorizationPolicy", object),
        &policy,
    );
}

/// The AuthorizationPolicies of one app or database.
pub fn emit(site: &Site, name: &str, ns: &str, flows: &Flows, files: &mut Files) {
    let into = flows.reaching(name, ns);
    let allow: Vec<Rule> = into
        .iter()
        .filter(|f| f.action == Action::Allow)
        .map(|f| rule(f))
        .collect();
    write(site, name, ns, name, "ALLOW", allow, files);
    let deny: Vec<Rule> = into
        .iter()
        .filter(|f| f.action == Action::Deny)
        .map(|f| rule(f))
        .collect();
    if !deny.is_empty() {
        write(site, name, ns, &format!("{name}-deny"), "DENY", deny, files);
    }
}
