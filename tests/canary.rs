//! Canary delivery on the emitted objects: the Rollout manages every route that carries the
//! app's traffic; the analysis reads the canary's own pods, which a monitor Prometheus selects
//! scrapes, and judges an all-5xx canary failed, a healthy one passed and a silent one not
//! passed (its emitted queries evaluated by `promtool`); notifications reach a configured
//! service (the chart rendered by `helm`).
//!
//! The `promtool` tests skip when `promtool` (Debian package `prometheus`) is not on PATH; the
//! `helm` tests when `helm` or `../shared/reference/charts` is absent. CI installs both.

use crate::support::{compile_objects as objects, find, root};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn every_port_of_a_canary_app_is_split_in_the_mesh_and_managed_by_its_rollout() {
    let seed = std::fs::read_to_string(root().join("site.kdl")).unwrap();
    // the seed's WAS with a second port
    let site = seed.replacen(
        "    port 8080 name=\"http\"\n    resources cpu=\"500m\"",
        "    port 8080 name=\"http\"\n    port 9090 name=\"http-admin\"\n    resources cpu=\"500m\"",
        1,
    );
    assert_ne!(site, seed, "the seed's WAS was found");
    let objects = objects(&site);
    let service = find(&objects, "VirtualService", "was");
    let mesh: Vec<(&str, u64, Vec<u64>)> = service["spec"]["http"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|r| r["match"][0]["gateways"][0] == "mesh")
        .map(|r| {
            let ports = r["route"]
                .as_sequence()
                .unwrap()
                .iter()
                .map(|d| d["destination"]["port"]["number"].as_u64().unwrap())
                .collect();
            (
                r["name"].as_str().unwrap(),
                r["match"][0]["port"].as_u64().unwrap(),
                ports,
            )
        })
        .collect();
    assert_eq!(
        mesh,
        [
            ("mesh-8080", 8080, vec![8080, 8080]),
            ("mesh-9090", 9090, vec![9090, 9090])
        ]
    );
    let rollout = find(&objects, "Rollout", "was");
    let managed: Vec<&str> = rollout["spec"]["strategy"]["canary"]["trafficRouting"]["istio"]
        ["virtualService"]["routes"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let all: Vec<&str> = service["spec"]["http"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(managed, all, "the Rollout sets the weights of every route");
}

#[test]
fn the_analysis_reads_prometheus_in_the_namespace_its_component_has() {
    let stdlib = labc::stdlib::STDLIB_FILES
        .iter()
        .find(|(name, _)| name.ends_with("/prometheus.kdl"))
        .map(|(_, text)| *text)
        .unwrap();
    let moved = stdlib.replacen("namespace monitoring", "namespace observability", 1);
    assert_ne!(moved, stdlib);
    let files = labc::stdlib::STDLIB_FILES
        .iter()
        .map(|(n, t)| (*n, *t))
        .chain([("components/prometheus.kdl", moved.as_str())]);
    let catalog = labc::stdlib::Catalog::from_files(files).unwrap();
    // the alert webhook Alertmanager reads moves with it
    let seed = std::fs::read_to_string(root().join("site.kdl"))
        .unwrap()
        .replace(
            "secret discord-webhook namespace=\"monitoring\"",
            "secret discord-webhook namespace=\"observability\"",
        );
    let compiled = labc::compile("site.kdl", seed.as_bytes(), &catalog)
        .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)));
    let template: Value =
        serde_yaml::from_slice(&compiled.files.as_map()["apps/was/analysistemplate-was.yaml"])
            .unwrap();
    assert_eq!(
        template["spec"]["metrics"][0]["provider"]["prometheus"]["address"],
        "http://prometheus-operated.observability.svc.cluster.local:9090"
    );
}

