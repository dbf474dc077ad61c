//! Wazuh end to end on the seed site: its Application reads a folder of the site's repository
//! that renders (with `kubectl kustomize`, as Argo CD would, when kubectl is installed), on the
//! site's StorageClass, with no upstream default secret; Falcosidekick's syslog address leads
//! to a Service port, a container port and a `<remote>` of the `ossec.conf` those pods read;
//! `labc seal` makes the certificates and passwords, keeps them on a re-run, and rotates them
//! when asked.

use crate::support::{catalog, root};
use labc::model::SecretScope;
use labc::secrets::format;
use rsa::pkcs1::DecodeRsaPrivateKey;
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn seed_files() -> BTreeMap<String, Vec<u8>> {
    let text = std::fs::read(root().join("site.kdl")).unwrap();
    labc::compile("site.kdl", &text, &catalog())
        .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)))
        .files
        .into_map()
}

fn yaml(bytes: &[u8]) -> Value {
    serde_yaml::from_slice(bytes).unwrap()
}

/// The objects an Application of the site's own repository syncs: the YAML files of its folder
/// (the site's repo path is `out`, which is where `files` are rooted).
fn application_objects(files: &BTreeMap<String, Vec<u8>>, app: &str) -> (String, Vec<Value>) {
    let application = yaml(&files[&format!("argocd/application-{app}.yaml")]);
    let source = &application["spec"]["source"];
    assert_eq!(source["repoURL"], "https://github.com/example/homelab");
    let path = source["path"].as_str().unwrap();
    let folder = path
        .strip_prefix("out/")
        .expect("a folder of out/")
        .to_string();
    let objects = files
        .iter()
        .filter(|(p, _)| {
            p.strip_prefix(&format!("{folder}/"))
                .is_some_and(|f| !f.contains('/'))
        })
        .map(|(_, b)| yaml(b))
        .collect();
    (folder, objects)
}

fn wazuh() -> (BTreeMap<String, Vec<u8>>, String, Vec<Value>) {
    let files = seed_files();
    let (folder, objects) = application_objects(&files, "wazuh");
    (files, folder, objects)
}

fn find<'a>(objects: &'a [Value], kind: &str, name: &str) -> &'a Value {
    crate::support::find(objects, kind, name)
}

#[test]
fn the_wazuh_folder_holds_every_role_on_the_sites_storage_class() {
    let (_, folder, objects) = wazuh();
    assert_eq!(folder, "platform/wazuh");
    for (kind, name) in [
        ("StatefulSet", "wazuh-manager-master"),
        ("StatefulSet", "wazuh-manager-worker"),
        ("StatefulSet", "wazuh-indexer"),
        ("Deployment", "wazuh-dashboard"),
    ] {
        let o = find(&objects, kind, name);
        assert_eq!(o["metadata"]["namespace"], "wazuh");
        for c in o["spec"]["template"]["spec"]["containers"]
            .as_sequence()
            .unwrap()
        {
            assert!(c["image"].as_str().unwrap().ends_with(":4.14.6"), "{name}");
            assert!(
                !c["resources"]["requests"]["cpu"].is_null(),
                "{name} requests"
            );
        }
        if kind == "StatefulSet" {
            for claim in o["spec"]["volumeClaimTemplates"].as_sequence().unwrap() {
                // the seed's default class; upstream's `wazuh-storage` is MicroK8s' hostpath
                assert_eq!(claim["spec"]["storageClassName"], "longhorn", "{name}");
            }
        }
    }
    assert_eq!(
        find(&objects, "StatefulSet", "wazuh-manager-worker")["spec"]["replicas"],
        2
    );
    assert!(!objects.iter().any(|o| o["kind"] == "StorageClass"));
    // no object in the folder is one Argo CD could not apply: each has a kind and a namespace
    for o in &objects {
        assert_eq!(o["metadata"]["namespace"], "wazuh", "{o:?}");
    }
}

