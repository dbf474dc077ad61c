//! The pure part of `labc seal`: one declared secret, its values and the sealed file already
//! committed (if any) in, the new sealed file out. A value whose keyed digest matches the one
//! recorded in the committed file keeps its ciphertext, so an unchanged secret is byte for byte
//! the same file and only changed values churn git and Argo CD.

use super::cert::Certificate;
use super::sealed::{meta_for, SealedSecret, Spec, Template, API_VERSION};
use super::{digest, format, scope_label};
use crate::model::Secret;
use base64::Engine;
use rand::{CryptoRng, RngCore};
use std::collections::BTreeMap;

/// What sealing one secret did.
#[derive(Debug)]
pub struct Resealed {
    /// The file's new text, `None` when the committed file already holds these values.
    pub text: Option<String>,
    pub sealed: Vec<String>,
    pub kept: Vec<String>,
}

/// Seals `values` (every declared key, checked by the caller) for `secret`.
pub fn reseal<R: RngCore + CryptoRng>(
    secret: &Secret,
    values: &BTreeMap<String, Vec<u8>>,
    cert: &Certificate,
    hmac_key: &[u8],
    committed: Option<&str>,
    rng: &mut R,
) -> Resealed {
    let (ns, name) = (secret.namespace.as_str(), secret.name.as_str());
    let label = scope_label(secret.scope, ns, name);
    let old: Option<SealedSecret> = committed.and_then(|t| serde_yaml::from_str(t).ok());
    let old_digests = old
        .as_ref()
        .and_then(|o| o.metadata.annotations.get(digest::ANNOTATION))
        .map(|a| digest::parse(a))
        .unwrap_or_default();
    let mut digests = BTreeMap::new();
    let mut encrypted = BTreeMap::new();
    let (mut sealed, mut kept) = (Vec::new(), Vec::new());
    for (key, value) in values {
        let d = digest::digest(hmac_key, &cert.fingerprint, &label, key, value);
        let previous = old
            .as_ref()
            .and_then(|o| o.spec.encrypted_data.get(key))
            .filter(|_| old_digests.get(key) == Some(&d));
        let ciphertext = match previous {
            Some(c) => {
                kept.push(key.clone());
                c.clone()
            }
            None => {
                sealed.push(key.clone());
                let bytes = format::seal(&cert.key, secret.scope, ns, name, value, rng);
                base64::engine::general_purpose::STANDARD.encode(bytes)
            }
        };
        encrypted.insert(key.clone(), ciphertext);
        digests.insert(key.clone(), d);
    }
    let mut metadata = meta_for(secret);
    metadata
        .annotations
        .insert(digest::ANNOTATION.into(), digest::render(&digests));
    let object = SealedSecret {
        api_version: API_VERSION.into(),
        kind: "SealedSecret".into(),
        metadata,
        spec: Spec {
            encrypted_data: encrypted,
            template: Template {
                metadata: meta_for(secret),
                kind: Some(secret.secret_type.into()),
            },
        },
    };
    let mut bytes = Vec::new();
    crate::yaml::write(&object, &mut bytes).expect("a SealedSecret serialises to YAML");
    let text = String::from_utf8(bytes).expect("YAML is UTF-8");
    Resealed {
        text: (committed != Some(text.as_str())).then_some(text),
        sealed,
        kept,
    }
}
