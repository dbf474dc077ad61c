//! Which schema an object is checked against: a site's own CRD for its group and kind if the
//! site has one, else the embedded one.

use super::capture::Identity;
use super::table::{Kind, Table};

/// The schema an object's apiVersion and kind select.
pub enum Lookup<'a> {
    /// No CRD for the group and kind: not a custom resource labc knows.
    Unknown,
    /// The CRD exists but does not serve the object's version.
    NotServed { served: Vec<&'a str>, file: &'a str },
    Schema {
        table: &'a Table,
        root: u32,
        file: &'a str,
    },
}

/// Finds the CRD of `identity` among `kinds`.
pub fn lookup<'a>(table: &'a Table, kinds: &'a [Kind], identity: &Identity) -> Lookup<'a> {
    let group = identity.group();
    let Some(crd) = kinds
        .iter()
        .find(|k| k.kind == identity.kind.as_str() && k.group == group)
    else {
        return Lookup::Unknown;
    };
    match crd.versions.iter().find(|(v, _)| v == identity.version()) {
        Some((_, root)) => Lookup::Schema {
            table,
            root: *root,
            file: &crd.file,
        },
        None => Lookup::NotServed {
            served: crd.versions.iter().map(|(v, _)| v.as_ref()).collect(),
            file: &crd.file,
        },
    }
}

/// The embedded CRD of an object.
pub fn embedded(identity: &Identity) -> Lookup<'static> {
    lookup(&super::embedded::TABLE, super::embedded::KINDS, identity)
}

/// CRDs converted at run time, which decide over the embedded ones for the groups and kinds
/// they cover: those a site brings in its own `crds/` folder, for the components whose version
/// it overrides (empty for most sites), or those a rendered chart installs (`from_values`).
#[derive(Debug, Clone, Default)]
pub struct SiteCrds {
    pub(super) table: Table,
    pub(super) kinds: Vec<Kind>,
}

impl SiteCrds {
    /// Whether the site's CRDs, rather than the embedded ones, decide for this object.
    pub fn decides(&self, identity: &Identity) -> bool {
        let group = identity.group();
        self.kinds
            .iter()
            .any(|k| k.kind == identity.kind.as_str() && k.group == group)
    }

    pub fn lookup(&self, identity: &Identity) -> Lookup<'_> {
        lookup(&self.table, &self.kinds, identity)
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }
}