#[test]
fn the_wazuh_folder_renders_as_argo_cd_renders_it() {
    // needs kubectl (CI installs it); Argo CD reads a folder without kustomization.yaml as its
    // plain YAML files, and kustomize over the same files proves each one is a valid object
    let Some(kubectl) = crate::support::tool_or_skip("kubectl") else {
        return;
    };
    let (files, folder, objects) = wazuh();
    assert!(!files.contains_key(&format!("{folder}/kustomization.yaml")));
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| p.starts_with(&format!("{folder}/")))
    {
        let name = path.rsplit('/').next().unwrap();
        std::fs::write(dir.path().join(name), bytes).unwrap();
        names.push(format!("  - {name}\n"));
    }
    std::fs::write(
        dir.path().join("kustomization.yaml"),
        format!("resources:\n{}", names.concat()),
    )
    .unwrap();
    let out = std::process::Command::new(kubectl)
        .args(["kustomize"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rendered = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        rendered.matches("\nkind: ").count() + usize::from(rendered.starts_with("kind: ")),
        objects.len()
    );
}

/// The `<remote>` blocks of an `ossec.conf`, as (connection, port, protocol, allowed-ips).
fn remotes(conf: &str) -> Vec<(String, String, String, Vec<String>)> {
    let tag = |block: &str, name: &str| -> Vec<String> {
        block
            .split(&format!("<{name}>"))
            .skip(1)
            .map(|s| {
                s.split(&format!("</{name}>"))
                    .next()
                    .unwrap()
                    .trim()
                    .to_string()
            })
            .collect()
    };
    // comments may mention tags: drop them first
    let mut text = String::new();
    let mut rest = conf;
    while let Some(start) = rest.find("<!--") {
        text.push_str(&rest[..start]);
        rest = rest[start..].split_once("-->").map_or("", |(_, r)| r);
    }
    text.push_str(rest);
    tag(&text, "remote")
        .iter()
        .map(|b| {
            let one = |n| tag(b, n).into_iter().next().unwrap_or_default();
            (
                one("connection"),
                one("port"),
                one("protocol"),
                tag(b, "allowed-ips"),
            )
        })
        .collect()
}

#[test]
fn falcosidekick_syslog_reaches_a_listening_wazuh_worker() {
    let (files, _, objects) = wazuh();
    // the producer: Falcosidekick's values as its Application carries them
    let sidekick = yaml(&files["argocd/application-falcosidekick.yaml"]);
    let syslog = &sidekick["spec"]["source"]["helm"]["valuesObject"]["config"]["syslog"];
    let host = syslog["host"].as_str().unwrap();
    let port: u16 = syslog["port"].as_str().unwrap().parse().unwrap();
    assert_eq!(syslog["protocol"], "tcp");
    let (service, namespace) = host
        .strip_suffix(".svc.cluster.local")
        .and_then(|h| h.split_once('.'))
        .expect("a Service address");
    // the Service, its port and the pods it selects
    let svc = find(&objects, "Service", service);
    assert_eq!(svc["metadata"]["namespace"], namespace);
    let svc_port = svc["spec"]["ports"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|p| p["port"] == port)
        .unwrap_or_else(|| panic!("{service} does not expose {port}"));
    assert!(svc_port["protocol"].is_null() || svc_port["protocol"] == "TCP");
    let target = svc_port["targetPort"].as_u64().unwrap();
    let selector = svc["spec"]["selector"].as_mapping().unwrap();
    let selected: Vec<&Value> = objects
        .iter()
        .filter(|o| o["kind"] == "StatefulSet" || o["kind"] == "Deployment")
        .filter(|o| {
            let labels = &o["spec"]["template"]["metadata"]["labels"];
            selector
                .iter()
                .all(|(k, v)| &labels[k.as_str().unwrap()] == v)
        })
        .collect();
    assert_eq!(selected.len(), 1, "{service} selects one workload");
    let pod = &selected[0]["spec"]["template"]["spec"];
    let container = &pod["containers"][0];
    assert!(container["ports"]
        .as_sequence()
        .unwrap()
        .iter()
        .any(|p| p["containerPort"] == target));
    // the listener: the ossec.conf those pods mount
    let mount = container["volumeMounts"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|m| m["mountPath"] == "/wazuh-config-mount/etc/ossec.conf")
        .unwrap();
    let volume = pod["volumes"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|v| v["name"] == mount["name"])
        .unwrap();
    let config = find(
        &objects,
        "ConfigMap",
        volume["configMap"]["name"].as_str().unwrap(),
    );
    let conf = config["data"][mount["subPath"].as_str().unwrap()]
        .as_str()
        .unwrap();
    let listening = remotes(conf);
    let syslog = listening
        .iter()
        .find(|(connection, p, _, _)| connection == "syslog" && *p == target.to_string())
        .unwrap_or_else(|| panic!("no syslog <remote> on {target}: {listening:?}"));
    assert_eq!(syslog.2, "tcp");
    // Falcosidekick's pods are on the pod network, the nodes' syslog on the node network
    assert_eq!(syslog.3, ["10.244.0.0/16", "192.168.0.0/24"]);
}

