//! Every Secret that `out/` reads is one the site declares, in the namespace that reads it.
//! Read back from what emit produced (the objects as values, files written as text parsed; see
//! `Files::secret_readers`) rather than from the model, so that a component template naming a
//! Secret is held to the same rule as an app's env.

use crate::diag::{Error, Located, SourceFile, Suggestion};
use crate::emit::Files;
use crate::model::{SettingValue, Site, Span};
use memchr::memmem::Finder;
use serde_yaml::Value;
use std::sync::{Arc, LazyLock};

/// One Secret name read by an object, and the namespace it is read from.
struct Reference {
    name: String,
    namespace: String,
}

/// Keys whose string value names a Secret: volumes (`secret.secretName`) and the common
/// chart conventions.
const NAME_KEYS: &[&str] = &["secretName", "existingSecret", "credentialName"];
/// Keys whose mapping names a Secret under `name`: env `valueFrom` and `envFrom`.
const REF_KEYS: &[&str] = &["secretKeyRef", "secretRef"];
/// Keys whose list of strings are Secret names (the Prometheus operator's `secrets`).
const LIST_KEYS: &[&str] = &["secrets"];
/// Keys whose list of mappings name Secrets under `name`: a pod's `imagePullSecrets`.
const REF_LIST_KEYS: &[&str] = &["imagePullSecrets"];

/// Whether `text` has a mapping key that `walk` reads (`secretName:`, `"secretRef":`, ...): the
/// YAML parse, most of this check's cost, is skipped for the many files that only mention a
/// secret (a SealedSecret's namespace, a policy's name). Every key but `credentialName` contains
/// "ecret", so two substring searches find every candidate, which must then be a whole key
/// before a colon, quoted or not (a key inside a Helm values string is found too).
pub fn may_name_a_secret(text: &str) -> bool {
    let bytes = text.as_bytes();
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let is_key = |at: usize| {
        let start = bytes[..at]
            .iter()
            .rposition(|b| !word(b))
            .map_or(0, |p| p + 1);
        let end = bytes[at..]
            .iter()
            .position(|b| !word(b))
            .map_or(bytes.len(), |p| at + p);
        // `key:`, `"key":`, and `\"key\":` inside a JSON-escaped values string
        let colon = bytes[end..]
            .iter()
            .take(3)
            .find(|b| !matches!(b, b'"' | b'\'' | b'\\'))
            == Some(&b':');
        let key = &text[start..end];
        colon
            && NAME_KEYS
                .iter()
                .chain(REF_KEYS)
                .chain(LIST_KEYS)
                .chain(REF_LIST_KEYS)
                .any(|k| *k == key)
    };
    // built once: building a searcher costs as much as running it on a small file
    static FINDERS: LazyLock<[Finder<'static>; 2]> =
        LazyLock::new(|| [Finder::new("ecret"), Finder::new("credentialName")]);
    FINDERS.iter().any(|f| f.find_iter(bytes).any(is_key))
}

fn walk(value: &Value, namespace: &str, found: &mut Vec<Reference>) {
    match value {
        Value::Mapping(map) => {
            for (key, value) in map {
                let Some(key) = key.as_str() else { continue };
                let mut push = |name: &str| {
                    found.push(Reference {
                        name: name.to_string(),
                        namespace: namespace.to_string(),
                    })
                };
                if NAME_KEYS.contains(&key) {
                    if let Some(name) = value.as_str() {
                        push(name);
                    }
                } else if REF_KEYS.contains(&key) {
                    if let Some(name) = value.get("name").and_then(Value::as_str) {
                        push(name);
                    }
                } else if REF_LIST_KEYS.contains(&key) {
                    if let Some(list) = value.as_sequence() {
                        list.iter()
                            .filter_map(|r| r.get("name").and_then(Value::as_str))
                            .for_each(&mut push);
                    }
                } else if LIST_KEYS.contains(&key) {
                    if let Some(list) = value.as_sequence() {
                        list.iter().filter_map(Value::as_str).for_each(&mut push);
                    }
                }
                walk(value, namespace, found);
            }
        }
        Value::Sequence(items) => items.iter().for_each(|v| walk(v, namespace, found)),
        _ => {}
    }
}

/// The references of one file: a workload's own, or those in an Application's Helm values,
/// which are read in the Application's destination namespace.
fn references(object: &Value) -> Vec<Reference> {
    let mut found = Vec::new();
    let text = |v: &Value, path: &[&str]| {
        path.iter()
            .try_fold(v, |v, k| v.get(k))
            .and_then(Value::as_str)
            .map(String::from)
    };
    if object.get("kind").and_then(Value::as_str) == Some("Application") {
        let namespace = text(object, &["spec", "destination", "namespace"]).unwrap_or_default();
        if let Some(helm) = object
            .get("spec")
            .and_then(|s| s.get("source"))
            .and_then(|s| s.get("helm"))
        {
            if let Some(values) = helm.get("valuesObject") {
                walk(values, &namespace, &mut found);
            }
            if let Some(values) = helm.get("values").and_then(Value::as_str) {
                if let Ok(values) = serde_yaml::from_str::<Value>(values) {
                    walk(&values, &namespace, &mut found);
                }
            }
        }
    } else if let Some(namespace) = text(object, &["metadata", "namespace"]) {
        if object.get("kind").and_then(Value::as_str) != Some("SealedSecret") {
            walk(object, &namespace, &mut found);
        }
    }
    found
}

/// The Secrets that Applications' Helm values read, as (path of the Application in `out/`,
/// Secret name, namespace): the components that consume a secret.
pub fn chart_readers(files: &Files) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for (path, object) in files.secret_readers() {
        if object.get("kind").and_then(Value::as_str) != Some("Application") {
            continue;
        }
        for reference in references(&object) {
            found.push((path.to_string(), reference.name, reference.namespace));
        }
    }
    found
}

