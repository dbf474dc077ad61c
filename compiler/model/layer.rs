use super::value::{Duration, Host, Name, Percent, Quantity};
use super::{Span, Spanned};
use std::collections::BTreeMap;

/// The platform layers a site is built from, in the order the seed's architecture lists them
/// from the bottom up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LayerKind {
    Cni,
    Storage,
    Mesh,
    Ingress,
    Gitops,
    Observability,
    RuntimeSecurity,
    Siem,
}

impl LayerKind {
    pub const ALL: &'static [(&'static str, LayerKind)] = &[
        ("cni", LayerKind::Cni),
        ("gitops", LayerKind::Gitops),
        ("ingress", LayerKind::Ingress),
        ("mesh", LayerKind::Mesh),
        ("observability", LayerKind::Observability),
        ("runtime-security", LayerKind::RuntimeSecurity),
        ("siem", LayerKind::Siem),
        ("storage", LayerKind::Storage),
    ];

    pub fn as_str(self) -> &'static str {
        LayerKind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("", |(n, _)| n)
    }
}

#[derive(Debug, Clone)]
pub struct Layer {
    pub kind: Spanned<LayerKind>,
    pub components: Vec<ComponentUse>,
    pub gateways: Vec<Gateway>,
    /// How many children the block had, including any that were reported and dropped.
    pub written: usize,
}

/// A component named in a layer with the settings the site gives it. Settings are checked
/// against the component's stdlib definition, so here they are still untyped values with spans.
#[derive(Debug, Clone)]
pub struct ComponentUse {
    pub name: Spanned<Name>,
    pub settings: BTreeMap<String, Spanned<SettingValue>>,
}

/// A component setting after it was checked against its declared type.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingValue {
    Bool(bool),
    Int(i64),
    String(String),
    Duration(Duration),
    Quantity(Quantity),
    Percent(Percent),
    List(Vec<String>),
}

/// An Istio ingress gateway that routes the listed hosts into the mesh.
#[derive(Debug, Clone)]
pub struct Gateway {
    pub name: Spanned<Name>,
    pub hosts: Vec<Spanned<Host>>,
    /// The secret (type kubernetes.io/tls) with the certificate served on 443, which labc
    /// declares in the gateways' namespace.
    pub tls: Option<Spanned<Name>>,
    pub span: Span,
}
