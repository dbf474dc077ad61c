//! An app's `probe`: readiness, liveness or startup, over HTTP or TCP.

use super::vocabulary::*;
use super::{value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::value::{Duration, HttpPath};
use crate::model::{Probe, ProbeAction, ProbeKind};
use crate::syntax::Node as KdlNode;

pub fn decode_probe(node: &KdlNode, cx: &mut Cx) -> Option<Probe> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one probe kind",
            props: PROBE_PROPS,
            block: false,
        },
        cx,
    );
    let Some(e) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "probe".into(),
            what: "a kind",
            example: "probe readiness http=\"/healthz\" port=8080",
            span: v.name_span(),
        });
        return None;
    };
    let kind = value::word(e, "probe kind", ProbeKind::ALL, cx)?;
    let period = v
        .prop("period")
        .and_then(|e| value::interval(e, "probe period", "\"10s\"", value::INTERVAL_HELP, cx))
        .map_or(Duration::from_millis(10_000), |d| d.value);
    let initial_delay = v
        .prop("delay")
        .and_then(|e| value::duration(e, "delay", "\"10s\"", cx))
        .map_or(Duration::from_millis(0), |d| d.value);
    let port = v.prop("port").and_then(|e| value::port(e, "port", cx));
    let action = match (v.prop("http"), v.prop("tcp")) {
        (Some(path), None) => {
            let path = value::parsed(path, "http", "path", "\"/healthz\"", HttpPath::parse, cx)?;
            let Some(port) = port else {
                if v.prop("port").is_some() {
                    return None; // written, but not a port: reported as such
                }
                cx.push(Error::MissingProperty {
                    node: "probe".into(),
                    property: "port",
                    example: "8080",
                    span: v.name_span(),
                });
                return None;
            };
            ProbeAction::Http {
                path: path.value,
                port: port.value,
            }
        }
        (None, Some(tcp)) => {
            if let Some(extra) = v.prop("port") {
                cx.push(Error::UnexpectedArgument {
                    node: "probe".into(),
                    expected: "`port=` only with `http=`; a TCP probe names its port in `tcp=`",
                    span: extra.span(),
                });
            }
            ProbeAction::Tcp {
                port: value::port(tcp, "tcp", cx)?.value,
            }
        }
        (Some(_), Some(tcp)) => {
            cx.push(Error::UnexpectedArgument {
                node: "probe".into(),
                expected: "either `http=` or `tcp=`",
                span: tcp.span(),
            });
            return None;
        }
        (None, None) => {
            cx.push(Error::MissingProperty {
                node: "probe".into(),
                property: "http",
                example: "\"/healthz\" port=8080 (or tcp=8080)",
                span: v.name_span(),
            });
            return None;
        }
    };
    Some(Probe {
        kind: kind.value,
        action,
        period,
        initial_delay,
        span: v.span(),
    })
}
