//! The in-cluster CVE scan (`trivy`): the Trivy Operator's Application reports what the site
//! asks for and is scraped where Prometheus runs, and the alert rule the prometheus component
//! gains turns a report into one alert per vulnerable image, evaluated by `promtool` (Debian
//! package `prometheus`; skipped where it is missing, never in CI, which installs it).

use crate::support::{compile_objects as objects, find, root};
use serde_yaml::Value;

fn seed() -> String {
    std::fs::read_to_string(root().join("site.kdl")).unwrap()
}

fn values<'a>(objects: &'a [Value], app: &str) -> &'a Value {
    &find(objects, "Application", app)["spec"]["source"]["helm"]["valuesObject"]
}

#[test]
fn the_scan_reports_the_sites_severities_daily_and_is_scraped() {
    let objects = objects(&seed());
    let trivy = values(&objects, "trivy");
    assert_eq!(trivy["trivy"]["severity"], "HIGH,CRITICAL");
    // a Go duration, which the operator parses: `1d` would not be one
    assert_eq!(trivy["operator"]["scannerReportTTL"], "24h");
    assert_eq!(
        trivy["operator"]["vulnerabilityScannerEnabled"],
        Value::Null
    );
    assert_eq!(trivy["serviceMonitor"]["enabled"], true);
    let app = find(&objects, "Application", "trivy");
    assert_eq!(app["spec"]["source"]["chart"], "trivy-operator");
    assert_eq!(app["spec"]["source"]["targetRevision"], "0.34.0");
    let project = find(&objects, "AppProject", "homelab-platform");
    let destinations = project["spec"]["destinations"].as_sequence().unwrap();
    assert!(destinations
        .iter()
        .any(|d| d["namespace"] == "trivy-system"));
    let repos = project["spec"]["sourceRepos"].as_sequence().unwrap();
    assert!(repos
        .iter()
        .any(|r| r == "https://aquasecurity.github.io/helm-charts/"));

    let critical = seed().replace(
        "trivy severity=\"high\"",
        "trivy severity=\"critical\" rescan=\"12h\"",
    );
    let objects = crate::support::compile_objects(&critical);
    let trivy = values(&objects, "trivy");
    assert_eq!(trivy["trivy"]["severity"], "CRITICAL");
    assert_eq!(trivy["operator"]["scannerReportTTL"], "12h");
}

#[test]
fn without_the_scan_prometheus_has_no_trivy_rule() {
    let objects = objects(&seed().replace("    trivy severity=\"high\"\n", ""));
    let prometheus = values(&objects, "kube-prometheus-stack");
    assert_eq!(prometheus["additionalPrometheusRulesMap"], Value::Null);
    assert!(!objects
        .iter()
        .any(|o| o["kind"] == "Application" && o["metadata"]["name"] == "trivy"));
}

/// The emitted rule, fed the series the operator exports for a report of 2 critical and 1 high
/// vulnerabilities in one image and none in another: one alert, for the first image, with its
/// count; nothing for the second.
#[test]
fn promtool_fires_one_alert_per_vulnerable_image_and_none_for_a_clean_one() {
    let Some(promtool) = crate::support::tool_or_skip("promtool") else {
        return;
    };
    let objects = objects(&seed());
    let rules = &values(&objects, "kube-prometheus-stack")["additionalPrometheusRulesMap"]["trivy"];
    assert!(
        rules["groups"].is_sequence(),
        "no trivy rule group: {rules:?}"
    );
    let dir = std::env::temp_dir().join(format!("labc-trivy-rule-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("rules.yaml"),
        serde_yaml::to_string(rules).unwrap(),
    )
    .unwrap();
    let series = |image: &str, severity: &str, count: u32| {
        format!(
            "      - series: 'trivy_image_vulnerabilities{{namespace=\"blog\",name=\"replicaset-web-nginx\",resource_kind=\"ReplicaSet\",image_registry=\"ghcr.io\",image_repository=\"example/{image}\",image_tag=\"1.4.2\",severity=\"{severity}\"}}'\n        values: '{count}x10'\n"
        )
    };
    let mut test = String::from(
        "rule_files: [rules.yaml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n",
    );
    for (severity, count) in [("Critical", 2), ("High", 1), ("Medium", 0), ("Low", 0)] {
        test.push_str(&series("blog-web", severity, count));
        test.push_str(&series("blog-clean", severity, 0));
    }
    test.push_str(
        "    alert_rule_test:
      - eval_time: 5m
        alertname: TrivyImageVulnerabilities
        exp_alerts:
          - exp_labels:
              severity: warning
              namespace: blog
              image_registry: ghcr.io
              image_repository: example/blog-web
              image_tag: '1.4.2'
            exp_annotations:
              summary: '3 known vulnerabilities in ghcr.io/example/blog-web:1.4.2 (namespace blog)'
              description: 'kubectl get vulnerabilityreports -n blog -o wide lists them; rebuild the image on a patched base or upgrade it'
",
    );
    std::fs::write(dir.join("test.yaml"), &test).unwrap();
    let out = std::process::Command::new(&promtool)
        .args(["test", "rules", "test.yaml"])
        .current_dir(&dir)
        .output()
        .expect("promtool runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(out.status.success(), "promtool:\n{text}\n{test}");
}
