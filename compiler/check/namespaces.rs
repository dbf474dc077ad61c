//! Apps and databases live in namespaces the site owns: labc writes a Namespace object for
//! each, with its own labels, which Argo CD applies with prune and self-heal.

use super::SiteView;
use crate::diag::Error;
use crate::model::value::Name;
use crate::model::{Span, Spanned};

/// Namespaces Kubernetes itself creates and keeps (`default` included: it is in every cluster,
/// cannot be deleted and holds whatever is created without a namespace).
const KUBERNETES_NAMESPACES: &[&str] =
    &["default", "kube-node-lease", "kube-public", "kube-system"];

/// Who owns `namespace` if not the site: Kubernetes, or a platform component of the site.
fn owner(view: &SiteView, namespace: &str) -> Option<String> {
    if KUBERNETES_NAMESPACES.contains(&namespace) || namespace.starts_with("kube-") {
        return Some("Kubernetes".to_string());
    }
    view.components().find_map(|used| {
        let component = view.catalog.get(used.name.as_str())?;
        let from_chart = component.namespaces().contains(&namespace);
        let from_release = matches!(
            view.platform.instances(used.name.as_str()),
            Some(Ok(instances)) if instances.iter().any(|i| i.namespace == namespace)
        );
        (from_chart || from_release).then(|| format!("component `{}`", used.name))
    })
}

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let site = view.site;
    let workloads = site
        .apps
        .iter()
        .map(|a| ("app", &a.name, &a.namespace))
        .chain(
            site.databases
                .iter()
                .map(|d| ("database", &d.name, &d.namespace)),
        );
    for (kind, name, namespace) in workloads {
        reserved(view, kind, name, namespace, errors);
    }
}

fn reserved(
    view: &SiteView,
    kind: &'static str,
    name: &Spanned<Name>,
    namespace: &Spanned<Name>,
    errors: &mut Vec<Error>,
) {
    let ns = namespace.as_str();
    if ns.is_empty() || view.site.settings.is_foreign(ns) {
        return;
    }
    if let Some(owner) = owner(view, ns) {
        let span: Span = namespace.span;
        errors.push(Error::ReservedNamespace {
            namespace: ns.to_string(),
            owner,
            kind,
            kind_name: name.to_string(),
            span,
        });
    }
}
