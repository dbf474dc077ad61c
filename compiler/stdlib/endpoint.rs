//! What a component provides to the others: named endpoints (a Service, a port, a protocol)
//! declared once in its stdlib file, `endpoint push service=loki-gateway port=80 protocol=http`.
//! Values templates refer to them by name (`{{endpoint "loki" "push"}}`), so that an address is
//! written where the Service is made, a consumer of an endpoint nobody declares is refused when
//! the catalogue loads, and one whose provider the site lacks is refused at build.

use super::{Each, Release};
use crate::decode::{value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::syntax::Node as KdlNode;
use miette::SourceSpan;

/// How an endpoint is spoken to, which decides how its address is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Http,
    Https,
    Grpc,
    Tcp,
    Udp,
}

impl Protocol {
    pub const ALL: &'static [(&'static str, Protocol)] = &[
        ("http", Protocol::Http),
        ("https", Protocol::Https),
        ("grpc", Protocol::Grpc),
        ("tcp", Protocol::Tcp),
        ("udp", Protocol::Udp),
    ];

    pub fn as_str(self) -> &'static str {
        Protocol::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map_or("", |(w, _)| w)
    }

    /// The URL scheme its addresses carry; none for plain TCP and UDP (`host:port`).
    pub fn scheme(self) -> Option<&'static str> {
        match self {
            Protocol::Http | Protocol::Grpc => Some("http"),
            Protocol::Https => Some("https"),
            Protocol::Tcp | Protocol::Udp => None,
        }
    }
}

/// One endpoint a component's chart serves.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub name: String,
    /// The Service's name; `None` for an endpoint of a release repeated per gateway, whose
    /// Service is named after each gateway (the gateway chart names it after its release).
    pub service: Option<String>,
    /// The release that makes the Service, when it is not the component's only one: its
    /// namespace is the endpoint's, and with `each=gateway` there is one endpoint per gateway.
    pub release: Option<String>,
    pub port: u16,
    pub protocol: Protocol,
    /// What follows the port in a URL (`/loki/api/v1/push`); empty for none.
    pub path: String,
    pub span: SourceSpan,
}

impl Endpoint {
    /// The release this endpoint belongs to among `releases`.
    pub fn release_in<'a>(&self, releases: &'a [Release]) -> Option<&'a Release> {
        match &self.release {
            Some(name) => releases.iter().find(|r| &r.name == name),
            None => releases.first(),
        }
    }

    /// The namespace its Service is in: its release's, else the component's.
    pub fn namespace_in<'a>(&self, component: &'a super::Component) -> &'a str {
        self.release_in(&component.releases)
            .and_then(|r| r.namespace.as_deref())
            .unwrap_or(&component.namespace)
    }

    /// Whether the endpoint is repeated per gateway.
    pub fn per_gateway(&self, releases: &[Release]) -> bool {
        self.release_in(releases)
            .is_some_and(|r| r.each == Some(Each::Gateway))
    }
}

/// One endpoint as a site has it: the Service in its namespace. What `{{endpoint …}}` writes
/// and what a verifier looks for in the rendered chart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SiteEndpoint {
    pub component: String,
    pub endpoint: String,
    /// The gateway it is repeated for, if it is.
    pub gateway: Option<String>,
    pub service: String,
    pub namespace: String,
    pub port: u16,
    pub protocol: &'static str,
    pub path: String,
}

impl SiteEndpoint {
    /// `loki-gateway.monitoring.svc.cluster.local`
    pub fn host(&self) -> String {
        format!("{}.{}.svc.cluster.local", self.service, self.namespace)
    }

    /// `http://loki-gateway.monitoring.svc.cluster.local:80/path`, or `host:port` for TCP/UDP.
    pub fn url(&self) -> String {
        let scheme = Protocol::ALL
            .iter()
            .find(|(w, _)| *w == self.protocol)
            .and_then(|(_, p)| p.scheme());
        match scheme {
            Some(scheme) => format!("{scheme}://{}:{}{}", self.host(), self.port, self.path),
            None => format!("{}:{}", self.host(), self.port),
        }
    }
}

