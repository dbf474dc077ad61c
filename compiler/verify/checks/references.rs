//! Every Secret and ConfigMap a pod reads (volumes, projected volumes, `env` and `envFrom`,
//! image pull secrets) exists in the rendered system, with the keys it reads, and is applied no
//! later than the pod: Argo CD waits for a sync wave to be healthy before the next, so a pod
//! whose Secret comes in a later wave never starts and the sync never gets there.

use super::super::finding::{Contract, End, Finding};
use super::super::system::pod_templates;
use super::super::{Object, System};
use serde_json::Value;
use std::collections::BTreeSet;

/// ConfigMaps the cluster itself puts in every namespace: (name, who makes it, which kind of
/// object in the system shows that maker is there; empty for Kubernetes itself).
const RUNTIME_CONFIG_MAPS: &[(&str, &str, &str)] = &[
    ("kube-root-ca.crt", "kube-controller-manager", ""),
    ("istio-ca-root-cert", "istiod", "istiod"),
];

/// What a pod reads.
struct Read<'a> {
    kind: &'static str,
    name: &'a str,
    key: Option<&'a str>,
    how: &'static str,
}

pub fn check(system: &System) -> Vec<Finding> {
    let mut findings = Vec::new();
    for consumer in &system.objects {
        let Some((spec, _)) = pod_templates(consumer) else {
            continue;
        };
        let mut seen = BTreeSet::new();
        for read in reads(spec) {
            if !seen.insert((read.kind, read.name, read.key)) {
                continue;
            }
            findings.extend(resolve(system, consumer, &read));
        }
    }
    findings
}

