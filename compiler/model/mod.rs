//! The typed site: what `site.kdl` says, decoded and never mutated afterwards.

mod app;
mod ci;
mod connection;
mod database;
mod exception;
mod layer;
mod node;
mod policy;
mod secret;
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
pub use node::{Disk, Nic, Node, NodeOs, NodeRole, Taint, TaintEffect};
pub use policy::{Endpoint, Policy, PolicyAction};
pub use secret::{key_problem as secret_key_problem, Secret, SecretScope};
pub use site::{Alert, AlertChannel, ForeignNamespace, Network, Repo, Site, SiteSettings};
pub use spanned::{Span, Spanned};
