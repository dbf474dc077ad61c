//! The sealed-secrets controller's hybrid format (v1alpha1 `encryptedData` values):
//! `u16 BE length of the RSA part ‖ RSA-OAEP(SHA-256, session key, label) ‖ AES-256-GCM(value)`.
//! The GCM nonce is twelve zero bytes: each random session key seals exactly one value.

use super::scope_label;
use crate::model::SecretScope;
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use rand::{CryptoRng, RngCore};
use rsa::{Oaep, RsaPrivateKey, RsaPublicKey};

const SESSION_KEY_BYTES: usize = 32;

/// Why a ciphertext did not open. Wording for people is in the callers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    TooShort,
    SessionKey,
    Value,
}

/// Seals one value for the secret `namespace/name` under `scope`.
pub fn seal<R: RngCore + CryptoRng>(
    key: &RsaPublicKey,
    scope: SecretScope,
    namespace: &str,
    name: &str,
    value: &[u8],
    rng: &mut R,
) -> Vec<u8> {
    let label = scope_label(scope, namespace, name);
    let mut session = [0u8; SESSION_KEY_BYTES];
    rng.fill_bytes(&mut session);
    let padding = Oaep::new_with_label::<sha2::Sha256, _>(label);
    // only fails for a key too small to hold 32 bytes with OAEP, refused when the cert is read
    let wrapped = key
        .encrypt(rng, padding, &session)
        .expect("the certificate's key holds a session key");
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&session));
    let sealed = cipher
        .encrypt(Nonce::from_slice(&[0u8; 12]), value)
        .expect("AES-GCM seals any value that fits in memory");
    let mut out = Vec::with_capacity(2 + wrapped.len() + sealed.len());
    out.extend_from_slice(&(wrapped.len() as u16).to_be_bytes());
    out.extend_from_slice(&wrapped);
    out.extend_from_slice(&sealed);
    out
}

/// Opens one value; the controller's side, used by the tests and to prove interoperability.
pub fn open(
    key: &RsaPrivateKey,
    scope: SecretScope,
    namespace: &str,
    name: &str,
    sealed: &[u8],
) -> Result<Vec<u8>, OpenError> {
    let [a, b, rest @ ..] = sealed else {
        return Err(OpenError::TooShort);
    };
    let len = u16::from_be_bytes([*a, *b]) as usize;
    if rest.len() < len {
        return Err(OpenError::TooShort);
    }
    let (wrapped, body) = rest.split_at(len);
    let padding = Oaep::new_with_label::<sha2::Sha256, _>(scope_label(scope, namespace, name));
    let session = key
        .decrypt(padding, wrapped)
        .map_err(|_| OpenError::SessionKey)?;
    if session.len() != SESSION_KEY_BYTES {
        return Err(OpenError::SessionKey);
    }
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&session));
    cipher
        .decrypt(Nonce::from_slice(&[0u8; 12]), body)
        .map_err(|_| OpenError::Value)
}
