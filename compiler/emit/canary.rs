//! An app with `canary` becomes an Argo Rollouts Rollout around the app's one pod template, with
//! the stable and canary Services Argo Rollouts points at each ReplicaSet, and:
//! - with `traffic="istio"`, a DestinationRule whose `stable`/`canary` subsets the Rollout pins
//!   to each ReplicaSet, and the app's VirtualService (`routing.rs`), whose weights it moves;
//! - with `analysis`, an AnalysisTemplate on Prometheus run in the background from the first
//!   step, so a failed measurement aborts the rollout and sends all traffic back to stable. Its
//!   queries read the Istio sidecar metrics of the canary's own pods only: the app's PodMonitor
//!   (`metrics.rs`) scrapes every pod of the app, stable and canary, and copies the pod label
//!   Argo Rollouts sets on each ReplicaSet's pods (`rollouts-pod-template-hash`) onto every
//!   series, and the Rollout passes the canary's hash to the template.
//!
//! The old ReplicaSet is kept for a while after full promotion, so that Envoy has dropped it
//! from its endpoints before its pods go, and the Rollout's notifications go to the site's alert
//! channel through Alertmanager (`argo-rollouts.kdl` configures the service).

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
/// The Argo Rollouts notification service the Rollouts subscribe to: Alertmanager, which holds
/// the site's alert webhook (see `stdlib/components/argo-rollouts.kdl`).
pub const NOTIFIER: &str = "alertmanager";
/// The series label that carries the scraped pod's `rollouts-pod-template-hash` (set by the
/// app's PodMonitor), which the analysis queries select the canary by.
pub const HASH_LABEL: &str = "rollouts_pod_template_hash";
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
#[serde(rename_all = "camelCase")]
struct Arg {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_from: Option<ValueFrom>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ValueFrom {
    /// `Latest`: the hash of the ReplicaSet being rolled out, i.e. the canary's.
    pod_template_hash_value: &'static str,
}

impl Arg {
    fn value(name: &'static str, value: &str) -> Arg {
        Arg {
            name,
            value: Some(value.to_string()),
            value_from: None,
        }
    }
}

/// The AnalysisTemplate's arguments, which the Rollout fills in.
const ARGS: [&str; 2] = ["namespace", "canary-hash"];

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
    inconclusive_limit: u32,
    initial_delay: String,
    interval: String,
    name: &'static str,
    provider: Provider,
    success_condition: String,
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

/// Istio's request metrics of the canary's pods only: `reporter="destination"` keeps what each
/// pod's own sidecar recorded about the requests it served (not its outgoing calls), and the
/// namespace and pod-template hash, which the PodMonitor puts on every series it scrapes, keep
/// the canary's pods and drop the stable ones.
fn selector() -> String {
    format!(
        r#"reporter="destination",namespace="{{{{args.namespace}}}}",{HASH_LABEL}="{{{{args.canary-hash}}}}""#
    )
}

/// Seconds before the first measurement: two scrapes of the canary's pods, which `rate` needs,
/// and one `interval`.
fn initial_delay(analysis: &crate::model::Analysis, scrape: u64) -> u64 {
    scrape * 2 + analysis.interval.as_secs().max(1)
}

/// Seconds from the start of the app's canary analysis until its first measurement has been
/// taken (`initialDelay` plus one `interval`), when it has one; the checker wants the canary's
/// pauses to last at least this long.
pub fn first_measurement(app: &App) -> Option<u64> {
    let analysis = app.canary.as_ref()?.analysis.as_ref()?;
    Some(
        initial_delay(analysis, super::metrics::scrape_interval(app))
            + analysis.interval.as_secs().max(1),
    )
}

/// The metrics of the analysis.
///
/// What Argo Rollouts (1.9) does with a measurement: the query's vector becomes `result`, a list
/// of numbers; a true `failureCondition` makes the measurement Failed, else a true
/// `successCondition` makes it Successful, else it is Inconclusive; a condition that cannot be
/// evaluated, or a query Prometheus refuses, is an Error. The run fails when Failed measurements
/// exceed `failureLimit`, stops as Inconclusive (the rollout pauses for a human) when
/// Inconclusive ones exceed `inconclusiveLimit` (counted over the whole run), and errs (the
/// rollout aborts) after more than `consecutiveErrorLimit` (default 4) Errors in a row.
///
/// So no data must never be a success, and must not depend on how a release treats `result[0]`
/// on an empty list (1.9 makes any condition that indexes `result` an Error on an empty result,
/// guarded or not). The conditions therefore never index: `all(result, …)` and
/// `any(result, …)`, with `len(result) > 0` in the success condition because `all` of an empty
/// list is true. A canary that has served nothing (no series: an empty vector; or series without
/// requests in the window: 0/0 = NaN, which compares false) is neither, so Inconclusive; with
/// `inconclusiveLimit` 0 one such measurement pauses the rollout, so a silent canary is never
/// promoted on no evidence. The first measurement waits (`initialDelay`) until the canary's
/// pods can have been scraped twice, which `rate` needs. The success rate treats a missing
/// numerator (no request answered without a 5xx) as 0 when the denominator has requests, so a
/// canary that answers every request with a 5xx measures 0 and fails.
fn metrics(canary: &Canary, prometheus: &str, scrape: u64) -> Vec<Metric> {
    let Some(analysis) = &canary.analysis else {
        return Vec::new();
    };
    let interval = seconds(analysis.interval);
    // rate() needs two samples inside the window
    let window = format!(
        "{}s",
        (analysis.interval.as_secs() * 6).max(scrape * 4).max(60)
    );
    let initial_delay = format!("{}s", initial_delay(analysis, scrape));
    let sel = selector();
    let rate = format!("{}", analysis.success_rate.ratio());
    let metric = |name, query: String, success: String, failure: String| Metric {
        failure_condition: failure,
        failure_limit: analysis.failure_limit,
        inconclusive_limit: 0,
        initial_delay: initial_delay.clone(),
        interval: interval.clone(),
        name,
        provider: Provider {
            prometheus: Prometheus {
                address: prometheus.to_string(),
                query,
            },
        },
        success_condition: success,
    };
    let mut metrics = vec![metric(
        "success-rate",
        format!(
            "(sum(rate(istio_requests_total{{{sel},response_code!~\"5..\"}}[{window}])) or vector(0)) / sum(rate(istio_requests_total{{{sel}}}[{window}]))"
        ),
        format!("len(result) > 0 && all(result, {{# >= {rate}}})"),
        format!("any(result, {{# < {rate}}})"),
    )];
    if let Some(latency) = &analysis.latency_p99 {
        let ms = latency.as_millis();
        metrics.push(metric(
            "latency-p99",
            format!(
                "histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{{{sel}}}[{window}])))"
            ),
            format!("len(result) > 0 && all(result, {{# <= {ms}}})"),
            format!("any(result, {{# > {ms}}})"),
        ));
    }
    metrics
}

/// Argo Rollouts notification subscriptions, one per trigger, to Alertmanager, whose route
/// delivers to the site's alert channels. The `prometheus` component routes Discord and Slack
/// (an `alert email` is refused), so nothing is subscribed without one of them: a subscription
/// to a service nobody configured would be dropped by the controller without a word.
fn notifications(site: &Site) -> BTreeMap<String, String> {
    let routed = site.has_component("prometheus")
        && site
            .settings
            .alerts
            .iter()
            .any(|a| matches!(a.channel.value, AlertChannel::Discord | AlertChannel::Slack));
    let mut annotations = BTreeMap::new();
    if routed {
        for trigger in TRIGGERS {
            annotations.insert(
                format!("notifications.argoproj.io/subscribe.{trigger}.{NOTIFIER}"),
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
            Arg::value(ARGS[0], ns),
            Arg {
                name: ARGS[1],
                value: None,
                value_from: Some(ValueFrom {
                    pod_template_hash_value: "Latest",
                }),
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
                args: ARGS
                    .into_iter()
                    .map(|name| Arg {
                        name,
                        value: None,
                        value_from: None,
                    })
                    .collect(),
                metrics: metrics(
                    canary,
                    &wiring.prometheus,
                    super::metrics::scrape_interval(app),
                ),
            },
        };
        files.object(object_path(&dir, "AnalysisTemplate", name), &template);
    }
}
