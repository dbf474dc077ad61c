//! An app with `canary` becomes an Argo Rollouts Rollout around the app's one pod template, with
//! the stable and canary Services Argo Rollouts points at each ReplicaSet, and:
//! - with `traffic="istio"`, a DestinationRule whose `stable`/`canary` subsets the Rollout pins
//!   to each ReplicaSet, and the app's VirtualService (`routing.rs`), whose weights it moves;
//! - with `analysis`, an AnalysisTemplate on Prometheus run in the background from the first
//!   step, so a failed measurement aborts the rollout and sends all traffic back to stable.
//!
//! The old ReplicaSet is kept for a while after full promotion, so that Envoy has dropped it
//! from its endpoints before its pods go, and the site's alert channels are subscribed to the
//! Rollout's notifications.

use super::files::object_path;
use super::wiring::Wiring;
use super::{routing, workload, Files};
use crate::model::{AlertChannel, App, Canary, Site, TrafficRouting};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::Serialize;
use std::collections::BTreeMap;

/// Seconds the old ReplicaSet keeps running after full promotion; Argo Rollouts' default, made
/// explicit so that a reader of out/ sees it.
const SCALE_DOWN_DELAY: u32 = 30;
/// The notifications every alert channel subscribes to.
const TRIGGERS: &[&str] = &[
    "on-analysis-run-failed",
    "on-rollout-aborted",
    "on-rollout-completed",
];
/// Subset names in the DestinationRule.
pub const STABLE: &str = "stable";
pub const CANARY: &str = "canary";

use super::custom_resource::CustomResource as Object;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RolloutSpec {
    replicas: i32,
    revision_history_limit: i32,
    selector: LabelSelector,
    strategy: Strategy,
    template: PodTemplateSpec,
}

