//! Stand-ins for the secrets a site declares but has not sealed yet: a SealedSecret with the
//! declared name, namespace, scope and keys and no real ciphertext, made from the sealing
//! skeleton labc writes in `seal/`. Compiling the site with them puts each where `labc build`
//! will put the real one, so `verify` checks the order of a secret before anyone seals it.

use super::apps::{documents, str_at};
use crate::secrets::SealedFile;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What every stand-in holds instead of ciphertext; never a value anyone could use.
const NOT_SEALED: &str = "not-sealed";

/// One stand-in per skeleton of `seal/` whose secret has no sealed file in `sealed`.
pub fn stand_ins(files: &BTreeMap<String, Vec<u8>>, sealed: &[SealedFile]) -> Vec<SealedFile> {
    let have: BTreeSet<&str> = sealed.iter().map(|s| s.path.as_str()).collect();
    let mut out = Vec::new();
    for (path, bytes) in files.range("seal/".to_string()..) {
        if !path.starts_with("seal/") {
            break;
        }
        for skeleton in documents(path, bytes).unwrap_or_default() {
            if str_at(&skeleton, &["kind"]) != "Secret" {
                continue;
            }
            let (ns, name) = (
                str_at(&skeleton, &["metadata", "namespace"]),
                str_at(&skeleton, &["metadata", "name"]),
            );
            let sealed_path = crate::secrets::sealed::path_of(ns, name);
            if have.contains(sealed_path.as_str()) {
                continue;
            }
            let mut metadata = skeleton.get("metadata").cloned().unwrap_or(Value::Null);
            if let Some(annotations) = metadata
                .get_mut("annotations")
                .and_then(Value::as_object_mut)
            {
                annotations.retain(|k, _| k.starts_with("sealedsecrets.bitnami.com/"));
            }
            let keys: serde_json::Map<String, Value> = skeleton
                .get("stringData")
                .and_then(Value::as_object)
                .map(|m| {
                    m.keys()
                        .map(|k| (k.clone(), Value::String(NOT_SEALED.into())))
                        .collect()
                })
                .unwrap_or_default();
            let object = json!({
                "apiVersion": "bitnami.com/v1alpha1",
                "kind": "SealedSecret",
                "metadata": metadata,
                "spec": {"encryptedData": keys, "template": {"metadata": metadata}},
            });
            out.push(SealedFile {
                path: sealed_path,
                text: object.to_string(),
            });
        }
    }
    out
}
