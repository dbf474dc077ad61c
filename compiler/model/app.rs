use super::value::{Duration, Host, HttpPath, ImageRef, Name, Percent, Quantity};
use super::{Span, Spanned};

/// A workload the site runs: a Deployment, or a Rollout when it has canary steps.
#[derive(Debug, Clone)]
pub struct App {
    pub name: Spanned<Name>,
    pub namespace: Spanned<Name>,
    pub image: Spanned<ImageRef>,
    pub ports: Vec<Port>,
    pub replicas: Spanned<u32>,
    pub resources: Resources,
    pub env: Vec<EnvVar>,
    pub probes: Vec<Probe>,
    pub routes: Vec<Route>,
    pub uses: Vec<Use>,
    pub egress: Vec<Egress>,
    pub secrets: Vec<SecretMount>,
    pub canary: Option<Canary>,
    /// `metrics`: where the app serves Prometheus metrics.
    pub metrics: Option<Metrics>,
    /// `instrument=`: the language the OpenTelemetry operator auto-instruments the app in.
    pub instrument: Option<Spanned<Language>>,
    /// Nodes the app is restricted to; empty means any schedulable node.
    pub nodes: Vec<Spanned<Name>>,
    /// `user=`: the UID the container runs as; `None` means `App::DEFAULT_USER`.
    pub user: Option<Spanned<u32>>,
    /// Scanner checks this app knowingly fails, with the site's reasons.
    pub exceptions: Vec<super::Exception>,
    pub span: Span,
    /// A `port` of the app failed to decode (and was reported): its port list is incomplete,
    /// so rules that look a port up in it stay silent rather than report a port the user
    /// wrote as missing.
    pub ports_incomplete: bool,
}

impl App {
    /// Above the range distributions give host users and services (below 10000), so a process
    /// that escapes its container is nobody on the node. Images built to run under any UID
    /// (OpenShift's rule) work as is; the volumes are group-owned by the same id.
    pub const DEFAULT_USER: u32 = 10001;

    pub fn user(&self) -> i64 {
        i64::from(self.user.as_ref().map_or(Self::DEFAULT_USER, |u| u.value))
    }

    pub fn port(&self, number: u16) -> Option<&Port> {
        self.ports.iter().find(|p| p.number.value == number)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Protocol {
    Http,
    Grpc,
    Tcp,
}

impl Protocol {
    pub const ALL: &'static [(&'static str, Protocol)] = &[
        ("grpc", Protocol::Grpc),
        ("http", Protocol::Http),
        ("tcp", Protocol::Tcp),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Grpc => "grpc",
            Protocol::Tcp => "tcp",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Port {
    pub name: Spanned<Name>,
    pub number: Spanned<u16>,
    pub protocol: Protocol,
}

/// Requests and limits; every workload has all four, from the site or from the defaults in
/// `docs/language.md`.
#[derive(Debug, Clone)]
pub struct Resources {
    pub cpu: Spanned<Quantity>,
    pub memory: Spanned<Quantity>,
    pub cpu_limit: Spanned<Quantity>,
    pub memory_limit: Spanned<Quantity>,
}

#[derive(Debug, Clone)]
pub struct EnvVar {
    pub name: Spanned<String>,
    pub source: EnvSource,
}

#[derive(Debug, Clone)]
pub enum EnvSource {
    Literal(String),
    Secret {
        secret: Spanned<Name>,
        key: Spanned<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    Readiness,
    Liveness,
    Startup,
}

impl ProbeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeKind::Readiness => "readiness",
            ProbeKind::Liveness => "liveness",
            ProbeKind::Startup => "startup",
        }
    }

    pub const ALL: &'static [(&'static str, ProbeKind)] = &[
        ("liveness", ProbeKind::Liveness),
        ("readiness", ProbeKind::Readiness),
        ("startup", ProbeKind::Startup),
    ];
}

#[derive(Debug, Clone)]
pub enum ProbeAction {
    Http { path: HttpPath, port: u16 },
    Tcp { port: u16 },
    Exec { command: Vec<String> },
}

#[derive(Debug, Clone)]
pub struct Probe {
    pub kind: ProbeKind,
    pub action: ProbeAction,
    pub period: Duration,
    pub initial_delay: Duration,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Options,
}

