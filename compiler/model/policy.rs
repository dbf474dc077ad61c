use super::value::{HttpPath, Name};
use super::{HttpMethod, Span, Spanned};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyAction {
    Allow,
    Deny,
}

impl PolicyAction {
    pub const ALL: &'static [(&'static str, PolicyAction)] =
        &[("allow", PolicyAction::Allow), ("deny", PolicyAction::Deny)];
}

/// One side of an explicit policy rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// An app, database or component, by name.
    Named(Name),
    /// Every pod of a namespace.
    Namespace(Name),
    /// Anything outside the cluster.
    World,
}

/// An explicit rule beyond the ones derived from `uses`, routes and egress.
#[derive(Debug, Clone)]
pub struct Policy {
    pub name: Spanned<Name>,
    pub action: PolicyAction,
    pub from: Spanned<Endpoint>,
    pub to: Spanned<Endpoint>,
    pub ports: Vec<Spanned<u16>>,
    pub methods: Vec<Spanned<HttpMethod>>,
    pub paths: Vec<Spanned<HttpPath>>,
    pub span: Span,
}
