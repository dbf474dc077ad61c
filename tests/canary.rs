//! Canary delivery on the emitted objects: the Rollout manages every route that carries the
//! app's traffic, and the analysis queries never come back empty.

use crate::support::{compile_objects as objects, find, root};
use serde_yaml::Value;

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
fn analysis_queries_fall_back_to_a_passing_value_when_there_is_no_traffic_yet() {
    let seed = std::fs::read_to_string(root().join("site.kdl")).unwrap();
    let objects = objects(&seed);
    let template = find(&objects, "AnalysisTemplate", "was");
    for metric in template["spec"]["metrics"].as_sequence().unwrap() {
        let query = metric["provider"]["prometheus"]["query"].as_str().unwrap();
        let condition = metric["failureCondition"].as_str().unwrap();
        // the fallback must not itself fail the condition
        let fallback: f64 = query
            .rsplit_once(" or vector(")
            .and_then(|(_, v)| v.strip_suffix(')'))
            .expect("an `or vector(…)` fallback")
            .parse()
            .unwrap();
        let (_, threshold) = condition.rsplit_once(['<', '>']).unwrap();
        let threshold: f64 = threshold.trim().parse().unwrap();
        let fails = if condition.contains("] <") {
            fallback < threshold
        } else {
            fallback > threshold
        };
        assert!(!fails, "{:?}: {fallback} fails {condition}", metric["name"]);
    }
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