/// Decodes `endpoint <name> service=… port=… protocol=… path=… release=…`.
pub fn decode(node: &KdlNode, cx: &mut Cx) -> Option<Endpoint> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "an endpoint name",
            props: &["service", "port", "protocol", "path", "release"],
            block: false,
        },
        cx,
    );
    let name = value::string(view.arg(0)?, "endpoint", cx)?.value;
    let string = |key, cx: &mut Cx| {
        view.prop(key)
            .and_then(|e| value::string(e, key, cx))
            .map(|s| s.value)
    };
    let service = string("service", cx);
    let release = string("release", cx);
    let path = string("path", cx).unwrap_or_default();
    let Some(port) = view.prop("port") else {
        cx.push(Error::MissingProperty {
            node: "endpoint".into(),
            property: "port",
            example: "80",
            span: view.name_span(),
        });
        return None;
    };
    let port = value::integer(port, "port", 1, 65535, cx)?.value as u16;
    let Some(protocol) = view.prop("protocol") else {
        cx.push(Error::MissingProperty {
            node: "endpoint".into(),
            property: "protocol",
            example: "http",
            span: view.name_span(),
        });
        return None;
    };
    let protocol = value::word(protocol, "protocol", Protocol::ALL, cx)?.value;
    Some(Endpoint {
        name,
        service,
        release,
        port,
        protocol,
        path,
        span: node.span(),
    })
}

/// An endpoint's Service must be named unless its release is repeated per gateway, and then it
/// must not be (the Service is the gateway's); its release must be one the component has.
pub fn validate(endpoint: &Endpoint, releases: &[Release], cx: &mut Cx) {
    if let Some(name) = &endpoint.release {
        if !releases.iter().any(|r| &r.name == name) {
            cx.push(Error::InvalidValue {
                kind: "endpoint",
                example: "`release=` naming one of the component's `release` nodes",
                reason: format!("the component has no release `{name}`"),
                span: endpoint.span,
            });
            return;
        }
    }
    match (endpoint.per_gateway(releases), &endpoint.service) {
        (false, None) => cx.push(Error::MissingProperty {
            node: "endpoint".into(),
            property: "service",
            example: "\"loki-gateway\"",
            span: endpoint.span,
        }),
        (true, Some(_)) => cx.push(Error::InvalidValue {
            kind: "endpoint",
            example: "no `service=`: each gateway's Service is named after the gateway",
            reason: "its release is repeated per gateway".into(),
            span: endpoint.span,
        }),
        _ => {}
    }
}

/// The (provider, endpoint) pairs a values template names with `endpoint`, `endpoint_host` or
/// `endpoint_port` and two quoted words, with their byte offsets in the template. A name given
/// otherwise (a variable) is left to the render, which refuses it there.
pub fn references(template: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(at) = rest.find("endpoint") {
        let after = &rest[at + "endpoint".len()..];
        let after = after
            .strip_prefix("_host")
            .or_else(|| after.strip_prefix("_port"))
            .unwrap_or(after);
        let before_ok = rest[..at]
            .chars()
            .last()
            .is_some_and(|c| c == '{' || c == '(' || c.is_whitespace());
        if before_ok {
            if let Some((provider, name)) = two_words(after) {
                out.push((provider, name, offset + at));
            }
        }
        offset += at + "endpoint".len();
        rest = &rest[at + "endpoint".len()..];
    }
    out
}

fn two_words(text: &str) -> Option<(String, String)> {
    let word = |t: &str| -> Option<(String, usize)> {
        let t0 = t.trim_start();
        let skipped = t.len() - t0.len();
        let body = t0.strip_prefix('"')?;
        let end = body.find('"')?;
        Some((body[..end].to_string(), skipped + end + 2))
    };
    let (a, used) = word(text)?;
    let (b, _) = word(&text[used..])?;
    Some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_named_endpoint_in_a_template() {
        let t = "a: {{endpoint \"loki\" \"push\"}}\nb: {{endpoint_host  \"wazuh\" \"syslog\"}}\n\
                 c: {{#if (endpoint_port \"x\" \"y\")}}{{/if}}\nd: {{endpoints}}\ne: {{endpoint v w}}";
        let found: Vec<(String, String)> =
            references(t).into_iter().map(|(p, e, _)| (p, e)).collect();
        assert_eq!(
            found,
            [
                ("loki".into(), "push".into()),
                ("wazuh".into(), "syslog".into()),
                ("x".into(), "y".into())
            ]
        );
    }

    #[test]
    fn writes_urls_by_protocol() {
        let mut e = SiteEndpoint {
            component: "loki".into(),
            endpoint: "push".into(),
            gateway: None,
            service: "loki-gateway".into(),
            namespace: "monitoring".into(),
            port: 80,
            protocol: "http",
            path: String::new(),
        };
        assert_eq!(
            e.url(),
            "http://loki-gateway.monitoring.svc.cluster.local:80"
        );
        e.protocol = "tcp";
        assert_eq!(e.url(), "loki-gateway.monitoring.svc.cluster.local:80");
    }
}
