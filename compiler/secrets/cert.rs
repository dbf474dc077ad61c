//! The controller's public certificate: an X.509 PEM holding the RSA key values are sealed with.

use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPublicKey;
use sha2::{Digest, Sha256};

/// A certificate that may seal: RSA, in its validity period at the time it was read.
pub struct Certificate {
    pub key: RsaPublicKey,
    /// SHA-256 of the certificate's DER: a new controller key reseals every value.
    pub fingerprint: [u8; 32],
}

/// Why a certificate cannot seal; `Display` is the message `labc seal` prints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertError {
    #[error("it is not a PEM certificate ({0}); fetch it with `kubeseal --fetch-cert > FILE`")]
    NotPem(String),
    #[error("it is not an X.509 certificate ({0})")]
    NotX509(String),
    #[error("its key is not RSA; the sealed-secrets controller seals with RSA-OAEP")]
    NotRsa,
    #[error("its RSA key has {0} bits; the controller's keys have at least 2048")]
    TooSmall(usize),
    #[error("it expired at {0}; the controller has renewed its key: fetch the new certificate")]
    Expired(String),
    #[error("it is not valid before {0}")]
    NotYetValid(String),
}

/// Reads a PEM certificate and checks it is valid at `now` (seconds since the Unix epoch).
pub fn read(pem: &[u8], now: i64) -> Result<Certificate, CertError> {
    let (_, pem) =
        x509_parser::pem::parse_x509_pem(pem).map_err(|e| CertError::NotPem(e.to_string()))?;
    if pem.label != "CERTIFICATE" {
        return Err(CertError::NotPem(format!("found a `{}` block", pem.label)));
    }
    let cert = pem
        .parse_x509()
        .map_err(|e| CertError::NotX509(e.to_string()))?;
    let validity = cert.validity();
    if now > validity.not_after.timestamp() {
        return Err(CertError::Expired(validity.not_after.to_string()));
    }
    if now < validity.not_before.timestamp() {
        return Err(CertError::NotYetValid(validity.not_before.to_string()));
    }
    let key =
        RsaPublicKey::from_public_key_der(cert.public_key().raw).map_err(|_| CertError::NotRsa)?;
    if key.size() * 8 < 2048 {
        return Err(CertError::TooSmall(key.size() * 8));
    }
    Ok(Certificate {
        key,
        fingerprint: Sha256::digest(&pem.contents).into(),
    })
}
