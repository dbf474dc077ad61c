//! The typed site: what `site.kdl` says, decoded and never mutated afterwards.

mod app;
mod ci;
mod connection;
mod database;
mod exception;
pub mod falco_outputs;
mod layer;
mod node;
mod policy;
pub mod registry;
pub mod secret;
mod site;
mod spanned;
pub mod value;

pub use app::{
    Analysis, App, Canary, CanaryStep, Cors, Egress, EgressTarget, EnvSource, EnvVar, HttpMethod,
    Language, Metrics, Port, Probe, ProbeAction, ProbeKind, Protocol, Resources, Route,
    SecretMount, TrafficRouting, Use,
};
pub use ci::{Ci, CiProvider, Severity};
pub use database::{Database, Engine, Storage, Variables};
pub use exception::Exception;
pub use layer::{ComponentUse, Gateway, Layer, LayerKind, SettingValue};
pub use node::{Aspm, Disk, Nic, Node, NodeOs, NodeRole, Taint, TaintEffect};
pub use policy::{Endpoint, Policy, PolicyAction};
pub use registry::Registry;
pub use secret::{key_problem as secret_key_problem, Secret, SecretScope};
pub use site::{Alert, AlertChannel, ForeignNamespace, Network, Repo, Site, SiteSettings};
pub use spanned::{Span, Spanned};
