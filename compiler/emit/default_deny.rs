//! Default deny, per workload and per namespace.
//!
//! Per workload: a standard NetworkPolicy beside each CiliumNetworkPolicy that selects the
//! workload's pods and allows nothing. Under Cilium, allows are the union of every policy
//! selecting a pod, so this changes nothing while the Cilium policy is there; it keeps the pods
//! isolated if that policy is ever missing (its CRD not yet installed, a sync that failed
//! half-way), and it is what tools that know only the standard API (checkov's CKV2_K8S_6,
//! `kubectl describe`) can read.
//!
//! Per namespace: every namespace labc owns (those of the site's apps and databases) starts
//! from deny as a whole, so that a pod nobody declared (one run by hand, a Job added outside
//! labc) talks to nothing. With Cilium, a NetworkPolicy `labc.default-deny` selecting every
//! pod (`podSelector: {}`) for both directions with no rule; with Istio, an AuthorizationPolicy
//! `labc.allow-nothing` with an empty spec (an ALLOW that matches nothing). Both compose as a
//! union with the workloads' own allows, so the declared flows, DNS and the sidecars' xDS stay
//! open exactly as before (tests/flows.rs evaluates the emitted objects). The names hold a dot,
//! which no app or database name may, so that they never meet a workload's own policy.
//!
//! Sync waves: the NetworkPolicy is core API and goes with the Namespace in `namespaces/` (wave
//! -1), before any pod; the AuthorizationPolicy needs Istio's CRDs and goes with the namespace's
//! earliest workload (databases first, as the graph syncs them before their users), in the same
//! Application as that workload's own allows. labc writes no Job or hook into these namespaces
//! that would run before its allows exist; a test holds every pod template there to a
//! CiliumNetworkPolicy that selects it.

use super::files::object_path;
use super::{labels, namespace, workload, Files};
use crate::model::Site;
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicySpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde::Serialize;

/// The namespace-wide NetworkPolicy's name.
pub const NETWORK_POLICY: &str = "labc.default-deny";
/// The namespace-wide AuthorizationPolicy's name.
pub const AUTHORIZATION_POLICY: &str = "labc.allow-nothing";

pub fn emit(site: &Site, name: &str, ns: &str, files: &mut Files) {
    let policy = NetworkPolicy {
        metadata: workload::meta(name, ns, name, site),
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector {
                match_labels: Some(labels::selector(name)),
                ..Default::default()
            }),
            policy_types: Some(vec!["Egress".into(), "Ingress".into()]),
            ..Default::default()
        }),
    };
    files.object(
        object_path(&workload::folder(name), "NetworkPolicy", name),
        &policy,
    );
}

/// An empty spec: Istio reads it as an ALLOW policy for every workload of the namespace that
/// matches no request.
#[derive(Serialize)]
struct Empty {}

/// The namespace-wide deny of every namespace labc owns (not a `foreign-namespace`): the
/// NetworkPolicy with Cilium (which enforces the workloads' allows), the AuthorizationPolicy
/// with Istio.
pub fn namespaces(site: &Site, files: &mut Files) {
    let cilium = site.has_component("cilium");
    let istio = site.has_component("istio");
    let part_of = site.settings.name.as_str();
    let meta = |name: &str, ns: &str| ObjectMeta {
        name: Some(name.to_string()),
        namespace: Some(ns.to_string()),
        labels: Some(labels::of(name, part_of)),
        ..Default::default()
    };
    for ns in namespace::owned(site) {
        if cilium {
            let policy = NetworkPolicy {
                metadata: meta(NETWORK_POLICY, ns),
                spec: Some(NetworkPolicySpec {
                    pod_selector: Some(LabelSelector::default()),
                    policy_types: Some(vec!["Egress".into(), "Ingress".into()]),
                    ..Default::default()
                }),
            };
            files.object(
                object_path(
                    namespace::FOLDER,
                    "NetworkPolicy",
                    &format!("{ns}-default-deny"),
                ),
                &policy,
            );
        }
        if istio {
            let Some(first) = first_workload(site, ns) else {
                continue;
            };
            let policy = super::custom_resource::CustomResource {
                api_version: "security.istio.io/v1",
                kind: "AuthorizationPolicy",
                metadata: meta(AUTHORIZATION_POLICY, ns),
                spec: Empty {},
            };
            files.object(
                object_path(
                    &workload::folder(first),
                    "AuthorizationPolicy",
                    AUTHORIZATION_POLICY,
                ),
                &policy,
            );
        }
    }
}

/// The workload whose Application carries the namespace's AuthorizationPolicy: its first
/// database, else its first app, in declaration order.
fn first_workload<'s>(site: &'s Site, ns: &str) -> Option<&'s str> {
    site.databases
        .iter()
        .find(|d| d.namespace.as_str() == ns)
        .map(|d| d.name.as_str())
        .or_else(|| {
            site.apps
                .iter()
                .find(|a| a.namespace.as_str() == ns)
                .map(|a| a.name.as_str())
        })
}

/// What `labc flows` says of each namespace: one line per namespace labc owns.
pub fn describe(site: &Site) -> Vec<String> {
    let cilium = site.has_component("cilium");
    let istio = site.has_component("istio");
    let by = match (cilium, istio) {
        (true, true) => {
            format!("NetworkPolicy {NETWORK_POLICY} and AuthorizationPolicy {AUTHORIZATION_POLICY}")
        }
        (true, false) => format!("NetworkPolicy {NETWORK_POLICY}"),
        (false, true) => format!("AuthorizationPolicy {AUTHORIZATION_POLICY}"),
        (false, false) => {
            return namespace::owned(site)
                .into_iter()
                .map(|ns| {
                    format!(
                        "namespace {ns}: no default deny (the site has neither cilium nor istio)"
                    )
                })
                .collect()
        }
    };
    namespace::owned(site)
        .into_iter()
        .map(|ns| {
            format!(
                "namespace {ns}: default deny for every pod ({by}); only the flows above are open"
            )
        })
        .collect()
}
