//! An app's core objects: ServiceAccount, ConfigMap of its plain settings, the pod template,
//! a Deployment (or, with `canary`, the Rollout of `canary.rs` around the same template), Service
//! and, with two or more replicas, a PodDisruptionBudget.

use super::files::object_path;
use super::{labels, pod, Files};
use crate::model::{App, EnvSource, Site};
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapEnvSource, Container, ContainerPort, EnvFromSource, EnvVar, EnvVarSource,
    LocalObjectReference, PodSpec, PodTemplateSpec, SecretKeySelector, SecretVolumeSource, Service,
    ServiceAccount, ServicePort, ServiceSpec, Volume, VolumeMount,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const FOLDER: &str = "apps";

/// Metadata of an object owned by `owner` in `namespace`.
pub fn meta(name: &str, namespace: &str, owner: &str, site: &Site) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        namespace: Some(namespace.to_string()),
        labels: Some(labels::of(owner, site.settings.name.as_str())),
        ..Default::default()
    }
}

pub fn folder(owner: &str) -> String {
    format!("{FOLDER}/{owner}")
}

pub fn service_account(name: &str, namespace: &str, site: &Site) -> ServiceAccount {
    ServiceAccount {
        metadata: meta(name, namespace, name, site),
        automount_service_account_token: Some(false),
        ..Default::default()
    }
}