#[test]
fn no_upstream_default_secret_or_password_is_in_out() {
    let (files, folder, objects) = wazuh();
    assert!(!objects.iter().any(|o| o["kind"] == "Secret"));
    // upstream's defaults, base64 and plain, and the demo users' published hashes
    let defaults = [
        "SecretPassword",
        "U2VjcmV0UGFzc3dvcmQ",
        "MyS3cr37P450r",
        "123a45bc67def891gh23i45jk67l8mn9",
        "a2liYW5hc2VydmVy",
        "$2y$12$",
        "$2a$12$",
        "PRIVATE KEY",
    ];
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for d in defaults {
            assert!(!text.contains(d), "{path} holds {d}");
        }
    }
    // every Secret the Wazuh pods read is one of the two labc generates and seals
    let text: String = files
        .iter()
        .filter(|(p, _)| p.starts_with(&format!("{folder}/")))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    for line in text.lines().filter(|l| l.contains("secretName:")) {
        let name = line.split(':').nth(1).unwrap().trim();
        assert!(
            ["wazuh-certs", "wazuh-credentials"].contains(&name),
            "{line}"
        );
    }
    assert!(files.contains_key("seal/wazuh/secret-wazuh-certs.yaml"));
    assert!(files.contains_key("seal/wazuh/secret-wazuh-credentials.yaml"));
}

/// The seed site with a sealing certificate, in a scratch folder.
fn scratch_seed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let site = std::fs::read_to_string(root().join("site.kdl")).unwrap();
    let site = site.replacen(
        "    sealed-secrets\n",
        "    sealed-secrets cert=\"cert.pem\"\n",
        1,
    );
    assert!(site.contains("cert=\"cert.pem\""));
    std::fs::write(dir.path().join("site.kdl"), site).unwrap();
    std::fs::copy(
        root().join("tests/seal/cert.pem"),
        dir.path().join("cert.pem"),
    )
    .unwrap();
    dir
}

fn seal(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_labc"))
        .arg("seal")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LABC_SEAL_KEY", "22".repeat(32))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Every value of a sealed file, opened with the test-only controller key.
fn open(dir: &Path, name: &str) -> BTreeMap<String, Vec<u8>> {
    use base64::Engine;
    let pem = std::fs::read_to_string(root().join("tests/seal/test-only-private-key.pem")).unwrap();
    let key = rsa::RsaPrivateKey::from_pkcs1_pem(&pem).unwrap();
    let file = yaml(&std::fs::read(dir.join(format!("sealed/wazuh/{name}.yaml"))).unwrap());
    file["spec"]["encryptedData"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let sealed = base64::engine::general_purpose::STANDARD
                .decode(v.as_str().unwrap())
                .unwrap();
            let value = format::open(&key, SecretScope::Strict, "wazuh", name, &sealed).unwrap();
            (k.as_str().unwrap().to_string(), value)
        })
        .collect()
}

