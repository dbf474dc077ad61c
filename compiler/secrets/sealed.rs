//! Sealed files committed beside `site.kdl` (`sealed/<namespace>/<name>.yaml`), checked against
//! the declarations. The CLI reads them; this module only sees their paths and texts.

use super::{digest, scope_annotation, scope_word, CLUSTER_WIDE, NAMESPACE_WIDE};
use crate::diag::{Error, Located, SourceFile};
use crate::model::{Secret, SecretScope, Site};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The folder beside `site.kdl` that holds the sealed files.
pub const SEALED_FOLDER: &str = "sealed";
pub const API_VERSION: &str = "bitnami.com/v1alpha1";

/// One committed sealed file: its path relative to the site's folder, and its text.
#[derive(Debug, Clone)]
pub struct SealedFile {
    pub path: String,
    pub text: String,
}

/// Where `labc seal` writes a secret's sealed file and where the build looks for it.
pub fn path_of(namespace: &str, name: &str) -> String {
    format!("{SEALED_FOLDER}/{namespace}/{name}.yaml")
}

/// The SealedSecret object, with the fields labc reads and writes. Others that `kubeseal`
/// writes (`creationTimestamp: null`, `status`) are dropped when it is re-emitted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealedSecret {
    pub api_version: String,
    pub kind: String,
    pub metadata: Meta,
    pub spec: Spec,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Meta {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Spec {
    pub encrypted_data: BTreeMap<String, String>,
    #[serde(default)]
    pub template: Template,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Template {
    #[serde(default)]
    pub metadata: Meta,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// The scope the controller reads from a template's annotations (cluster-wide wins).
pub fn scope_of(meta: &Meta) -> SecretScope {
    let on = |key: &str| meta.annotations.get(key).is_some_and(|v| v == "true");
    if on(CLUSTER_WIDE) {
        SecretScope::ClusterWide
    } else if on(NAMESPACE_WIDE) {
        SecretScope::NamespaceWide
    } else {
        SecretScope::Strict
    }
}

/// The metadata labc gives a secret's SealedSecret and its template.
pub fn meta_for(secret: &Secret) -> Meta {
    let mut meta = Meta {
        name: Some(secret.name.to_string()),
        namespace: Some(secret.namespace.to_string()),
        ..Meta::default()
    };
    if let Some(annotation) = scope_annotation(secret.scope) {
        meta.annotations.insert(annotation.into(), "true".into());
    }
    meta.labels
        .insert("app.kubernetes.io/managed-by".into(), "labc".into());
    meta
}

/// A sealed file that matches its declaration, normalised for `out/`.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub object: SealedSecret,
}

/// The span of the first `needle` in `text`, or of the file's start when it is not there.
fn span_of(text: &str, needle: &str) -> miette::SourceSpan {
    text.find(needle)
        .map_or((0, 0).into(), |i| (i, needle.len()).into())
}

/// Checks every sealed file against the declarations of `site`. Declared secrets without a
/// file are warnings on their declaration in `site_file`; problems in a file are labelled in it.
pub fn check_sealed(
    site: &Site,
    site_file: &Arc<SourceFile>,
    files: &[SealedFile],
) -> (Vec<Located>, BTreeMap<(String, String), Accepted>) {
    let mut diagnostics = Vec::new();
    let mut accepted = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for file in files {
        let source = SourceFile::new(file.path.clone(), file.text.clone());
        let mut push = |e: Error| diagnostics.push(Located::new(&source, e));
        let unreadable = |reason: String, span| Error::SealedUnreadable {
            path: file.path.clone(),
            reason,
            span,
        };
        let object: SealedSecret = match serde_yaml::from_str(&file.text) {
            Ok(o) => o,
            Err(e) => {
                let at = e.location().map_or(0, |l| l.index());
                push(unreadable(e.to_string(), (at, 0).into()));
                continue;
            }
        };
        if object.kind != "SealedSecret" || object.api_version != API_VERSION {
            push(unreadable(
                format!("it is a {} {}", object.api_version, object.kind),
                span_of(&file.text, "kind"),
            ));
            continue;
        }
        let (Some(name), Some(namespace)) = (&object.metadata.name, &object.metadata.namespace)
        else {
            push(unreadable(
                "it has no metadata.name and metadata.namespace".into(),
                span_of(&file.text, "metadata"),
            ));
            continue;
        };
        let name_span = span_of(&file.text, &format!("name: {name}"));
        let Some(secret) = site
            .secrets
            .iter()
            .find(|s| s.name.as_str() == name && s.namespace.as_str() == namespace)
        else {
            push(Error::SealedUndeclared {
                name: name.clone(),
                namespace: namespace.clone(),
                span: name_span,
            });
            continue;
        };
        let expected_path = path_of(namespace, name);
        if file.path != expected_path {
            push(Error::SealedMismatch {
                name: name.clone(),
                what: "the file's path",
                expected: expected_path,
                found: file.path.clone(),
                span: name_span,
            });
            continue;
        }
        seen.insert((namespace.clone(), name.clone()));
        let mut ok = true;
        let mut mismatch = |what, expected: String, found: String, span| {
            ok = false;
            push(Error::SealedMismatch {
                name: name.clone(),
                what,
                expected,
                found,
                span,
            });
        };
        let template = &object.spec.template.metadata;
        let scope = scope_of(template);
        if scope != secret.scope || scope_of(&object.metadata) != secret.scope {
            mismatch(
                "the scope",
                scope_word(secret.scope).into(),
                scope_word(scope).into(),
                span_of(&file.text, "sealedsecrets.bitnami.com/")
                    .max(span_of(&file.text, "template")),
            );
        }
        for (what, field) in [
            ("the template's name", &template.name),
            ("the template's namespace", &template.namespace),
        ] {
            let expected = if what.ends_with("name") {
                name
            } else {
                namespace
            };
            if let Some(found) = field.as_ref().filter(|f| *f != expected) {
                mismatch(
                    what,
                    expected.clone(),
                    found.clone(),
                    span_of(&file.text, found),
                );
            }
        }
        let declared: BTreeSet<&str> = secret.keys.iter().map(|k| k.value.as_str()).collect();
        let sealed: BTreeSet<&str> = object
            .spec
            .encrypted_data
            .keys()
            .map(String::as_str)
            .collect();
        if declared != sealed {
            let list = |keys: Vec<&&str>| {
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let missing = list(declared.difference(&sealed).collect());
            let extra = list(sealed.difference(&declared).collect());
            let problem = match (missing.is_empty(), extra.is_empty()) {
                (false, false) => format!("{missing} missing and {extra} not declared"),
                (false, true) => format!("{missing} missing"),
                _ => format!("{extra} not declared"),
            };
            ok = false;
            push(Error::SealedKeys {
                name: name.clone(),
                problem,
                span: span_of(&file.text, "encryptedData"),
            });
        }
        if ok {
            accepted.insert(
                (namespace.clone(), name.clone()),
                Accepted {
                    object: normalise(secret, object),
                },
            );
        }
    }
    for secret in &site.secrets {
        let key = (secret.namespace.to_string(), secret.name.to_string());
        if !seen.contains(&key) {
            diagnostics.push(Located::new(
                site_file,
                Error::SealedMissing {
                    name: secret.name.to_string(),
                    command: format!("labc seal {}", secret.name),
                    path: path_of(&key.0, &key.1),
                    span: secret.name.span,
                },
            ));
        }
    }
    (diagnostics, accepted)
}

/// The object as `out/` holds it: labc's metadata, the file's ciphertext and digests.
fn normalise(secret: &Secret, object: SealedSecret) -> SealedSecret {
    let mut metadata = meta_for(secret);
    if let Some(digests) = object.metadata.annotations.get(digest::ANNOTATION) {
        metadata
            .annotations
            .insert(digest::ANNOTATION.into(), digests.clone());
    }
    let mut template = meta_for(secret);
    template.labels.extend(object.spec.template.metadata.labels);
    SealedSecret {
        api_version: API_VERSION.into(),
        kind: "SealedSecret".into(),
        metadata,
        spec: Spec {
            encrypted_data: object.spec.encrypted_data,
            template: Template {
                metadata: template,
                // the declared type: a pull secret sealed from an Opaque copy still works
                kind: Some(secret.secret_type.into()),
            },
        },
    }
}