fn resolve(system: &System, consumer: &Object, read: &Read) -> Option<Finding> {
    let ns = consumer.namespace.as_str();
    let here = End::object(
        system,
        consumer,
        format!("{} reads it", consumer.describe()),
    );
    let providers: Vec<&Object> = system
        .objects
        .iter()
        .filter(|o| o.namespace == ns && provides(o, read.kind) == Some(read.name))
        .collect();
    if providers.is_empty() {
        if read.kind == "ConfigMap"
            && RUNTIME_CONFIG_MAPS.iter().any(|(name, _, needs)| {
                *name == read.name
                    && (needs.is_empty()
                        || system
                            .objects
                            .iter()
                            .any(|o| o.name == *needs && o.kind == "Deployment"))
            })
        {
            return None;
        }
        return Some(Finding::new(
            Contract::Reference,
            format!(
                "{} reads {} `{}` ({}) in namespace `{ns}`, which nothing in the system applies",
                consumer.describe(),
                read.kind,
                read.name,
                read.how
            ),
            format!(
                "declare the {} (a sealed `secret` for a Secret) or correct the name",
                read.kind
            ),
            here,
        ));
    }
    // the earliest provider is the one that counts
    let provider = providers
        .iter()
        .min_by_key(|p| p.position(&system.apps))
        .copied()?;
    if let Some(key) = read.key {
        if let Some(keys) = keys_of(provider) {
            if !keys.contains(key) {
                return Some(
                    Finding::new(
                        Contract::Reference,
                        format!(
                            "{} reads key `{key}` of {} {ns}/{}, which has {}",
                            consumer.describe(),
                            read.kind,
                            read.name,
                            if keys.is_empty() {
                                "no keys".to_string()
                            } else {
                                keys.iter()
                                    .map(|k| format!("`{k}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            }
                        ),
                        "read a key the object has, or add the key where it is declared",
                        here,
                    )
                    .and(End::object(
                        system,
                        provider,
                        format!("{} is applied here", provider.describe()),
                    )),
                );
            }
        }
    }
    let (app_wave, wave) = provider.position(&system.apps);
    let (c_app_wave, c_wave) = consumer.position(&system.apps);
    let late = app_wave > c_app_wave || (provider.app == consumer.app && wave > c_wave);
    late.then(|| {
        Finding::new(
            Contract::Order,
            format!(
                "{} is {}, after {}, {}, which needs it to start: the sync waits for that pod forever",
                provider.describe(),
                place(system, provider),
                consumer.describe(),
                place(system, consumer),
            ),
            "apply a Secret or ConfigMap in the earliest sync wave of the pods that read it",
            End::object(system, provider, format!("{} comes late", provider.describe())),
        )
        .and(End::object(system, consumer, format!("{} needs it earlier", consumer.describe())))
    })
}

/// Where an object is applied, in words.
fn place(system: &System, object: &Object) -> String {
    let app = &system.apps[object.app];
    let made = object
        .made_by
        .as_ref()
        .map(|by| format!("made by {by} and "))
        .unwrap_or_default();
    let within = match object.wave {
        w if w == i64::MAX / 2 => {
            "as a PostSync hook, once everything else in it is healthy".to_string()
        }
        w if w == i64::MIN / 2 => "as a PreSync hook".to_string(),
        0 => String::new(),
        w => format!("in its sync wave {w}"),
    };
    let within = if within.is_empty() {
        within
    } else {
        format!(", {within}")
    };
    format!(
        "{made}applied by Application `{}` (wave {}){within}",
        app.name, app.wave
    )
}

/// The name under which an object provides a Secret or ConfigMap.
fn provides<'a>(object: &'a Object, kind: &str) -> Option<&'a str> {
    match (object.kind.as_str(), kind) {
        ("Secret", "Secret") | ("ConfigMap", "ConfigMap") => Some(&object.name),
        // the controller writes the Secret under the template's name, by default its own
        ("SealedSecret", "Secret") => Some(
            object
                .value
                .pointer("/spec/template/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or(&object.name),
        ),
        _ => None,
    }
}

/// The keys an object provides, when they are known.
fn keys_of(object: &Object) -> Option<BTreeSet<&str>> {
    // what an operator or a Job writes is not known key by key
    if object.made_by.is_some() && object.value.get("data").is_none() {
        return None;
    }
    let fields: &[&str] = match object.kind.as_str() {
        "Secret" | "ConfigMap" => &["data", "stringData", "binaryData"],
        "SealedSecret" => &["spec/encryptedData"],
        _ => return None,
    };
    let mut keys = BTreeSet::new();
    for field in fields {
        let pointer = format!("/{field}");
        if let Some(map) = object.value.pointer(&pointer).and_then(Value::as_object) {
            keys.extend(map.keys().map(String::as_str));
        }
    }
    // a SealedSecret's template may add keys of its own
    if let Some(map) = object
        .value
        .pointer("/spec/template/data")
        .and_then(Value::as_object)
    {
        keys.extend(map.keys().map(String::as_str));
    }
    Some(keys)
}

fn reads(spec: &Value) -> Vec<Read<'_>> {
    /// A reference that names a non-empty object and is not optional.
    fn read<'v>(
        out: &mut Vec<Read<'v>>,
        r: Option<&'v Value>,
        field: &str,
        kind: &'static str,
        key: Option<&'v str>,
        how: &'static str,
    ) {
        let optional = |v: &Value| v.get("optional").and_then(Value::as_bool) == Some(true);
        let name = r
            .filter(|r| !optional(r))
            .and_then(|r| r.get(field))
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty());
        if let Some(name) = name {
            out.push(Read {
                kind,
                name,
                key,
                how,
            });
        }
    }
    let mut out = Vec::new();
    for volume in spec
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        read(
            &mut out,
            volume.get("secret"),
            "secretName",
            "Secret",
            None,
            "volume",
        );
        read(
            &mut out,
            volume.get("configMap"),
            "name",
            "ConfigMap",
            None,
            "volume",
        );
        for source in volume
            .pointer("/projected/sources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            read(
                &mut out,
                source.get("secret"),
                "name",
                "Secret",
                None,
                "projected volume",
            );
            read(
                &mut out,
                source.get("configMap"),
                "name",
                "ConfigMap",
                None,
                "projected volume",
            );
        }
    }
    for pull in spec
        .get("imagePullSecrets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        read(
            &mut out,
            Some(pull),
            "name",
            "Secret",
            None,
            "image pull secret",
        );
    }
    let containers = ["containers", "initContainers"]
        .into_iter()
        .filter_map(|k| spec.get(k).and_then(Value::as_array))
        .flatten();
    for container in containers {
        for env in container
            .get("env")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for (field, kind) in [("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")] {
                let r = env.pointer(&format!("/valueFrom/{field}"));
                let key = r.and_then(|r| r.get("key")).and_then(Value::as_str);
                read(&mut out, r, "name", kind, key, "env");
            }
        }
        for from in container
            .get("envFrom")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            read(
                &mut out,
                from.get("secretRef"),
                "name",
                "Secret",
                None,
                "envFrom",
            );
            read(
                &mut out,
                from.get("configMapRef"),
                "name",
                "ConfigMap",
                None,
                "envFrom",
            );
        }
    }
    out
}
