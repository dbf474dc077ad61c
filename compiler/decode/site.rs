use super::vocabulary::*;
use super::{first_of, value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::value::{Cidr, Host, Name, Version};
use crate::model::{
    Alert, AlertChannel, ForeignNamespace, Network, Repo, SiteSettings, Span, Spanned,
};
use crate::syntax::Node as KdlNode;
use miette::SourceSpan;

fn cidr(text: &str) -> Cidr {
    Cidr::parse(text).expect("valid default network")
}

/// Settings used when `site` is missing or broken, so that checking can go on.
pub fn placeholder() -> SiteSettings {
    let nowhere = SourceSpan::from((0, 0));
    SiteSettings {
        name: Spanned::new(Name::placeholder(), nowhere),
        domain: None,
        repo: Repo {
            url: Spanned::new(String::new(), nowhere),
            revision: "main".into(),
            path: "out".into(),
        },
        kubernetes: Spanned::new(Version::parse("1.31").expect("valid"), nowhere),
        runtime_version: Spanned::new(Version::parse("2.1").expect("valid"), nowhere),
        network: Network {
            nodes: None,
            pods: Spanned::new(cidr("10.244.0.0/16"), nowhere),
            services: Spanned::new(cidr("10.96.0.0/12"), nowhere),
        },
        alerts: Vec::new(),
        ci: Vec::new(),
        foreign_namespaces: Vec::new(),
    }
}

fn missing(parent: Span, child: &'static str, example: &'static str, cx: &mut Cx) {
    cx.push(Error::MissingNode {
        parent: "`site`".into(),
        child,
        example,
        span: parent,
    });
}

pub fn decode(node: &KdlNode, cx: &mut Cx) -> SiteSettings {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one name",
            props: &[],
            block: true,
        },
        cx,
    );
    let mut settings = placeholder();
    match view.arg(0) {
        Some(entry) => {
            if let Some(name) = value::name(entry, "site", cx) {
                settings.name = name;
            }
        }
        None => cx.push(Error::MissingArgument {
            node: "site".into(),
            what: "a name",
            example: "site homelab { … }",
            span: view.name_span(),
        }),
    }
    let (mut domain, mut repo, mut kubernetes, mut network) = (None, None, None, None);
    let mut ci_seen = Vec::new();
    for child in view.children(SITE_CHILDREN, cx) {
        match child.name().value() {
            "domain" if first_of(&mut domain, child, cx) => {
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
                settings.domain = v.arg(0).and_then(|e| {
                    value::parsed(e, "domain", "host name", "\"example.dev\"", Host::parse, cx)
                });
            }
            "repo" if first_of(&mut repo, child, cx) => decode_repo(child, &mut settings.repo, cx),
            "kubernetes" if first_of(&mut kubernetes, child, cx) => {
                decode_kubernetes(child, &mut settings, cx)
            }
            "network" if first_of(&mut network, child, cx) => {
                decode_network(child, &mut settings.network, cx)
            }
            "alert" => settings.alerts.extend(decode_alert(child, cx)),
            "ci" => settings
                .ci
                .extend(super::ci::decode(child, &mut ci_seen, cx)),
            "foreign-namespace" => settings
                .foreign_namespaces
                .extend(decode_foreign_namespace(child, cx)),
            _ => {}
        }
    }
    if repo.is_none() {
        missing(
            view.name_span(),
            "repo",
            "repo \"https://github.com/me/site\" revision=\"main\" path=\"out\"",
            cx,
        );
    }
    if kubernetes.is_none() {
        missing(
            view.name_span(),
            "kubernetes",
            "kubernetes \"1.31.13\" runtime=\"containerd\" runtime-version=\"2.1.5\"",
            cx,
        );
    }
    settings
}

fn decode_repo(node: &KdlNode, repo: &mut Repo, cx: &mut Cx) {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one URL",
            props: REPO_PROPS,
            block: false,
        },
        cx,
    );
    let url_example = "\"https://github.com/me/site\" or \"git@github.com:me/site.git\"";
    match v.arg(0) {
        Some(entry) => {
            if let Some(url) = value::parsed(
                entry,
                "repo",
                "repository URL",
                url_example,
                check_repo_url,
                cx,
            ) {
                repo.url = url;
            }
        }
        None => cx.push(Error::MissingArgument {
            node: "repo".into(),
            what: "a URL",
            example: "repo \"https://github.com/me/site\"",
            span: v.name_span(),
        }),
    }
    if let Some(rev) = v
        .prop("revision")
        .and_then(|e| value::string(e, "revision", cx))
    {
        repo.revision = rev.value;
    }
    if let Some(path) = v.prop("path").and_then(|e| {
        value::parsed(
            e,
            "path",
            "repository path",
            "\"out\" or \"clusters/home/out\"",
            check_repo_path,
            cx,
        )
    }) {
        repo.path = path.value;
    }
}

