//! Every rendered custom resource passes the schema of its CRD, the way the API server checks
//! it under strict field validation: a CRD the system renders (a chart's own, which is what the
//! cluster gets) decides for its kind, else the CRD labc embeds for the pinned release. A kind
//! no CRD installs is refused too. Kubernetes' own kinds are left to kubernetes-validate
//! (`labc verify --dump`).

use super::super::finding::{Contract, End, Finding};
use super::super::System;
use crate::schema::{check_value, SiteCrds, ValueCheck};

pub fn check(system: &System) -> Vec<Finding> {
    let crds: Vec<(String, &serde_json::Value)> = system
        .applied()
        .filter(|o| o.kind == "CustomResourceDefinition")
        .map(|o| {
            (
                format!("{} (rendered by `{}`)", o.name, system.apps[o.app].name),
                &o.value,
            )
        })
        .collect();
    let mut findings = Vec::new();
    let extra = match SiteCrds::from_values(crds.iter().map(|(n, v)| (n.as_str(), *v))) {
        Ok(extra) => extra,
        Err(problems) => {
            for problem in problems {
                findings.push(Finding::new(
                    Contract::Schema,
                    format!(
                        "rendered CRD {} is not usable: {}",
                        problem.name, problem.reason
                    ),
                    "the API server refuses a CRD whose schema is not structural",
                    End::new(&system.apps[0].file, "the root Application syncs it"),
                ));
            }
            SiteCrds::default()
        }
    };
    for object in system.applied() {
        match check_value(&object.value, &extra) {
            ValueCheck::NoCrd(identity) => findings.push(Finding::new(
                Contract::Schema,
                format!(
                    "{} is a {}, which no CRD of the system installs: the API server refuses it",
                    object.describe(),
                    identity.describe()
                ),
                "add the component that installs the CRD, or stop rendering the object",
                End::object(
                    system,
                    object,
                    format!("{} is applied here", object.describe()),
                ),
            )),
            ValueCheck::Checked {
                crd, violations, ..
            } if !violations.is_empty() => {
                let list: Vec<String> = violations
                    .iter()
                    .take(5)
                    .map(|v| format!("`{}` {}", v.field, v.problem))
                    .collect();
                findings.push(Finding::new(
                    Contract::Schema,
                    format!(
                        "{} does not pass the schema of {crd}: {}{}",
                        object.describe(),
                        list.join("; "),
                        if violations.len() > 5 { format!("; and {} more", violations.len() - 5) } else { String::new() }
                    ),
                    "the API server refuses it under strict field validation; fix the values that produce it",
                    End::object(system, object, format!("{} is applied here", object.describe())),
                ));
            }
            _ => {}
        }
    }
    findings
}
