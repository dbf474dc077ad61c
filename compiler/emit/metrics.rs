//! Prometheus scraping of an app's pods: a PodMonitor (prometheus-operator, which
//! kube-prometheus-stack runs; the `prometheus` component makes its Prometheus read every
//! PodMonitor of every namespace) for an app that declares `metrics`, or whose canary analysis
//! reads its mesh metrics.
//!
//! A PodMonitor, not a ServiceMonitor over a Service: a Rollout's `<name>-stable` and
//! `<name>-canary` Services each point at one ReplicaSet, so a monitor over either misses the
//! other's pods during a rollout, and the analysis must see the canary's. The PodMonitor selects
//! the pods by the label every pod of the app carries, stable and canary alike, and copies Argo
//! Rollouts' `rollouts-pod-template-hash` pod label onto every series (`canary::HASH_LABEL`),
//! which is how the analysis queries keep the canary's pods only.
//!
//! In an Istio mesh with STRICT mTLS the app port only accepts mTLS, and Prometheus has no
//! sidecar. labc uses Istio's metrics merging, its default and the way Istio documents for
//! STRICT mode: the pod template carries the `prometheus.io/{scrape,port,path}` annotations of
//! the app's endpoint (when it declares one); the sidecar injector moves them onto the pod
//! agent's port 15020 (`/stats/prometheus`, outside the mTLS interception), and the agent serves
//! Envoy's metrics (`istio_requests_total`, …) merged with the app's, read over localhost. The
//! PodMonitor finds each pod by one of the app's container ports and points the target at the
//! pod's 15020, the relabelling Istio's own prometheus-operator example uses; the flows open
//! 15020 to Prometheus' namespace on every workload of a mesh. The rejected alternatives: a
//! PERMISSIVE PeerAuthentication on the metrics port opens that port (often the API port
//! itself, as with Spring Boot's actuator) to plaintext from anywhere Cilium lets in; giving
//! Prometheus Istio's certificates means injecting a sidecar into kube-prometheus-stack's
//! Prometheus and mounting its certificates, a change to a platform chart for every site.

use super::canary::HASH_LABEL;
use super::labels::Selector;
use super::{workload, Files};
use crate::flows::METRICS_PORT;
use crate::model::{App, Site};
use serde::Serialize;

type PodMonitor = super::custom_resource::CustomResource<Spec>;

/// The pod label Argo Rollouts sets on the pods of each ReplicaSet of a Rollout.
pub const HASH_POD_LABEL: &str = "rollouts-pod-template-hash";
/// Where the sidecar serves the merged metrics.
pub const MERGED_PATH: &str = "/stats/prometheus";
/// How often an app's pods are scraped for its canary analysis when it declares no `metrics`.
const ANALYSIS_SCRAPE_SECS: u64 = 15;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Spec {
    pod_metrics_endpoints: Vec<Endpoint>,
    selector: Selector,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Endpoint {
    interval: String,
    path: String,
    port: String,
    relabelings: Vec<Relabeling>,
    scheme: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Relabeling {
    action: &'static str,
    regex: String,
    replacement: String,
    source_labels: Vec<String>,
    target_label: &'static str,
}

/// What Prometheus calls a pod label in service discovery: `__meta_kubernetes_pod_label_` and
/// the name with every character but letters, digits and `_` as `_`.
pub fn discovered_pod_label(label: &str) -> String {
    let name: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("__meta_kubernetes_pod_label_{name}")
}

/// Whether the app's canary analysis reads its sidecar's metrics (only a mesh has them).
fn analysed(app: &App, mesh: bool) -> bool {
    mesh && app.canary.as_ref().is_some_and(|c| c.analysis.is_some())
}

/// Seconds between two scrapes of the app's pods: its declared `metrics` interval, or, for an
/// app scraped only for its canary analysis, often enough for a short analysis window.
pub fn scrape_interval(app: &App) -> u64 {
    app.metrics
        .as_ref()
        .map_or(ANALYSIS_SCRAPE_SECS, |m| m.interval.as_secs().max(1))
}

/// The container port the PodMonitor finds each pod by, and the path it reads.
fn endpoint(app: &App, mesh: bool) -> Option<(String, String)> {
    let metrics = app.metrics.as_ref();
    let port = match metrics.and_then(|m| m.port.as_ref()) {
        Some(p) => app.port(p.value)?,
        None => app.ports.first()?,
    };
    let path = match metrics {
        _ if mesh => MERGED_PATH.to_string(),
        Some(m) => m.path.to_string(),
        None => return None,
    };
    Some((port.name.to_string(), path))
}

/// The pod template annotations Istio's metrics merging reads (only in a mesh: elsewhere the
/// PodMonitor reads the port itself, and the annotations would invite a second scraper).
pub fn annotations(app: &App, mesh: bool, prometheus: bool) -> Vec<(String, String)> {
    let Some(metrics) = app.metrics.as_ref().filter(|_| mesh && prometheus) else {
        return Vec::new();
    };
    let port = match &metrics.port {
        Some(p) => app.port(p.value),
        None => app.ports.first(),
    };
    match port {
        Some(port) => vec![
            ("prometheus.io/path".into(), metrics.path.to_string()),
            ("prometheus.io/port".into(), port.number.value.to_string()),
            ("prometheus.io/scrape".into(), "true".into()),
        ],
        None => Vec::new(),
    }
}

/// The PodMonitor of one app, in its folder, when it declares `metrics` or its canary analysis
/// reads its mesh metrics.
pub fn emit(site: &Site, app: &App, mesh: bool, files: &mut Files) {
    if app.metrics.is_none() && !analysed(app, mesh) {
        return;
    }
    let Some((port, path)) = endpoint(app, mesh) else {
        return;
    };
    let name = app.name.as_str();
    // the ReplicaSet's hash on every series; a pod outside a Rollout has no such label, and
    // Prometheus drops a label set to the empty string
    let mut relabelings = vec![Relabeling {
        action: "replace",
        regex: "(.+)".into(),
        replacement: "$1".into(),
        source_labels: vec![discovered_pod_label(HASH_POD_LABEL)],
        target_label: HASH_LABEL,
    }];
    if mesh {
        // the pod's address with the agent's port: the merged metrics, in plaintext; an IPv6
        // address needs brackets (only one of the two patterns matches any address)
        for (regex, replacement) in [
            ("(\\d+\\.\\d+\\.\\d+\\.\\d+)", format!("$1:{METRICS_PORT}")),
            ("([0-9a-fA-F:]+)", format!("[$1]:{METRICS_PORT}")),
        ] {
            relabelings.push(Relabeling {
                action: "replace",
                regex: regex.into(),
                replacement,
                source_labels: vec!["__meta_kubernetes_pod_ip".into()],
                target_label: "__address__",
            });
        }
    }
    let monitor = PodMonitor {
        api_version: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: workload::meta(name, app.namespace.as_str(), name, site),
        spec: Spec {
            pod_metrics_endpoints: vec![Endpoint {
                interval: format!("{}s", scrape_interval(app)),
                path,
                port,
                relabelings,
                scheme: "http",
            }],
            selector: Selector::of(name),
        },
    };
    files.object(
        super::files::object_path(&workload::folder(name), "PodMonitor", name),
        &monitor,
    );
}
