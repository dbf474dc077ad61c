//! The check of an object that labc did not write: one parsed from YAML or JSON (what
//! `helm template` renders for a chart), against the embedded CRDs and the CRDs the rendered
//! system installs itself. The same conversion and the same walk as for labc's own objects.

use super::capture::{identity, Identity};
use super::crds::{embedded, Lookup, SiteCrds};
use super::report::not_served;
use super::validate::{validate, Violation};

/// What checking one object found.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueCheck {
    /// No `apiVersion` or no `kind` (or not an object at all): the API server refuses it.
    NoIdentity,
    /// A kind of Kubernetes itself (core, `apps`, `rbac.authorization.k8s.io`, ...): no CRD
    /// decides, the Kubernetes schemas do.
    BuiltIn(Identity),
    /// A custom resource whose group and kind neither the extra CRDs nor the embedded ones
    /// define: no CRD installs this kind, and the API server would refuse it.
    NoCrd(Identity),
    /// Checked against the CRD `crd` (a `stdlib/crds/` file, or the name an extra CRD was given
    /// under); valid when `violations` is empty.
    Checked {
        identity: Identity,
        crd: String,
        violations: Vec<Violation>,
    },
}

impl ValueCheck {
    /// What breaks the object's schema; nothing for a kind no CRD decides.
    pub fn violations(&self) -> &[Violation] {
        match self {
            ValueCheck::Checked { violations, .. } => violations,
            _ => &[],
        }
    }
}

/// Checks `object` against the CRD of its group, kind and version: one of `extra` if it covers
/// the group and kind (a chart's own CRDs, which are what the cluster gets), else the embedded
/// one. The extra set may be empty (`SiteCrds::default()`).
pub fn check_value(object: &serde_json::Value, extra: &SiteCrds) -> ValueCheck {
    let Some(identity) = identity(object) else {
        return ValueCheck::NoIdentity;
    };
    let lookup = if extra.decides(&identity) {
        extra.lookup(&identity)
    } else {
        embedded(&identity)
    };
    let (crd, violations) = match lookup {
        Lookup::Unknown if is_built_in(identity.group()) => return ValueCheck::BuiltIn(identity),
        Lookup::Unknown => return ValueCheck::NoCrd(identity),
        Lookup::NotServed { served, file } => (file, vec![not_served(&identity, &served)]),
        Lookup::Schema { table, root, file } => (file, validate(table, root, object)),
    };
    ValueCheck::Checked {
        crd: crd.to_string(),
        identity,
        violations,
    }
}

/// The API groups Kubernetes 1.31 serves itself (`kubectl api-resources` on a bare kubeadm
/// cluster). A group is listed rather than guessed from its name: CRDs use `k8s.io` groups too
/// (the Gateway API's `gateway.networking.k8s.io`, `snapshot.storage.k8s.io`).
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "apps",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "scheduling.k8s.io",
    "storage.k8s.io",
];

