//! Secrets: the plaintext scanner, the sealed-secrets controller's format, the certificate it
//! seals with, the keyed digests that keep ciphertext stable, committed sealed files checked
//! against the declarations, and the coverage of every Secret reference in `out/`.
//! Everything here is pure but `labc seal`'s randomness, which callers pass in.

pub mod cert;
mod coverage;
pub mod digest;
pub mod format;
mod meaning;
pub mod reseal;
mod scan;
pub mod sealed;

pub use coverage::{chart_readers, coverage, may_name_a_secret};
pub use meaning::credential_name;
pub use scan::{judge, scan_document, scan_files, scan_text, Finding, Verdict};
pub use sealed::{check_sealed, Accepted, SealedFile, SEALED_FOLDER};

use crate::model::SecretScope;

pub const NAMESPACE_WIDE: &str = "sealedsecrets.bitnami.com/namespace-wide";
pub const CLUSTER_WIDE: &str = "sealedsecrets.bitnami.com/cluster-wide";

/// The OAEP label that binds a ciphertext to where it may be unsealed.
pub fn scope_label(scope: SecretScope, namespace: &str, name: &str) -> String {
    match scope {
        SecretScope::Strict => format!("{namespace}/{name}"),
        SecretScope::NamespaceWide => namespace.to_string(),
        SecretScope::ClusterWide => String::new(),
    }
}

/// The annotation the controller reads the scope from; strict has none.
pub fn scope_annotation(scope: SecretScope) -> Option<&'static str> {
    match scope {
        SecretScope::Strict => None,
        SecretScope::NamespaceWide => Some(NAMESPACE_WIDE),
        SecretScope::ClusterWide => Some(CLUSTER_WIDE),
    }
}

/// The word `kubeseal --scope` and `site.kdl` use.
pub fn scope_word(scope: SecretScope) -> &'static str {
    SecretScope::ALL
        .iter()
        .find(|(_, s)| *s == scope)
        .map_or("strict", |(w, _)| w)
}
