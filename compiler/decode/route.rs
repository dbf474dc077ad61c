//! An app's `route`: a host and path on a gateway, with its methods and CORS.

use super::vocabulary::*;
use super::{first_of, value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::value::{Host, HttpPath};
use crate::model::{Cors, HttpMethod, Route, Spanned};
use crate::syntax::Node as KdlNode;

pub fn decode_route(node: &KdlNode, cx: &mut Cx) -> Option<Route> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 0,
            args_text: "only properties",
            props: ROUTE_PROPS,
            block: true,
        },
        cx,
    );
    let required = |key: &'static str, example: &'static str, cx: &mut Cx| {
        let e = v.prop(key);
        if e.is_none() {
            cx.push(Error::MissingProperty {
                node: "route".into(),
                property: key,
                example,
                span: v.name_span(),
            });
        }
        e
    };
    let gateway = required("gateway", "public", cx).and_then(|e| value::name(e, "gateway", cx));
    let host = required("host", "\"api.example.dev\"", cx).and_then(|e| {
        value::parsed(
            e,
            "host",
            "host name",
            "\"api.example.dev\"",
            Host::parse,
            cx,
        )
    });
    let path = match v.prop("path") {
        Some(e) => {
            let path = value::parsed(e, "path", "path", "\"/api\"", HttpPath::parse, cx);
            if let Some(reason) = path.as_ref().and_then(|p| p.value.unsafe_for_route()) {
                // the route is kept, so that nothing else is reported about it
                cx.push(Error::RoutePathUnsafe {
                    path: e.value().as_string().unwrap_or_default().to_string(),
                    reason,
                    span: e.span(),
                });
            }
            path
        }
        None => Some(Spanned::new(
            HttpPath::parse("/").expect("valid"),
            v.name_span(),
        )),
    };
    let port = v.prop("port").and_then(|e| value::port(e, "port", cx));
    let mut methods = Vec::new();
    let mut cors = None;
    let (mut methods_seen, mut cors_seen) = (None, None);
    for child in v.children(ROUTE_CHILDREN, cx) {
        match child.name().value() {
            "methods" if first_of(&mut methods_seen, child, cx) => {
                let mv = NodeView::new(
                    child,
                    &Shape {
                        args: usize::MAX,
                        args_text: "methods",
                        props: &[],
                        block: false,
                    },
                    cx,
                );
                methods = mv
                    .args()
                    .iter()
                    .filter_map(|e| value::word(e, "HTTP method", HttpMethod::ALL, cx))
                    .collect();
            }
            "cors" if first_of(&mut cors_seen, child, cx) => {
                let cv = NodeView::new(
                    child,
                    &Shape {
                        args: usize::MAX,
                        args_text: "origins",
                        props: &[],
                        block: false,
                    },
                    cx,
                );
                let origin = |s: &str| {
                    if (s.starts_with("https://") || s.starts_with("http://")) && !s.ends_with('/')
                        || s == "*"
                    {
                        Ok(s.to_string())
                    } else {
                        Err(
                            "an origin is a scheme and host without a trailing `/`, or `*`"
                                .to_string(),
                        )
                    }
                };
                let origins = cv
                    .args()
                    .iter()
                    .filter_map(|e| {
                        value::parsed(
                            e,
                            "cors",
                            "origin",
                            "\"https://blog.example.dev\"",
                            origin,
                            cx,
                        )
                    })
                    .collect();
                cors = Some(Cors {
                    origins,
                    span: cv.span(),
                });
            }
            _ => {}
        }
    }
    if methods.is_empty() {
        methods.push(Spanned::new(HttpMethod::Get, v.name_span()));
    }
    Some(Route {
        gateway: gateway?,
        host: host?,
        path: path?,
        port,
        methods,
        cors,
        span: v.name_span(),
    })
}