#[test]
fn labc_seal_makes_the_wazuh_material_keeps_it_and_rotates_it_when_asked() {
    let dir = scratch_seed();
    let first = seal(dir.path(), &["wazuh-certs", "wazuh-credentials"]);
    let certs = open(dir.path(), "wazuh-certs");
    let keys: Vec<&str> = certs.keys().map(String::as_str).collect();
    let mut expected = labc::wazuh::cert_keys();
    expected.sort();
    assert_eq!(keys, expected);
    // each role's certificate is signed by the CA and matches its key
    let ca = labc::wazuh::certs::tests_support::parse(&certs["root-ca.pem"]);
    for role in labc::wazuh::CERT_ROLES {
        labc::wazuh::certs::tests_support::check_leaf(
            &ca,
            &certs[&format!("{role}.pem")],
            &certs[&format!("{role}-key.pem")],
        );
    }
    let credentials = open(dir.path(), "wazuh-credentials");
    let passwords: std::collections::BTreeSet<&Vec<u8>> = credentials.values().collect();
    assert_eq!(passwords.len(), credentials.len(), "every value differs");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&first.stdout),
        String::from_utf8_lossy(&first.stderr)
    );
    for value in credentials.values() {
        assert!(
            !all.contains(std::str::from_utf8(value).unwrap()),
            "printed a value"
        );
    }
    // a re-run keeps both files byte for byte
    let before =
        |n: &str| std::fs::read(dir.path().join(format!("sealed/wazuh/{n}.yaml"))).unwrap();
    let (certs_file, credentials_file) = (before("wazuh-certs"), before("wazuh-credentials"));
    let again = seal(dir.path(), &["wazuh-certs", "wazuh-credentials"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("kept"));
    assert_eq!(before("wazuh-certs"), certs_file);
    assert_eq!(before("wazuh-credentials"), credentials_file);
    // --rotate makes new ones
    seal(dir.path(), &["--rotate", "wazuh-credentials"]);
    assert_ne!(open(dir.path(), "wazuh-credentials"), credentials);
    assert_eq!(before("wazuh-certs"), certs_file);
    // the build places them with the platform's sealed secrets, and out/ holds no key
    let compiled = labc::compile_with_sealed(
        "site.kdl",
        &std::fs::read(dir.path().join("site.kdl")).unwrap(),
        &catalog(),
        &labc::seal::read_sealed(dir.path()).unwrap(),
    );
    let files = compiled
        .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)))
        .files
        .into_map();
    assert!(files.contains_key("platform/secrets/sealedsecret-wazuh-certs.yaml"));
    assert!(files.contains_key("platform/secrets/sealedsecret-wazuh-credentials.yaml"));
    for (path, bytes) in &files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("PRIVATE KEY"),
            "{path}"
        );
    }
    // and syncs them before the Wazuh pods that mount them
    let wave = |app: &str| -> i64 {
        yaml(&files[&format!("argocd/application-{app}.yaml")])["metadata"]["annotations"]
            ["argocd.argoproj.io/sync-wave"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(wave("homelab-platform-secrets") < wave("wazuh"));
}

#[test]
fn the_capacity_check_counts_wazuh_pods() {
    let seed = std::fs::read_to_string(root().join("site.kdl")).unwrap();
    // three 2 GiB workers: the blog fits on two of them, the blog and Wazuh's 3.5 GiB do not
    let small = seed.replace("memory=\"16Gi\"", "memory=\"2Gi\"");
    let without = small
        .replace(
            "outputs loki discord wazuh talon",
            "outputs loki discord talon",
        )
        .replace(
            "layer siem {\n    wazuh {\n        sources falco k8s-audit syslog\n    }\n}\n",
            "",
        );
    assert!(!without.contains("wazuh"));
    let codes = |text: &str| match labc::compile("site.kdl", text.as_bytes(), &catalog()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .filter(|e| !e.error.is_warning())
            .filter_map(|e| miette::Diagnostic::code(&e.error).map(|c| c.to_string()))
            .collect(),
    };
    assert_eq!(codes(&without), Vec::<String>::new());
    assert_eq!(codes(&small), ["labc::capacity::node_failure"]);
}

#[test]
fn every_node_raises_vm_max_map_count_for_the_indexer() {
    let files = seed_files();
    for node in ["cp-1", "worker-1", "worker-2", "worker-3"] {
        let script =
            String::from_utf8_lossy(&files[&format!("nodes/{node}/provision.sh")]).into_owned();
        assert!(script.contains("vm.max_map_count = 262144"), "{node}");
    }
}

/// Whether the CiliumNetworkPolicies of `namespace` let `from` (a namespace's pods, or the
/// nodes) reach every pod of it on `port`: with no policy there, anything goes; with one, a
/// policy selecting the pods must list the peer and the port (or every port).
fn cilium_admits(objects: &[Value], namespace: &str, from: Option<&str>, port: u16) -> bool {
    let policies: Vec<&Value> = objects
        .iter()
        .filter(|o| o["kind"] == "CiliumNetworkPolicy" && o["metadata"]["namespace"] == namespace)
        .collect();
    if policies.is_empty() {
        return true;
    }
    policies.iter().any(|p| {
        let spec = &p["spec"];
        // only a policy selecting every pod of the namespace decides for all of them here
        assert!(spec["endpointSelector"]["matchLabels"]
            .as_mapping()
            .unwrap()
            .is_empty());
        spec["ingress"].as_sequence().unwrap().iter().any(|rule| {
            let peer = match from {
                Some(ns) => rule["fromEndpoints"].as_sequence().is_some_and(|eps| {
                    eps.iter().any(|e| {
                        e["matchLabels"]["k8s:io.kubernetes.pod.namespace"] == ns
                            && e["matchLabels"].as_mapping().unwrap().len() == 1
                    })
                }),
                None => rule["fromEntities"].as_sequence().is_some_and(|e| {
                    e.iter().any(|x| x == "host") && e.iter().any(|x| x == "remote-node")
                }),
            };
            let ports =
                match rule["toPorts"].as_sequence() {
                    None => true,
                    Some(list) => list.iter().any(|pr| {
                        pr["ports"].as_sequence().unwrap().iter().any(|p| {
                            p["port"] == port.to_string().as_str() && p["protocol"] == "TCP"
                        })
                    }),
                };
            peer && ports
        })
    })
}

#[test]
fn the_three_sources_are_flows_the_policies_let_through_and_nothing_else_reaches_wazuh() {
    let files = seed_files();
    let objects: Vec<Value> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".yaml") && !p.starts_with("nodes/"))
        .map(|(_, b)| yaml(b))
        .collect();
    // `labc flows` lists the three sources
    let table = String::from_utf8(crate::support::labc(&["flows"], &root()).stdout).unwrap();
    for (from, why) in [
        ("namespace falco", "siem: falco events"),
        ("nodes", "siem: kubernetes audit log"),
        ("nodes", "siem: node syslog"),
    ] {
        assert!(
            table.lines().any(|l| l.contains(from)
                && l.contains("namespace wazuh")
                && l.contains(" 514 ")
                && l.ends_with(why)),
            "no flow {from} -> wazuh:514 ({why}) in\n{table}"
        );
    }
    // Falcosidekick's side: no policy in its namespace holds its egress back (the nodes' side
    // is their host network, which no labc policy selects)
    assert!(!objects.iter().any(|o| o["kind"]
        .as_str()
        .is_some_and(|k| k.contains("NetworkPolicy"))
        && o["metadata"]["namespace"] == "falco"));
    assert!(!objects
        .iter()
        .any(|o| o["kind"] == "CiliumClusterwideNetworkPolicy"));
    // Wazuh's side: its namespace's ingress lets exactly the sources in on 514
    assert!(objects
        .iter()
        .any(|o| o["kind"] == "CiliumNetworkPolicy" && o["metadata"]["namespace"] == "wazuh"));
    assert!(cilium_admits(&objects, "wazuh", Some("falco"), 514));
    assert!(cilium_admits(&objects, "wazuh", None, 514));
    assert!(
        !cilium_admits(&objects, "wazuh", Some("falco"), 9200),
        "the indexer is not a source's business"
    );
    assert!(
        !cilium_admits(&objects, "wazuh", Some("blog"), 514),
        "the blog is no source"
    );
    assert!(!cilium_admits(&objects, "wazuh", None, 55000));
    // the standard policy beside it denies ingress only: under Cilium allows are a union, so an
    // `Egress` type here would cut Wazuh's own traffic (DNS, the indexer) that no rule allows
    let standard = objects
        .iter()
        .find(|o| o["kind"] == "NetworkPolicy" && o["metadata"]["namespace"] == "wazuh")
        .expect("a NetworkPolicy in wazuh");
    assert_eq!(
        standard["spec"]["policyTypes"],
        serde_yaml::from_str::<Value>("[Ingress]").unwrap()
    );
    assert!(standard["spec"]["podSelector"]
        .as_mapping()
        .unwrap()
        .is_empty());
    let cilium = find(&objects, "CiliumNetworkPolicy", "wazuh");
    assert_eq!(cilium["spec"]["enableDefaultDeny"]["egress"], false);
    // Istio: neither end is in the mesh (no sidecar, so no mTLS to speak and no
    // AuthorizationPolicy that could refuse the plain TCP syslog)
    for app in ["falcosidekick", "wazuh"] {
        let a = yaml(&files[&format!("argocd/application-{app}.yaml")]);
        let labels = &a["spec"]["syncPolicy"]["managedNamespaceMetadata"]["labels"];
        assert!(
            labels["istio-injection"].is_null() && labels["istio.io/rev"].is_null(),
            "{app}"
        );
    }
    for o in objects
        .iter()
        .filter(|o| o["kind"] == "AuthorizationPolicy")
    {
        let ns = o["metadata"]["namespace"].as_str().unwrap();
        assert!(
            !["falco", "wazuh", "istio-system"].contains(&ns),
            "{ns} has an AuthorizationPolicy"
        );
    }
}

