//! Every ServiceMonitor and PodMonitor selects something to scrape, on a port that exists, and
//! is selected by a Prometheus of the system: otherwise its metrics are silently absent, and
//! whatever reads them (a canary's analysis, an alert) sees nothing.

use super::super::finding::{Contract, End, Finding};
use super::super::system::{pod_templates, selects};
use super::super::{Object, System};
use serde_json::Value;
use std::collections::BTreeMap;

/// Ports the Istio sidecar adds to every pod it is injected into: its merged metrics.
const SIDECAR_PORTS: &[&str] = &["http-envoy-prom"];

pub fn check(system: &System) -> Vec<Finding> {
    let ns_labels = namespace_labels(system);
    let prometheuses: Vec<&Object> = system.of_kind("Prometheus").collect();
    let mut findings = Vec::new();
    for monitor in system
        .objects
        .iter()
        .filter(|o| o.kind == "ServiceMonitor" || o.kind == "PodMonitor")
    {
        let here = |label: &str| End::object(system, monitor, label.to_string());
        let selector = monitor
            .value
            .pointer("/spec/selector")
            .cloned()
            .unwrap_or(Value::Null);
        let in_namespaces = |ns: &str| -> bool {
            match monitor.value.pointer("/spec/namespaceSelector") {
                Some(sel) if sel.get("any").and_then(Value::as_bool) == Some(true) => true,
                Some(sel) if sel.get("matchNames").is_some() => sel
                    .get("matchNames")
                    .and_then(Value::as_array)
                    .is_some_and(|names| names.iter().any(|n| n.as_str() == Some(ns))),
                _ => ns == monitor.namespace,
            }
        };
        let (targets, ports_wanted): (Vec<(&Object, Vec<String>)>, Vec<String>) = if monitor.kind
            == "ServiceMonitor"
        {
            let services = system
                .of_kind("Service")
                .filter(|s| in_namespaces(&s.namespace) && selects(&selector, &s.labels()))
                .map(|s| {
                    let names = s
                        .value
                        .pointer("/spec/ports")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_string))
                        .collect();
                    (s, names)
                })
                .collect();
            (services, endpoint_ports(&monitor.value, "/spec/endpoints"))
        } else {
            let pods = system
                .objects
                .iter()
                .filter(|o| in_namespaces(&o.namespace))
                .filter_map(|o| pod_templates(o).map(|(spec, labels)| (o, spec, labels)))
                .filter(|(_, _, labels)| selects(&selector, labels))
                .map(|(o, spec, labels)| {
                    let mut names: Vec<String> = ["containers", "initContainers"]
                        .into_iter()
                        .filter_map(|k| spec.get(k).and_then(Value::as_array))
                        .flatten()
                        .flat_map(|c| {
                            c.get("ports")
                                .and_then(Value::as_array)
                                .cloned()
                                .unwrap_or_default()
                        })
                        .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_string))
                        .collect();
                    if meshed(&ns_labels, &o.namespace, &labels) {
                        names.extend(SIDECAR_PORTS.iter().map(|p| p.to_string()));
                    }
                    (o, names)
                })
                .collect();
            (
                pods,
                endpoint_ports(&monitor.value, "/spec/podMetricsEndpoints"),
            )
        };
        if targets.is_empty() {
            findings.push(Finding::new(
                Contract::Monitor,
                format!(
                    "{} selects no {}: Prometheus scrapes nothing for it",
                    monitor.describe(),
                    if monitor.kind == "ServiceMonitor" {
                        "Service"
                    } else {
                        "pod"
                    }
                ),
                "its selector and namespaces must match the labels of what it monitors",
                here("this monitor"),
            ));
            continue;
        }
        for port in &ports_wanted {
            if !targets.iter().any(|(_, names)| names.contains(port)) {
                let (target, names) = &targets[0];
                findings.push(
                    Finding::new(
                        Contract::Monitor,
                        format!(
                            "{} scrapes port `{port}`, which {} does not name (it has {})",
                            monitor.describe(),
                            target.describe(),
                            if names.is_empty() {
                                "no named port".to_string()
                            } else {
                                names.join(", ")
                            }
                        ),
                        "a monitor names a port by the name the Service or container gives it",
                        here("this monitor"),
                    )
                    .and(End::object(
                        system,
                        target,
                        format!("{} is selected", target.describe()),
                    )),
                );
            }
        }
        if !prometheuses.is_empty() && !prometheuses.iter().any(|p| picks(p, monitor, &ns_labels)) {
            findings.push(
                Finding::new(
                    Contract::Monitor,
                    format!("no Prometheus of the system selects {}: its targets are never scraped", monitor.describe()),
                    "give the monitor the labels the Prometheus's monitor selector asks for, or widen that selector",
                    here("this monitor"),
                )
                .and(End::object(system, prometheuses[0], format!("{} selects monitors by label", prometheuses[0].describe()))),
            );
        }
    }
    findings
}

fn endpoint_ports(monitor: &Value, pointer: &str) -> Vec<String> {
    monitor
        .pointer(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("port").and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// Whether some Prometheus of the system selects a monitor (any does when there is none to ask).
pub fn picked(system: &System, monitor: &Object) -> bool {
    let ns_labels = namespace_labels(system);
    let prometheuses: Vec<&Object> = system.of_kind("Prometheus").collect();
    prometheuses.is_empty() || prometheuses.iter().any(|p| picks(p, monitor, &ns_labels))
}

/// Labels of each namespace: its Namespace object's, and the name label every namespace has.
fn namespace_labels(system: &System) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for ns in system.namespaces() {
        let mut labels = system
            .find("Namespace", "", ns)
            .map(|o| o.labels())
            .unwrap_or_default();
        labels.insert("kubernetes.io/metadata.name".into(), ns.to_string());
        out.insert(ns.to_string(), labels);
    }
    out
}

fn meshed(
    ns_labels: &BTreeMap<String, BTreeMap<String, String>>,
    ns: &str,
    pod: &BTreeMap<String, String>,
) -> bool {
    if pod.get("sidecar.istio.io/inject").map(String::as_str) == Some("false") {
        return false;
    }
    let labels = ns_labels.get(ns);
    pod.get("sidecar.istio.io/inject").map(String::as_str) == Some("true")
        || labels
            .and_then(|l| l.get("istio-injection"))
            .map(String::as_str)
            == Some("enabled")
        || labels.is_some_and(|l| l.contains_key("istio.io/rev"))
}

/// Whether a Prometheus picks a monitor: its selector for the kind matches the monitor's labels
/// and its namespace selector the monitor's namespace. A missing selector picks nothing; a
/// missing namespace selector means the Prometheus's own namespace.
fn picks(
    prometheus: &Object,
    monitor: &Object,
    ns_labels: &BTreeMap<String, BTreeMap<String, String>>,
) -> bool {
    let (sel, ns_sel) = if monitor.kind == "ServiceMonitor" {
        ("serviceMonitorSelector", "serviceMonitorNamespaceSelector")
    } else {
        ("podMonitorSelector", "podMonitorNamespaceSelector")
    };
    let spec = prometheus.value.get("spec").cloned().unwrap_or(Value::Null);
    let Some(selector) = spec.get(sel).filter(|s| !s.is_null()) else {
        return false;
    };
    if !selects(selector, &monitor.labels()) {
        return false;
    }
    match spec.get(ns_sel).filter(|s| !s.is_null()) {
        None => monitor.namespace == prometheus.namespace,
        Some(ns_selector) => {
            let labels = ns_labels
                .get(&monitor.namespace)
                .cloned()
                .unwrap_or_default();
            selects(ns_selector, &labels)
        }
    }
}
