//! A Helm release (or kustomize tree) that a component installs. Most components are one release
//! named after them; Istio is several (base, CNI agent, istiod, one gateway per declared gateway).

use crate::decode::{value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::syntax::Node as KdlNode;
use miette::SourceSpan;

/// What a release is repeated over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Each {
    /// One release per `gateway` of the site's ingress layer, named after it.
    Gateway,
}

#[derive(Debug, Clone)]
pub struct Release {
    /// The release name; with `each=gateway` it is the gateway's name instead.
    pub name: String,
    /// The chart, when it is not the component's own (same repository and version).
    pub chart: Option<String>,
    /// The namespace, when it is not the component's own.
    pub namespace: Option<String>,
    pub each: Option<Each>,
    /// A handlebars template (strict mode) that renders the release's Helm values as YAML.
    pub values: Option<String>,
    /// Labels for the namespace Argo CD creates (e.g. sidecar injection for a gateway).
    pub namespace_labels: Vec<(String, String)>,
    /// Where the `values` node is in the component file, for diagnostics about the template.
    pub values_span: Option<SourceSpan>,
}

impl Release {
    pub fn named(name: &str, values: Option<String>) -> Release {
        Release {
            name: name.to_string(),
            chart: None,
            namespace: None,
            each: None,
            values,
            namespace_labels: Vec::new(),
            values_span: None,
        }
    }
}

/// Decodes `values "…"`: one string, the template.
pub fn decode_values(node: &KdlNode, cx: &mut Cx) -> Option<String> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one template string",
            props: &[],
            block: false,
        },
        cx,
    );
    value::string(view.arg(0)?, "values", cx).map(|s| s.value)
}

/// Decodes `release <name> chart=… namespace=… each=gateway { values "…"; namespace-label k=v }`.
pub fn decode(node: &KdlNode, cx: &mut Cx) -> Option<Release> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "a release name",
            props: &["chart", "namespace", "each"],
            block: true,
        },
        cx,
    );
    let name = value::name(view.arg(0)?, "release", cx)?.value.to_string();
    let mut release = Release::named(&name, None);
    let prop = |key, cx: &mut Cx| {
        view.prop(key)
            .and_then(|e| value::string(e, key, cx))
            .map(|s| s.value)
    };
    release.chart = prop("chart", cx);
    release.namespace = prop("namespace", cx);
    if let Some(entry) = view.prop("each") {
        release.each =
            value::word(entry, "each", &[("gateway", Each::Gateway)], cx).map(|w| w.value);
    }
    for child in view.children(&["namespace-label", "values"], cx) {
        match child.name().value() {
            "values" => {
                release.values = decode_values(child, cx);
                release.values_span = Some(child.span());
            }
            "namespace-label" => {
                for entry in child.entries() {
                    match (entry.name(), value::string(entry, "namespace-label", cx)) {
                        (Some(key), Some(v)) => release
                            .namespace_labels
                            .push((key.value().to_string(), v.value)),
                        (None, _) => cx.push(Error::UnexpectedArgument {
                            node: "namespace-label".into(),
                            expected: "key=value properties",
                            span: entry.span(),
                        }),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Some(release)
}
