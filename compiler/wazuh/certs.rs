//! The Wazuh certificates `labc seal` makes: a CA, then one certificate per role signed by it,
//! RSA 2048 with SHA-256 as upstream's `generate_certs.sh` makes them (ten years), but with
//! the names the indexer must see (`subjectAltName`s of its Services) and the site's name as
//! the organisation. The subjects are the DNs `opensearch.yml` trusts (`admin_dn`, `node_dn`).

use super::der::{self, seq};
use rand::{CryptoRng, RngCore};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::RsaPrivateKey;
use sha2::Sha256;
use std::collections::BTreeMap;

const KEY_BITS: usize = 2048;
const VALID_DAYS: i64 = 3650;
/// Clocks of nodes and the sealing machine disagree a little: start an hour early.
const SKEW: i64 = 3600;

const SHA256_WITH_RSA: &[u64] = &[1, 2, 840, 113_549, 1, 1, 11];
const COMMON_NAME: &[u64] = &[2, 5, 4, 3];
const ORGANIZATION: &[u64] = &[2, 5, 4, 10];
const BASIC_CONSTRAINTS: &[u64] = &[2, 5, 29, 19];
const KEY_USAGE: &[u64] = &[2, 5, 29, 15];
const EXT_KEY_USAGE: &[u64] = &[2, 5, 29, 37];
const SUBJECT_ALT_NAME: &[u64] = &[2, 5, 29, 17];
const SERVER_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 1];
const CLIENT_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 2];

/// The common name of each role's certificate; `node` is the indexer's.
pub fn common_name(role: &str) -> &str {
    match role {
        "node" => "indexer",
        other => other,
    }
}

/// A role's DN as OpenSearch prints it (RFC 2253, last RDN first).
pub fn dn(role: &str, organization: &str) -> String {
    format!("CN={},O={organization}", common_name(role))
}

/// The names the indexer is reached by: its Service (short and full), and each pod of its
/// StatefulSet through the headless Service.
pub fn indexer_names(namespace: &str) -> Vec<String> {
    let mut names = vec!["indexer".to_string()];
    for suffix in ["", ".svc", ".svc.cluster.local"] {
        names.push(format!("indexer.{namespace}{suffix}"));
    }
    names.push("wazuh-indexer-0.wazuh-indexer".into());
    names.push(format!("*.wazuh-indexer.{namespace}.svc.cluster.local"));
    names
}

fn name(organization: &str, common: &str) -> Vec<u8> {
    let rdn = |oid: &[u64], value: &str| der::set(&[seq(&[der::oid(oid), der::utf8(value)])]);
    seq(&[rdn(ORGANIZATION, organization), rdn(COMMON_NAME, common)])
}

fn extension(oid: &[u64], critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![der::oid(oid)];
    if critical {
        parts.push(der::boolean(true));
    }
    parts.push(der::octets(&value));
    seq(&parts)
}

struct Subject<'a> {
    common: &'a str,
    ca: bool,
    dns: &'a [String],
}

fn certificate(
    subject: &Subject,
    organization: &str,
    issuer: &[u8],
    public: &RsaPrivateKey,
    signer: &RsaPrivateKey,
    now: i64,
    rng: &mut (impl RngCore + CryptoRng),
) -> Vec<u8> {
    let algorithm = seq(&[der::oid(SHA256_WITH_RSA), der::null()]);
    let mut serial = [0u8; 16];
    rng.fill_bytes(&mut serial);
    serial[0] &= 0x7f;
    let spki = public
        .to_public_key()
        .to_public_key_der()
        .expect("an RSA public key encodes")
        .into_vec();
    let mut extensions = vec![extension(
        BASIC_CONSTRAINTS,
        true,
        if subject.ca {
            seq(&[der::boolean(true)])
        } else {
            seq(&[])
        },
    )];
    // keyCertSign|cRLSign for the CA; digitalSignature|keyEncipherment for the others
    let usage = if subject.ca { 0x06 } else { 0xa0 };
    extensions.push(extension(KEY_USAGE, true, der::bits(&[usage])));
    if !subject.ca {
        extensions.push(extension(
            EXT_KEY_USAGE,
            false,
            seq(&[der::oid(SERVER_AUTH), der::oid(CLIENT_AUTH)]),
        ));
    }
    if !subject.dns.is_empty() {
        let names: Vec<Vec<u8>> = subject
            .dns
            .iter()
            .map(|n| der::context(2, false, n.as_bytes()))
            .collect();
        extensions.push(extension(SUBJECT_ALT_NAME, false, seq(&names)));
    }
    let tbs = seq(&[
        der::context(0, true, &der::uint(&[2])),
        der::uint(&serial),
        algorithm.clone(),
        issuer.to_vec(),
        seq(&[der::time(now - SKEW), der::time(now + VALID_DAYS * 86_400)]),
        name(organization, subject.common),
        spki,
        der::context(3, true, &seq(&extensions)),
    ]);
    let signature = SigningKey::<Sha256>::new(signer.clone()).sign(&tbs);
    seq(&[tbs, algorithm, der::bits(&signature.to_bytes())])
}

fn pem(label: &str, der: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in text.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out.into_bytes()
}

