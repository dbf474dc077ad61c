//! Real k8s-openapi objects: round trip, and the speed budget.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, DeploymentStrategy};
use k8s_openapi::api::core::v1::{
    ConfigMapVolumeSource, Container, ContainerPort, EnvVar, EnvVarSource, HTTPGetAction,
    ObjectFieldSelector, PodSpec, PodTemplateSpec, Probe, ResourceRequirements, SecurityContext,
    Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::super::{to_string, write};
use super::assert_round_trip;

fn labels(app: &str) -> BTreeMap<String, String> {
    [
        ("app.kubernetes.io/name", app),
        ("app.kubernetes.io/part-of", "lab"),
        ("tier", "8080"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn env(name: &str, value: &str) -> EnvVar {
    EnvVar {
        name: name.to_owned(),
        value: Some(value.to_owned()),
        ..EnvVar::default()
    }
}

fn quantities(cpu: &str, memory: &str) -> BTreeMap<String, Quantity> {
    [("cpu", cpu), ("memory", memory)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Quantity(v.to_owned())))
        .collect()
}

/// A Deployment of the size labc writes: one container with probes,
/// resources, env and mounts, plus a sidecar.
fn deployment(i: usize) -> Deployment {
    let name = format!("svc-{i}");
    let main = Container {
        name: name.clone(),
        image: Some(format!("ghcr.io/lab/{name}:1.{i}")),
        image_pull_policy: Some("IfNotPresent".into()),
        args: Some(vec![
            "--port=8080".into(),
            "--log-level".into(),
            "info".into(),
        ]),
        env: Some(vec![
            env("RUST_LOG", "info"),
            env("ENABLED", "yes"),
            env("PORT", "8080"),
            EnvVar {
                name: "POD_IP".into(),
                value_from: Some(EnvVarSource {
                    field_ref: Some(ObjectFieldSelector {
                        field_path: "status.podIP".into(),
                        ..ObjectFieldSelector::default()
                    }),
                    ..EnvVarSource::default()
                }),
                ..EnvVar::default()
            },
        ]),
        ports: Some(vec![ContainerPort {
            name: Some("http".into()),
            container_port: 8080,
            protocol: Some("TCP".into()),
            ..ContainerPort::default()
        }]),
        readiness_probe: Some(Probe {
            http_get: Some(HTTPGetAction {
                path: Some("/healthz".into()),
                port: IntOrString::String("http".into()),
                ..HTTPGetAction::default()
            }),
            period_seconds: Some(10),
            ..Probe::default()
        }),
        resources: Some(ResourceRequirements {
            limits: Some(quantities("500m", "256Mi")),
            requests: Some(quantities("100m", "128Mi")),
            ..ResourceRequirements::default()
        }),
        security_context: Some(SecurityContext {
            read_only_root_filesystem: Some(true),
            run_as_non_root: Some(true),
            ..SecurityContext::default()
        }),
        volume_mounts: Some(vec![VolumeMount {
            name: "config".into(),
            mount_path: "/etc/app".into(),
            read_only: Some(true),
            ..VolumeMount::default()
        }]),
        ..Container::default()
    };
    let sidecar = Container {
        name: "proxy".into(),
        image: Some("envoyproxy/envoy:v1.31.0".into()),
        args: Some(vec!["-c".into(), "/etc/envoy/envoy.yaml".into()]),
        ports: Some(vec![ContainerPort {
            container_port: 9901,
            ..ContainerPort::default()
        }]),
        ..Container::default()
    };
    Deployment {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some("lab".into()),
            labels: Some(labels(&name)),
            annotations: Some(
                [(
                    "lab.example/checksum".to_owned(),
                    format!("sha256:{i:064x}"),
                )]
                .into(),
            ),
            ..ObjectMeta::default()
        },
        spec: Some(DeploymentSpec {
            replicas: Some(2),
            selector: LabelSelector {
                match_labels: Some(labels(&name)),
                ..LabelSelector::default()
            },
            strategy: Some(DeploymentStrategy {
                type_: Some("RollingUpdate".into()),
                ..DeploymentStrategy::default()
            }),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels(&name)),
                    ..ObjectMeta::default()
                }),
                spec: Some(PodSpec {
                    containers: vec![main, sidecar],
                    volumes: Some(vec![Volume {
                        name: "config".into(),
                        config_map: Some(ConfigMapVolumeSource {
                            name: format!("{name}-config"),
                            ..ConfigMapVolumeSource::default()
                        }),
                        ..Volume::default()
                    }]),
                    ..PodSpec::default()
                }),
            },
            ..DeploymentSpec::default()
        }),
        status: None,
    }
}

#[test]
fn k8s_deployment_round_trips() {
    let deployment = deployment(42);
    let yaml = assert_round_trip(&deployment);
    let back: Deployment = serde_yaml::from_str(&yaml).expect("reads back as a Deployment");
    assert_eq!(back, deployment);
    assert!(yaml.starts_with("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"));
    assert!(
        yaml.contains("\n      containers:\n        - args:\n            - \"--port=8080\"\n"),
        "{yaml}"
    );
    assert!(yaml.contains("\n    tier: \"8080\"\n"), "{yaml}");
}

#[test]
fn k8s_output_is_deterministic() {
    assert_eq!(
        to_string(&deployment(1)).unwrap(),
        to_string(&deployment(1)).unwrap()
    );
}

fn best_of(runs: u32, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// `cargo test --release -- --ignored --nocapture bench_4000_deployments`
#[test]
#[ignore = "benchmark; run in --release"]
fn bench_4000_deployments() {
    let objects: Vec<Deployment> = (0..4000).map(deployment).collect();
    let mut out = Vec::new();
    let mut write_all = |objects: &mut dyn Iterator<Item = &Deployment>| {
        out.clear();
        for object in objects {
            out.extend_from_slice(b"---\n");
            write(object, &mut out).unwrap();
        }
    };
    let distinct = best_of(20, || write_all(&mut objects.iter()));
    // The same output from 40 objects that stay in cache: the writer's own
    // cost, without waiting on memory for 4000 objects' scattered heap data
    // (which dominates the figure above; serde_json pays it too).
    let cached = best_of(20, || {
        write_all(&mut objects[..40].iter().cycle().take(4000))
    });
    let json = best_of(20, || {
        for object in &objects {
            serde_json::to_writer(std::io::sink(), object).unwrap();
        }
    });
    let serde_yaml = best_of(1, || {
        for object in &objects {
            serde_yaml::to_string(object).unwrap();
        }
    });
    let bytes = to_string(&deployment(0)).unwrap().len();
    println!(
        "4000 Deployments of ~{bytes} bytes of YAML each, best of 20:\n\
         yaml::write, 4000 distinct objects: {distinct:?}\n\
         yaml::write, 40 objects cycled (cache-hot): {cached:?}\n\
         serde_json::to_writer(sink), 4000 distinct: {json:?}\n\
         serde_yaml::to_string, 4000 distinct (1 run): {serde_yaml:?}"
    );
}
