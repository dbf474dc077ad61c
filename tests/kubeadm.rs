//! Every emitted kubeadm.yaml parses into the kubeadm v1beta4 (and kubelet v1beta1) types, field
//! for field: a misspelt or misplaced key is an unknown field and fails here, not on a machine.
//! The structs list the fields of the upstream Go types that labc may write.

// most fields exist to be accepted, not read
#![allow(dead_code)]

use crate::support::{catalog, display_name, good_sites, out_text, root};
use serde::Deserialize;
use std::collections::BTreeMap;

// the variants are the kubeadm kinds, spelt as kubeadm spells them
#[allow(clippy::enum_variant_names)]
#[derive(Deserialize, Debug)]
#[serde(tag = "kind", deny_unknown_fields)]
enum Document {
    InitConfiguration(InitConfiguration),
    ClusterConfiguration(ClusterConfiguration),
    JoinConfiguration(JoinConfiguration),
    KubeletConfiguration(KubeletConfiguration),
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct InitConfiguration {
    api_version: String,
    bootstrap_tokens: Option<serde_yaml::Value>,
    dry_run: Option<bool>,
    node_registration: NodeRegistration,
    #[serde(rename = "localAPIEndpoint")]
    local_api_endpoint: Option<ApiEndpoint>,
    certificate_key: Option<String>,
    skip_phases: Option<Vec<String>>,
    patches: Option<serde_yaml::Value>,
    timeouts: Option<serde_yaml::Value>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClusterConfiguration {
    api_version: String,
    etcd: Option<serde_yaml::Value>,
    networking: Networking,
    kubernetes_version: String,
    control_plane_endpoint: String,
    api_server: Option<serde_yaml::Value>,
    controller_manager: Option<serde_yaml::Value>,
    scheduler: Option<serde_yaml::Value>,
    dns: Option<serde_yaml::Value>,
    proxy: Option<Proxy>,
    certificates_dir: Option<String>,
    image_repository: Option<String>,
    feature_gates: Option<BTreeMap<String, bool>>,
    cluster_name: String,
    encryption_algorithm: Option<String>,
    certificate_validity_period: Option<String>,
    ca_certificate_validity_period: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Networking {
    service_subnet: String,
    pod_subnet: String,
    dns_domain: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Proxy {
    disabled: bool,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JoinConfiguration {
    api_version: String,
    dry_run: Option<bool>,
    node_registration: NodeRegistration,
    ca_cert_path: Option<String>,
    discovery: Discovery,
    control_plane: Option<JoinControlPlane>,
    skip_phases: Option<Vec<String>>,
    patches: Option<serde_yaml::Value>,
    timeouts: Option<serde_yaml::Value>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Discovery {
    bootstrap_token: BootstrapTokenDiscovery,
    file: Option<serde_yaml::Value>,
    tls_bootstrap_token: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BootstrapTokenDiscovery {
    token: String,
    api_server_endpoint: String,
    ca_cert_hashes: Vec<String>,
    unsafe_skip_ca_verification: Option<bool>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JoinControlPlane {
    #[serde(rename = "localAPIEndpoint")]
    local_api_endpoint: ApiEndpoint,
    certificate_key: String,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ApiEndpoint {
    advertise_address: String,
    bind_port: u16,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NodeRegistration {
    name: String,
    cri_socket: String,
    taints: Vec<Taint>,
    kubelet_extra_args: Vec<Arg>,
    ignore_preflight_errors: Option<Vec<String>>,
    image_pull_policy: Option<String>,
    image_pull_serial: Option<bool>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Arg {
    name: String,
    value: String,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Taint {
    key: String,
    value: Option<String>,
    effect: Effect,
    time_added: Option<String>,
}

#[derive(Deserialize, Debug, PartialEq)]
enum Effect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct KubeletConfiguration {
    api_version: String,
    cgroup_driver: String,
}

fn registration(d: &Document) -> Option<&NodeRegistration> {
    match d {
        Document::InitConfiguration(i) => Some(&i.node_registration),
        Document::JoinConfiguration(j) => Some(&j.node_registration),
        _ => None,
    }
}

fn documents(path: &str, text: &str) -> Vec<Document> {
    serde_yaml::Deserializer::from_str(text)
        .map(|doc| {
            Document::deserialize(doc)
                .unwrap_or_else(|e| panic!("{path} is not kubeadm v1beta4: {e}"))
        })
        .collect()
}

/// Every site that compiles: the seed, the fixtures and the bats site.
fn sites() -> Vec<std::path::PathBuf> {
    let mut sites = good_sites();
    sites.push(root().join("tests/nodes/site.kdl"));
    sites
}

fn compile(site: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let bytes = std::fs::read(site).unwrap();
    match labc::compile(&display_name(site), &bytes, &catalog()) {
        Ok(compiled) => compiled.files.into_map(),
        Err(errors) => panic!("{}", labc::cli::render_plain(errors)),
    }
}

#[test]
fn every_kubeadm_config_has_only_v1beta4_fields() {
    for site in sites() {
        let files = compile(&site);
        let mut inits = 0;
        for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with("/kubeadm.yaml")) {
            let text = std::str::from_utf8(bytes).unwrap();
            let docs = documents(path, text);
            let node = path.split('/').nth(1).unwrap();
            match docs.as_slice() {
                [Document::InitConfiguration(init), Document::ClusterConfiguration(cluster), Document::KubeletConfiguration(kubelet)] =>
                {
                    inits += 1;
                    assert_eq!(init.api_version, "kubeadm.k8s.io/v1beta4");
                    assert_eq!(cluster.api_version, "kubeadm.k8s.io/v1beta4");
                    assert_eq!(kubelet.api_version, "kubelet.config.k8s.io/v1beta1");
                    assert_eq!(kubelet.cgroup_driver, "systemd");
                    assert_eq!(init.node_registration.name, node);
                    assert!(cluster.kubernetes_version.starts_with("v1.31."));
                    // skipping the add-on and recording it in the cluster go together
                    let skips = init
                        .skip_phases
                        .iter()
                        .flatten()
                        .any(|p| p == "addon/kube-proxy");
                    assert_eq!(skips, cluster.proxy.as_ref().is_some_and(|p| p.disabled));
                    let endpoint = init.local_api_endpoint.as_ref().unwrap();
                    assert_eq!(
                        cluster.control_plane_endpoint,
                        format!("{}:{}", endpoint.advertise_address, endpoint.bind_port)
                    );
                    assert!(!cluster.networking.pod_subnet.is_empty());
                }
                [Document::JoinConfiguration(join)] => {
                    assert_eq!(join.api_version, "kubeadm.k8s.io/v1beta4");
                    assert_eq!(join.node_registration.name, node);
                    let token = &join.discovery.bootstrap_token;
                    // secrets are placeholders the script fills in, never values
                    assert_eq!(token.token, "@LABC_JOIN_TOKEN@");
                    assert_eq!(token.ca_cert_hashes, ["@LABC_CA_CERT_HASH@"]);
                    if let Some(cp) = &join.control_plane {
                        assert_eq!(cp.certificate_key, "@LABC_CERTIFICATE_KEY@");
                    }
                }
                other => panic!("{path}: unexpected documents {other:?}"),
            }
            for r in docs.iter().filter_map(registration) {
                assert_eq!(r.cri_socket, "unix:///run/containerd/containerd.sock");
                assert!(r.kubelet_extra_args.iter().any(|a| a.name == "node-ip"));
            }
        }
        assert_eq!(
            inits,
            1,
            "{}: exactly one node runs kubeadm init",
            site.display()
        );
    }
}

#[test]
fn unknown_fields_are_refused() {
    let text = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\nnodeRegistration: {name: a, criSocket: s, taints: [], kubeletExtraArgs: []}\ndiscovery: {bootstrapToken: {token: t, apiServerEndpoint: e, caCertHashes: []}}\ncontrolPlane: {localAPIEndpoint: {advertiseAddress: a, bindPort: 1}, certificateKey: k, timeoutForControlPlane: 4m}\n";
    let err = Document::deserialize(serde_yaml::Deserializer::from_str(text).next().unwrap())
        .unwrap_err()
        .to_string();
    assert!(err.contains("timeoutForControlPlane"), "{err}");
}

#[test]
fn labels_taints_and_control_plane_joins_reach_kubeadm() {
    let files = compile(&root().join("tests/nodes/site.kdl"));
    let nodes: BTreeMap<_, _> = files
        .iter()
        .filter(|(p, _)| p.starts_with("nodes/"))
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect();
    insta::assert_snapshot!("bench_site_nodes", out_text(&nodes));
    let text = |p: &str| String::from_utf8(files[p].clone()).unwrap();
    let docs = documents("cp-1", &text("nodes/cp-1/kubeadm.yaml"));
    let Document::InitConfiguration(init) = &docs[0] else {
        panic!("cp-1 initialises the cluster")
    };
    let labels = init
        .node_registration
        .kubelet_extra_args
        .iter()
        .find(|a| a.name == "node-labels")
        .expect("node-labels");
    assert_eq!(labels.value, "topology.kubernetes.io/zone=rack-a");
    assert_eq!(init.node_registration.taints[0].effect, Effect::NoSchedule);
    let Document::JoinConfiguration(join) = &documents("cp-2", &text("nodes/cp-2/kubeadm.yaml"))[0]
    else {
        panic!("cp-2 joins")
    };
    assert!(join.control_plane.is_some());
    assert!(
        join.node_registration.taints.is_empty(),
        "cp-2 is schedulable"
    );
    assert!(text("nodes/cp-1/provision.sh")
        .contains("kubeadm init --config \"$HERE/kubeadm.yaml\" --upload-certs"));
}

/// The seed's Longhorn lessons: a default disk only where the site gives Longhorn a disk (the
/// chart's label, which the kubeadm configuration puts on exactly those nodes), no replica on a
/// cordoned node, and a drain that moves a volume's last replica off before the node goes.
#[test]
fn longhorn_keeps_to_the_nodes_with_a_longhorn_disk() {
    let files = compile(&root().join("tests/nodes/site.kdl"));
    let text = |p: &str| String::from_utf8(files[p].clone()).unwrap();
    let label = "node.longhorn.io/create-default-disk=true";
    // the other end of the contract, where the pinned chart is at hand (CI has it): the chart
    // names the label its setting reads, and offers the drain policy
    let chart = root().join("../shared/reference/charts/longhorn/1.12.1");
    let read = |f: &str| std::fs::read_to_string(chart.join(f)).ok();
    if let Some(values) = read("values.yaml") {
        assert!(values.contains(&format!("the label \"{label}\"")));
    }
    for (node, longhorn_disk) in [
        ("cp-1", false),
        ("cp-2", false),
        ("storage-1", true),
        ("plain-1", false),
    ] {
        let docs = documents(node, &text(&format!("nodes/{node}/kubeadm.yaml")));
        let labels: Vec<String> = docs
            .iter()
            .filter_map(registration)
            .flat_map(|r| &r.kubelet_extra_args)
            .filter(|a| a.name == "node-labels")
            .flat_map(|a| a.value.split(',').map(str::to_string).collect::<Vec<_>>())
            .collect();
        assert_eq!(
            labels.iter().any(|l| l == label),
            longhorn_disk,
            "{node}: {labels:?}"
        );
    }
    let app: serde_yaml::Value =
        serde_yaml::from_str(&text("argocd/application-longhorn.yaml")).unwrap();
    let settings = &app["spec"]["source"]["helm"]["valuesObject"]["defaultSettings"];
    assert_eq!(
        settings["createDefaultDiskLabeledNodes"],
        serde_yaml::Value::Bool(true)
    );
    assert_eq!(
        settings["disableSchedulingOnCordonedNode"],
        serde_yaml::Value::Bool(true)
    );
    let policy = settings["nodeDrainPolicy"].as_str().unwrap();
    assert_eq!(policy, "block-for-eviction-if-contains-last-replica");
    if let Some(questions) = read("questions.yaml") {
        assert!(questions.contains(&format!("- {policy}\n")));
    }
}
