//! The values of the Secrets labc makes for Wazuh, at seal time: random passwords and the
//! certificates of `certs.rs`. They exist only in memory between here and the cipher.

use rand::{CryptoRng, Rng, RngCore};
use std::collections::BTreeMap;

const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
/// Symbols no shell, YAML, sed replacement or URL quoting treats specially.
const SYMBOLS: &[u8] = b".-_+";
const PASSWORD_LENGTH: usize = 32;

/// A password with each class at least once: the Wazuh API refuses one without an upper and a
/// lower case letter, a digit and a symbol (8 to 64 characters).
pub fn password(rng: &mut impl RngCore) -> String {
    let all: Vec<u8> = [LOWER, UPPER, DIGITS, SYMBOLS].concat();
    loop {
        let text: Vec<u8> = (0..PASSWORD_LENGTH)
            .map(|_| all[rng.gen_range(0..all.len())])
            .collect();
        let has = |class: &[u8]| text.iter().any(|c| class.contains(c));
        if [LOWER, UPPER, DIGITS, SYMBOLS].iter().all(|c| has(c)) {
            return String::from_utf8(text).expect("ASCII");
        }
    }
}

/// The manager cluster's shared key: exactly 32 characters, as `ossec.conf` requires.
fn cluster_key(rng: &mut impl RngCore) -> String {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every value of a generated secret (`super::is_generated`), by key.
pub fn values(
    secret: &str,
    organization: &str,
    namespace: &str,
    now: i64,
    rng: &mut (impl RngCore + CryptoRng),
) -> BTreeMap<String, Vec<u8>> {
    if secret == super::CERTS {
        return super::certs::generate(organization, namespace, now, rng);
    }
    super::CREDENTIAL_KEYS
        .iter()
        .map(|key| {
            let value = if *key == "cluster-key" {
                cluster_key(rng)
            } else {
                password(rng)
            };
            (key.to_string(), value.into_bytes())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn passwords_meet_the_wazuh_api_policy_and_differ() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let a = password(&mut rng);
        let b = password(&mut rng);
        assert_ne!(a, b);
        for p in [&a, &b] {
            assert_eq!(p.len(), PASSWORD_LENGTH);
            assert!(p.chars().any(|c| c.is_ascii_uppercase()));
            assert!(p.chars().any(|c| c.is_ascii_lowercase()));
            assert!(p.chars().any(|c| c.is_ascii_digit()));
            assert!(p.chars().any(|c| ".-_+".contains(c)));
        }
    }

    #[test]
    fn credentials_have_every_declared_key_and_a_32_character_cluster_key() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let v = values(super::super::CREDENTIALS, "homelab", "wazuh", 0, &mut rng);
        let keys: Vec<&str> = v.keys().map(String::as_str).collect();
        assert_eq!(keys, super::super::CREDENTIAL_KEYS);
        assert_eq!(v["cluster-key"].len(), 32);
    }
}
