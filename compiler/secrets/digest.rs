//! Keyed digests of sealed values. Sealing is random, so `labc seal` keeps a value's ciphertext
//! while its digest matches. The HMAC key lives outside the repository (see `labc seal`), so a
//! digest in git cannot be used to guess a weak value offline.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The annotation on a SealedSecret that holds `key=hex` digests, comma separated, sorted.
pub const ANNOTATION: &str = "labc.dev/sealed-digests";
pub const KEY_BYTES: usize = 32;

/// The digest of one value as sealed for `label` (the scope's OAEP label, which names the
/// secret) with the certificate `fingerprint`: a new certificate or scope reseals the value.
pub fn digest(
    hmac_key: &[u8],
    fingerprint: &[u8; 32],
    label: &str,
    key: &str,
    value: &[u8],
) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(hmac_key).expect("HMAC takes keys of any length");
    mac.update(fingerprint);
    // length prefixes keep ("a", "bc") and ("ab", "c") apart
    for part in [label.as_bytes(), key.as_bytes(), value] {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parses the annotation's value into key → digest.
pub fn parse(annotation: &str) -> std::collections::BTreeMap<String, String> {
    annotation
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

pub fn render(digests: &std::collections::BTreeMap<String, String>) -> String {
    digests
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}
