//! Runtime response, judged on the emitted objects: the rules Falco Talon is given label exactly
//! the pods that a quarantine CiliumNetworkPolicy then cuts off, and Falcosidekick forwards the
//! events to where Talon listens.

use crate::support::{compile_objects, root};
use serde_yaml::Value;
use std::collections::BTreeSet;

fn out(path: &str) -> Vec<Value> {
    compile_objects(&std::fs::read_to_string(root().join(path)).unwrap())
}

fn application<'a>(objects: &'a [Value], release: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| {
            o["kind"] == "Application" && o["spec"]["source"]["helm"]["releaseName"] == release
        })
        .unwrap_or_else(|| panic!("no Application for release {release}"))
}

/// Talon's rule files as Talon reads them: a list mixing action definitions and rules.
fn talon_rules(objects: &[Value]) -> Vec<Value> {
    let app = application(objects, "falco-talon");
    let text = app["spec"]["source"]["helm"]["valuesObject"]["config"]["rulesOverride"]
        .as_str()
        .expect("Talon is given rules");
    serde_yaml::from_str(text).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence()
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn talon_labels_exactly_the_pods_the_quarantine_policies_cut_off() {
    let objects = out("site.kdl");
    let rules = talon_rules(&objects);
    let (key, value) = labc::emit::QUARANTINE;

    // the one action: Talon's label actionner with the quarantine label
    let actions: Vec<&Value> = rules.iter().filter(|r| r.get("action").is_some()).collect();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["actionner"], "kubernetes:label");
    assert_eq!(actions[0]["parameters"]["labels"][key], value);
    let action = actions[0]["action"].as_str().unwrap();

    // the rules: the site's priority and its chosen Falco rule, each firing that action, in
    // the namespaces that have quarantine policies and no others
    let quarantined: BTreeSet<String> = objects
        .iter()
        .filter(|o| o["kind"] == "CiliumNetworkPolicy")
        .filter(|o| o["spec"]["endpointSelector"]["matchLabels"][key] == value)
        .map(|o| {
            // a quarantine policy denies everything both ways and allows nothing
            assert_eq!(strings(&o["spec"]["egressDeny"][0]["toEntities"]), ["all"]);
            assert_eq!(
                strings(&o["spec"]["ingressDeny"][0]["fromEntities"]),
                ["all"]
            );
            assert!(o["spec"].get("egress").is_none() && o["spec"].get("ingress").is_none());
            o["metadata"]["namespace"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(quarantined, BTreeSet::from(["blog".to_string()]));
    let workloads = objects
        .iter()
        .filter(|o| {
            matches!(
                o["kind"].as_str(),
                Some("Deployment" | "Rollout" | "StatefulSet")
            )
        })
        // the site's apps and databases, not a platform component's pods (Wazuh's)
        .filter(|o| {
            !o["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"].is_null()
        })
        .count();
    let policies = objects
        .iter()
        .filter(|o| o["spec"]["endpointSelector"]["matchLabels"][key] == value)
        .count();
    assert_eq!(policies, workloads, "one quarantine policy per workload");

    let rules: Vec<&Value> = rules.iter().filter(|r| r.get("rule").is_some()).collect();
    assert_eq!(rules.len(), 2);
    // Talon's own check of a priority (internal/rules/rules.go)
    let priority = rules[0]["match"]["priority"].as_str().unwrap();
    assert_eq!(priority, ">=critical");
    assert!(rules[1]["match"].get("priority").is_none());
    assert_eq!(
        strings(&rules[1]["match"]["rules"]),
        ["Read sensitive file untrusted"]
    );
    for rule in &rules {
        let namespaces: BTreeSet<String> = strings(&rule["match"]["output_fields"])
            .iter()
            .map(|f| f.strip_prefix("k8s.ns.name=").unwrap().to_string())
            .collect();
        assert_eq!(namespaces, quarantined);
        assert_eq!(rule["actions"][0]["action"], action);
    }
}

#[test]
fn falcosidekick_sends_events_to_the_talon_service() {
    let objects = out("site.kdl");
    let talon = application(&objects, "falco-talon");
    let namespace = talon["spec"]["destination"]["namespace"].as_str().unwrap();
    let sidekick = application(&objects, "falcosidekick");
    // the chart names its Service after the release and listens on 2803
    assert_eq!(
        sidekick["spec"]["source"]["helm"]["valuesObject"]["config"]["talon"]["address"],
        format!("http://falco-talon.{namespace}.svc.cluster.local:2803").as_str()
    );
}

#[test]
fn without_talon_there_is_no_quarantine_policy() {
    let objects = out("tests/fixtures/ok/policies/site.kdl");
    let (key, _) = labc::emit::QUARANTINE;
    assert!(objects
        .iter()
        .all(|o| o["spec"]["endpointSelector"]["matchLabels"]
            .get(key)
            .is_none()));
}