/// Where in the site a Secret name read by `out/{path}` was written, and what to call it: the
/// component setting whose value is the name (a component whose Application is `path` first),
/// else the component whose Application reads it, else the site's name. The file of `out/` is
/// never written when this is reported, so a label there would point at nothing.
fn origin(site: &Site, path: &str, name: &str) -> (Span, String) {
    let components: Vec<_> = site.layers.iter().flat_map(|l| &l.components).collect();
    let reads = |component: &str| {
        path.strip_prefix("argocd/application-")
            .and_then(|rest| rest.strip_suffix(".yaml"))
            .is_some_and(|application| {
                application == component || application.starts_with(&format!("{component}-"))
            })
    };
    let names = |value: &SettingValue| match value {
        SettingValue::String(text) => text == name,
        SettingValue::List(items) => items.iter().any(|i| i == name),
        _ => false,
    };
    let mut ordered = components.clone();
    ordered.sort_by_key(|c| !reads(c.name.as_str()));
    for component in &ordered {
        if let Some((key, setting)) = component.settings.iter().find(|(_, v)| names(&v.value)) {
            return (
                setting.span,
                format!("`{key}` of `{}` names it", component.name),
            );
        }
    }
    if let Some(component) = components.iter().find(|c| reads(c.name.as_str())) {
        return (
            component.name.span,
            format!("`{}` reads it (its chart values)", component.name),
        );
    }
    (site.settings.name.span, format!("read by out/{path}"))
}

/// Checks every reference in `files` against the secrets `site` declares; each finding is
/// labelled in `file`, the site.
pub fn coverage(site: &Site, file: &Arc<SourceFile>, files: &Files) -> Vec<Located> {
    let mut diagnostics = Vec::new();
    for (path, object) in files.secret_readers() {
        for reference in references(&object) {
            let declared: Vec<_> = site
                .secrets
                .iter()
                .filter(|s| s.name.as_str() == reference.name)
                .collect();
            if declared
                .iter()
                .any(|s| s.namespace.as_str() == reference.namespace)
            {
                continue;
            }
            let reason = match declared.first() {
                None => "which site.kdl does not declare".to_string(),
                Some(s) => format!(
                    "but it is declared in namespace `{}`; a Secret is only read from its own namespace, and labc places its SealedSecret there whatever its scope",
                    s.namespace
                ),
            };
            let (span, origin) = origin(site, path, &reference.name);
            let suggestion = Suggestion::new(
                &reference.name,
                site.secrets
                    .iter()
                    .filter(|s| s.namespace.as_str() == reference.namespace)
                    .map(|s| s.name.as_str()),
            );
            diagnostics.push(Located::new(
                file,
                Error::SecretUncovered {
                    name: reference.name.clone(),
                    namespace: reference.namespace.clone(),
                    path: path.to_string(),
                    reason,
                    suggestion,
                    origin,
                    span,
                },
            ));
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_walk_reads_is_a_candidate_in_every_quoting() {
        for key in NAME_KEYS
            .iter()
            .chain(REF_KEYS)
            .chain(LIST_KEYS)
            .chain(REF_LIST_KEYS)
        {
            for text in [
                format!("spec:\n  {key}: x\n"),
                format!("- {key}:\n    name: x\n"),
                format!("values: '{{\"{key}\": \"x\"}}'\n"),
                format!("values: \"{{\\\"{key}\\\": 1}}\"\n"),
                format!("'{key}': x"),
            ] {
                assert!(may_name_a_secret(&text), "{key} in {text:?}");
            }
        }
    }

    #[test]
    fn a_mention_that_is_not_such_a_key_is_skipped() {
        for text in [
            "kind: SealedSecret\nmetadata:\n  namespace: sealed-secrets\n",
            "metadata:\n  name: secret-reader\n",
            "mySecretName: x\n",
            "secretNames: x\n",
            "secret: x\n",
            "secretName x\n",
        ] {
            assert!(!may_name_a_secret(text), "{text:?}");
        }
    }

    /// The filter must not hide a reference: every seed file the full parse finds a
    /// reference in passes it.
    #[test]
    fn the_filter_keeps_every_file_with_a_reference() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  namespace: blog\nspec:\n  template:\n    spec:\n      containers:\n      - env:\n        - name: P\n          valueFrom:\n            secretKeyRef:\n              name: mysql\n              key: p\n";
        let object: Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(references(&object).len(), 1);
        assert!(may_name_a_secret(yaml));
    }
}
