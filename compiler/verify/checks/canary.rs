//! Every canary's analysis observes the canary's own pods: each Prometheus query filters on a
//! label bound to the canary's pod-template hash (a Rollout argument taken from
//! `podTemplateHashValue: Latest`), and a monitor that a Prometheus selects scrapes the
//! Rollout's pods directly and copies that hash into the label. A query on the stable Service's
//! pods, or on a label nobody writes, judges the old version or nothing: the rollout is never
//! aborted, whatever the new version does.

use super::super::apps::str_at;
use super::super::finding::{Contract, End, Finding};
use super::super::system::{pod_templates, selects, string_map};
use super::super::{Object, System};
use super::monitors::picked;
use serde_json::Value;

/// The pod label Argo Rollouts gives each version's pods, as Prometheus service discovery
/// names it.
const HASH_META: &str = "__meta_kubernetes_pod_label_rollouts_pod_template_hash";

pub fn check(system: &System) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rollout in system.of_kind("Rollout") {
        let Some(canary) = rollout.value.pointer("/spec/strategy/canary") else {
            continue;
        };
        let mut analyses: Vec<&Value> = canary.get("analysis").into_iter().collect();
        for step in canary
            .get("steps")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            analyses.extend(step.get("analysis"));
        }
        for analysis in analyses {
            findings.extend(analysis_findings(system, rollout, canary, analysis));
        }
    }
    findings
}

fn analysis_findings(
    system: &System,
    rollout: &Object,
    canary: &Value,
    analysis: &Value,
) -> Vec<Finding> {
    let here = || {
        End::object(
            system,
            rollout,
            format!("{} runs the analysis", rollout.describe()),
        )
    };
    let hash_args: Vec<&str> = analysis
        .get("args")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|a| {
            a.pointer("/valueFrom/podTemplateHashValue")
                .and_then(Value::as_str)
                == Some("Latest")
        })
        .filter_map(|a| a.get("name").and_then(Value::as_str))
        .collect();
    let mut findings = Vec::new();
    for template in analysis
        .get("templates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = str_at(template, &["templateName"]);
        let found = if template.get("clusterScope").and_then(Value::as_bool) == Some(true) {
            system.find("ClusterAnalysisTemplate", "", name)
        } else {
            system.find("AnalysisTemplate", &rollout.namespace, name)
        };
        let Some(found) = found else {
            findings.push(Finding::new(
                Contract::Canary,
                format!(
                    "{} runs AnalysisTemplate `{name}`, which nothing applies",
                    rollout.describe()
                ),
                "the analysis fails to start and the rollout is aborted on every change",
                here(),
            ));
            continue;
        };
        let there = || {
            End::object(
                system,
                found,
                format!("{} holds the queries", found.describe()),
            )
        };
        for metric in found
            .value
            .pointer("/spec/metrics")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(query) = metric
                .pointer("/provider/prometheus/query")
                .and_then(Value::as_str)
            else {
                continue;
            };
            let metric_name = str_at(metric, &["name"]);
            let mut labels: Vec<String> = hash_args
                .iter()
                .flat_map(|arg| labels_bound_to(query, arg))
                .collect();
            labels.sort();
            labels.dedup();
            if labels.is_empty() {
                findings.push(
                    Finding::new(
                        Contract::Canary,
                        format!(
                            "analysis `{metric_name}` of {} does not select the canary's pods: no label of its query is bound to the canary's pod-template hash",
                            rollout.describe()
                        ),
                        "pass `valueFrom.podTemplateHashValue: Latest` as an argument and filter the query on the label that carries it; otherwise the stable pods' metrics judge the canary",
                        here(),
                    )
                    .and(there()),
                );
                continue;
            }
            if !labels
                .iter()
                .any(|label| scraped_with(system, rollout, canary, label))
            {
                findings.push(
                    Finding::new(
                        Contract::Canary,
                        format!(
                            "analysis `{metric_name}` of {} filters on `{}`, but no monitor that a Prometheus selects scrapes the Rollout's pods with that label: the query never sees the canary",
                            rollout.describe(),
                            labels.join("`, `")
                        ),
                        "scrape the Rollout's pods with a PodMonitor (not through its stable or canary Service, which select one version) that copies the pod label rollouts-pod-template-hash into the query's label",
                        here(),
                    )
                    .and(there()),
                );
            }
        }
    }
    findings
}

/// Labels the query matches against `{{args.<arg>}}`: `label="{{args.arg}}"` (or `=~`).
fn labels_bound_to(query: &str, arg: &str) -> Vec<String> {
    let needle = format!("{{{{args.{arg}}}}}");
    let mut out = Vec::new();
    let mut rest = query;
    while let Some(at) = rest.find(&needle) {
        let before = rest[..at]
            .trim_end_matches('"')
            .trim_end_matches(['~', '=', '!']);
        let operator = &rest[before.len()..at];
        let label: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if !label.is_empty() && !operator.starts_with('!') {
            out.push(label);
        }
        rest = &rest[at + needle.len()..];
    }
    out
}

