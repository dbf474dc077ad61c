use super::{Action, Flow, Origin, Peer, METRICS_PORT, OTLP_HTTP_PORT};
use crate::model::{EgressTarget, Endpoint, HttpMethod, PolicyAction, Site};
use crate::stdlib::Catalog;
use std::collections::BTreeMap;

/// Every flow of a checked site, sorted. `uses` without `port=` reaches the target's first port;
/// a route reaches its `port` or the app's first port with the route's methods (GET when none
/// are written), path and host.
pub fn derive(site: &Site, catalog: &Catalog) -> Vec<Flow> {
    let mut workloads: BTreeMap<&str, (Peer, Option<u16>)> = BTreeMap::new();
    for app in &site.apps {
        workloads.entry(app.name.as_str()).or_insert((
            Peer::Workload {
                name: app.name.to_string(),
                namespace: app.namespace.to_string(),
            },
            app.ports.first().map(|p| p.number.value),
        ));
    }
    for db in &site.databases {
        workloads.entry(db.name.as_str()).or_insert((
            Peer::Workload {
                name: db.name.to_string(),
                namespace: db.namespace.to_string(),
            },
            Some(db.engine.port()),
        ));
    }
    let mut flows = Vec::new();
    let has = |name: &str| site.has_component(name);
    if let Some(prometheus) = catalog
        .get("prometheus")
        .filter(|_| has("istio") && has("prometheus"))
    {
        for (peer, _) in workloads.values() {
            flows.push(Flow {
                action: Action::Allow,
                from: Peer::Namespace {
                    name: prometheus.namespace.clone(),
                },
                to: peer.clone(),
                ports: vec![METRICS_PORT],
                methods: Vec::new(),
                paths: Vec::new(),
                hosts: Vec::new(),
                origin: Origin::Metrics,
            });
        }
    }
    // Outside a mesh Prometheus reads an app's declared metrics port itself; in a mesh it reads
    // the sidecar's merged metrics on METRICS_PORT (above), which include the app's.
    if let Some(prometheus) = catalog
        .get("prometheus")
        .filter(|_| !has("istio") && has("prometheus"))
    {
        for app in &site.apps {
            let Some(metrics) = &app.metrics else {
                continue;
            };
            let Some(port) = metrics
                .port
                .map(|p| p.value)
                .or_else(|| app.ports.first().map(|p| p.number.value))
            else {
                continue;
            };
            flows.push(Flow {
                action: Action::Allow,
                from: Peer::Namespace {
                    name: prometheus.namespace.clone(),
                },
                to: Peer::Workload {
                    name: app.name.to_string(),
                    namespace: app.namespace.to_string(),
                },
                ports: vec![port],
                methods: Vec::new(),
                paths: Vec::new(),
                hosts: Vec::new(),
                origin: Origin::Metrics,
            });
        }
    }
    // An auto-instrumented app's agent sends its spans to Tempo's OTLP/HTTP receiver. Tempo is a
    // platform component: labc writes no policy for its namespace, so only the app's egress is
    // opened here. The checker has made sure `instrument=` comes with `otel`, which needs `tempo`.
    if let Some(tempo) = catalog.get("tempo").filter(|_| has("otel") && has("tempo")) {
        for app in site.apps.iter().filter(|a| a.instrument.is_some()) {
            flows.push(Flow {
                action: Action::Allow,
                from: Peer::Workload {
                    name: app.name.to_string(),
                    namespace: app.namespace.to_string(),
                },
                to: Peer::Namespace {
                    name: tempo.namespace.clone(),
                },
                ports: vec![OTLP_HTTP_PORT],
                methods: Vec::new(),
                paths: Vec::new(),
                hosts: Vec::new(),
                origin: Origin::Traces,
            });
        }
    }
    for app in &site.apps {
        let me = Peer::Workload {
            name: app.name.to_string(),
            namespace: app.namespace.to_string(),
        };
        for used in &app.uses {
            let Some((target, first)) = workloads.get(used.target.as_str()) else {
                continue;
            };
            let Some(port) = used.port.map(|p| p.value).or(*first) else {
                continue;
            };
            flows.push(Flow {
                action: Action::Allow,
                from: me.clone(),
                to: target.clone(),
                ports: vec![port],
                methods: Vec::new(),
                paths: Vec::new(),
                hosts: Vec::new(),
                origin: Origin::Uses,
            });
        }
        for route in &app.routes {
            let Some(port) = route
                .port
                .map(|p| p.value)
                .or_else(|| app.ports.first().map(|p| p.number.value))
            else {
                continue;
            };
            let mut methods: Vec<HttpMethod> = route.methods.iter().map(|m| m.value).collect();
            if methods.is_empty() {
                methods.push(HttpMethod::Get);
            }
            methods.sort();
            methods.dedup();
            flows.push(Flow {
                action: Action::Allow,
                from: Peer::Gateway {
                    name: route.gateway.to_string(),
                },
                to: me.clone(),
                ports: vec![port],
                methods,
                paths: vec![route.path.to_string()],
                hosts: vec![route.host.to_string()],
                origin: Origin::Route,
            });
        }
        for out in &app.egress {
            let to = match &out.target.value {
                EgressTarget::World => Peer::World,
                EgressTarget::Fqdn(host) => Peer::Fqdn {
                    host: host.to_string(),
                },
                EgressTarget::Cidr(cidr) => Peer::Cidr {
                    cidr: cidr.to_string(),
                },
            };
            let mut ports: Vec<u16> = out.ports.iter().map(|p| p.value).collect();
            ports.sort();
            ports.dedup();
            flows.push(Flow {
                action: Action::Allow,
                from: me.clone(),
                to,
                ports,
                methods: Vec::new(),
                paths: Vec::new(),
                hosts: Vec::new(),
                origin: Origin::Egress {
                    why: out.why.to_string(),
                },
            });
        }
    }
    let endpoint = |e: &Endpoint| -> Option<Peer> {
        Some(match e {
            Endpoint::World => Peer::World,
            Endpoint::Namespace(ns) => Peer::Namespace {
                name: ns.to_string(),
            },
            Endpoint::Named(name) => match workloads.get(name.as_str()) {
                Some((peer, _)) => peer.clone(),
                None => Peer::Namespace {
                    name: catalog.get(name.as_str())?.namespace.clone(),
                },
            },
        })
    };
    for policy in &site.policies {
        let (Some(from), Some(to)) = (endpoint(&policy.from), endpoint(&policy.to)) else {
            continue;
        };
        let mut methods: Vec<HttpMethod> = policy.methods.iter().map(|m| m.value).collect();
        methods.sort();
        methods.dedup();
        let mut paths: Vec<String> = policy.paths.iter().map(|p| p.to_string()).collect();
        paths.sort();
        paths.dedup();
        flows.push(Flow {
            action: match policy.action {
                PolicyAction::Allow => Action::Allow,
                PolicyAction::Deny => Action::Deny,
            },
            from,
            to,
            ports: policy.ports.iter().map(|p| p.value).collect(),
            methods,
            paths,
            hosts: Vec::new(),
            origin: Origin::Policy {
                name: policy.name.to_string(),
            },
        });
    }
    flows.extend(super::siem::flows(site, catalog));
    flows.sort();
    flows.dedup();
    flows
}