/// Every key of `wazuh-certs` (`super::cert_keys`): PEM certificates and PKCS#8 PEM keys.
pub fn generate(
    organization: &str,
    namespace: &str,
    now: i64,
    rng: &mut (impl RngCore + CryptoRng),
) -> BTreeMap<String, Vec<u8>> {
    let new_key = |rng: &mut _| RsaPrivateKey::new(rng, KEY_BITS).expect("RSA key generation");
    let ca_key = new_key(rng);
    let ca_name = name(organization, "root-ca");
    let ca = Subject {
        common: "root-ca",
        ca: true,
        dns: &[],
    };
    let mut out = BTreeMap::new();
    let ca_cert = certificate(&ca, organization, &ca_name, &ca_key, &ca_key, now, rng);
    out.insert("root-ca.pem".to_string(), pem("CERTIFICATE", &ca_cert));
    let indexer = indexer_names(namespace);
    for role in super::CERT_ROLES {
        let key = new_key(rng);
        let subject = Subject {
            common: common_name(role),
            ca: false,
            dns: if *role == "node" { &indexer } else { &[] },
        };
        let cert = certificate(&subject, organization, &ca_name, &key, &ca_key, now, rng);
        out.insert(format!("{role}.pem"), pem("CERTIFICATE", &cert));
        let key_pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .expect("an RSA key encodes as PKCS#8");
        out.insert(format!("{role}-key.pem"), key_pem.as_bytes().to_vec());
    }
    out
}

/// Reading back what `generate` wrote, with the independent parser (`x509-parser`) and
/// `rsa`'s verifier: for the unit tests here and the sealing test of `tests/wazuh.rs`.
#[doc(hidden)]
pub mod tests_support {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
    use rsa::signature::Verifier;
    use rsa::{RsaPrivateKey, RsaPublicKey};
    use sha2::Sha256;
    use x509_parser::prelude::*;

    /// A certificate's DER.
    pub struct Parsed(pub Vec<u8>);

    pub fn parse(pem_bytes: &[u8]) -> Parsed {
        let (_, pem) = x509_parser::pem::parse_x509_pem(pem_bytes).expect("a PEM certificate");
        pem.parse_x509().expect("an X.509 certificate");
        Parsed(pem.contents)
    }

    fn cert(p: &Parsed) -> X509Certificate<'_> {
        X509Certificate::from_der(&p.0).expect("DER").1
    }

    fn public(c: &X509Certificate) -> RsaPublicKey {
        RsaPublicKey::from_public_key_der(c.public_key().raw).expect("an RSA key")
    }

    /// Panics unless `leaf` is a non-CA certificate signed by `ca` (itself a self-signed CA)
    /// for the key `key_pem` (PKCS#8), within its validity.
    pub fn check_leaf(ca: &Parsed, leaf: &[u8], key_pem: &[u8]) {
        let ca = cert(ca);
        assert!(ca.is_ca(), "the CA says it is one");
        let ca_key = public(&ca);
        let verify = |c: &X509Certificate, key: &RsaPublicKey| {
            let signature = Signature::try_from(c.signature_value.data.as_ref()).expect("sig");
            VerifyingKey::<Sha256>::new(key.clone())
                .verify(c.tbs_certificate.as_ref(), &signature)
                .expect("the signature verifies")
        };
        verify(&ca, &ca_key);
        let leaf = parse(leaf);
        let leaf = cert(&leaf);
        assert!(!leaf.is_ca());
        assert_eq!(leaf.issuer(), ca.subject());
        verify(&leaf, &ca_key);
        let key = RsaPrivateKey::from_pkcs8_pem(std::str::from_utf8(key_pem).expect("PEM"))
            .expect("a PKCS#8 RSA key");
        assert_eq!(
            key.to_public_key(),
            public(&leaf),
            "the key is the certificate's"
        );
        assert!(leaf.validity().is_valid(), "valid now");
    }

    /// The subject as OpenSearch prints it, and the DNS names of a certificate.
    pub fn subject_and_names(p: &Parsed) -> (String, Vec<String>) {
        let c = cert(p);
        let names = c
            .subject_alternative_name()
            .ok()
            .flatten()
            .map(|san| {
                san.value
                    .general_names
                    .iter()
                    .filter_map(|n| match n {
                        GeneralName::DNSName(d) => Some(d.to_string()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        // RFC 2253 order: last RDN first
        let mut rdns: Vec<String> = c
            .subject()
            .iter_rdn()
            .flat_map(|r| r.iter())
            .map(|a| {
                let short = match a.attr_type().to_id_string().as_str() {
                    "2.5.4.3" => "CN",
                    "2.5.4.10" => "O",
                    other => panic!("unexpected attribute {other}"),
                };
                format!("{short}={}", a.as_str().expect("UTF-8"))
            })
            .collect();
        rdns.reverse();
        (rdns.join(","), names)
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::{check_leaf, parse, subject_and_names};
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn every_role_is_signed_by_the_ca_and_the_indexer_answers_to_its_service_names() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let out = generate("homelab", "wazuh", now, &mut rng);
        let ca = parse(&out["root-ca.pem"]);
        for role in super::super::CERT_ROLES {
            check_leaf(
                &ca,
                &out[&format!("{role}.pem")],
                &out[&format!("{role}-key.pem")],
            );
        }
        let (subject, names) = subject_and_names(&parse(&out["node.pem"]));
        // opensearch.yml's nodes_dn and admin_dn are made with the same function
        assert_eq!(subject, dn("node", "homelab"));
        assert_eq!(subject, "CN=indexer,O=homelab");
        assert!(names.contains(&"indexer.wazuh.svc.cluster.local".to_string()));
        let (admin, _) = subject_and_names(&parse(&out["admin.pem"]));
        assert_eq!(admin, dn("admin", "homelab"));
    }
}