/// Whether a monitor that a Prometheus selects scrapes the Rollout's pods themselves and writes
/// the pod-template hash into `label`.
fn scraped_with(system: &System, rollout: &Object, canary: &Value, label: &str) -> bool {
    let Some((_, pod_labels)) = pod_templates(rollout) else {
        return false;
    };
    let one_version: Vec<&str> = ["stableService", "canaryService"]
        .iter()
        .filter_map(|k| canary.get(k).and_then(Value::as_str))
        .collect();
    system
        .objects
        .iter()
        .filter(|m| m.kind == "PodMonitor" || m.kind == "ServiceMonitor")
        .filter(|m| picked(system, m))
        .any(|monitor| {
            let namespaces_ok = match monitor.value.pointer("/spec/namespaceSelector") {
                Some(sel) if sel.get("any").and_then(Value::as_bool) == Some(true) => true,
                Some(sel) if sel.get("matchNames").is_some() => {
                    sel["matchNames"].as_array().is_some_and(|n| {
                        n.iter()
                            .any(|n| n.as_str() == Some(rollout.namespace.as_str()))
                    })
                }
                _ => monitor.namespace == rollout.namespace,
            };
            let selector = monitor
                .value
                .pointer("/spec/selector")
                .cloned()
                .unwrap_or(Value::Null);
            let reaches = namespaces_ok
                && if monitor.kind == "PodMonitor" {
                    selects(&selector, &pod_labels)
                } else {
                    // through a Service that selects the pods of every version
                    system.of_kind("Service").any(|s| {
                        s.namespace == rollout.namespace
                            && !one_version.contains(&s.name.as_str())
                            && selects(&selector, &s.labels())
                            && {
                                let by = string_map(s.value.pointer("/spec/selector"));
                                !by.is_empty()
                                    && by.iter().all(|(k, v)| pod_labels.get(k) == Some(v))
                            }
                    })
                };
            let endpoints = if monitor.kind == "PodMonitor" {
                "/spec/podMetricsEndpoints"
            } else {
                "/spec/endpoints"
            };
            reaches
                && monitor
                    .value
                    .pointer(endpoints)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .any(|e| writes_hash(e, label))
        })
}

fn writes_hash(endpoint: &Value, label: &str) -> bool {
    endpoint
        .get("relabelings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|r| {
            let sources: Vec<&str> = r
                .get("sourceLabels")
                .and_then(Value::as_array)
                .map(|s| s.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let action = r.get("action").and_then(Value::as_str).unwrap_or("replace");
            (action == "replace" && sources.contains(&HASH_META) && str_at(r, &["targetLabel"]) == label)
                // labelmap of every pod label keeps their names
                || (action == "labelmap" && label == "rollouts_pod_template_hash")
        })
}

#[cfg(test)]
mod tests {
    use super::super::super::System;

    const ROLLOUT: &str = r#"
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: blog}
spec:
  template:
    metadata: {labels: {app.kubernetes.io/name: web}}
    spec: {containers: [{name: web, ports: [{name: http, containerPort: 8080}]}]}
  strategy:
    canary:
      stableService: web-stable
      canaryService: web-canary
      analysis:
        templates: [{templateName: web}]
        args:
          - {name: canary-hash, valueFrom: {podTemplateHashValue: Latest}}
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: web, namespace: blog}
spec:
  metrics:
    - name: success-rate
      provider:
        prometheus:
          query: QUERY
"#;

    const POD_MONITOR: &str = r#"
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: web, namespace: blog}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: web}}
  podMetricsEndpoints:
    - port: http
      relabelings:
        - {sourceLabels: [__meta_kubernetes_pod_label_rollouts_pod_template_hash], targetLabel: rollouts_pod_template_hash}
"#;

    const STABLE_SERVICE_MONITOR: &str = r#"
apiVersion: v1
kind: Service
metadata: {name: web-stable, namespace: blog, labels: {app.kubernetes.io/name: web}}
spec: {selector: {app.kubernetes.io/name: web}, ports: [{name: http, port: 8080}]}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web, namespace: blog}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: web}}
  endpoints:
    - port: http
      relabelings:
        - {sourceLabels: [__meta_kubernetes_pod_label_rollouts_pod_template_hash], targetLabel: rollouts_pod_template_hash}
"#;

    const ON_THE_HASH: &str = r#"sum(rate(istio_requests_total{rollouts_pod_template_hash=\"{{args.canary-hash}}\"}[1m]))"#;

    fn findings(objects: &str, query: &str) -> Vec<String> {
        let text = ROLLOUT.replace("QUERY", &format!("\"{query}\"")) + "---" + objects;
        let system = System::from_yaml(&text);
        super::check(&system)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn a_query_on_the_canary_hash_scraped_by_a_pod_monitor_observes_the_canary() {
        assert_eq!(findings(POD_MONITOR, ON_THE_HASH), Vec::<String>::new());
    }

    #[test]
    fn a_query_on_no_hash_judges_the_stable_pods() {
        let all = r#"sum(rate(istio_requests_total{namespace=\"blog\"}[1m]))"#;
        let found = findings(POD_MONITOR, all);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("does not select the canary's pods"),
            "{found:?}"
        );
    }

    #[test]
    fn metrics_scraped_through_the_stable_service_never_show_the_canary() {
        let found = findings(STABLE_SERVICE_MONITOR, ON_THE_HASH);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("no monitor that a Prometheus selects"),
            "{found:?}"
        );
    }

    #[test]
    fn a_monitor_that_does_not_copy_the_hash_leaves_the_label_empty() {
        let plain = POD_MONITOR.replace(
            "targetLabel: rollouts_pod_template_hash",
            "targetLabel: version",
        );
        assert_eq!(findings(&plain, ON_THE_HASH).len(), 1);
    }

    #[test]
    fn labels_bound_to_an_argument_are_found() {
        let q = r#"sum(rate(x{ns="{{args.namespace}}",rollouts_pod_template_hash="{{args.canary-hash}}"}[1m])) / sum(rate(x{hash=~"{{args.canary-hash}}",other!="{{args.canary-hash}}"}[1m]))"#;
        assert_eq!(
            super::labels_bound_to(q, "canary-hash"),
            vec!["rollouts_pod_template_hash".to_string(), "hash".to_string()]
        );
        assert!(super::labels_bound_to(q, "missing").is_empty());
    }
}
