//! The response half of runtime security: a CiliumNetworkPolicy per workload that cuts every
//! packet in and out of those of its pods that carry the quarantine label, and nothing else.
//!
//! Falco Talon puts the label on a pod when Falco reports an event at or above the site's
//! `isolate-on` priority (its rules are in `stdlib/components/talon.kdl`). Talon's own network
//! actionners cannot isolate a pod here: `kubernetes:networkpolicy` adds an allow-nothing
//! NetworkPolicy, but allows are a union and the workload's own policy still admits its flows;
//! `cilium:networkpolicy` denies only the one remote address of a network event. A deny rule
//! wins over every allow in Cilium, so a policy written ahead of time, selecting the label,
//! isolates the pod whatever else allows it, and is reviewed, validated and synced like the
//! rest of `out/` rather than created at run time.

use super::files::object_path;
use super::network_policy::{Rule, Selector};
use super::{labels, workload, Files};
use crate::model::Site;
use serde::Serialize;

type Policy = super::custom_resource::CustomResource<Spec>;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Spec {
    description: &'static str,
    egress_deny: Vec<Rule>,
    endpoint_selector: Selector,
    ingress_deny: Vec<Rule>,
}

/// The policy's name for workload `name`; a suffix keeps it apart from the workload's own.
fn policy_name(name: &str) -> String {
    format!("{name}-quarantine")
}

pub fn emit(site: &Site, name: &str, ns: &str, files: &mut Files) {
    let mut match_labels = labels::selector(name);
    match_labels.insert(labels::QUARANTINE.0.into(), labels::QUARANTINE.1.into());
    let policy_name = policy_name(name);
    let policy = Policy {
        api_version: "cilium.io/v2",
        kind: "CiliumNetworkPolicy",
        metadata: workload::meta(&policy_name, ns, name, site),
        spec: Spec {
            description: "Falco Talon labelled this pod after a Falco event: no traffic in or out",
            egress_deny: vec![Rule::to_entities(vec!["all"])],
            endpoint_selector: Selector { match_labels },
            ingress_deny: vec![Rule::from_entities(vec!["all"])],
        },
    };
    files.object(
        object_path(&workload::folder(name), "CiliumNetworkPolicy", &policy_name),
        &policy,
    );
}
