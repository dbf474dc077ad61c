use super::resources;
use super::vocabulary::*;
use super::{first_of, value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::value::{Cidr, Duration, Host, HttpPath, ImageRef, Name};
use crate::model::{
    App, Egress, EgressTarget, Language, Metrics, Port, Protocol, SecretMount, Spanned, Use,
};
use crate::syntax::Node as KdlNode;

pub const IMAGE_EXAMPLE: &str = "\"ghcr.io/example/blog-was:2.7.0\"";

pub fn decode(node: &KdlNode, cx: &mut Cx) -> Option<App> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one name",
            props: APP_PROPS,
            block: true,
        },
        cx,
    );
    let Some(name_entry) = view.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "app".into(),
            what: "a name",
            example: "app web namespace=blog image=\"…\" { port 8080 }",
            span: view.name_span(),
        });
        return None;
    };
    let name = value::name(name_entry, "app", cx)?;
    let namespace = namespace_of(&view, &name, cx);
    let image = match view.prop("image") {
        Some(e) => value::parsed(
            e,
            "image",
            "image reference",
            IMAGE_EXAMPLE,
            ImageRef::parse,
            cx,
        ),
        None => {
            cx.push(Error::MissingProperty {
                node: "app".into(),
                property: "image",
                example: IMAGE_EXAMPLE,
                span: view.name_span(),
            });
            None
        }
    }
    .unwrap_or_else(|| Spanned::new(ImageRef::placeholder(), view.name_span()));
    let replicas = view
        .prop("replicas")
        .and_then(|e| value::integer(e, "replicas", 0, 1000, cx))
        .map_or(Spanned::new(1, view.name_span()), |r| {
            Spanned::new(r.value as u32, r.span)
        });
    let user = view
        .prop("user")
        .and_then(|e| value::integer(e, "user", 1, i128::from(i32::MAX), cx))
        .map(|u| Spanned::new(u.value as u32, u.span));
    let instrument = view
        .prop("instrument")
        .and_then(|e| value::word(e, "instrumented language", Language::ALL, cx));
    let mut app = App {
        name,
        namespace,
        image,
        ports: Vec::new(),
        replicas,
        resources: resources::defaults(view.name_span()),
        env: Vec::new(),
        probes: Vec::new(),
        routes: Vec::new(),
        uses: Vec::new(),
        egress: Vec::new(),
        secrets: Vec::new(),
        canary: None,
        metrics: None,
        instrument,
        nodes: Vec::new(),
        user,
        exceptions: Vec::new(),
        span: view.span(),
        ports_incomplete: false,
    };
    let (mut resources_seen, mut canary_seen, mut nodes_seen, mut metrics_seen) =
        (None, None, None, None);
    for child in view.children(APP_CHILDREN, cx) {
        match child.name().value() {
            "port" => match decode_port(child, cx) {
                Some(port) => app.ports.push(port),
                None => app.ports_incomplete = true,
            },
            "resources" if first_of(&mut resources_seen, child, cx) => {
                app.resources = resources::decode(child, cx)
            }
            "env" => app.env.extend(super::env::decode_env(child, cx)),
            "probe" => {
                if let Some(probe) = super::probe::decode_probe(child, cx) {
                    if let Some(first) = app.probes.iter().find(|p| p.kind == probe.kind) {
                        cx.push(Error::DuplicateEntry {
                            name: format!("probe {}", probe.kind.as_str()),
                            span: probe.span,
                            first: first.span,
                        });
                    } else {
                        app.probes.push(probe);
                    }
                }
            }
            "route" => app.routes.extend(super::route::decode_route(child, cx)),
            "uses" => app.uses.extend(decode_use(child, cx)),
            "egress" => app.egress.extend(decode_egress(child, cx)),
            "exception" => app.exceptions.extend(super::exception::decode(child, cx)),
            "secret" => app.secrets.extend(decode_secret_mount(child, cx)),
            "canary" if first_of(&mut canary_seen, child, cx) => {
                app.canary = super::canary::decode(child, cx)
            }
            "metrics" if first_of(&mut metrics_seen, child, cx) => {
                app.metrics = decode_metrics(child, cx)
            }
            "nodes" if first_of(&mut nodes_seen, child, cx) => app.nodes = names(child, cx),
            _ => {}
        }
    }
    Some(app)
}

/// The `namespace=` of an app or database, defaulting to the declaration's own name.
/// A `namespace=` that is written but invalid (and reported) gives the empty name, the
/// placeholder the rules skip, rather than the declaration's name, which the user did not write.
pub fn namespace_of(view: &NodeView, name: &Spanned<Name>, cx: &mut Cx) -> Spanned<Name> {
    match view.prop("namespace") {
        Some(e) => value::name(e, "namespace", cx)
            .unwrap_or_else(|| Spanned::new(Name::default(), e.span())),
        None => name.clone(),
    }
}

/// A node whose arguments are all names: `nodes worker-1 worker-2`.
pub fn names(node: &KdlNode, cx: &mut Cx) -> Vec<Spanned<Name>> {
    let v = NodeView::new(
        node,
        &Shape {
            args: usize::MAX,
            args_text: "names",
            props: &[],
            block: false,
        },
        cx,
    );
    v.args()
        .iter()
        .filter_map(|e| value::name(e, node.name().value(), cx))
        .collect()
}

