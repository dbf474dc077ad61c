//! Names and keys the API server or the kubelet would refuse, refused first: Service names
//! (DNS-1035 labels, with labc's suffixes) and node labels in Kubernetes' own namespaces.

use super::SiteView;
use crate::diag::Error;
use crate::model::Site;

/// The longest a DNS-1035 label or a label value may be.
const LABEL_MAX: usize = 63;

/// The longest suffix labc adds to an app's name for a Service: a canary's `<name>-stable` and
/// `<name>-canary` (`emit/canary.rs`).
const APP_SUFFIX: &str = "-canary";

/// What the StatefulSet controller adds to a database's name in the `controller-revision-hash`
/// label of every pod: `-` and a hash of up to 10 characters.
const STATEFULSET_REVISION_SUFFIX: &str = "-<hash of 10>";
const STATEFULSET_REVISION_LEN: usize = 11;

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let site = view.site;
    services(site, errors);
    node_labels(site, errors);
}

fn services(site: &Site, errors: &mut Vec<Error>) {
    let workloads = site
        .apps
        .iter()
        .map(|a| ("app", &a.name, APP_SUFFIX, APP_SUFFIX.len()))
        .chain(site.databases.iter().map(|d| {
            (
                "database",
                &d.name,
                STATEFULSET_REVISION_SUFFIX,
                STATEFULSET_REVISION_LEN,
            )
        }));
    for (kind, name, suffix, suffix_len) in workloads {
        let text = name.as_str();
        if text.starts_with(|c: char| c.is_ascii_digit()) {
            errors.push(Error::NameNotDns1035 {
                kind,
                name: text.to_string(),
                suggestion: format!("{kind}-{text}"),
                span: name.span,
            });
        }
        let derived_len = text.len() + suffix_len;
        if derived_len > LABEL_MAX {
            errors.push(Error::DerivedNameTooLong {
                kind,
                name: text.to_string(),
                len: text.len(),
                derived: format!("<name>{suffix}"),
                derived_len,
                max: LABEL_MAX - suffix_len,
                span: name.span,
            });
        }
    }
}

/// The labels the kubelet sets itself and so lets `--node-labels` set, and the namespaces
/// whose labels it lets through (`k8s.io/kubelet/pkg/apis/well_known_labels.go`).
const KUBELET_LABELS: &[&str] = &[
    "kubernetes.io/hostname",
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region",
    "beta.kubernetes.io/instance-type",
    "node.kubernetes.io/instance-type",
    "kubernetes.io/os",
    "kubernetes.io/arch",
    "beta.kubernetes.io/os",
    "beta.kubernetes.io/arch",
];
const KUBELET_NAMESPACES: &[&str] = &["kubelet.kubernetes.io", "node.kubernetes.io"];

fn in_namespace(prefix: &str, namespace: &str) -> bool {
    prefix == namespace || prefix.ends_with(&format!(".{namespace}"))
}

/// The namespace of a label key that `--node-labels` refuses: Kubernetes' own
/// (`kubernetes.io`, `k8s.io` and their subdomains) but not a label the kubelet owns.
pub fn refused_node_label(key: &str) -> Option<&str> {
    let (prefix, _) = key.rsplit_once('/')?;
    let kubernetes = in_namespace(prefix, "kubernetes.io") || in_namespace(prefix, "k8s.io");
    let kubelet = KUBELET_LABELS.contains(&key)
        || KUBELET_NAMESPACES.iter().any(|ns| in_namespace(prefix, ns));
    (kubernetes && !kubelet).then_some(prefix)
}

fn node_labels(site: &Site, errors: &mut Vec<Error>) {
    for node in &site.nodes {
        for key in node.labels.keys() {
            if let Some(prefix) = refused_node_label(key) {
                let name = key.rsplit_once('/').map_or(key.as_str(), |(_, n)| n);
                errors.push(Error::KubeletLabelRefused {
                    key: key.clone(),
                    prefix: prefix.to_string(),
                    name: name.to_string(),
                    span: node.label_spans.get(key).copied().unwrap_or(node.name.span),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kubelets_rule_for_node_labels() {
        for refused in [
            "node-role.kubernetes.io/worker",
            "kubernetes.io/role",
            "k8s.io/anything",
            "foo.k8s.io/x",
            "topology.kubernetes.io/rack",
        ] {
            assert!(refused_node_label(refused).is_some(), "{refused}");
        }
        for allowed in [
            "kubernetes.io/hostname",
            "topology.kubernetes.io/zone",
            "node.kubernetes.io/instance-type",
            "node.kubernetes.io/anything",
            "kubelet.kubernetes.io/x",
            "beta.kubernetes.io/arch",
            "example.dev/tier",
            "tier",
            "notkubernetes.io/x",
        ] {
            assert!(refused_node_label(allowed).is_none(), "{allowed}");
        }
    }
}
