//! Every in-cluster address a part is given (in chart values, ConfigMaps, container env and
//! arguments, analysis providers) names a Service that exists and exposes that port. An address
//! is `name.namespace.svc[.cluster.local][:port]`, or `name.namespace:port` / a URL of one,
//! where `namespace` is one the system has; a URL without a port means its scheme's, and a
//! `host` beside a `port` key in the same map is read as one address.

use super::super::finding::{Contract, End, Finding};
use super::super::system::pod_templates;
use super::super::System;
use serde_json::Value;
use std::collections::BTreeSet;

/// An address found in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// As written, for the message.
    pub text: String,
    pub service: String,
    pub namespace: String,
    pub port: Option<u16>,
    /// Whether the port was written, not implied by the scheme.
    pub explicit: bool,
}

pub fn check(system: &System) -> Vec<Finding> {
    let namespaces: BTreeSet<String> = system
        .namespaces()
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut found: Vec<(End, Address)> = Vec::new();
    for app in &system.apps {
        let values = match &app.source {
            super::super::apps::Source::Chart { values, .. }
            | super::super::apps::Source::Git { values, .. } => values,
            super::super::apps::Source::Folder { .. } => continue,
        };
        let end = End::new(&app.file, format!("the values of `{}` name it", app.name));
        walk_values(values, &namespaces, &mut |a| found.push((end.clone(), a)));
    }
    for object in system.applied() {
        let mut strings: Vec<&str> = Vec::new();
        // addresses of env vars, each with the port its container is given beside it
        let mut paired: Vec<Address> = Vec::new();
        match object.kind.as_str() {
            "ConfigMap" => {
                // an env ConfigMap (`envFrom`) pairs a host and its port like env does
                if let Some(data) = object.value.get("data").and_then(Value::as_object) {
                    let entries: Vec<(&str, &str)> = data
                        .iter()
                        .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
                        .collect();
                    paired.extend(named_addresses(&entries, &namespaces));
                }
            }
            "AnalysisTemplate" | "ClusterAnalysisTemplate" => {
                for metric in object
                    .value
                    .pointer("/spec/metrics")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    for pointer in ["/provider/prometheus/address", "/provider/web/url"] {
                        strings.extend(metric.pointer(pointer).and_then(Value::as_str));
                    }
                }
            }
            _ => {}
        }
        if let Some((spec, _)) = pod_templates(object) {
            for container in containers(spec) {
                let env: Vec<(&str, &str)> = container
                    .get("env")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|e| Some((e.get("name")?.as_str()?, e.get("value")?.as_str()?)))
                    .collect();
                paired.extend(named_addresses(&env, &namespaces));
                for key in ["args", "command"] {
                    for arg in container
                        .get(key)
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        strings.extend(arg.as_str());
                    }
                }
            }
        }
        let end = End::object(system, object, format!("{} names it", object.describe()));
        for text in strings {
            for address in addresses(text, &namespaces) {
                found.push((end.clone(), address));
            }
        }
        found.extend(paired.into_iter().map(|a| (end.clone(), a)));
    }
    let mut seen = BTreeSet::new();
    let mut findings = Vec::new();
    for (end, address) in found {
        if !seen.insert((end.path.clone(), address.text.clone(), address.port)) {
            continue;
        }
        findings.extend(resolve(system, end, &address));
    }
    findings
}