pub fn disruption_budget(name: &str, namespace: &str, site: &Site) -> PodDisruptionBudget {
    PodDisruptionBudget {
        metadata: meta(name, namespace, name, site),
        spec: Some(PodDisruptionBudgetSpec {
            max_unavailable: Some(IntOrString::Int(1)),
            selector: Some(LabelSelector {
                match_labels: Some(labels::selector(name)),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A label value naming this exact pod template: the image tag for people, and a hash of the
/// whole template so that a settings-only change is a new revision too. Istio reports it as
/// `destination_canonical_revision` (canary analysis tells new pods from old by Argo Rollouts'
/// pod-template hash instead, see `canary.rs`).
fn revision(app: &App, template: &PodTemplateSpec) -> String {
    let json = serde_json::to_vec(template).unwrap_or_default();
    let hash: String = Sha256::digest(&json)
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect();
    let tag: String = app
        .image
        .tag()
        .unwrap_or("digest")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(50)
        .collect();
    let tag = tag.trim_start_matches(['.', '_', '-']);
    if tag.is_empty() {
        hash
    } else {
        format!("{tag}-{hash}")
    }
}

/// Pod label Istio reads as the workload's revision in its metrics.
pub const REVISION_LABEL: &str = "service.istio.io/canonical-revision";

pub fn emit(site: &Site, app: &App, wiring: &super::wiring::Wiring, files: &mut Files) {
    let name = app.name.as_str();
    let ns = app.namespace.as_str();
    let dir = folder(name);
    files.object(
        object_path(&dir, "ServiceAccount", name),
        &service_account(name, ns, site),
    );

    let environment = app.environment(site);
    let plain: BTreeMap<String, String> = environment
        .iter()
        .filter_map(|e| match &e.source {
            EnvSource::Literal(v) => Some((e.name.value.clone(), v.clone())),
            EnvSource::Secret { .. } => None,
        })
        .collect();
    let mut template_annotations: BTreeMap<String, String> = super::metrics::annotations(
        app,
        site.has_component("istio"),
        site.has_component("prometheus"),
    )
    .into_iter()
    .chain(super::instrumentation::annotations(app))
    .collect();
    let config_name = format!("{name}-env");
    if !plain.is_empty() {
        // a hash of the settings in the pod template makes a settings change roll the pods
        let mut hash = Sha256::new();
        for (k, v) in &plain {
            hash.update(k.as_bytes());
            hash.update([0]);
            hash.update(v.as_bytes());
            hash.update([0]);
        }
        let digest: String = hash
            .finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        template_annotations.insert("labc.dev/config-hash".to_string(), digest);
        let config = ConfigMap {
            metadata: meta(&config_name, ns, name, site),
            data: Some(plain.clone()),
            ..Default::default()
        };
        files.object(object_path(&dir, "ConfigMap", &config_name), &config);
    }

    let secret_env: Vec<EnvVar> = environment
        .iter()
        .filter_map(|e| match &e.source {
            EnvSource::Secret { secret, key } => Some(EnvVar {
                name: e.name.value.clone(),
                value_from: Some(EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector {
                        name: secret.to_string(),
                        key: key.value.clone(),
                        optional: Some(false),
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            EnvSource::Literal(_) => None,
        })
        .collect();
    let (tmp_volume, tmp_mount) = pod::scratch("tmp", "/tmp");
    let mut volumes = vec![tmp_volume];
    let mut mounts = vec![tmp_mount];
    for mount in &app.secrets {
        let volume_name = format!("secret-{}", mount.secret);
        volumes.push(Volume {
            name: volume_name.clone(),
            secret: Some(SecretVolumeSource {
                secret_name: Some(mount.secret.to_string()),
                ..Default::default()
            }),
            ..Default::default()
        });
        mounts.push(VolumeMount {
            name: volume_name,
            mount_path: mount
                .path
                .clone()
                .unwrap_or_else(|| format!("/var/run/secrets/labc/{}", mount.secret)),
            read_only: Some(true),
            ..Default::default()
        });
    }
    let mut container = Container {
        name: name.to_string(),
        image: Some(app.image.to_string()),
        image_pull_policy: Some(pod::PULL_POLICY.into()),
        ports: (!app.ports.is_empty()).then(|| {
            app.ports
                .iter()
                .map(|p| ContainerPort {
                    name: Some(p.name.to_string()),
                    container_port: i32::from(p.number.value),
                    protocol: Some("TCP".into()),
                    ..Default::default()
                })
                .collect()
        }),
        env: (!secret_env.is_empty()).then_some(secret_env),
        env_from: (!plain.is_empty()).then(|| {
            vec![EnvFromSource {
                config_map_ref: Some(ConfigMapEnvSource {
                    name: config_name.clone(),
                    optional: Some(false),
                }),
                ..Default::default()
            }]
        }),
        resources: Some(pod::resources(&app.resources)),
        security_context: Some(pod::container_security()),
        volume_mounts: Some(mounts),
        ..Default::default()
    };
    pod::probes(
        &mut container,
        &app.probes,
        app.ports.first().map(|p| p.number.value),
    );

    let mut template = PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(labels::pod(name, site.settings.name.as_str())),
            annotations: (!template_annotations.is_empty()).then_some(template_annotations),
            ..Default::default()
        }),
        spec: Some(PodSpec {
            // the registry's credentials, sealed in this namespace (`model::registry`)
            image_pull_secrets: crate::model::registry::pull_secret(&site.registries, app).map(
                |secret| {
                    vec![LocalObjectReference {
                        name: secret.to_string(),
                    }]
                },
            ),
            ..pod::spec(name, container, volumes, Some(app.user()), &app.nodes)
        }),
    };
    let revision = revision(app, &template);
    if let Some(labels) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        labels.insert(REVISION_LABEL.into(), revision);
    }
    let selector = LabelSelector {
        match_labels: Some(labels::selector(name)),
        ..Default::default()
    };
    match &app.canary {
        Some(_) => super::canary::emit(site, app, wiring, selector, template, files),
        None => {
            let mut metadata = meta(name, ns, name, site);
            super::exceptions::annotate(&mut metadata, &app.exceptions);
            let deployment = Deployment {
                metadata,
                spec: Some(DeploymentSpec {
                    replicas: Some(app.replicas.value as i32),
                    revision_history_limit: Some(3),
                    selector,
                    template,
                    ..Default::default()
                }),
                ..Default::default()
            };
            files.object(object_path(&dir, "Deployment", name), &deployment);
        }
    }

    if !app.ports.is_empty() {
        files.object(
            object_path(&dir, "Service", name),
            &service(site, app, name),
        );
    }
    if app.replicas.value >= 2 {
        files.object(
            object_path(&dir, "PodDisruptionBudget", name),
            &disruption_budget(name, ns, site),
        );
    }
}

/// A Service on every port of the app named `name`: the app's own, or the stable and canary
/// Services of a Rollout, whose selectors Argo Rollouts narrows to one ReplicaSet each.
pub fn service(site: &Site, app: &App, name: &str) -> Service {
    let ns = app.namespace.as_str();
    let owner = app.name.as_str();
    Service {
        metadata: meta(name, ns, owner, site),
        spec: Some(ServiceSpec {
            selector: Some(labels::selector(owner)),
            ports: Some(
                app.ports
                    .iter()
                    .map(|p| ServicePort {
                        name: Some(p.name.to_string()),
                        port: i32::from(p.number.value),
                        target_port: Some(IntOrString::String(p.name.to_string())),
                        protocol: Some("TCP".into()),
                        app_protocol: Some(p.protocol.as_str().into()),
                        ..Default::default()
                    })
                    .collect(),
            ),
            ..Default::default()
        }),
        ..Default::default()
    }
}