fn seq(value: &Value) -> Vec<&Value> {
    value
        .as_sequence()
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Argo Rollouts' judgement of a measurement, for the conditions labc writes

/// One atom of an emitted condition: `len(result) > 0`, `all(result, {# OP N})` or
/// `any(result, {# OP N})`, the only forms labc writes. Anything else panics, so a changed
/// condition cannot pass unread. Like Go, every comparison with NaN is false.
fn atom(atom: &str, result: &[f64]) -> bool {
    if atom == "len(result) > 0" {
        return !result.is_empty();
    }
    let (all, rest) = match (
        atom.strip_prefix("all(result, {#"),
        atom.strip_prefix("any(result, {#"),
    ) {
        (Some(rest), _) => (true, rest),
        (_, Some(rest)) => (false, rest),
        _ => panic!("a condition labc does not write: `{atom}`"),
    };
    let body = rest.strip_suffix("})").unwrap().trim();
    let (op, number) = [">=", "<=", ">", "<"]
        .iter()
        .find_map(|op| body.strip_prefix(op).map(|n| (*op, n.trim())))
        .unwrap_or_else(|| panic!("no comparison in `{atom}`"));
    let n: f64 = number.parse().unwrap();
    let test = |x: &f64| match op {
        ">=" => *x >= n,
        "<=" => *x <= n,
        ">" => *x > n,
        _ => *x < n,
    };
    if all {
        result.iter().all(test)
    } else {
        result.iter().any(test)
    }
}

fn holds(condition: &str, result: &[f64]) -> bool {
    // Argo Rollouts 1.9 makes a condition that indexes `result` an Error on an empty result
    assert!(
        !condition.contains("result["),
        "`{condition}` indexes result"
    );
    condition.split(" && ").all(|a| atom(a.trim(), result))
}

/// The phase of one measurement (Argo Rollouts' `evaluate.EvaluateResult`): a true failure
/// condition fails, else a true success condition succeeds, else it is inconclusive.
fn phase(metric: &Value, result: &[f64]) -> &'static str {
    if holds(text(&metric["failureCondition"]), result) {
        "Failed"
    } else if holds(text(&metric["successCondition"]), result) {
        "Successful"
    } else {
        "Inconclusive"
    }
}