/// The text between `put_file PATH …<<'EOF'` and `EOF` in a provisioning script.
fn put_file<'s>(script: &'s str, path: &str) -> &'s str {
    let start = script
        .find(&format!("put_file {path} "))
        .unwrap_or_else(|| panic!("the script writes no {path}"));
    let body = &script[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    &body[..body.find("\nEOF\n").unwrap()]
}

/// The rsyslog forwarding action of a node: (selector, target, port, protocol).
fn forward(conf: &str) -> (String, String, u16, String) {
    let line = conf
        .lines()
        .find(|l| l.contains("type=\"omfwd\""))
        .expect("an omfwd action");
    let attr = |name: &str| {
        let at = line.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        line[at..].split('"').next().unwrap().to_string()
    };
    let selector = line.split(' ').next().unwrap().to_string();
    (
        selector,
        attr("target"),
        attr("port").parse().unwrap(),
        attr("protocol"),
    )
}

/// The Service whose fixed ClusterIP is `ip`, and the `<remote>`s of the pods behind `port`.
fn listener_at(
    objects: &[Value],
    ip: &str,
    port: u16,
) -> Vec<(String, String, String, Vec<String>)> {
    let svc = objects
        .iter()
        .find(|o| o["kind"] == "Service" && o["spec"]["clusterIP"] == ip)
        .unwrap_or_else(|| panic!("no Service at {ip}"));
    let target = svc["spec"]["ports"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|p| p["port"] == port)
        .unwrap_or_else(|| panic!("{ip} does not expose {port}"))["targetPort"]
        .as_u64()
        .unwrap();
    let selector = svc["spec"]["selector"].as_mapping().unwrap();
    let pod = objects
        .iter()
        .find(|o| {
            o["kind"] == "StatefulSet"
                && selector.iter().all(|(k, v)| {
                    &o["spec"]["template"]["metadata"]["labels"][k.as_str().unwrap()] == v
                })
        })
        .expect("a workload behind the Service");
    let conf_name = pod["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|m| m["mountPath"] == "/wazuh-config-mount/etc/ossec.conf")
        .unwrap()["subPath"]
        .as_str()
        .unwrap()
        .to_string();
    let conf = find(objects, "ConfigMap", "wazuh-conf")["data"][conf_name.as_str()]
        .as_str()
        .unwrap()
        .to_string();
    remotes(&conf)
        .into_iter()
        .filter(|r| r.1 == target.to_string())
        .collect()
}

#[test]
fn the_audit_log_goes_from_the_api_server_through_rsyslog_to_a_wazuh_listener() {
    let (files, _, objects) = wazuh();
    let text = |p: &str| String::from_utf8(files[p].clone()).unwrap();
    // the API server's flags and the volumes that bring the host's files into its pod
    let kubeadm = text("nodes/cp-1/kubeadm.yaml");
    let cluster: Value = kubeadm
        .split("\n---\n")
        .map(|d| serde_yaml::from_str::<Value>(d).unwrap())
        .find(|d| d["kind"] == "ClusterConfiguration")
        .unwrap();
    let api = &cluster["apiServer"];
    let arg = |name: &str| -> String {
        api["extraArgs"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("no --{name}"))["value"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // the path inside the pod, back to the host through the volume that holds it
    let on_host = |inside: &str| -> String {
        api["extraVolumes"]
            .as_sequence()
            .unwrap()
            .iter()
            .find_map(|v| {
                let mount = v["mountPath"].as_str()?;
                let rest = inside.strip_prefix(mount)?;
                Some(format!("{}{rest}", v["hostPath"].as_str()?))
            })
            .unwrap_or_else(|| panic!("{inside} is in no volume of the API server"))
    };
    let policy_path = on_host(&arg("audit-policy-file"));
    let log_path = on_host(&arg("audit-log-path"));
    for rotation in [
        "audit-log-maxsize",
        "audit-log-maxbackup",
        "audit-log-maxage",
    ] {
        assert!(arg(rotation).parse::<u32>().unwrap() > 0, "{rotation}");
    }
    // the provisioning script writes that policy, and it never logs a Secret's body
    let script = text("nodes/cp-1/provision.sh");
    let policy: Value = serde_yaml::from_str(put_file(&script, &policy_path)).unwrap();
    assert_eq!(policy["apiVersion"], "audit.k8s.io/v1");
    assert_eq!(policy["kind"], "Policy");
    let first_for_secrets = policy["rules"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|r| {
            r["resources"].as_sequence().is_none_or(|rs| {
                rs.iter().any(|g| {
                    g["group"] == ""
                        && g["resources"]
                            .as_sequence()
                            .is_none_or(|n| n.iter().any(|x| x == "secrets"))
                })
            }) && r["nonResourceURLs"].is_null()
                && r["userGroups"].is_null()
                && r["users"].is_null()
        })
        .unwrap();
    assert_eq!(first_for_secrets["level"], "Metadata");
    // rsyslog reads that log and sends it to a Service whose pods listen for syslog on TCP
    let conf = put_file(&script, "/etc/rsyslog.d/60-labc-wazuh.conf");
    assert!(conf.contains(&format!("File=\"{log_path}\"")), "{conf}");
    let (_, target, port, protocol) = forward(conf);
    assert_eq!(protocol, "tcp");
    let listening = listener_at(&objects, &target, port);
    assert!(
        listening.iter().any(|r| r.0 == "syslog"
            && r.2 == "tcp"
            && r.3.contains(&"192.168.0.0/24".to_string())),
        "{listening:?}"
    );
    // the fixed address is inside the services network, in the band kept for chosen addresses
    assert_eq!(target, "10.96.0.14");
}

#[test]
fn every_node_forwards_its_syslog_to_the_same_listener() {
    let (files, _, objects) = wazuh();
    for node in ["cp-1", "worker-1", "worker-2", "worker-3"] {
        let script =
            String::from_utf8(files[&format!("nodes/{node}/provision.sh")].clone()).unwrap();
        let conf = put_file(&script, "/etc/rsyslog.d/60-labc-wazuh.conf");
        let (selector, target, port, protocol) = forward(conf);
        assert_eq!(selector, "*.*", "{node} forwards all of its syslog");
        assert_eq!(protocol, "tcp");
        let listening = listener_at(&objects, &target, port);
        assert!(
            listening.iter().any(|r| r.0 == "syslog" && r.2 == "tcp"),
            "{node}"
        );
        // only control planes run an API server, so only they ship an audit log
        assert_eq!(conf.contains("imfile"), node == "cp-1", "{node}");
    }
}

#[test]
fn every_field_of_the_templates_is_one_kubernetes_knows() {
    // the emitter reads each rendered document into its k8s-openapi type before writing it,
    // and those types drop fields they do not know: a misspelt field in stdlib/wazuh/ would
    // vanish silently. So the written object must equal the rendered document, field for field.
    let catalog = catalog();
    let text = std::fs::read(root().join("site.kdl")).unwrap();
    let parsed = labc::syntax::parse("site.kdl", &text).unwrap_or_else(|_| panic!("parses"));
    let (site, _) = labc::decode::decode(&parsed.document, &catalog);
    let def = catalog.get("wazuh").unwrap();
    let files = seed_files();
    let documents = labc::emit::wazuh::documents(&site, &catalog, def, "wazuh");
    assert_eq!(documents.len(), 13);
    for doc in documents {
        let rendered: Value = serde_yaml::from_str(&doc).unwrap();
        let path = format!(
            "platform/wazuh/{}-{}.yaml",
            rendered["kind"].as_str().unwrap().to_lowercase(),
            rendered["metadata"]["name"].as_str().unwrap()
        );
        let written = yaml(&files[&path]);
        assert_eq!(written, rendered, "{path} lost or changed a field");
    }
}
