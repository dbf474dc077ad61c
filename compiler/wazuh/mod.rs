//! Wazuh facts that several phases read: the Secrets labc generates for it (decode declares
//! them, the emitter mounts them, `labc seal` makes their values), the syslog listener that
//! Falcosidekick, the nodes and the audit log send to, and what each role's pods request (the
//! emitter writes it, the capacity check counts it). Kept below every phase, like the model.

pub mod certs;
mod der;
pub mod generate;

use crate::model::value::Name;
use crate::model::{SecretScope, Site, Spanned};

/// Why labc writes Wazuh's objects and how they differ from upstream, for docs/components.md.
pub const NOTES: &str = include_str!("../../stdlib/wazuh/README.md");

/// The component's name in the stdlib.
pub const COMPONENT: &str = "wazuh";
/// The Secret holding the CA and one certificate per role.
pub const CERTS: &str = "wazuh-certs";
/// The Secret holding the passwords and the cluster key.
pub const CREDENTIALS: &str = "wazuh-credentials";
/// TCP port of the workers' syslog `<remote>` and of their Service.
pub const SYSLOG_PORT: u16 = 514;
/// The manager's API port; the dashboard image composes its URL from `WAZUH_API_URL` and
/// `API_PORT` (wazuh-docker's `wazuh_app_config.sh`), so it is given both.
pub const API_PORT: u16 = 55000;
/// The Service in front of the workers, which receives events.
pub const WORKERS_SERVICE: &str = "wazuh-workers";

/// The roles a certificate is made for; `root-ca.pem` is the CA. The key files are PKCS#8, as
/// the indexer's security plugin requires.
pub const CERT_ROLES: &[&str] = &["admin", "node", "dashboard", "filebeat"];

/// The keys of `wazuh-credentials`. Usernames are fixed (`admin`, `kibanaserver`, `wazuh-wui`)
/// and written in the manifests: only the passwords are secret.
pub const CREDENTIAL_KEYS: &[&str] = &[
    "api-password",
    "authd-password",
    "cluster-key",
    "dashboard-password",
    "indexer-password",
];

/// The keys of `wazuh-certs`: the CA's certificate and each role's certificate and key. The
/// CA's private key is thrown away after signing: nothing in the cluster signs.
pub fn cert_keys() -> Vec<String> {
    let mut keys = vec!["root-ca.pem".to_string()];
    for role in CERT_ROLES {
        keys.push(format!("{role}.pem"));
        keys.push(format!("{role}-key.pem"));
    }
    keys
}

/// What one pod of a role requests and may use, and how many pods it has.
#[derive(Debug, Clone, Copy)]
pub struct Role {
    pub name: &'static str,
    pub replicas: u32,
    pub cpu: &'static str,
    pub memory: &'static str,
    pub cpu_limit: &'static str,
    pub memory_limit: &'static str,
}

/// Upstream sets limits only (400m/512Mi per manager); the requests make the scheduler and
/// labc's capacity check count them. The indexer's memory covers its 1 GiB heap.
pub const ROLES: &[Role] = &[
    Role {
        name: "master",
        replicas: 1,
        cpu: "250m",
        memory: "512Mi",
        cpu_limit: "1",
        memory_limit: "1Gi",
    },
    Role {
        name: "worker",
        replicas: 2,
        cpu: "250m",
        memory: "512Mi",
        cpu_limit: "1",
        memory_limit: "1Gi",
    },
    Role {
        name: "indexer",
        replicas: 1,
        cpu: "500m",
        memory: "1536Mi",
        cpu_limit: "1",
        memory_limit: "2Gi",
    },
    Role {
        name: "dashboard",
        replicas: 1,
        cpu: "250m",
        memory: "512Mi",
        cpu_limit: "500m",
        memory_limit: "1Gi",
    },
];

/// What all of Wazuh's pods request together, in thousandths (of a core, or of a byte), for
/// the capacity check.
pub fn requested_milli(memory: bool) -> u128 {
    ROLES
        .iter()
        .map(|r| {
            let q = if memory { r.memory } else { r.cpu };
            let q = crate::model::value::Quantity::parse(q).expect("the table's quantities parse");
            q.milli() * u128::from(r.replicas)
        })
        .sum()
}

pub fn role(name: &str) -> Role {
    *ROLES.iter().find(|r| r.name == name).expect("a Wazuh role")
}

/// The Secrets a site with Wazuh has without writing them: declared as if `site.kdl` held
/// them (at the component's name), so that skeletons, sealing, placement and the reference
/// check treat them like any other. A site that declares one itself keeps its own.
pub fn implied_secrets(site: &Site, catalog: &crate::stdlib::Catalog) -> Vec<crate::model::Secret> {
    let Some(used) = site
        .layers
        .iter()
        .flat_map(|l| &l.components)
        .find(|c| c.name.as_str() == COMPONENT)
    else {
        return Vec::new();
    };
    let Some(namespace) = catalog
        .get(COMPONENT)
        .and_then(|d| Name::parse(&d.namespace).ok())
    else {
        return Vec::new();
    };
    let span = used.name.span;
    let namespace = Spanned::new(namespace, span);
    let secret = |name: &str, keys: Vec<String>| crate::model::Secret {
        name: Spanned::new(Name::parse(name).expect("a DNS label"), span),
        namespace: namespace.clone(),
        scope: SecretScope::Strict,
        keys: keys.into_iter().map(|k| Spanned::new(k, span)).collect(),
        secret_type: crate::model::secret::OPAQUE,
        span,
    };
    [
        secret(CERTS, cert_keys()),
        secret(
            CREDENTIALS,
            CREDENTIAL_KEYS.iter().map(|k| k.to_string()).collect(),
        ),
    ]
    .into_iter()
    .filter(|s| {
        !site
            .secrets
            .iter()
            .any(|d| d.name.as_str() == s.name.as_str())
    })
    .collect()
}

/// Where in the services network the workers' Service sits: a fixed ClusterIP, because the
/// nodes' rsyslog and the API server's audit log cannot resolve cluster DNS names. Kubernetes
/// keeps the first 16 addresses or more of the range (its "static band") for addresses chosen
/// like this one, and kubeadm gives `.1` to `kubernetes` and `.10` to kube-dns.
const SYSLOG_OFFSET: u128 = 14;

/// The workers' fixed ClusterIP, when the services network holds it.
pub fn syslog_address(site: &Site) -> Option<std::net::IpAddr> {
    site.settings.network.services.value.host(SYSLOG_OFFSET)
}

/// The `sources` the site gives `wazuh`, if it has the component.
pub fn sources(site: &Site) -> Option<Vec<String>> {
    let used = site
        .layers
        .iter()
        .flat_map(|l| &l.components)
        .find(|c| c.name.as_str() == COMPONENT)?;
    Some(match used.settings.get("sources").map(|s| &s.value) {
        Some(crate::model::SettingValue::List(items)) => items.clone(),
        _ => Vec::new(),
    })
}

/// Is this secret one labc makes the values of?
pub fn is_generated(name: &str) -> bool {
    name == CERTS || name == CREDENTIALS
}
