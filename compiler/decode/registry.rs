use super::vocabulary::*;
use super::{value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::Registry;
use crate::syntax::Node as KdlNode;

const EXAMPLE: &str = "registry \"ghcr.io\" secret=\"ghcr-pull\"";

/// A registry host as image references begin with it: a DNS name with a dot, or `localhost`,
/// and an optional port; no scheme, no path.
fn server(s: &str) -> Result<String, String> {
    let (host, port) = match s.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (s, None),
    };
    let host_ok = (host.contains('.') || host == "localhost")
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    if host_ok && port_ok {
        Ok(s.to_string())
    } else {
        Err("a registry is the host that images begin with, like `ghcr.io` or `registry.example.dev:5000` (no `https://`, no path)".into())
    }
}

pub fn decode(node: &KdlNode, cx: &mut Cx) -> Option<Registry> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one registry host",
            props: REGISTRY_PROPS,
            block: false,
        },
        cx,
    );
    let Some(e) = view.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "registry".into(),
            what: "a registry host",
            example: EXAMPLE,
            span: view.name_span(),
        });
        return None;
    };
    let server = value::parsed(e, "registry", "registry host", "\"ghcr.io\"", server, cx);
    let secret = match view.prop("secret") {
        Some(e) => value::name(e, "secret", cx),
        None => {
            cx.push(Error::MissingProperty {
                node: "registry".into(),
                property: "secret",
                example: "\"ghcr-pull\"",
                span: view.name_span(),
            });
            None
        }
    };
    Some(Registry {
        server: server?,
        secret: secret?,
        span: view.span(),
    })
}
