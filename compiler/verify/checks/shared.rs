//! No object is applied by two Applications: Argo CD would have both fight over it, each
//! pruning or overwriting the other's copy on every sync.

use super::super::finding::{Contract, End, Finding};
use super::super::System;
use std::collections::BTreeMap;

pub fn check(system: &System) -> Vec<Finding> {
    let mut first: BTreeMap<(&str, &str, &str, &str), usize> = BTreeMap::new();
    let mut findings = Vec::new();
    for (index, object) in system
        .objects
        .iter()
        .enumerate()
        .filter(|(_, o)| o.made_by.is_none())
    {
        let key = (
            object.group(),
            object.kind.as_str(),
            object.namespace.as_str(),
            object.name.as_str(),
        );
        match first.get(&key) {
            Some(&earlier) if system.objects[earlier].app != object.app => {
                let other = &system.objects[earlier];
                let (a, b) = (&system.apps[other.app].name, &system.apps[object.app].name);
                findings.push(
                    Finding::new(
                        Contract::Shared,
                        format!("{} is applied by two Applications, `{a}` and `{b}`", object.describe()),
                        "each object must belong to one Application; otherwise they overwrite and prune each other's copy on every sync",
                        End::object(system, object, format!("`{b}` applies it")),
                    )
                    .and(End::object(system, other, format!("`{a}` applies it too"))),
                );
            }
            Some(_) => {}
            None => {
                first.insert(key, index);
            }
        }
    }
    findings
}
