//! Components sit in their own layer, have what they require, and support the site's
//! Kubernetes version; the layers every site needs are there.

use super::SiteView;
use crate::diag::Error;
use crate::model::LayerKind;

/// Layers without which the cluster cannot run from `out/`, why, and what to write.
const REQUIRED: &[(LayerKind, &str, &str, &str)] = &[
    (
        LayerKind::Cni,
        "cni",
        "pods have no network without a CNI",
        "cilium",
    ),
    (
        LayerKind::Gitops,
        "gitops",
        "Argo CD is what syncs `out/` into the cluster",
        "argocd",
    ),
];

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let site = view.site;
    // without a `site` node (already reported) there is nothing to point the missing layers at
    let site_span = site.settings.name.span;
    let has_site = !site.settings.name.as_str().is_empty();
    for (kind, name, why, example) in REQUIRED.iter().filter(|_| has_site) {
        // a layer counts when it holds a component of its kind, not merely when it is named
        // (a block whose components were already reported as unknown is not reported again)
        let provided = view.components().any(|c| {
            view.catalog
                .get(c.name.as_str())
                .is_some_and(|d| d.layer == *kind)
        }) || site
            .layers
            .iter()
            .any(|l| l.kind.value == *kind && l.written > l.components.len() + l.gateways.len());
        if !provided {
            errors.push(Error::MissingRequiredLayer {
                layer: name,
                why,
                example,
                span: site_span,
            });
        }
    }
    if !view.has("argocd")
        && site
            .layers
            .iter()
            .any(|l| l.kind.value == LayerKind::Gitops)
    {
        let layer = site
            .layers
            .iter()
            .find(|l| l.kind.value == LayerKind::Gitops)
            .expect("present");
        errors.push(Error::RequirementMissing {
            feature: "syncing `out/`".into(),
            component: "argocd",
            layer: "gitops",
            span: layer.kind.span,
        });
    }
    let kubernetes = &site.settings.kubernetes.value;
    for layer in &site.layers {
        for used in &layer.components {
            let Some(def) = view.catalog.get(used.name.as_str()) else {
                continue;
            };
            if def.layer != layer.kind.value {
                errors.push(Error::WrongLayer {
                    component: def.name.clone(),
                    expected: def.layer.as_str().into(),
                    found: layer.kind.value.as_str().into(),
                    span: used.name.span,
                });
            }
            for needed in &def.requires {
                if !view.has(needed) {
                    let layer = view.catalog.get(needed).map_or("", |d| d.layer.as_str());
                    errors.push(Error::ComponentDependencyMissing {
                        component: def.name.clone(),
                        needs: needed.clone(),
                        layer: layer.into(),
                        span: used.name.span,
                    });
                }
            }
            let series = kubernetes.minor_series();
            let too_old = def
                .kubernetes_min
                .as_ref()
                .is_some_and(|min| series < min.minor_series());
            let too_new = def
                .kubernetes_max
                .as_ref()
                .is_some_and(|max| series > max.minor_series());
            if too_old || too_new {
                let range = match (&def.kubernetes_min, &def.kubernetes_max) {
                    (Some(min), Some(max)) => format!("{min} to {max}"),
                    (Some(min), None) => format!("{min} and later"),
                    (None, Some(max)) => format!("up to {max}"),
                    (None, None) => String::new(),
                };
                errors.push(Error::KubernetesUnsupported {
                    component: def.name.clone(),
                    version: def.version().unwrap_or("?").into(),
                    range,
                    kubernetes: kubernetes.to_string(),
                    span: used.name.span,
                });
            }
        }
    }
}
