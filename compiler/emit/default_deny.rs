//! A standard NetworkPolicy beside each CiliumNetworkPolicy that selects the workload's pods and
//! allows nothing. Under Cilium, allows are the union of every policy selecting a pod, so this
//! changes nothing while the Cilium policy is there; it keeps the pods isolated if that policy
//! is ever missing (its CRD not yet installed, a sync that failed half-way), and it is what
//! tools that know only the standard API (checkov's CKV2_K8S_6, `kubectl describe`) can read.

use super::files::object_path;
use super::{labels, workload, Files};
use crate::model::Site;
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicySpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

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