fn decode_port(node: &KdlNode, cx: &mut Cx) -> Option<Port> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one port number",
            props: PORT_PROPS,
            block: false,
        },
        cx,
    );
    let Some(e) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "port".into(),
            what: "a port number",
            example: "port 8080 name=\"http\"",
            span: v.name_span(),
        });
        return None;
    };
    let number = value::port(e, "port", cx)?;
    let protocol = v
        .prop("protocol")
        .and_then(|e| value::word(e, "protocol", Protocol::ALL, cx))
        .map_or(Protocol::Http, |p| p.value);
    let name = match v.prop("name") {
        Some(e) => value::name(e, "name", cx)?,
        None => Spanned::new(
            Name::parse(protocol.as_str()).expect("valid"),
            v.name_span(),
        ),
    };
    Some(Port {
        name,
        number,
        protocol,
    })
}

fn decode_metrics(node: &KdlNode, cx: &mut Cx) -> Option<Metrics> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 0,
            args_text: "no arguments",
            props: METRICS_PROPS,
            block: false,
        },
        cx,
    );
    let port = v.prop("port").and_then(|e| value::port(e, "port", cx));
    let path = match v.prop("path") {
        Some(e) => value::parsed(e, "path", "path", "\"/metrics\"", HttpPath::parse, cx)?.value,
        None => HttpPath::parse(Metrics::DEFAULT_PATH).ok()?,
    };
    let interval = match v.prop("interval") {
        Some(e) => {
            let d =
                value::interval(e, "scrape interval", "\"30s\"", value::INTERVAL_HELP, cx)?.value;
            // Prometheus scrapes at most once a second and has no sub-second intervals
            if d.as_secs() > 0 && d.as_millis() % 1000 != 0 {
                cx.push(Error::InvalidValue {
                    kind: "scrape interval",
                    example: "\"30s\"",
                    reason: "a whole number of seconds, at least 1s".into(),
                    span: e.span(),
                });
                return None;
            }
            d
        }
        None => Duration::from_millis(Metrics::DEFAULT_INTERVAL_SECS * 1000),
    };
    Some(Metrics {
        port,
        path,
        interval,
        span: v.span(),
    })
}

fn decode_use(node: &KdlNode, cx: &mut Cx) -> Option<Use> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one app or database",
            props: USES_PROPS,
            block: false,
        },
        cx,
    );
    let Some(e) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "uses".into(),
            what: "an app or database",
            example: "uses mysql",
            span: v.name_span(),
        });
        return None;
    };
    let target = value::name(e, "uses", cx)?;
    let port = v.prop("port").and_then(|e| value::port(e, "port", cx));
    let env = v
        .prop("env")
        .and_then(|e| value::parsed(e, "env", "variable prefix", "\"DB\"", super::env::name, cx));
    Some(Use {
        target,
        port,
        env,
        span: v.span(),
    })
}

fn decode_egress(node: &KdlNode, cx: &mut Cx) -> Option<Egress> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one destination",
            props: EGRESS_PROPS,
            block: false,
        },
        cx,
    );
    let Some(e) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "egress".into(),
            what: "a destination",
            example: "egress world port=443 why=\"RSS feeds\"",
            span: v.name_span(),
        });
        return None;
    };
    let target = value::parsed(
        e,
        "egress",
        "egress destination",
        "`world`, a host name or a CIDR",
        |s| {
            if s == "world" {
                Ok(EgressTarget::World)
            } else if s.contains('/') {
                Cidr::parse(s).map(EgressTarget::Cidr)
            } else {
                Host::parse(s).map(EgressTarget::Fqdn)
            }
        },
        cx,
    );
    let port = match v.prop("port") {
        Some(p) => value::port(p, "port", cx),
        None => {
            cx.push(Error::MissingProperty {
                node: "egress".into(),
                property: "port",
                example: "443",
                span: v.name_span(),
            });
            None
        }
    };
    let why = match v.prop("why") {
        Some(w) => value::string(w, "why", cx),
        None => {
            cx.push(Error::MissingProperty {
                node: "egress".into(),
                property: "why",
                example: "\"RSS feeds\"",
                span: v.name_span(),
            });
            None
        }
    };
    Some(Egress {
        target: target?,
        ports: vec![port?],
        why: why?,
        span: v.span(),
    })
}

fn decode_secret_mount(node: &KdlNode, cx: &mut Cx) -> Option<SecretMount> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one secret name",
            props: SECRET_MOUNT_PROPS,
            block: false,
        },
        cx,
    );
    let Some(e) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "secret".into(),
            what: "a secret name",
            example: "secret mysql-credentials",
            span: v.name_span(),
        });
        return None;
    };
    let secret = value::name(e, "secret", cx)?;
    let path = v
        .prop("path")
        .and_then(|p| {
            value::parsed(
                p,
                "path",
                "mount path",
                "\"/etc/secrets/db\"",
                |s| {
                    if s.starts_with('/') && !s.contains("..") {
                        Ok(s.to_string())
                    } else {
                        Err("an absolute path without `..`".to_string())
                    }
                },
                cx,
            )
        })
        .map(|p| p.value);
    Some(SecretMount {
        secret,
        path,
        span: v.span(),
    })
}
