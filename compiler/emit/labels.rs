//! The labels and annotations every emitted object carries.

use serde::Serialize;
use std::collections::BTreeMap;

pub const NAME: &str = "app.kubernetes.io/name";
pub const PART_OF: &str = "app.kubernetes.io/part-of";
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";

/// Labels of an object that belongs to `owner` in site `site`.
pub fn of(owner: &str, site: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (NAME.to_string(), owner.to_string()),
        (PART_OF.to_string(), site.to_string()),
        (MANAGED_BY.to_string(), "labc".to_string()),
    ])
}

/// The selector of a workload's pods. Kept to one label, because selectors are immutable once
/// applied and must never change when other labels do.
pub fn selector(owner: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(NAME.to_string(), owner.to_string())])
}

/// Pod labels: the object labels plus `app`, which Istio uses to name workloads in telemetry.
pub fn pod(owner: &str, site: &str) -> BTreeMap<String, String> {
    let mut labels = of(owner, site);
    labels.insert("app".into(), owner.to_string());
    labels
}

/// The pod label Falco Talon sets on a pod it isolates, and that each workload's quarantine
/// policy selects (`emit/quarantine.rs`). No prefix: Talon writes it as a JSON-patch path, and
/// not every release of it escapes a `/` in the key.
pub const QUARANTINE: (&str, &str) = ("quarantine", "true");

/// A `matchLabels` selector, as Cilium, Istio and the Prometheus operator write it.
#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Selector {
    pub match_labels: BTreeMap<String, String>,
}

impl Selector {
    /// The pods (or Services) of workload `owner`.
    pub fn of(owner: &str) -> Selector {
        Selector {
            match_labels: selector(owner),
        }
    }
}