fn resolve(system: &System, end: End, address: &Address) -> Option<Finding> {
    let text = match address.port {
        Some(port) if !address.text.contains(&format!(":{port}")) => {
            format!("{} (port {port})", address.text)
        }
        _ => address.text.clone(),
    };
    let Some(service) = system.find("Service", &address.namespace, &address.service) else {
        // an Application of that namespace that did not render has its own diagnostic
        if system
            .apps
            .iter()
            .enumerate()
            .any(|(i, a)| a.namespace == address.namespace && system.unrendered.contains(&i))
        {
            return None;
        }
        let unrendered = system.apps.iter().enumerate().any(|(i, a)| {
            a.namespace == address.namespace
                && system.missing.get(&i).is_some_and(|m| !m.is_empty())
        });
        let mut finding = Finding::new(
            Contract::Address,
            format!("`{text}` names Service {}/{}, which no Application applies", address.namespace, address.service),
            "point it at a Service of the site (`labc verify` lists what each Application renders with --dump), or add the component that provides it",
            end,
        );
        if unrendered {
            // the Service may be in a subchart the cache lacks; that is said once, as a warning
            finding.contract = Contract::Subchart;
            finding.help = "a subchart of this namespace is missing from the chart cache, so the Service may be in it; fill the cache to check".into();
        }
        return Some(finding);
    };
    let ports = service.service_ports();
    let port = address.port?;
    if ports.contains(&port) {
        return None;
    }
    Some(
        Finding::new(
            Contract::Address,
            format!(
                "`{text}` names port {port} of Service {}/{}, which exposes {}",
                address.namespace,
                address.service,
                if ports.is_empty() {
                    "no port".to_string()
                } else {
                    list(&ports)
                }
            ),
            "the consumer and the Service must agree on the port; fix the one that is wrong",
            end,
        )
        .and(End::object(
            system,
            service,
            format!("{} is applied here", service.describe()),
        )),
    )
}

fn list(ports: &[u16]) -> String {
    ports
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn containers(spec: &Value) -> impl Iterator<Item = &Value> {
    ["containers", "initContainers"]
        .into_iter()
        .filter_map(|k| spec.get(k).and_then(Value::as_array))
        .flatten()
}

/// The addresses in named values (a container's env, an env ConfigMap's data), each without a
/// port of its own given the port named beside it.
fn named_addresses(entries: &[(&str, &str)], namespaces: &BTreeSet<String>) -> Vec<Address> {
    let mut out = Vec::new();
    for (name, value) in entries {
        for mut address in addresses(value, namespaces) {
            if !address.explicit {
                address.port = paired_port(name, entries).or(address.port);
            }
            out.push(address);
        }
    }
    out
}

/// The port a container is given beside a host or URL variable without one: `<P>_HOST`,
/// `<P>_URL` or `<P>_ADDR[ESS]` goes with `<Q>_PORT` where `P` ends with `Q` (`DB_HOST` and
/// `DB_PORT`; `WAZUH_API_URL` and `API_PORT`), the longest such `Q`.
fn paired_port(name: &str, env: &[(&str, &str)]) -> Option<u16> {
    let prefix = ["_HOST", "_URL", "_ADDR", "_ADDRESS"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))?;
    env.iter()
        .filter_map(|(n, v)| Some((n.strip_suffix("_PORT")?, v)))
        .filter(|(q, _)| !q.is_empty() && (prefix == *q || prefix.ends_with(&format!("_{q}"))))
        .max_by_key(|(q, _)| q.len())
        .and_then(|(_, v)| v.parse().ok())
}

/// Walks chart values: strings are scanned, and a map's `host`-like key holding a bare
/// in-cluster name is read together with the map's `port`.
fn walk_values(value: &Value, namespaces: &BTreeSet<String>, found: &mut dyn FnMut(Address)) {
    match value {
        Value::String(text) => addresses(text, namespaces).into_iter().for_each(found),
        Value::Array(items) => items.iter().for_each(|i| walk_values(i, namespaces, found)),
        Value::Object(map) => {
            let port = map.get("port").and_then(|p| match p {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            });
            for (key, item) in map {
                if let (Value::String(text), Some(port)) = (item, port) {
                    if matches!(key.as_str(), "host" | "hostname" | "address" | "server") {
                        let mut list = addresses(text, namespaces);
                        for a in &mut list {
                            a.port = a.port.or(u16::try_from(port).ok());
                        }
                        list.into_iter().for_each(&mut *found);
                        continue;
                    }
                }
                walk_values(item, namespaces, found);
            }
        }
        _ => {}
    }
}

/// The in-cluster addresses in a string.
pub fn addresses(text: &str, namespaces: &BTreeSet<String>) -> Vec<Address> {
    let is_sep =
        |c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '/' | '_' | '@'));
    let mut out = Vec::new();
    for token in text.split(is_sep).filter(|t| t.contains('.')) {
        if let Some(address) = parse(token, namespaces) {
            out.push(address);
        }
    }
    out
}

