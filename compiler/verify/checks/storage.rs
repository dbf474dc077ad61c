//! Every volume claim names a StorageClass that exists, or names none and the system has a
//! default class: otherwise the claim stays Pending and its pod never starts.

use super::super::apps::str_at;
use super::super::finding::{Contract, End, Finding};
use super::super::{Object, System};
use serde_json::Value;

const DEFAULT: &str = "storageclass.kubernetes.io/is-default-class";

/// The StorageClasses of the system: (name, is default).
fn classes(system: &System) -> Vec<(String, bool)> {
    system
        .of_kind("StorageClass")
        .map(|class| {
            let is_default = str_at(&class.value, &["metadata", "annotations", DEFAULT]) == "true";
            (class.name.clone(), is_default)
        })
        .collect()
}

/// The claims of an object: (what claims, the class it names).
fn claims(object: &Object) -> Vec<(String, Option<String>)> {
    let class = |spec: &Value| {
        spec.get("storageClassName")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let v = &object.value;
    match object.kind.as_str() {
        "PersistentVolumeClaim" => vec![(
            object.describe(),
            v.get("spec")
                .and_then(|s| class(s).map(Some))
                .unwrap_or(None),
        )],
        "StatefulSet" => v
            .pointer("/spec/volumeClaimTemplates")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|t| {
                let name = str_at(t, &["metadata", "name"]);
                (
                    format!("claim `{name}` of {}", object.describe()),
                    t.get("spec").and_then(class),
                )
            })
            .collect(),
        // prometheus-operator's storage spec: its own claim template
        "Prometheus" | "Alertmanager" | "ThanosRuler" => v
            .pointer("/spec/storage/volumeClaimTemplate/spec")
            .map(|spec| vec![(format!("the volume of {}", object.describe()), class(spec))])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

pub fn check(system: &System) -> Vec<Finding> {
    let classes = classes(system);
    let mut findings = Vec::new();
    for object in &system.objects {
        for (what, class) in claims(object) {
            let here = End::object(system, object, format!("{what} is applied here"));
            match class.as_deref() {
                Some("") => findings.push(Finding::new(
                    Contract::Storage,
                    format!("{what} sets storageClassName \"\", so it binds only to a PersistentVolume made by hand, and the system has none"),
                    "name a StorageClass of the site, or leave it out to use the default class",
                    here,
                )),
                Some(name) => {
                    if !classes.iter().any(|(n, _)| n == name) {
                        let have: Vec<&str> = classes.iter().map(|(n, _)| n.as_str()).collect();
                        findings.push(Finding::new(
                            Contract::Storage,
                            format!(
                                "{what} names StorageClass `{name}`, which nothing in the system makes ({})",
                                if have.is_empty() { "there is none".to_string() } else { format!("there is {}", have.join(", ")) }
                            ),
                            "add the storage component that provides the class, or name one the site has",
                            here,
                        ));
                    }
                }
                None => {
                    let defaults: Vec<_> = classes.iter().filter(|(_, d)| *d).collect();
                    if defaults.is_empty() {
                        findings.push(Finding::new(
                            Contract::Storage,
                            format!("{what} names no StorageClass and the system has no default class: it stays Pending"),
                            "mark one storage component as the default (`default=#true`), or name a class",
                            here,
                        ));
                    }
                }
            }
        }
    }
    findings
}
