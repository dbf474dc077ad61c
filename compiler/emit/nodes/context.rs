//! What the node templates see: every value already quoted for where it lands (shell words,
//! YAML scalars), so the templates hold no escaping rules of their own.

use crate::model::{Aspm, Node, NodeRole, SettingValue, Site, TaintEffect};
use crate::stdlib::releases::{KUBERNETES_DEB_REVISION, PAUSE_IMAGE, RUNC};
use crate::stdlib::Catalog;
use serde::Serialize;
use std::net::IpAddr;

/// The port kubeadm's API server listens on; labc does not make it configurable.
const API_PORT: u16 = 6443;

/// The label on which Longhorn creates its default disk on a node (chart setting
/// `defaultSettings.createDefaultDiskLabeledNodes`).
pub const LONGHORN_DISK_LABEL: (&str, &str) = ("node.longhorn.io/create-default-disk", "true");

#[derive(Serialize)]
pub struct NodeContext {
    pub site: String,
    pub node: String,
    pub role: &'static str,
    /// The node that runs `kubeadm init`: the first control-plane node in file order.
    pub init: bool,
    pub control_plane: bool,
    pub address: String,
    pub api_endpoint: String,
    pub init_node: String,
    pub upload_certs: bool,
    pub kubernetes_version: String,
    pub kubernetes_minor: String,
    pub kubernetes_package: String,
    pub containerd_version: String,
    pub runc_version: &'static str,
    pub pause_image: &'static str,
    pub pod_subnet: String,
    pub service_subnet: String,
    pub cilium: bool,
    pub skip_kube_proxy: bool,
    pub longhorn: bool,
    pub modules: Vec<&'static str>,
    pub sysctls: Vec<Sysctl>,
    pub disks: Vec<DiskContext>,
    pub nics: Vec<String>,
    /// `performance` or `off` when a `nic` asks for it (`off` wins), else none.
    pub aspm: Option<&'static str>,
    pub aspm_performance: bool,
    pub aspm_off: bool,
    /// A NIC step at all: a NIC's power saving off or an ASPM policy.
    pub power: bool,
    /// `labc-nic-power-saving.service`, which redoes at boot what does not persist by itself.
    pub boot_unit: bool,
    pub node_labels: Option<String>,
    pub taints: Vec<TaintContext>,
    /// What the node sends to Wazuh, with Wazuh in the site.
    pub siem: Option<SiemContext>,
}

#[derive(Serialize)]
pub struct SiemContext {
    /// The workers' fixed ClusterIP and syslog port (`crate::wazuh`).
    pub address: String,
    pub port: u16,
    /// The node's own syslog (`sources` has `syslog`).
    pub syslog: bool,
    /// A control-plane node with `k8s-audit`: the API server writes the audit log, and rsyslog
    /// ships it.
    pub audit: bool,
}

#[derive(Serialize)]
pub struct Sysctl {
    pub key: &'static str,
    pub value: &'static str,
    /// The key names many interfaces (`lxc*`), so there is no single value to read back.
    pub pattern: bool,
}

#[derive(Serialize)]
pub struct DiskContext {
    /// Shell-quoted.
    pub device: String,
    /// Shell-quoted.
    pub mount: String,
    pub longhorn: bool,
}

#[derive(Serialize)]
pub struct TaintContext {
    /// YAML-quoted.
    pub key: String,
    /// YAML-quoted.
    pub value: Option<String>,
    pub effect: &'static str,
}