impl HttpMethod {
    pub const ALL: &'static [(&'static str, HttpMethod)] = &[
        ("DELETE", HttpMethod::Delete),
        ("GET", HttpMethod::Get),
        ("HEAD", HttpMethod::Head),
        ("OPTIONS", HttpMethod::Options),
        ("PATCH", HttpMethod::Patch),
        ("POST", HttpMethod::Post),
        ("PUT", HttpMethod::Put),
    ];

    pub fn as_str(self) -> &'static str {
        HttpMethod::ALL
            .iter()
            .find(|(_, m)| *m == self)
            .map_or("", |(n, _)| n)
    }
}

/// An HTTP route from a gateway to the app.
#[derive(Debug, Clone)]
pub struct Route {
    pub gateway: Spanned<Name>,
    pub host: Spanned<Host>,
    pub path: Spanned<HttpPath>,
    pub port: Option<Spanned<u16>>,
    pub methods: Vec<Spanned<HttpMethod>>,
    pub cors: Option<Cors>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Cors {
    pub origins: Vec<Spanned<String>>,
    pub span: Span,
}

/// A language the OpenTelemetry operator can auto-instrument, as the `otel` component's
/// `instrument` setting lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Language {
    Dotnet,
    Java,
    Nodejs,
    Python,
}

impl Language {
    pub const ALL: &'static [(&'static str, Language)] = &[
        ("dotnet", Language::Dotnet),
        ("java", Language::Java),
        ("nodejs", Language::Nodejs),
        ("python", Language::Python),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Dotnet => "dotnet",
            Language::Java => "java",
            Language::Nodejs => "nodejs",
            Language::Python => "python",
        }
    }
}

/// Where an app serves Prometheus metrics; with `prometheus` in the site a PodMonitor
/// scrapes it (through the sidecar's merged metrics in a mesh, see `emit/metrics.rs`).
#[derive(Debug, Clone)]
pub struct Metrics {
    /// `port=`; `None` means the app's first port.
    pub port: Option<Spanned<u16>>,
    pub path: HttpPath,
    pub interval: Duration,
    pub span: Span,
}

impl Metrics {
    pub const DEFAULT_PATH: &'static str = "/metrics";
    pub const DEFAULT_INTERVAL_SECS: u64 = 30;
}

/// A flow from this app to another app or database: both sides' policies follow from it.
#[derive(Debug, Clone)]
pub struct Use {
    pub target: Spanned<Name>,
    pub port: Option<Spanned<u16>>,
    /// `env=`: the prefix of the variables that tell the app how to reach the target (see
    /// `Use::connection`).
    pub env: Option<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EgressTarget {
    /// Anywhere outside the cluster.
    World,
    /// Named hosts outside the cluster.
    Fqdn(Host),
    Cidr(super::value::Cidr),
}

#[derive(Debug, Clone)]
pub struct Egress {
    pub target: Spanned<EgressTarget>,
    pub ports: Vec<Spanned<u16>>,
    pub why: Spanned<String>,
    pub span: Span,
}

/// A declared secret the app reads, as environment variables or as files.
#[derive(Debug, Clone)]
pub struct SecretMount {
    pub secret: Spanned<Name>,
    pub path: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrafficRouting {
    /// Istio VirtualService weights: exact percentages.
    Istio,
    /// Replica counts only: percentages are approximated by pod counts.
    Replicas,
}

impl TrafficRouting {
    pub const ALL: &'static [(&'static str, TrafficRouting)] = &[
        ("istio", TrafficRouting::Istio),
        ("replicas", TrafficRouting::Replicas),
    ];
}

#[derive(Debug, Clone)]
pub struct Canary {
    pub steps: Vec<CanaryStep>,
    pub traffic: Spanned<TrafficRouting>,
    pub analysis: Option<Analysis>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct CanaryStep {
    pub weight: Spanned<u32>,
    pub pause: Option<Spanned<Duration>>,
}

/// Background analysis on Prometheus: a failing canary aborts and traffic returns to stable.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub success_rate: Spanned<Percent>,
    pub latency_p99: Option<Spanned<Duration>>,
    pub interval: Duration,
    pub failure_limit: u32,
    pub span: Span,
}