#[test]
fn no_result_is_inconclusive_and_each_analysis_run_stops_at_the_first_one() {
    let objects = objects(&std::fs::read_to_string(root().join("site.kdl")).unwrap());
    for app in ["web", "was"] {
        let template = find(&objects, "AnalysisTemplate", app);
        for metric in seq(&template["spec"]["metrics"]) {
            assert_eq!(phase(metric, &[]), "Inconclusive", "{app}: {metric:?}");
            assert_eq!(
                phase(metric, &[f64::NAN]),
                "Inconclusive",
                "{app}: {metric:?}"
            );
            // one inconclusive measurement pauses the rollout: a canary with no evidence is
            // never promoted by running out of steps
            assert_eq!(metric["inconclusiveLimit"].as_u64(), Some(0));
            assert!(metric["initialDelay"].as_str().is_some());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What Prometheus scrapes: the PodMonitor's targets, as service discovery and the operator make
// them, and the series Istio's sidecar serves on each

/// Whether a Kubernetes label selector (matchLabels and matchExpressions) selects `labels`.
fn selects(selector: &Value, labels: &BTreeMap<String, String>) -> bool {
    let equal = selector["matchLabels"]
        .as_mapping()
        .map(|m| {
            m.iter()
                .all(|(k, v)| labels.get(text(k)).map(String::as_str) == v.as_str())
        })
        .unwrap_or(true);
    let expressions = seq(&selector["matchExpressions"]).into_iter().all(|e| {
        let value = labels.get(text(&e["key"]));
        let values: Vec<&str> = seq(&e["values"]).into_iter().map(text).collect();
        match text(&e["operator"]) {
            "In" => value.is_some_and(|v| values.contains(&v.as_str())),
            "NotIn" => value.is_none_or(|v| !values.contains(&v.as_str())),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            other => panic!("operator {other}"),
        }
    });
    equal && expressions
}

fn labels_of(value: &Value) -> BTreeMap<String, String> {
    value
        .as_mapping()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (text(k).to_string(), text(v).to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// The pods of the Rollout `app` in a rollout: the labels of its pod template plus the
/// `rollouts-pod-template-hash` Argo Rollouts sets on each ReplicaSet's pods.
fn pod_labels(rollout: &Value, hash: &str) -> BTreeMap<String, String> {
    let mut labels = labels_of(&rollout["spec"]["template"]["metadata"]["labels"]);
    labels.insert("rollouts-pod-template-hash".into(), hash.into());
    labels
}

/// The labels of the scrape target the PodMonitor `monitor` makes of a pod with `labels` in
/// `namespace`, or `None` when it does not select the pod: service discovery's meta labels, the
/// operator's `namespace`/`pod`/`container`, then the monitor's relabelings (those that set a
/// visible label; only `replace` with `(.+)`, which is all labc writes for one).
fn target(
    monitor: &Value,
    namespace: &str,
    labels: &BTreeMap<String, String>,
    pod: &str,
) -> Option<BTreeMap<String, String>> {
    let own = monitor["metadata"]["namespace"].as_str() == Some(namespace);
    let any = monitor["spec"]["namespaceSelector"]["any"].as_bool() == Some(true);
    if !(own || any) || !selects(&monitor["spec"]["selector"], labels) {
        return None;
    }
    let mut meta: BTreeMap<String, String> = labels
        .iter()
        .map(|(k, v)| (labc::emit::discovered_pod_label(k), v.clone()))
        .collect();
    meta.insert("__meta_kubernetes_namespace".into(), namespace.into());
    let mut out: BTreeMap<String, String> = [
        ("namespace", namespace),
        ("pod", pod),
        ("container", "istio-proxy"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let endpoint = seq(&monitor["spec"]["podMetricsEndpoints"])[0];
    for r in seq(&endpoint["relabelings"]) {
        let to = text(&r["targetLabel"]);
        if to.starts_with("__") {
            continue;
        }
        assert_eq!(text(&r["action"]), "replace");
        assert_eq!(text(&r["regex"]), "(.+)");
        let source: Vec<&str> = seq(&r["sourceLabels"])
            .into_iter()
            .map(|l| meta.get(text(l)).map_or("", String::as_str))
            .collect();
        let joined = source.join(";");
        if !joined.is_empty() {
            out.insert(to.into(), text(&r["replacement"]).replace("$1", &joined));
        }
    }
    Some(out)
}

/// A series in promtool's notation.
fn series(name: &str, labels: &BTreeMap<String, String>, extra: &[(&str, &str)]) -> String {
    let mut all = labels.clone();
    for (k, v) in extra {
        all.insert(k.to_string(), v.to_string());
    }
    let inner: Vec<String> = all.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    format!("{name}{{{}}}", inner.join(","))
}

/// A canary's behaviour: each entry is (response code, requests per 15s, latency bucket upper
/// bound in ms every request falls in); empty is a canary that serves nothing.
type Traffic<'a> = &'a [(&'a str, u32, &'a str)];

/// The series the sidecar of a pod (a scrape target) serves after answering `traffic`: Istio's
/// request counter and duration histogram, as reported by the serving side, and a failing
/// outgoing call reported by the pod as a client, which the analysis must ignore.
fn sidecar_series(target: &BTreeMap<String, String>, traffic: Traffic) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let bounds = ["100", "500", "1000", "+Inf"];
    let mut per_bucket: BTreeMap<&str, u32> = BTreeMap::new();
    for (code, rate, within) in traffic {
        out.push((
            series(
                "istio_requests_total",
                target,
                &[("reporter", "destination"), ("response_code", code)],
            ),
            format!("0+{rate}x40"),
        ));
        let bound: f64 = within.parse().unwrap();
        for b in bounds {
            let upper = if b == "+Inf" {
                f64::INFINITY
            } else {
                b.parse().unwrap()
            };
            if bound <= upper {
                *per_bucket.entry(b).or_default() += rate;
            }
        }
    }
    if !traffic.is_empty() {
        for b in bounds {
            let rate = per_bucket.get(b).copied().unwrap_or(0);
            out.push((
                series(
                    "istio_request_duration_milliseconds_bucket",
                    target,
                    &[("reporter", "destination"), ("le", b)],
                ),
                format!("0+{rate}x40"),
            ));
        }
        out.push((
            series(
                "istio_requests_total",
                target,
                &[("reporter", "source"), ("response_code", "503")],
            ),
            "0+50x40".into(),
        ));
    }
    out
}

/// The seed's analysed apps, their Rollout, AnalysisTemplate and PodMonitor.
fn analysed(objects: &[Value]) -> Vec<(&Value, &Value, &Value)> {
    ["web", "was"]
        .into_iter()
        .map(|app| {
            (
                find(objects, "Rollout", app),
                find(objects, "AnalysisTemplate", app),
                find(objects, "PodMonitor", app),
            )
        })
        .collect()
}

/// The query of `metric` as the AnalysisRun runs it: each `{{args.<name>}}` replaced by the value
/// the Rollout passes, the canary's hash where it passes `podTemplateHashValue: Latest`.
fn resolved(metric: &Value, template: &Value, rollout: &Value, canary_hash: &str) -> String {
    let mut query = text(&metric["provider"]["prometheus"]["query"]).to_string();
    let declared: Vec<&str> = seq(&template["spec"]["args"])
        .into_iter()
        .map(|a| text(&a["name"]))
        .collect();
    for arg in seq(&rollout["spec"]["strategy"]["canary"]["analysis"]["args"]) {
        let name = text(&arg["name"]);
        assert!(declared.contains(&name), "the template declares {name}");
        let value = match arg["valueFrom"]["podTemplateHashValue"].as_str() {
            Some("Latest") => canary_hash.to_string(),
            Some(other) => panic!("{name} is the {other} hash, not the canary's"),
            None => text(&arg["value"]).to_string(),
        };
        query = query.replace(&format!("{{{{args.{name}}}}}"), &value);
    }
    assert!(
        !query.contains("{{"),
        "an argument the Rollout does not pass: {query}"
    );
    query
}

#[test]
fn promtool_judges_the_emitted_analysis_of_every_canary_on_the_canarys_own_pods() {
    let Some(promtool) = crate::support::tool_or_skip("promtool") else {
        return;
    };
    let objects = objects(&std::fs::read_to_string(root().join("site.kdl")).unwrap());
    let healthy: Traffic = &[("200", 100, "100")];
    let all_5xx: Traffic = &[("503", 100, "100")];
    let slow: Traffic = &[("200", 100, "1000")];
    let silent: Traffic = &[];
    // (name, canary, stable, result of the success rate, of the p99 latency, phases)
    type Case<'a> = (
        &'a str,
        Traffic<'a>,
        Traffic<'a>,
        Option<f64>,
        Option<f64>,
        [&'a str; 2],
    );
    let cases: [Case; 4] = [
        // the stable pods' errors are not the canary's
        (
            "healthy",
            healthy,
            all_5xx,
            Some(1.0),
            Some(99.0),
            ["Successful", "Successful"],
        ),
        // the stable pods' successes do not hide the canary's errors
        (
            "all-5xx",
            all_5xx,
            healthy,
            Some(0.0),
            Some(99.0),
            ["Failed", "Successful"],
        ),
        (
            "slow",
            slow,
            healthy,
            Some(1.0),
            Some(995.0),
            ["Successful", "Failed"],
        ),
        (
            "silent",
            silent,
            healthy,
            None,
            None,
            ["Inconclusive", "Inconclusive"],
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut judged = 0;
    for (rollout, template, monitor) in analysed(&objects) {
        let app = text(&rollout["metadata"]["name"]);
        let ns = text(&rollout["metadata"]["namespace"]);
        let (canary_hash, stable_hash) = ("6c9f7d8b5d", "58d4b7c6f9");
        let mut tests = Vec::new();
        let mut phases = Vec::new();
        for (case, canary, stable, rate, latency, want) in &cases {
            let mut input = Vec::new();
            for (hash, traffic, pod) in [(canary_hash, canary, "c"), (stable_hash, stable, "s")] {
                let labels = pod_labels(rollout, hash);
                let target = target(monitor, ns, &labels, &format!("{app}-{hash}-{pod}"))
                    .unwrap_or_else(|| panic!("{app}: the PodMonitor misses the {pod} pods"));
                input.extend(sidecar_series(&target, traffic));
            }
            let metrics = seq(&template["spec"]["metrics"]);
            let mut exprs = Vec::new();
            for (metric, value) in metrics.iter().zip([rate, latency]) {
                let samples: Vec<serde_json::Value> = value
                    .iter()
                    .map(|v| serde_json::json!({"labels": "{}", "value": v}))
                    .collect();
                exprs.push(serde_json::json!({
                    "expr": resolved(metric, template, rollout, canary_hash),
                    "eval_time": "8m",
                    "exp_samples": samples,
                }));
                let result: Vec<f64> = value.iter().copied().collect();
                let name = text(&metric["name"]);
                let i = usize::from(name == "latency-p99");
                phases.push((
                    format!("{app} {case} {name}"),
                    phase(metric, &result),
                    want[i],
                ));
            }
            tests.push(serde_json::json!({
                "name": format!("{app} {case}"),
                "interval": "15s",
                "input_series": input
                    .into_iter()
                    .map(|(s, v)| serde_json::json!({"series": s, "values": v}))
                    .collect::<Vec<_>>(),
                "promql_expr_test": exprs,
            }));
        }
        let file = dir.path().join(format!("{app}.yaml"));
        let doc = serde_json::json!({"evaluation_interval": "15s", "tests": tests});
        std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        let output = Command::new(&promtool)
            .args(["test", "rules"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{app}: the emitted queries do not return what the canary did:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        for (what, got, want) in phases {
            assert_eq!(got, want, "{what}");
            judged += 1;
        }
    }
    // web has the success rate only, was the latency too
    assert_eq!(judged, 4 + 8);
}

#[test]
fn the_pod_monitor_scrapes_the_stable_and_the_canary_pods_on_a_port_they_have_and_may_be_reached_on(
) {
    let objects = objects(&std::fs::read_to_string(root().join("site.kdl")).unwrap());
    for (rollout, _, monitor) in analysed(&objects) {
        let app = text(&rollout["metadata"]["name"]);
        let ns = text(&rollout["metadata"]["namespace"]);
        let stable = target(monitor, ns, &pod_labels(rollout, "aaa"), "a").expect("stable pods");
        let canary = target(monitor, ns, &pod_labels(rollout, "bbb"), "b").expect("canary pods");
        // each series says which ReplicaSet its pod belongs to
        assert_eq!(stable[labc::emit::HASH_LABEL], "aaa");
        assert_eq!(canary[labc::emit::HASH_LABEL], "bbb");
        // ...and another app's pods are not scraped as this one's
        let mut other = pod_labels(rollout, "ccc");
        other.insert("app.kubernetes.io/name".into(), "other".into());
        assert!(target(monitor, ns, &other, "c").is_none(), "{app}");
        // the endpoint names a port of the pod: service discovery makes one target per
        // declared container port, and the operator keeps the one with that name
        let endpoint = seq(&monitor["spec"]["podMetricsEndpoints"])[0];
        let ports: Vec<&str> = seq(&rollout["spec"]["template"]["spec"]["containers"])
            .into_iter()
            .flat_map(|c| seq(&c["ports"]))
            .map(|p| text(&p["name"]))
            .collect();
        assert!(ports.contains(&text(&endpoint["port"])), "{app}: {ports:?}");
        // in the mesh the target is the sidecar agent's merged metrics, which the pod's
        // network policy opens to Prometheus' namespace
        assert_eq!(text(&endpoint["path"]), "/stats/prometheus");
        let port = seq(&endpoint["relabelings"])
            .into_iter()
            .filter(|r| r["targetLabel"] == "__address__")
            .map(|r| {
                text(&r["replacement"])
                    .rsplit(':')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .next()
            .expect("the address is rewritten");
        let policy = find(&objects, "CiliumNetworkPolicy", app);
        let open = seq(&policy["spec"]["ingress"]).into_iter().any(|rule| {
            seq(&rule["fromEndpoints"])
                .into_iter()
                .any(|e| e["matchLabels"]["k8s:io.kubernetes.pod.namespace"] == "monitoring")
                && seq(&rule["toPorts"])
                    .into_iter()
                    .flat_map(|t| seq(&t["ports"]))
                    .any(|p| text(&p["port"]) == port)
        });
        assert!(open, "{app}: Prometheus may not reach {port}");
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering the pinned charts with the emitted values, as Argo CD does

fn charts() -> Option<PathBuf> {
    let dir = root().join("../shared/reference/charts");
    dir.is_dir().then_some(dir)
}

/// The objects `helm template` renders for the Application `application` of `objects`.
pub fn render(objects: &[Value], application: &str, test: &str) -> Option<Vec<Value>> {
    let helm = crate::support::helm()?;
    let Some(charts) = charts() else {
        eprintln!("{test}: skipped, ../shared/reference/charts is absent");
        return None;
    };
    let app = find(objects, "Application", application);
    let source = &app["spec"]["source"];
    let dir = tempfile::tempdir().unwrap();
    let values = dir.path().join("values.yaml");
    std::fs::write(
        &values,
        serde_yaml::to_string(&source["helm"]["valuesObject"]).unwrap(),
    )
    .unwrap();
    let (chart, disabled) = complete(
        &charts
            .join(text(&source["chart"]))
            .join(text(&source["targetRevision"])),
        dir.path(),
    );
    let output = Command::new(helm)
        .arg("template")
        .arg(text(&source["helm"]["releaseName"]))
        .arg(chart)
        .args([
            "--namespace",
            text(&app["spec"]["destination"]["namespace"]),
        ])
        .args(["--kube-version", "1.31.13", "-f"])
        .arg(&values)
        .args(disabled.iter().flat_map(|d| ["--set", d.as_str()]))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    Some(
        serde_yaml::Deserializer::from_str(&text)
            .filter_map(|d| Value::deserialize(d).ok())
            .filter(|v| !v.is_null())
            .collect(),
    )
}

use serde::Deserialize;

/// `chart`, or a copy of it in `scratch` without the dependencies its `charts/` lacks: Helm
/// refuses a chart with a declared dependency missing even when it is disabled, and the
/// reference copy of kube-prometheus-stack 88.5.3 holds only its `crds` subchart. What the
/// tests read (the Prometheus object, the Alertmanager Service) is the parent chart's own. The
/// `--set` flags that disable the dropped dependencies come with it.
fn complete(chart: &std::path::Path, scratch: &std::path::Path) -> (PathBuf, Vec<String>) {
    let meta: Value =
        serde_yaml::from_str(&std::fs::read_to_string(chart.join("Chart.yaml")).unwrap()).unwrap();
    let present = |d: &&Value| chart.join("charts").join(text(&d["name"])).is_dir();
    let deps = seq(&meta["dependencies"]);
    if deps.iter().all(present) {
        return (chart.to_path_buf(), Vec::new());
    }
    // the dropped dependencies are disabled by their conditions, as a site without them would
    let disabled: Vec<String> = deps
        .iter()
        .filter(|d| !present(d))
        .filter_map(|d| d["condition"].as_str())
        .flat_map(|c| c.split(','))
        .map(|c| format!("{}=false", c.trim()))
        .collect();
    let copy = scratch.join("chart");
    let status = Command::new("cp")
        .arg("-r")
        .arg(chart)
        .arg(&copy)
        .status()
        .unwrap();
    assert!(status.success());
    let mut meta = meta.clone();
    let kept: Vec<Value> = deps.into_iter().filter(present).cloned().collect();
    meta["dependencies"] = Value::Sequence(kept);
    let file = copy.join("Chart.yaml");
    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&copy, perms.clone()).unwrap();
    std::fs::set_permissions(&file, perms).unwrap();
    std::fs::write(&file, serde_yaml::to_string(&meta).unwrap()).unwrap();
    let _ = std::fs::remove_file(copy.join("Chart.lock"));
    (copy, disabled)
}

#[test]
fn the_sites_prometheus_selects_every_pod_monitor_in_its_namespace() {
    const TEST: &str = "the_sites_prometheus_selects_every_pod_monitor";
    let objects = objects(&std::fs::read_to_string(root().join("site.kdl")).unwrap());
    let Some(rendered) = render(&objects, "kube-prometheus-stack", TEST) else {
        return;
    };
    let prometheus = rendered
        .iter()
        .find(|o| o["kind"] == "Prometheus")
        .expect("the chart renders a Prometheus");
    let spec = &prometheus["spec"];
    let mut monitors = 0;
    for monitor in objects.iter().filter(|o| o["kind"] == "PodMonitor") {
        let ns = text(&monitor["metadata"]["namespace"]);
        // a missing selector selects nothing; a missing namespace selector, Prometheus' own
        // namespace only
        assert!(
            spec["podMonitorSelector"].is_mapping()
                && selects(
                    &spec["podMonitorSelector"],
                    &labels_of(&monitor["metadata"]["labels"])
                ),
            "Prometheus does not select PodMonitor {ns}/{}: {:?}",
            text(&monitor["metadata"]["name"]),
            spec["podMonitorSelector"]
        );
        let namespace = objects
            .iter()
            .find(|o| o["kind"] == "Namespace" && o["metadata"]["name"] == ns)
            .map(|n| labels_of(&n["metadata"]["labels"]))
            .unwrap_or_default();
        let mut namespace = namespace;
        namespace.insert("kubernetes.io/metadata.name".into(), ns.into());
        assert!(
            spec["podMonitorNamespaceSelector"].is_mapping()
                && selects(&spec["podMonitorNamespaceSelector"], &namespace),
            "Prometheus does not read PodMonitors in {ns}: {:?}",
            spec["podMonitorNamespaceSelector"]
        );
        monitors += 1;
    }
    assert_eq!(monitors, 2, "web and was");
}

#[test]
fn every_notification_a_rollout_subscribes_to_is_configured_and_reaches_alertmanager() {
    const TEST: &str = "every_notification_a_rollout_subscribes_to";
    let objects = objects(&std::fs::read_to_string(root().join("site.kdl")).unwrap());
    let Some(rollouts) = render(&objects, "argo-rollouts", TEST) else {
        return;
    };
    let Some(prometheus) = render(&objects, "kube-prometheus-stack", TEST) else {
        return;
    };
    let config = rollouts
        .iter()
        .find(|o| {
            o["kind"] == "ConfigMap"
                && o["metadata"]["name"] == "argo-rollouts-notification-configmap"
        })
        .expect("the notification ConfigMap");
    let data = &config["data"];
    let mut subscriptions = 0;
    for rollout in objects.iter().filter(|o| o["kind"] == "Rollout") {
        for (key, _) in rollout["metadata"]["annotations"].as_mapping().unwrap() {
            let Some(rest) = text(key).strip_prefix("notifications.argoproj.io/subscribe.") else {
                continue;
            };
            let (trigger, service) = rest.rsplit_once('.').unwrap();
            // a key the ConfigMap lacks, or that is empty, is a notification the controller
            // drops without a word
            let entry = |key: String| -> Value {
                let body = data[key.as_str()]
                    .as_str()
                    .unwrap_or_else(|| panic!("the ConfigMap has no {key}"));
                let value: Value = serde_yaml::from_str(body).unwrap();
                assert!(!value.is_null(), "{key} is empty");
                value
            };
            let service_config = entry(format!("service.{service}"));
            let trigger_config = entry(format!("trigger.{trigger}"));
            let templates = seq(&trigger_config[0]["send"]);
            assert!(!templates.is_empty(), "trigger.{trigger} sends nothing");
            for template in templates {
                let body = entry(format!("template.{}", text(template)));
                let part = &body[service];
                assert!(
                    part["labels"].as_mapping().is_some_and(|l| !l.is_empty()),
                    "template.{} has no {service} labels",
                    text(template)
                );
                // the engine's default generatorURL reads an Argo CD Application
                assert!(part["generatorURL"].is_string(), "{}", text(template));
            }
            assert!(!seq(&service_config["targets"]).is_empty());
            // every Alertmanager target is a rendered Service exposing that port
            for target in seq(&service_config["targets"]) {
                let (host, port) = text(target).rsplit_once(':').unwrap();
                let mut parts = host.split('.');
                let (name, ns) = (parts.next().unwrap(), parts.next().unwrap());
                let exposed = prometheus.iter().any(|o| {
                    o["kind"] == "Service"
                        && o["metadata"]["name"] == name
                        && text(&o["metadata"]["namespace"]) == ns
                        && seq(&o["spec"]["ports"]).into_iter().any(|p| {
                            p["port"].as_u64().map(|p| p.to_string()).as_deref() == Some(port)
                        })
                });
                assert!(exposed, "{} is no Service port", text(target));
            }
            subscriptions += 1;
        }
    }
    assert_eq!(subscriptions, 6, "three triggers on web and on was");
}

#[test]
fn canary_analysis_without_a_mesh_is_refused() {
    // without Istio there are no request metrics to judge the canary by
    let site = std::fs::read_to_string(root().join("tests/fixtures/ok/no_mesh/site.kdl"))
        .unwrap()
        .replace(
            "        step 75 pause=\"2m\"\n    }",
            "        step 75 pause=\"2m\"\n        analysis success-rate=\"99%\"\n    }",
        )
        .replace(
            "layer gitops {",
            "layer observability {\n    prometheus\n}\nlayer gitops {",
        );
    assert!(site.contains("analysis") && site.contains("prometheus"));
    let error = labc::compile("site.kdl", site.as_bytes(), &crate::support::catalog())
        .err()
        .expect("refused");
    let text = labc::cli::render_plain(error);
    assert!(text.contains("labc::require::component"), "{text}");
    assert!(text.contains("istio"), "{text}");
}
