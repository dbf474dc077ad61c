use super::vocabulary::*;
use super::{value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::value::{HttpPath, Name};
use crate::model::{Endpoint, HttpMethod, Policy, PolicyAction, Spanned};
use crate::syntax::Node as KdlNode;

fn endpoint(text: &str) -> Result<Endpoint, String> {
    if text == "world" {
        return Ok(Endpoint::World);
    }
    match text.strip_prefix("namespace:") {
        Some(ns) => Name::parse(ns).map(Endpoint::Namespace),
        None => Name::parse(text).map(Endpoint::Named),
    }
}

pub fn decode(node: &KdlNode, cx: &mut Cx) -> Option<Policy> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one name",
            props: POLICY_PROPS,
            block: true,
        },
        cx,
    );
    let Some(e) = view.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "policy".into(),
            what: "a name",
            example: "policy scrape from=\"prometheus\" to=\"was\" port=8080",
            span: view.name_span(),
        });
        return None;
    };
    let name = value::name(e, "policy", cx)?;
    let action = view
        .prop("action")
        .and_then(|e| value::word(e, "policy action", PolicyAction::ALL, cx))
        .map_or(PolicyAction::Allow, |a| a.value);
    let side = |key: &'static str, cx: &mut Cx| match view.prop(key) {
        Some(e) => value::parsed(
            e,
            key,
            "endpoint",
            "an app, database or component name, `namespace:NAME` or `world`",
            endpoint,
            cx,
        ),
        None => {
            cx.push(Error::MissingProperty {
                node: "policy".into(),
                property: key,
                example: "\"was\"",
                span: view.name_span(),
            });
            None
        }
    };
    let from = side("from", cx);
    let to = side("to", cx);
    let ports: Vec<Spanned<u16>> = view
        .prop("port")
        .and_then(|e| value::port(e, "port", cx))
        .into_iter()
        .collect();
    let (mut methods, mut paths) = (Vec::new(), Vec::new());
    for child in view.children(POLICY_CHILDREN, cx) {
        let v = NodeView::new(
            child,
            &Shape {
                args: usize::MAX,
                args_text: "values",
                props: &[],
                block: false,
            },
            cx,
        );
        for arg in v.args() {
            if child.name().value() == "methods" {
                methods.extend(value::word(arg, "HTTP method", HttpMethod::ALL, cx));
            } else {
                paths.extend(value::parsed(
                    arg,
                    "paths",
                    "path",
                    "\"/api\"",
                    HttpPath::parse,
                    cx,
                ));
            }
        }
    }
    Some(Policy {
        name,
        action,
        from: from?,
        to: to?,
        ports,
        methods,
        paths,
        span: view.span(),
    })
}
