//! Prometheus scraping of an app's declared `metrics`: a ServiceMonitor (prometheus-operator,
//! which kube-prometheus-stack runs and which reads every ServiceMonitor of the cluster) over the
//! app's Service.
//!
//! In an Istio mesh with STRICT mTLS the app port only accepts mTLS, and Prometheus has no
//! sidecar. labc uses Istio's metrics merging, its default and the way Istio documents for
//! STRICT mode: the pod template carries the `prometheus.io/{scrape,port,path}` annotations of
//! the app's endpoint; the sidecar injector moves them onto the pod agent's port 15020
//! (`/stats/prometheus`, outside the mTLS interception), and the agent reads the app over
//! localhost and serves its metrics merged with Envoy's. The ServiceMonitor still selects the
//! app's Service, to find its pods, and points each target at the pod's 15020, the relabelling
//! Istio's own prometheus-operator example uses. The rejected alternatives: a PERMISSIVE
//! PeerAuthentication on the metrics port opens that port (often the API port itself, as with
//! Spring Boot's actuator) to plaintext from anywhere Cilium lets in; giving Prometheus Istio's
//! certificates means injecting a sidecar into kube-prometheus-stack's Prometheus and mounting
//! its certificates, a change to a platform chart for every site.

use super::files::object_path;
use super::labels::Selector;
use super::{workload, Files};
use crate::flows::METRICS_PORT;
use crate::model::{App, Metrics, Site};
use serde::Serialize;

type ServiceMonitor = super::custom_resource::CustomResource<Spec>;

#[derive(Serialize)]
struct Spec {
    endpoints: Vec<Endpoint>,
    selector: Selector,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Endpoint {
    interval: String,
    path: String,
    port: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relabelings: Vec<Relabeling>,
    scheme: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Relabeling {
    action: &'static str,
    regex: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    replacement: Option<String>,
    source_labels: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_label: Option<&'static str>,
}

/// The port and path the app serves its metrics on, when it declares any and has that port.
fn endpoint(app: &App) -> Option<(&Metrics, &crate::model::Port)> {
    let metrics = app.metrics.as_ref()?;
    let port = match &metrics.port {
        Some(p) => app.port(p.value)?,
        None => app.ports.first()?,
    };
    Some((metrics, port))
}

/// The pod template annotations Istio's metrics merging reads (only in a mesh: elsewhere the
/// ServiceMonitor reads the port itself, and the annotations would invite a second scraper).
pub fn annotations(app: &App, mesh: bool, prometheus: bool) -> Vec<(String, String)> {
    match endpoint(app) {
        Some((metrics, port)) if mesh && prometheus => vec![
            ("prometheus.io/path".into(), metrics.path.to_string()),
            ("prometheus.io/port".into(), port.number.value.to_string()),
            ("prometheus.io/scrape".into(), "true".into()),
        ],
        _ => Vec::new(),
    }
}

/// The ServiceMonitor of one app, in its folder, when it declares `metrics`.
pub fn emit(site: &Site, app: &App, mesh: bool, files: &mut Files) {
    let Some((metrics, port)) = endpoint(app) else {
        return;
    };
    let name = app.name.as_str();
    let mut relabelings = Vec::new();
    if app.canary.is_some() {
        // a Rollout has a stable and a canary Service over the same pods once promoted; keep
        // the stable one's endpoints so that no pod is scraped twice
        relabelings.push(Relabeling {
            action: "keep",
            regex: format!("{name}-stable"),
            replacement: None,
            source_labels: vec!["__meta_kubernetes_service_name"],
            target_label: None,
        });
    }
    let path = if mesh {
        // the pod's address with the agent's port: the merged metrics, in plaintext; an IPv6
        // address needs brackets (only one of the two patterns matches any address)
        for (regex, replacement) in [
            ("(\\d+\\.\\d+\\.\\d+\\.\\d+)", format!("$1:{METRICS_PORT}")),
            ("([0-9a-fA-F:]+)", format!("[$1]:{METRICS_PORT}")),
        ] {
            relabelings.push(Relabeling {
                action: "replace",
                regex: regex.into(),
                replacement: Some(replacement),
                source_labels: vec!["__meta_kubernetes_pod_ip"],
                target_label: Some("__address__"),
            });
        }
        "/stats/prometheus".to_string()
    } else {
        metrics.path.to_string()
    };
    let monitor = ServiceMonitor {
        api_version: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: workload::meta(name, app.namespace.as_str(), name, site),
        spec: Spec {
            endpoints: vec![Endpoint {
                interval: metrics.interval.to_string(),
                path,
                port: port.name.to_string(),
                relabelings,
                scheme: "http",
            }],
            selector: Selector::of(name),
        },
    };
    files.object(
        object_path(&workload::folder(name), "ServiceMonitor", name),
        &monitor,
    );
}
