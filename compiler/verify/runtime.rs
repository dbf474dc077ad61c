//! Objects nobody applies but the cluster has once the system runs: what Kubernetes itself
//! creates (the API server's Service, kubeadm's DNS Service, each namespace's root CA
//! ConfigMap) and what the operators of the system create from the objects they watch
//! (prometheus-operator's governing Services, istiod's CA ConfigMap, Longhorn's StorageClass,
//! the Secrets charts' hook Jobs write). Each sits where its maker does in the sync order, so
//! the order check treats them like applied objects.

use super::apps::{documents, str_at, App, Source};
use super::system::Object;
use serde_json::{json, Value};

/// Secrets a Job (or a CronJob's Job) of a pinned chart writes: (Job name, Secrets).
const JOB_SECRETS: &[(&str, &[&str])] = &[
    // Cilium's certgen, when hubble.tls.auto.method is cronJob
    (
        "hubble-generate-certs",
        &[
            "hubble-server-certs",
            "hubble-relay-client-certs",
            "hubble-relay-server-certs",
        ],
    ),
    // argo-cd: the redis password
    ("argocd-redis-secret-init", &["argocd-redis"]),
    // kube-prometheus-stack: the admission webhook's certificate, `<release>-admission`
    (
        "kube-prometheus-stack-admission-create",
        &["kube-prometheus-stack-admission"],
    ),
];

/// The Application that stands for Kubernetes itself: before every wave, in no project.
pub fn cluster_app() -> App {
    App {
        name: "kubernetes".into(),
        file: String::new(),
        wave: i64::MIN,
        project: "default".into(),
        namespace: "default".into(),
        source: Source::Folder {
            path: String::new(),
            recurse: false,
        },
    }
}

fn object(app: usize, wave: i64, made_by: &str, value: Value) -> Object {
    let kind = str_at(&value, &["kind"]).to_string();
    Object {
        app,
        file: None,
        api_version: str_at(&value, &["apiVersion"]).to_string(),
        namespace: str_at(&value, &["metadata", "namespace"]).to_string(),
        name: str_at(&value, &["metadata", "name"]).to_string(),
        kind,
        wave,
        made_by: Some(made_by.to_string()),
        value,
    }
}

fn service(ns: &str, name: &str, labels: Value, ports: &[(&str, u16)]) -> Value {
    let ports: Vec<Value> = ports
        .iter()
        .map(|(n, p)| json!({"name": n, "port": p}))
        .collect();
    json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {"ports": ports}})
}

/// The objects made at run time, given the applied ones and `cluster`, the index of
/// `cluster_app()` among the Applications.
pub fn objects(applied: &[Object], namespaces: &[String], cluster: usize) -> Vec<Object> {
    let k8s = |v| object(cluster, 0, "Kubernetes", v);
    let mut out = vec![
        k8s(service(
            "default",
            "kubernetes",
            json!({"component": "apiserver", "provider": "kubernetes"}),
            &[("https", 443)],
        )),
        // kubeadm's CoreDNS keeps the Service name kube-dns
        k8s(service(
            "kube-system",
            "kube-dns",
            json!({"k8s-app": "kube-dns"}),
            &[("dns", 53), ("dns-tcp", 53), ("metrics", 9153)],
        )),
    ];
    let config_map = |ns: &str, name: &str, key: &str| {
        json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": ns}, "data": {key: ""}})
    };
    for ns in namespaces {
        out.push(k8s(config_map(ns, "kube-root-ca.crt", "ca.crt")));
    }
    for maker in applied {
        let by = |what: &str| format!("{what} ({})", maker.describe());
        let at = |value| object(maker.app, maker.wave, &by("its operator"), value);
        match maker.kind.as_str() {
            "Prometheus" => out.push(at(service(
                &maker.namespace,
                "prometheus-operated",
                json!({"operated-prometheus": "true"}),
                &[("web", 9090)],
            ))),
            "Alertmanager" => out.push(at(service(
                &maker.namespace,
                "alertmanager-operated",
                json!({"operated-alertmanager": "true"}),
                &[("web", 9093), ("tcp-mesh", 9094)],
            ))),
            "Deployment" => {
                if let Some(kubelet) = kubelet_service(&maker.value) {
                    let (ns, name) = kubelet.split_once('/').unwrap_or(("kube-system", &kubelet));
                    out.push(object(
                        maker.app,
                        maker.wave,
                        &by("prometheus-operator"),
                        service(
                            ns,
                            name,
                            json!({"app.kubernetes.io/name": "kubelet", "k8s-app": "kubelet"}),
                            &[
                                ("https-metrics", 10250),
                                ("http-metrics", 10255),
                                ("cadvisor", 4194),
                            ],
                        ),
                    ));
                }
                if maker.name == "istiod" {
                    for ns in namespaces {
                        out.push(object(
                            maker.app,
                            maker.wave,
                            &by("istiod"),
                            config_map(ns, "istio-ca-root-cert", "root-cert.pem"),
                        ));
                    }
                }
            }
            // Longhorn's manager creates its StorageClass from this ConfigMap when it starts
            "ConfigMap" if maker.name == "longhorn-storageclass" => {
                let text = str_at(&maker.value, &["data", "storageclass.yaml"]);
                for class in documents("longhorn-storageclass", text.as_bytes()).unwrap_or_default()
                {
                    out.push(object(
                        maker.app,
                        maker.wave,
                        &by("longhorn-manager"),
                        class,
                    ));
                }
            }
            "Job" | "CronJob" => {
                for (job, secrets) in JOB_SECRETS {
                    if maker.name != *job {
                        continue;
                    }
                    for secret in *secrets {
                        // a CronJob's first run may be months away: only a Job counts as
                        // writing it during the sync
                        if maker.kind == "Job" {
                            out.push(object(
                                maker.app,
                                maker.wave,
                                &maker.describe(),
                                json!({"apiVersion": "v1", "kind": "Secret",
                                "metadata": {"name": secret, "namespace": maker.namespace}}),
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `--kubelet-service=ns/name` of a prometheus-operator Deployment.
fn kubelet_service(deployment: &Value) -> Option<String> {
    deployment
        .pointer("/spec/template/spec/containers")?
        .as_array()?
        .iter()
        .flat_map(|c| {
            c.get("args")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .find_map(|a| {
            a.as_str()?
                .strip_prefix("--kubelet-service=")
                .map(str::to_string)
        })
}