impl NodeContext {
    pub fn new(site: &Site, catalog: &Catalog, node: &Node) -> Self {
        let control_planes: Vec<&Node> = site
            .nodes
            .iter()
            .filter(|n| n.role == NodeRole::ControlPlane)
            .collect();
        // the checker guarantees one control-plane node
        let first = control_planes[0];
        let init = std::ptr::eq(first, node);
        let control_plane = node.role == NodeRole::ControlPlane;
        let settings = &site.settings;
        let kubernetes = &settings.kubernetes.value;
        let cilium = site.has_component("cilium");
        let skip_kube_proxy = cilium && cilium_replaces_kube_proxy(site, catalog);
        let longhorn = site.has_component("longhorn") || node.disks.iter().any(|d| d.longhorn);
        let mut modules = vec!["overlay", "br_netfilter"];
        if longhorn {
            modules.extend(["iscsi_tcp", "dm_crypt", "nfs"]);
        }
        let mut sysctls = vec![
            ("net.ipv4.ip_forward", "1"),
            ("net.bridge.bridge-nf-call-iptables", "1"),
            ("net.bridge.bridge-nf-call-ip6tables", "1"),
            // log shippers and Falco watch many files; distribution defaults run out
            ("fs.inotify.max_user_instances", "8192"),
            ("fs.inotify.max_user_watches", "524288"),
        ];
        if cilium {
            // systemd turns strict reverse-path filtering on for new links, which drops
            // traffic of Cilium's per-pod interfaces
            sysctls.push(("net.ipv4.conf.lxc*.rp_filter", "0"));
        }
        if site.has_component(crate::wazuh::COMPONENT) {
            // the Wazuh indexer (OpenSearch) refuses to start below it; upstream sets it from a
            // privileged init container, which labc does not write
            sysctls.push(("vm.max_map_count", "262144"));
        }
        let mut taints: Vec<TaintContext> = node
            .taints
            .iter()
            .map(|t| TaintContext {
                key: yaml(&t.key),
                value: t.value.as_deref().map(yaml),
                effect: effect(t.effect),
            })
            .collect();
        if !node.schedulable {
            let key = match node.role {
                NodeRole::ControlPlane => "node-role.kubernetes.io/control-plane",
                NodeRole::Worker => "labc.dev/unschedulable",
            };
            taints.push(TaintContext {
                key: yaml(key),
                value: None,
                effect: "NoSchedule",
            });
        }
        let mut labels = node.labels.clone();
        if site.has_component("longhorn") && node.disks.iter().any(|d| d.longhorn) {
            // with createDefaultDiskLabeledNodes (stdlib/components/longhorn.kdl), Longhorn puts
            // a default disk only on nodes with this label, never on a node's OS disk
            labels.insert(LONGHORN_DISK_LABEL.0.into(), LONGHORN_DISK_LABEL.1.into());
        }
        let node_labels = (!labels.is_empty()).then(|| {
            let joined: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            yaml(&joined.join(","))
        });
        let siem = crate::wazuh::sources(site).and_then(|sources| {
            let has = |s: &str| sources.iter().any(|x| x == s);
            let audit = control_plane && has("k8s-audit");
            (audit || has("syslog")).then_some(())?;
            Some(SiemContext {
                address: crate::wazuh::syslog_address(site)?.to_string(),
                port: crate::wazuh::SYSLOG_PORT,
                syslog: has("syslog"),
                audit,
            })
        });
        let nics: Vec<String> = node
            .nics
            .iter()
            .filter(|n| !n.power_saving)
            .map(|n| n.name.to_string())
            .collect();
        // `off` (on the kernel command line) wins over `performance` (a runtime policy)
        let aspm = node
            .nics
            .iter()
            .filter_map(|n| n.aspm.map(|a| a.value))
            .max();
        NodeContext {
            siem,
            site: settings.name.to_string(),
            node: node.name.to_string(),
            role: match node.role {
                NodeRole::ControlPlane => "control-plane",
                NodeRole::Worker => "worker",
            },
            init,
            control_plane,
            address: node.address.to_string(),
            api_endpoint: endpoint(first.address.value.0),
            init_node: first.name.to_string(),
            upload_certs: control_planes.len() > 1,
            kubernetes_version: kubernetes.to_string(),
            kubernetes_minor: format!("v{}.{}", kubernetes.major(), kubernetes.minor()),
            kubernetes_package: format!("{kubernetes}-{KUBERNETES_DEB_REVISION}"),
            containerd_version: settings.runtime_version.to_string(),
            runc_version: RUNC,
            pause_image: PAUSE_IMAGE,
            pod_subnet: settings.network.pods.to_string(),
            service_subnet: settings.network.services.to_string(),
            cilium,
            skip_kube_proxy,
            longhorn,
            modules,
            sysctls: sysctls
                .into_iter()
                .map(|(key, value)| Sysctl {
                    key,
                    value,
                    pattern: key.contains('*'),
                })
                .collect(),
            disks: node
                .disks
                .iter()
                .filter_map(|d| {
                    Some(DiskContext {
                        mount: shell(d.mount_path()?),
                        device: shell(&d.device),
                        longhorn: d.longhorn,
                    })
                })
                .collect(),
            aspm: aspm.map(|a| match a {
                Aspm::Performance => "performance",
                Aspm::Off => "off",
            }),
            aspm_performance: aspm == Some(Aspm::Performance),
            aspm_off: aspm == Some(Aspm::Off),
            power: !nics.is_empty() || aspm.is_some(),
            boot_unit: !nics.is_empty() || aspm == Some(Aspm::Performance),
            nics,
            node_labels,
            taints,
        }
    }
}

/// The cilium component's `kube-proxy-replacement`, as the site sets it or its default.
fn cilium_replaces_kube_proxy(site: &Site, catalog: &Catalog) -> bool {
    let used = site
        .layers
        .iter()
        .flat_map(|l| &l.components)
        .find(|c| c.name.as_str() == "cilium");
    let set = used.and_then(|c| c.settings.get("kube-proxy-replacement"));
    let value = set.map(|v| v.value.clone()).or_else(|| {
        catalog
            .get("cilium")?
            .setting("kube-proxy-replacement")?
            .default
            .clone()
    });
    matches!(value, Some(SettingValue::Bool(true)))
}

fn endpoint(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => format!("{ip}:{API_PORT}"),
        IpAddr::V6(ip) => format!("[{ip}]:{API_PORT}"),
    }
}

fn effect(effect: TaintEffect) -> &'static str {
    match effect {
        TaintEffect::NoSchedule => "NoSchedule",
        TaintEffect::PreferNoSchedule => "PreferNoSchedule",
        TaintEffect::NoExecute => "NoExecute",
    }
}

/// A YAML double-quoted scalar; JSON's string syntax is a subset of it.
fn yaml(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialise")
}

/// One shell word, single-quoted unless it is plainly safe (the bootstrap script quotes its
/// words with it too).
pub fn shell(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%=,".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::{shell, yaml};

    #[test]
    fn quotes_for_shell_and_yaml() {
        assert_eq!(shell("/dev/sdb"), "/dev/sdb");
        assert_eq!(shell("/mnt/it's $HOME"), r"'/mnt/it'\''s $HOME'");
        assert_eq!(yaml("a=b,c\"d"), r#""a=b,c\"d""#);
    }
}