/// Whether objects of `group` are Kubernetes' own kinds rather than custom resources.
pub fn is_built_in(group: &str) -> bool {
    BUILT_IN_GROUPS.contains(&group)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rollout(steps: serde_json::Value) -> serde_json::Value {
        json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Rollout",
            "metadata": {"name": "web", "namespace": "blog"},
            "spec": {
                "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}},
                "strategy": {"canary": {"steps": steps}},
            }
        })
    }

    #[test]
    fn a_good_rendered_rollout_passes() {
        let check = check_value(&rollout(json!([{"setWeight": 20}])), &SiteCrds::default());
        let ValueCheck::Checked {
            crd,
            violations,
            identity,
        } = check
        else {
            panic!("{check:?}");
        };
        assert_eq!(crd, "stdlib/crds/argoproj.io_rollouts.yaml");
        assert_eq!(identity.describe(), "Rollout blog/web");
        assert_eq!(violations, []);
    }

    #[test]
    fn a_rendered_rollout_with_an_unknown_field_is_refused() {
        let check = check_value(
            &rollout(json!([{"setWeight": 20, "setWieght": 30}])),
            &SiteCrds::default(),
        );
        let fields: Vec<&str> = check
            .violations()
            .iter()
            .map(|v| v.field.as_str())
            .collect();
        assert_eq!(fields, ["spec.strategy.canary.steps[0].setWieght"]);
        assert!(check.violations()[0].problem.starts_with("unknown field"));
    }

    #[test]
    fn metadata_is_kubernetes_object_meta() {
        let mut object = rollout(json!([]));
        object["metadata"]["creationTimestamp"] = json!(null);
        object["metadata"]["ownerReferences"] =
            json!([{"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": "1"}]);
        assert_eq!(check_value(&object, &SiteCrds::default()).violations(), []);
        object["metadata"]["ownerReferences"][0]
            .as_object_mut()
            .unwrap()
            .remove("uid");
        object["metadata"]["creationTimestampp"] = json!(null);
        let check = check_value(&object, &SiteCrds::default());
        let fields: Vec<&str> = check
            .violations()
            .iter()
            .map(|v| v.field.as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "metadata.creationTimestampp",
                "metadata.ownerReferences[0].uid"
            ]
        );
    }

    #[test]
    fn built_in_kinds_and_objects_without_a_kind_are_told_apart() {
        let extra = SiteCrds::default();
        let deployment =
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a"}});
        let check = check_value(&deployment, &extra);
        assert!(matches!(&check, ValueCheck::BuiltIn(i) if i.kind == "Deployment"));
        let service = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}});
        assert!(matches!(
            check_value(&service, &extra),
            ValueCheck::BuiltIn(_)
        ));
        assert_eq!(
            check_value(&json!({"kind": "Service"}), &extra),
            ValueCheck::NoIdentity
        );
        assert_eq!(check_value(&json!("text"), &extra), ValueCheck::NoIdentity);
    }

    #[test]
    fn a_kind_no_crd_defines_is_reported_as_such() {
        let object = json!({
            "apiVersion": "monitoring.coreos.com/v1",
            "kind": "Prometheus",
            "metadata": {"name": "k8s", "namespace": "monitoring"},
            "spec": {}
        });
        let ValueCheck::NoCrd(identity) = check_value(&object, &SiteCrds::default()) else {
            panic!("Prometheus has no embedded CRD");
        };
        assert_eq!(identity.describe(), "Prometheus monitoring/k8s");
        // a CRD of another group does not cover it
        let snapshot =
            json!({"apiVersion": "snapshot.storage.k8s.io/v1", "kind": "VolumeSnapshot"});
        assert!(matches!(
            check_value(&snapshot, &SiteCrds::default()),
            ValueCheck::NoCrd(_)
        ));
    }

    /// A trimmed Prometheus CRD, as a chart would render it (kube-prometheus-stack's `crds`
    /// subchart): labc embeds no CRD of this kind.
    fn prometheus_crd(replicas: &str) -> serde_json::Value {
        json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "prometheuses.monitoring.coreos.com"},
            "spec": {
                "group": "monitoring.coreos.com",
                "names": {"kind": "Prometheus", "plural": "prometheuses"},
                "scope": "Namespaced",
                "versions": [{
                    "name": "v1", "served": true, "storage": true,
                    "schema": {"openAPIV3Schema": {
                        "type": "object",
                        "properties": {"spec": {
                            "type": "object",
                            "properties": {
                                "replicas": {"type": replicas, "format": "int32"},
                                "retention": {"type": "string"}
                            }
                        }}
                    }}
                }]
            }
        })
    }

    fn prometheus(spec: serde_json::Value) -> serde_json::Value {
        json!({
            "apiVersion": "monitoring.coreos.com/v1",
            "kind": "Prometheus",
            "metadata": {"name": "k8s", "namespace": "monitoring"},
            "spec": spec
        })
    }

    #[test]
    fn a_custom_resource_whose_crd_only_the_extra_set_has_is_checked_against_it() {
        let crd = prometheus_crd("integer");
        let extra = SiteCrds::from_values([("kube-prometheus-stack: prometheuses", &crd)]).unwrap();
        let good = check_value(&prometheus(json!({"replicas": 1})), &extra);
        let ValueCheck::Checked {
            crd, violations, ..
        } = &good
        else {
            panic!("{good:?}");
        };
        assert_eq!(crd, "kube-prometheus-stack: prometheuses");
        assert_eq!(violations, &[]);
        let bad = check_value(
            &prometheus(json!({"replicas": "one", "retenton": "1d"})),
            &extra,
        );
        let fields: Vec<&str> = bad.violations().iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["spec.replicas", "spec.retenton"]);
    }

    #[test]
    fn the_extra_set_decides_over_the_embedded_crd() {
        // a chart that installs its own Rollout CRD, where `replicas` is a string
        let mut crd = prometheus_crd("string");
        crd["spec"]["group"] = json!("argoproj.io");
        crd["spec"]["names"] = json!({"kind": "Rollout", "plural": "rollouts"});
        crd["spec"]["versions"][0]["name"] = json!("v1alpha1");
        let extra = SiteCrds::from_values([("chart: rollouts", &crd)]).unwrap();
        let mut object = rollout(json!([]));
        object["spec"] = json!({"replicas": 2});
        let check = check_value(&object, &extra);
        let ValueCheck::Checked {
            crd, violations, ..
        } = &check
        else {
            panic!("{check:?}");
        };
        assert_eq!(crd, "chart: rollouts");
        assert_eq!(violations.len(), 1, "{violations:?}");
        assert_eq!(violations[0].field, "spec.replicas");
        // with no extra set, the embedded CRD takes the integer
        assert_eq!(check_value(&object, &SiteCrds::default()).violations(), []);
    }

    #[test]
    fn a_value_that_is_not_a_usable_crd_is_a_problem_with_its_name() {
        let crd = prometheus_crd("integer");
        let config_map = json!({"apiVersion": "v1", "kind": "ConfigMap"});
        let mut no_versions = crd.clone();
        no_versions["spec"]
            .as_object_mut()
            .unwrap()
            .remove("versions");
        let problems = SiteCrds::from_values([
            ("good", &crd),
            ("a config map", &config_map),
            ("no versions", &no_versions),
        ])
        .unwrap_err();
        let names: Vec<&str> = problems.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a config map", "no versions"]);
        assert!(problems[1].reason.contains("spec.versions"), "{problems:?}");
    }

    #[test]
    fn a_version_the_crd_does_not_serve_is_a_violation() {
        let mut object = rollout(json!([]));
        object["apiVersion"] = json!("argoproj.io/v1beta1");
        let check = check_value(&object, &SiteCrds::default());
        assert_eq!(check.violations().len(), 1, "{check:?}");
        assert_eq!(check.violations()[0].field, "apiVersion");
    }
}
