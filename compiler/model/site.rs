use super::value::{Cidr, Host, Name, Version};
use super::{App, Ci, Database, Layer, Node, Policy, Secret, Spanned};

/// The whole decoded site. Collections keep the order of `site.kdl`; anything that reaches
/// output is sorted by name where it is emitted.
#[derive(Debug, Clone)]
pub struct Site {
    pub settings: SiteSettings,
    pub nodes: Vec<Node>,
    pub layers: Vec<Layer>,
    pub apps: Vec<App>,
    pub databases: Vec<Database>,
    pub secrets: Vec<Secret>,
    pub policies: Vec<Policy>,
    pub registries: Vec<super::Registry>,
}

impl Site {
    /// Whether the site's layers include the component.
    pub fn has_component(&self, name: &str) -> bool {
        self.layers
            .iter()
            .flat_map(|l| &l.components)
            .any(|c| c.name.as_str() == name)
    }
}

#[derive(Debug, Clone)]
pub struct SiteSettings {
    pub name: Spanned<Name>,
    pub domain: Option<Spanned<Host>>,
    pub repo: Repo,
    pub kubernetes: Spanned<Version>,
    pub runtime_version: Spanned<Version>,
    pub network: Network,
    pub alerts: Vec<Alert>,
    /// `ci github`, `ci gitlab`: the pipelines of the site's repository, in site.kdl's order.
    pub ci: Vec<Ci>,
    /// `foreign-namespace`: namespaces the site's apps may run in although labc does not own
    /// them (Kubernetes' own, a platform component's); labc writes no Namespace for them.
    pub foreign_namespaces: Vec<ForeignNamespace>,
}

/// A namespace the site runs apps in without owning it, and why.
#[derive(Debug, Clone)]
pub struct ForeignNamespace {
    pub name: Spanned<Name>,
    pub why: Spanned<String>,
}

impl SiteSettings {
    /// Whether `site` says its apps may run in `namespace` without owning it.
    pub fn is_foreign(&self, namespace: &str) -> bool {
        self.foreign_namespaces
            .iter()
            .any(|f| f.name.as_str() == namespace)
    }
}

/// The git repository Argo CD syncs `out/` from.
#[derive(Debug, Clone)]
pub struct Repo {
    pub url: Spanned<String>,
    pub revision: String,
    pub path: String,
}

#[derive(Debug, Clone)]
pub struct Network {
    pub nodes: Option<Spanned<Cidr>>,
    pub pods: Spanned<Cidr>,
    pub services: Spanned<Cidr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlertChannel {
    Discord,
    Slack,
    Email,
}

impl AlertChannel {
    pub const ALL: &'static [(&'static str, AlertChannel)] = &[
        ("discord", AlertChannel::Discord),
        ("email", AlertChannel::Email),
        ("slack", AlertChannel::Slack),
    ];
}

/// Where alerts go; the webhook or address lives in a declared secret, never in the site file.
#[derive(Debug, Clone)]
pub struct Alert {
    pub channel: Spanned<AlertChannel>,
    pub secret: Spanned<Name>,
}