fn parse(token: &str, namespaces: &BTreeSet<String>) -> Option<Address> {
    let (scheme, rest) = match token.split_once("://") {
        Some((scheme, rest)) => (Some(scheme.to_ascii_lowercase()), rest),
        None => (None, token),
    };
    let authority = rest.split('/').next()?;
    let authority = authority.rsplit('@').next()?;
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() => (host, Some(port.parse::<u16>().ok()?)),
        Some((host, _)) => (host, None),
        None => (authority, None),
    };
    let host = host.trim_end_matches('.');
    let labels: Vec<&str> = host.split('.').collect();
    let dns_label = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let named = if let Some(prefix) = host
        .strip_suffix(".svc.cluster.local")
        .or_else(|| host.strip_suffix(".svc"))
    {
        let parts: Vec<&str> = prefix.split('.').collect();
        if parts.len() < 2 {
            return None;
        }
        (parts[parts.len() - 2], parts[parts.len() - 1])
    } else if labels.len() == 2
        && (scheme.is_some() || port.is_some())
        && namespaces.contains(labels[1])
    {
        (labels[0], labels[1])
    } else {
        return None;
    };
    if !dns_label(named.0) || !dns_label(named.1) {
        return None;
    }
    let explicit = port.is_some();
    let port = port.or(match scheme.as_deref() {
        Some("http" | "ws") => Some(80),
        Some("https" | "wss") => Some(443),
        _ => None,
    });
    Some(Address {
        text: token.to_string(),
        service: named.0.to_string(),
        namespace: named.1.to_string(),
        port,
        explicit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns() -> BTreeSet<String> {
        ["monitoring", "wazuh", "falco"]
            .into_iter()
            .map(String::from)
            .collect()
    }

    fn one(text: &str) -> Option<(String, String, Option<u16>)> {
        addresses(text, &ns())
            .into_iter()
            .next()
            .map(|a| (a.service, a.namespace, a.port))
    }

    #[test]
    fn addresses_are_read_in_their_usual_spellings() {
        let s = |x: &str| x.to_string();
        assert_eq!(
            one("http://kube-prometheus-stack-alertmanager.monitoring.svc.cluster.local:9093/api"),
            Some((
                s("kube-prometheus-stack-alertmanager"),
                s("monitoring"),
                Some(9093)
            ))
        );
        assert_eq!(
            one("http://loki-gateway.monitoring.svc.cluster.local"),
            Some((s("loki-gateway"), s("monitoring"), Some(80)))
        );
        assert_eq!(
            one("wazuh-workers.wazuh.svc.cluster.local"),
            Some((s("wazuh-workers"), s("wazuh"), None))
        );
        assert_eq!(
            one("--server=falco-talon.falco:2803"),
            Some((s("falco-talon"), s("falco"), Some(2803)))
        );
        assert_eq!(
            one("mysql-0.mysql.blog.svc.cluster.local:3306"),
            Some((s("mysql"), s("blog"), Some(3306)))
        );
    }

    #[test]
    fn names_that_are_not_in_cluster_addresses_are_left_alone() {
        assert_eq!(one("https://blog.example.dev/"), None);
        assert_eq!(one("values.yaml"), None);
        assert_eq!(one("ghcr.io/example/web:1.4.2"), None);
        // a known namespace but neither a port nor a scheme: a word, not an address
        assert_eq!(one("see falco-talon.falco for details"), None);
    }

    #[test]
    fn a_host_variable_takes_the_port_variable_beside_it() {
        let env = [
            ("WAZUH_API_URL", "https://wazuh.wazuh.svc.cluster.local"),
            ("API_PORT", "55000"),
            ("DB_PORT", "3306"),
        ];
        assert_eq!(paired_port("WAZUH_API_URL", &env), Some(55000));
        assert_eq!(paired_port("DB_HOST", &env), Some(3306));
        assert_eq!(paired_port("OTHER_HOST", &env), None);
        // a prefix must end at a word: `XAPI_URL` is not `API_PORT`'s
        assert_eq!(paired_port("XAPI_URL", &env), None);
    }

    #[test]
    fn a_host_beside_a_port_key_is_one_address() {
        let values = serde_json::json!({"syslog": {"host": "wazuh-workers.wazuh.svc.cluster.local", "port": "514"}});
        let mut found = Vec::new();
        walk_values(&values, &ns(), &mut |a| found.push(a));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].port, Some(514));
    }
}
