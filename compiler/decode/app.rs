use super::resources;
use super::vocabulary::*;
use super::{first_of, value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::value::{Cidr, Duration, Host, HttpPath, ImageRef, Name};
use crate::model::{
    App, Cors, Egress, EgressTarget, EnvSource, EnvVar, HttpMethod, Port, Probe, ProbeAction,
    ProbeKind, Protocol, Route, SecretMount, Spanned, Use,
};
use kdl::KdlNode;

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
        nodes: Vec::new(),
        user,
        exceptions: Vec::new(),
        span: view.span(),
    };
    let (mut resources_seen, mut canary_seen, mut nodes_seen) = (None, None, None);
    for child in view.children(APP_CHILDREN, cx) {
        match child.name().value() {
            "port" => app.ports.extend(decode_port(child, cx)),
            "resources" if first_of(&mut resources_seen, child, cx) => {
                app.resources = resources::decode(child, cx)
            }
            "env" => app.env.extend(decode_env(child, cx)),
            "probe" => {
                if let Some(probe) = decode_probe(child, cx) {
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
            "route" => app.routes.extend(decode_route(child, cx)),
            "uses" => app.uses.extend(decode_use(child, cx)),
            "egress" => app.egress.extend(decode_egress(child, cx)),
            "exception" => app.exceptions.extend(super::exception::decode(child, cx)),
            "secret" => app.secrets.extend(decode_secret_mount(child, cx)),
            "canary" if first_of(&mut canary_seen, child, cx) => {
                app.canary = super::canary::decode(child, cx)
            }
            "nodes" if first_of(&mut nodes_seen, child, cx) => app.nodes = names(child, cx),
            _ => {}
        }
    }
    Some(app)
}

/// The `namespace=` of an app or database, defaulting to the declaration's own name.
pub fn namespace_of(view: &NodeView, name: &Spanned<Name>, cx: &mut Cx) -> Spanned<Name> {
    view.prop("namespace")
        .and_then(|e| value::name(e, "namespace", cx))
        .unwrap_or_else(|| name.clone())
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

fn decode_env(node: &KdlNode, cx: &mut Cx) -> Option<EnvVar> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 2,
            args_text: "a name and a value",
            props: ENV_PROPS,
            block: false,
        },
        cx,
    );
    let Some(e) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "env".into(),
            what: "a variable name",
            example: "env LOG_LEVEL \"info\"",
            span: v.name_span(),
        });
        return None;
    };
    let env_name = |s: &str| {
        let ok = !s.is_empty()
            && !s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if ok {
            Ok(s.to_string())
        } else {
            Err("letters, digits, `_`, `.` and `-`, not starting with a digit".to_string())
        }
    };
    let name = value::parsed(e, "env", "variable name", "LOG_LEVEL", env_name, cx)?;
    let source = match (v.arg(1), v.prop("secret"), v.prop("key")) {
        (Some(literal), None, None) => EnvSource::Literal(value::string(literal, "env", cx)?.value),
        (None, Some(secret), Some(key)) => EnvSource::Secret {
            secret: value::name(secret, "secret", cx)?,
            key: value::string(key, "key", cx)?,
        },
        (None, Some(_), None) => {
            cx.push(Error::MissingProperty {
                node: "env".into(),
                property: "key",
                example: "\"password\"",
                span: v.name_span(),
            });
            return None;
        }
        (Some(literal), Some(_), _) | (Some(literal), _, Some(_)) => {
            cx.push(Error::UnexpectedArgument {
                node: "env".into(),
                expected: "either a value or `secret=` and `key=`, not both",
                span: literal.span(),
            });
            return None;
        }
        _ => {
            cx.push(Error::MissingArgument {
                node: "env".into(),
                what: "a value or `secret=` and `key=`",
                example: "env DB_PASSWORD secret=\"mysql-credentials\" key=\"password\"",
                span: v.name_span(),
            });
            return None;
        }
    };
    Some(EnvVar { name, source })
}

fn decode_probe(node: &KdlNode, cx: &mut Cx) -> Option<Probe> {
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
    let duration = |key, default: u64, cx: &mut Cx| {
        v.prop(key)
            .and_then(|e| value::parsed(e, key, "duration", "\"10s\"", Duration::parse, cx))
            .map_or(Duration::from_millis(default), |d| d.value)
    };
    let period = duration("period", 10_000, cx);
    let initial_delay = duration("delay", 0, cx);
    let port = v.prop("port").and_then(|e| value::port(e, "port", cx));
    let action = match (v.prop("http"), v.prop("tcp")) {
        (Some(path), None) => {
            let path = value::parsed(path, "http", "path", "\"/healthz\"", HttpPath::parse, cx)?;
            let Some(port) = port else {
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

fn decode_route(node: &KdlNode, cx: &mut Cx) -> Option<Route> {
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
        Some(e) => value::parsed(e, "path", "path", "\"/api\"", HttpPath::parse, cx),
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
    Some(Use {
        target,
        port,
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