pub(super) fn check_repo_url(text: &str) -> Result<String, String> {
    let ok = text.starts_with("https://") || text.starts_with("ssh://") || text.starts_with("git@");
    if ok && !text.contains(char::is_whitespace) && text.len() > 8 {
        Ok(text.to_string())
    } else {
        Err("Argo CD reads git over `https://`, `ssh://` or `git@host:path`".into())
    }
}

fn check_repo_path(text: &str) -> Result<String, String> {
    let bad = text.is_empty()
        || text.starts_with('/')
        || text.split('/').any(|part| part.is_empty() || part == "..");
    if bad {
        Err("a path relative to the repository root, without `..` or empty parts".into())
    } else {
        Ok(text.to_string())
    }
}

fn decode_kubernetes(node: &KdlNode, settings: &mut SiteSettings, cx: &mut Cx) {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one version",
            props: KUBERNETES_PROPS,
            block: false,
        },
        cx,
    );
    let version =
        |e, what, cx: &mut Cx| value::parsed(e, what, "version", "\"1.31.13\"", Version::parse, cx);
    match v.arg(0) {
        Some(entry) => {
            if let Some(k) = version(entry, "kubernetes", cx) {
                settings.kubernetes = k;
            }
        }
        None => cx.push(Error::MissingArgument {
            node: "kubernetes".into(),
            what: "a version",
            example: "kubernetes \"1.31.13\"",
            span: v.name_span(),
        }),
    }
    if let Some(entry) = v.prop("runtime") {
        value::word(entry, "container runtime", &[("containerd", ())], cx);
    }
    match v.prop("runtime-version") {
        Some(entry) => {
            if let Some(rv) = version(entry, "runtime-version", cx) {
                settings.runtime_version = rv;
            }
        }
        None => cx.push(Error::MissingProperty {
            node: "kubernetes".into(),
            property: "runtime-version",
            example: "\"2.1.5\"",
            span: v.name_span(),
        }),
    }
}

fn decode_network(node: &KdlNode, network: &mut Network, cx: &mut Cx) {
    let v = NodeView::new(
        node,
        &Shape {
            args: 0,
            args_text: "only properties",
            props: NETWORK_PROPS,
            block: false,
        },
        cx,
    );
    let get = |key, cx: &mut Cx| {
        v.prop(key)
            .and_then(|e| value::parsed(e, key, "CIDR", "\"10.244.0.0/16\"", Cidr::parse, cx))
    };
    network.nodes = get("nodes", cx);
    if let Some(pods) = get("pods", cx) {
        network.pods = pods;
    }
    if let Some(services) = get("services", cx) {
        network.services = services;
    }
}

fn decode_alert(node: &KdlNode, cx: &mut Cx) -> Option<Alert> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one channel",
            props: ALERT_PROPS,
            block: false,
        },
        cx,
    );
    let Some(entry) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "alert".into(),
            what: "a channel",
            example: "alert discord secret=\"discord-webhook\"",
            span: v.name_span(),
        });
        return None;
    };
    let channel = value::word(entry, "alert channel", AlertChannel::ALL, cx);
    if let Some(c) = channel.as_ref().filter(|c| c.value == AlertChannel::Email) {
        cx.push(Error::AlertChannelUnsupported {
            channel: "email".into(),
            span: c.span,
        });
    }
    let secret = match v.prop("secret") {
        Some(e) => value::name(e, "secret", cx),
        None => {
            cx.push(Error::MissingProperty {
                node: "alert".into(),
                property: "secret",
                example: "\"discord-webhook\"",
                span: v.name_span(),
            });
            None
        }
    };
    Some(Alert {
        channel: channel?,
        secret: secret?,
    })
}

fn decode_foreign_namespace(node: &KdlNode, cx: &mut Cx) -> Option<ForeignNamespace> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one namespace",
            props: FOREIGN_NAMESPACE_PROPS,
            block: false,
        },
        cx,
    );
    let example =
        "foreign-namespace \"monitoring\" why=\"the exporter must run beside Prometheus\"";
    let Some(entry) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "foreign-namespace".into(),
            what: "a namespace",
            example,
            span: v.name_span(),
        });
        return None;
    };
    let name = value::name(entry, "foreign-namespace", cx);
    let why = match v.prop("why") {
        Some(e) => value::string(e, "why", cx),
        None => {
            cx.push(Error::MissingProperty {
                node: "foreign-namespace".into(),
                property: "why",
                example: "\"the exporter must run beside Prometheus\"",
                span: v.name_span(),
            });
            None
        }
    };
    // kept without its reason, so that the apps in it are not also refused
    Some(ForeignNamespace {
        why: why.unwrap_or_else(|| Spanned::new(String::new(), v.name_span())),
        name: name?,
    })
}
