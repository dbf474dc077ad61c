use super::vocabulary::*;
use super::{value, Cx, NodeView, Shape};
use crate::diag::{Error, Suggestion};
use crate::model::value::Host;
use crate::model::{ComponentUse, Gateway, Layer, LayerKind, Spanned};
use crate::stdlib::Catalog;
use crate::syntax::Node as KdlNode;
use std::collections::BTreeMap;

pub fn decode(node: &KdlNode, catalog: &Catalog, cx: &mut Cx) -> Option<Layer> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one layer name",
            props: &[],
            block: true,
        },
        cx,
    );
    let Some(entry) = view.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "layer".into(),
            what: "a layer name",
            example: "layer cni { cilium }",
            span: view.name_span(),
        });
        return None;
    };
    let kind = value::word(entry, "layer", LayerKind::ALL, cx)?;
    let written = node.iter_children().count();
    let mut layer = Layer {
        kind,
        components: Vec::new(),
        gateways: Vec::new(),
        written,
    };
    for child in node.iter_children() {
        let name = child.name().value();
        if name == "gateway" {
            if layer.kind.value != LayerKind::Ingress {
                cx.push(Error::WrongLayer {
                    component: "gateway".into(),
                    expected: "ingress".into(),
                    found: layer.kind.value.as_str().into(),
                    span: child.name().span(),
                });
            }
            layer.gateways.extend(decode_gateway(child, cx));
            continue;
        }
        match catalog.get(name) {
            Some(_) => layer
                .components
                .extend(decode_component(child, catalog, cx)),
            None => cx.push(Error::UnknownComponent {
                name: name.to_string(),
                suggestion: Suggestion::new(name, catalog.names().chain(["gateway"])),
                span: child.name().span(),
            }),
        }
    }
    Some(layer)
}

/// A component with its settings typed by the component's stdlib definition: scalar settings
/// are properties, list settings are child nodes.
fn decode_component(node: &KdlNode, catalog: &Catalog, cx: &mut Cx) -> Option<ComponentUse> {
    let name = node.name().value();
    let def = catalog.get(name)?;
    if let Some(ty) = node.ty() {
        cx.push(Error::TypeAnnotation {
            annotation: ty.value().to_string(),
            span: ty.span(),
        });
    }
    let scalar_names: Vec<&str> = def
        .settings
        .iter()
        .filter(|s| !s.ty.is_list())
        .map(|s| s.name.as_str())
        .collect();
    let list_names: Vec<&str> = def
        .settings
        .iter()
        .filter(|s| s.ty.is_list())
        .map(|s| s.name.as_str())
        .collect();
    let mut settings: BTreeMap<String, Spanned<crate::model::SettingValue>> = BTreeMap::new();
    let mut first_spans: BTreeMap<String, miette::SourceSpan> = BTreeMap::new();
    let mut remember = |key: &str, span, cx: &mut Cx| match first_spans.get(key) {
        Some(first) => {
            cx.push(Error::DuplicateEntry {
                name: key.to_string(),
                span,
                first: *first,
            });
            false
        }
        None => {
            first_spans.insert(key.to_string(), span);
            true
        }
    };
    for entry in node.entries() {
        if let Some(ty) = entry.ty() {
            cx.push(Error::TypeAnnotation {
                annotation: ty.value().to_string(),
                span: ty.span(),
            });
        }
        let Some(key) = entry.name() else {
            cx.push(Error::UnexpectedArgument {
                node: name.to_string(),
                expected: "only settings as `key=value`",
                span: entry.span(),
            });
            continue;
        };
        match def.setting(key.value()).filter(|s| !s.ty.is_list()) {
            Some(setting) => {
                if remember(key.value(), entry.span(), cx) {
                    if let Some(v) = setting.read_scalar(name, entry, cx) {
                        settings.insert(setting.name.clone(), v);
                    }
                }
            }
            None => cx.push(Error::UnknownProperty {
                name: key.value().to_string(),
                node: name.to_string(),
                suggestion: Suggestion::new(key.value(), scalar_names.iter().copied()),
                span: key.span(),
            }),
        }
    }
    for child in node.iter_children() {
        let key = child.name().value();
        match def.setting(key).filter(|s| s.ty.is_list()) {
            Some(setting) => {
                if remember(key, child.span(), cx) {
                    if let Some(v) = setting.read_list(name, child, cx) {
                        settings.insert(setting.name.clone(), v);
                    }
                }
            }
            None => cx.push(Error::UnknownNode {
                name: key.to_string(),
                context: format!("`{name}`"),
                suggestion: Suggestion::new(key, list_names.iter().copied()),
                span: child.name().span(),
            }),
        }
    }
    Some(ComponentUse {
        name: Spanned::new(
            crate::model::value::Name::parse(name).ok()?,
            node.name().span(),
        ),
        settings,
    })
}

fn decode_gateway(node: &KdlNode, cx: &mut Cx) -> Option<Gateway> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one name",
            props: GATEWAY_PROPS,
            block: true,
        },
        cx,
    );
    let Some(entry) = view.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "gateway".into(),
            what: "a name",
            example: "gateway public { host \"example.dev\" }",
            span: view.name_span(),
        });
        return None;
    };
    let name = value::name(entry, "gateway", cx)?;
    let tls = view.prop("tls").and_then(|e| value::name(e, "secret", cx));
    let mut hosts = Vec::new();
    for child in view.children(GATEWAY_CHILDREN, cx) {
        let v = NodeView::new(
            child,
            &Shape {
                args: 1,
                args_text: "one host name",
                props: &[],
                block: false,
            },
            cx,
        );
        match v.arg(0) {
            Some(e) => hosts.extend(value::parsed(
                e,
                "host",
                "host name",
                "\"blog.example.dev\"",
                Host::parse,
                cx,
            )),
            None => cx.push(Error::MissingArgument {
                node: "host".into(),
                what: "a host name",
                example: "host \"blog.example.dev\"",
                span: v.name_span(),
            }),
        }
    }
    if hosts.is_empty() {
        cx.push(Error::MissingNode {
            parent: format!("gateway `{}`", name.value),
            child: "host",
            example: "host \"blog.example.dev\"",
            span: view.name_span(),
        });
    }
    Some(Gateway {
        name,
        hosts,
        tls,
        span: view.span(),
    })
}
