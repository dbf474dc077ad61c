//! Who may talk to whom: every flow of the site, derived once from `uses`, routes, `egress` and
//! explicit `policy` rules. The network policies (CiliumNetworkPolicy, L3/L4), the Istio
//! AuthorizationPolicies (L7) and `labc flows` all read this one list, so the table a person
//! reads and the objects the cluster enforces cannot disagree.

mod derive;
mod siem;
mod table;

pub use derive::derive;
pub use table::table;

use crate::model::HttpMethod;

/// Where Istio gateways run; each gateway's pods carry `istio: <gateway name>` and run as the
/// service account named after the gateway.
pub const GATEWAY_NAMESPACE: &str = "istio-ingress";

/// The port where the Istio sidecar serves the pod's merged Prometheus metrics.
pub const METRICS_PORT: u16 = 15020;

/// Tempo's OTLP/HTTP receiver port, where auto-instrumented apps send their traces.
pub const OTLP_HTTP_PORT: u16 = 4318;

/// One end of a flow.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Peer {
    /// An app or database of the site: its pods, its Service, its service account.
    Workload { name: String, namespace: String },
    /// The pods of an Istio ingress gateway.
    Gateway { name: String },
    /// Every pod of a namespace (a `namespace:` endpoint, or a platform component, whose pods
    /// labc does not label itself).
    Namespace { name: String },
    /// Anywhere outside the cluster.
    World,
    /// A named host outside the cluster.
    Fqdn { host: String },
    /// An address range outside the cluster.
    Cidr { cidr: String },
    /// The cluster's nodes themselves, on their host network (their syslog, the API server's
    /// audit log): Cilium's `host` and `remote-node` entities.
    Nodes,
}

impl Peer {
    pub fn workload(&self) -> Option<(&str, &str)> {
        match self {
            Peer::Workload { name, namespace } => Some((name, namespace)),
            _ => None,
        }
    }

    /// The Istio identity of the peer's pods, when it has one labc knows.
    pub fn principal(&self) -> Option<String> {
        match self {
            Peer::Workload { name, namespace } => {
                Some(format!("cluster.local/ns/{namespace}/sa/{name}"))
            }
            Peer::Gateway { name } => {
                Some(format!("cluster.local/ns/{GATEWAY_NAMESPACE}/sa/{name}"))
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Peer::Workload { name, namespace } => write!(f, "{namespace}/{name}"),
            Peer::Gateway { name } => write!(f, "gateway {GATEWAY_NAMESPACE}/{name}"),
            Peer::Namespace { name } => write!(f, "namespace {name}"),
            Peer::World => f.write_str("world"),
            Peer::Fqdn { host } => f.write_str(host),
            Peer::Cidr { cidr } => f.write_str(cidr),
            Peer::Nodes => f.write_str("nodes"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Allow,
    Deny,
}

/// Which declaration a flow comes from, for people reading the table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// Prometheus reading metrics: in a mesh the sidecar's merged metrics (Envoy's, which
    /// canary analysis and dashboards need, and the app's declared `metrics`), derived for every
    /// workload when the site has both `istio` and `prometheus`; without a mesh the declared
    /// `metrics` port of each app that has one.
    Metrics,
    /// An auto-instrumented app (`instrument=`) sending its traces to Tempo's OTLP receiver.
    Traces,
    Uses,
    Route,
    Egress {
        why: String,
    },
    Policy {
        name: String,
    },
    /// One of the SIEM's sources reaching Wazuh's syslog listener (`sources` of `wazuh`).
    Siem {
        source: String,
    },
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Metrics => f.write_str("metrics scrape"),
            Origin::Traces => f.write_str("traces"),
            Origin::Uses => f.write_str("uses"),
            Origin::Route => f.write_str("route"),
            Origin::Egress { why } => write!(f, "egress: {why}"),
            Origin::Policy { name } => write!(f, "policy {name}"),
            Origin::Siem { source } => write!(f, "siem: {source}"),
        }
    }
}

/// One allowed or denied flow. Empty `ports`, `methods`, `paths` or `hosts` mean "any".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Flow {
    pub action: Action,
    pub from: Peer,
    pub to: Peer,
    pub ports: Vec<u16>,
    pub methods: Vec<HttpMethod>,
    /// Path prefixes, as written (`/api`).
    pub paths: Vec<String>,
    pub hosts: Vec<String>,
    pub origin: Origin,
}

impl Flow {
    /// Whether the flow can only be expressed at L7 (Istio): a deny of some methods or paths
    /// must not become an L3/L4 deny of the whole port.
    pub fn is_l7(&self) -> bool {
        !self.methods.is_empty() || !self.paths.is_empty()
    }
}

/// Istio path patterns for a prefix: the path itself and everything under it (`/api` gives
/// `/api` and `/api/*`; `/` gives `/*`), so `/apiary` is not matched by `/api`.
pub fn path_patterns(prefix: &str) -> Vec<String> {
    let bare = prefix.trim_end_matches('/');
    if bare.is_empty() {
        return vec!["/*".into()];
    }
    vec![bare.to_string(), format!("{bare}/*")]
}