#[derive(Serialize)]
struct Strategy {
    canary: CanaryStrategy,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CanaryStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<BackgroundAnalysis>,
    canary_service: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    scale_down_delay_seconds: Option<u32>,
    stable_service: String,
    steps: Vec<Step>,
    #[serde(skip_serializing_if = "Option::is_none")]
    traffic_routing: Option<TrafficRoutingSpec>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BackgroundAnalysis {
    args: Vec<Arg>,
    starting_step: u32,
    templates: Vec<TemplateRef>,
}

#[derive(Serialize)]
struct Arg {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TemplateRef {
    template_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum Step {
    SetWeight(u32),
    Pause(Pause),
}

#[derive(Serialize)]
struct Pause {
    duration: String,
}

#[derive(Serialize)]
struct TrafficRoutingSpec {
    istio: Istio,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Istio {
    destination_rule: DestinationRuleRef,
    virtual_service: VirtualServiceRef,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DestinationRuleRef {
    canary_subset_name: &'static str,
    name: String,
    stable_subset_name: &'static str,
}

#[derive(Serialize)]
struct VirtualServiceRef {
    name: String,
    routes: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DestinationRuleSpec {
    host: String,
    subsets: Vec<Subset>,
}

#[derive(Serialize)]
struct Subset {
    labels: BTreeMap<String, String>,
    name: &'static str,
}

#[derive(Serialize)]
struct AnalysisSpec {
    args: Vec<Arg>,
    metrics: Vec<Metric>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metric {
    failure_condition: String,
    failure_limit: u32,
    interval: String,
    name: &'static str,
    provider: Provider,
}

#[derive(Serialize)]
struct Provider {
    prometheus: Prometheus,
}

#[derive(Serialize)]
struct Prometheus {
    address: String,
    query: String,
}

fn seconds(d: crate::model::value::Duration) -> String {
    format!("{}s", d.as_secs().max(1))
}

/// The steps of the site, then full promotion if the last step stops short of 100.
fn steps(canary: &Canary) -> Vec<Step> {
    let mut steps = Vec::new();
    for step in &canary.steps {
        steps.push(Step::SetWeight(step.weight.value));
        if let Some(pause) = &step.pause {
            steps.push(Step::Pause(Pause {
                duration: seconds(pause.value),
            }));
        }
    }
    if canary.steps.last().is_none_or(|s| s.weight.value < 100) {
        steps.push(Step::SetWeight(100));
    }
    steps
}

/// Istio's request metrics of the new pods only, measured where they are served.
fn selector() -> &'static str {
    r#"reporter="destination",destination_workload_namespace="{{args.namespace}}",destination_app="{{args.app}}",destination_canonical_revision="{{args.revision}}""#
}

/// The metrics of the analysis. Only a `failureCondition` is given, so that a measurement taken
/// before the canary has served a request passes instead of aborting a healthy rollout; any
/// measurement past a threshold fails, and with `failure-limit` 0 (the default) the first
/// failure aborts. Before any request there is no series at all, and recent Argo Rollouts
/// releases make a condition that indexes `result[…]` an error (not a pass) on an empty result,
/// whatever guards it, so each query falls back to a passing value with `or vector(…)`; a rate
/// of zero over zero is NaN, which `isNaN` lets pass.
fn metrics(canary: &Canary, prometheus: &str) -> Vec<Metric> {
    let Some(analysis) = &canary.analysis else {
        return Vec::new();
    };
    let interval = seconds(analysis.interval);
    let window = format!("{}s", (analysis.interval.as_secs() * 6).max(60));
    let sel = selector();
    let mut metrics = vec![Metric {
        failure_condition: format!(
            "len(result) > 0 && !isNaN(result[0]) && result[0] < {}",
            analysis.success_rate.ratio()
        ),
        failure_limit: analysis.failure_limit,
        interval: interval.clone(),
        name: "success-rate",
        provider: Provider {
            prometheus: Prometheus {
                address: prometheus.to_string(),
                query: format!(
                    "sum(rate(istio_requests_total{{{sel},response_code!~\"5..\"}}[{window}])) / sum(rate(istio_requests_total{{{sel}}}[{window}])) or vector(1)"
                ),
            },
        },
    }];
    if let Some(latency) = &analysis.latency_p99 {
        metrics.push(Metric {
            failure_condition: format!(
                "len(result) > 0 && !isNaN(result[0]) && result[0] > {}",
                latency.as_millis()
            ),
            failure_limit: analysis.failure_limit,
            interval,
            name: "latency-p99",
            provider: Provider {
                prometheus: Prometheus {
                    address: prometheus.to_string(),
                    query: format!(
                        "histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{{{sel}}}[{window}]))) or vector(0)"
                    ),
                },
            },
        });
    }
    metrics
}

/// Argo Rollouts notification subscriptions, one per trigger and alert channel. The services
/// (`discord` is a webhook) are configured with the argo-rollouts component.
fn notifications(site: &Site) -> BTreeMap<String, String> {
    let mut annotations = BTreeMap::new();
    for alert in &site.settings.alerts {
        let service = match alert.channel.value {
            AlertChannel::Discord => "discord",
            AlertChannel::Slack => "slack",
            AlertChannel::Email => "email",
        };
        for trigger in TRIGGERS {
            annotations.insert(
                format!("notifications.argoproj.io/subscribe.{trigger}.{service}"),
                String::new(),
            );
        }
    }
    annotations
}

pub fn emit(
    site: &Site,
    app: &App,
    wiring: &Wiring,
    selector: LabelSelector,
    template: PodTemplateSpec,
    revision: &str,
    files: &mut Files,
) {
    // the caller emits a Deployment for an app without canary steps
    let Some(canary) = &app.canary else {
        return;
    };
    let name = app.name.as_str();
    let ns = app.namespace.as_str();
    let dir = workload::folder(name);
    let istio = canary.traffic.value == TrafficRouting::Istio;
    let (stable, canary_service) = (format!("{name}-stable"), format!("{name}-canary"));
    for service in [&stable, &canary_service] {
        files.object(
            object_path(&dir, "Service", service),
            &workload::service(site, app, service),
        );
    }
    let analysis = canary.analysis.as_ref().map(|_| BackgroundAnalysis {
        args: vec![
            Arg {
                name: "app",
                value: Some(name.to_string()),
            },
            Arg {
                name: "namespace",
                value: Some(ns.to_string()),
            },
            Arg {
                name: "revision",
                value: Some(revision.to_string()),
            },
        ],
        // from the first step on, as soon as the canary takes traffic
        starting_step: 1,
        templates: vec![TemplateRef {
            template_name: name.to_string(),
        }],
    });
    let mut metadata = workload::meta(name, ns, name, site);
    let annotations = notifications(site);
    metadata.annotations = (!annotations.is_empty()).then_some(annotations);
    super::exceptions::annotate(&mut metadata, &app.exceptions);
    let rollout = Object {
        api_version: "argoproj.io/v1alpha1",
        kind: "Rollout",
        metadata,
        spec: RolloutSpec {
            replicas: app.replicas.value as i32,
            revision_history_limit: 3,
            selector,
            strategy: Strategy {
                canary: CanaryStrategy {
                    analysis,
                    canary_service: canary_service.clone(),
                    // only meaningful, and only accepted, with a traffic router
                    scale_down_delay_seconds: istio.then_some(SCALE_DOWN_DELAY),
                    stable_service: stable,
                    steps: steps(canary),
                    traffic_routing: istio.then(|| TrafficRoutingSpec {
                        istio: Istio {
                            destination_rule: DestinationRuleRef {
                                canary_subset_name: CANARY,
                                name: name.to_string(),
                                stable_subset_name: STABLE,
                            },
                            virtual_service: VirtualServiceRef {
                                name: name.to_string(),
                                routes: routing::route_names(app),
                            },
                        },
                    }),
                },
            },
            template,
        },
    };
    files.object(object_path(&dir, "Rollout", name), &rollout);
    if istio {
        let subset = |subset| Subset {
            labels: super::labels::selector(name),
            name: subset,
        };
        let rule = Object {
            api_version: "networking.istio.io/v1",
            kind: "DestinationRule",
            metadata: workload::meta(name, ns, name, site),
            spec: DestinationRuleSpec {
                host: routing::service_host(app),
                subsets: vec![subset(STABLE), subset(CANARY)],
            },
        };
        files.object(object_path(&dir, "DestinationRule", name), &rule);
    }
    if canary.analysis.is_some() {
        let template = Object {
            api_version: "argoproj.io/v1alpha1",
            kind: "AnalysisTemplate",
            metadata: workload::meta(name, ns, name, site),
            spec: AnalysisSpec {
                args: ["app", "namespace", "revision"]
                    .into_iter()
                    .map(|name| Arg { name, value: None })
                    .collect(),
                metrics: metrics(canary, &wiring.prometheus),
            },
        };
        files.object(object_path(&dir, "AnalysisTemplate", name), &template);
    }
}
