use super::value::Name;
use super::{Span, Spanned};

/// How widely a sealed secret may be unsealed, as the sealed-secrets controller defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretScope {
    Strict,
    NamespaceWide,
    ClusterWide,
}

impl SecretScope {
    pub const ALL: &'static [(&'static str, SecretScope)] = &[
        ("cluster-wide", SecretScope::ClusterWide),
        ("namespace-wide", SecretScope::NamespaceWide),
        ("strict", SecretScope::Strict),
    ];
}

/// A secret declared by name and key names only; its values are sealed outside `site.kdl`.
#[derive(Debug, Clone)]
pub struct Secret {
    pub name: Spanned<Name>,
    pub namespace: Spanned<Name>,
    pub scope: SecretScope,
    pub keys: Vec<Spanned<String>>,
    /// The Secret's `type`: `Opaque`, or registry credentials (`super::registry`).
    pub secret_type: &'static str,
    pub span: Span,
}

/// The type of every Secret a site declares itself.
pub const OPAQUE: &str = "Opaque";
/// A gateway's certificate (`gateway … tls=`), with its two keys.
pub const TLS: &str = "kubernetes.io/tls";
pub const TLS_KEYS: [&str; 2] = ["tls.crt", "tls.key"];

impl Secret {
    pub fn has_key(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k.value == key)
    }
}

/// Why `key` cannot be a key of a Secret's (or ConfigMap's) data, after `IsConfigMapKey`.
pub fn key_problem(key: &str) -> Option<&'static str> {
    if key.is_empty() {
        Some("is empty")
    } else if key.len() > 253 {
        Some("is longer than 253 characters")
    } else if key == "." || key == ".." {
        Some("is `.` or `..`, which are not file names")
    } else if key.starts_with("..") {
        Some("starts with `..`, which Kubernetes keeps for its own files")
    } else if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        Some("has characters other than letters, digits, `-`, `_` and `.`")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::key_problem as secret_key_problem;

    #[test]
    fn config_map_keys() {
        for ok in [
            "password",
            "credentials.json",
            "tls.crt",
            "a-b_c.d",
            ".hidden",
        ] {
            assert!(secret_key_problem(ok).is_none(), "{ok}");
        }
        for bad in [".", "..", "..data", "a/b", "a b", ""] {
            assert!(secret_key_problem(bad).is_some(), "{bad}");
        }
    }
}
