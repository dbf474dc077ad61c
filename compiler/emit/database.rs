//! A database: ServiceAccount, headless Service and a one-replica StatefulSet whose data lives
//! on a volume claim of the declared storage class.

use super::files::object_path;
use super::workload::{folder, meta, service_account};
use super::{labels, pod, Files};
use crate::model::{Database, Engine, Site};
use k8s_openapi::api::apps::v1::{StatefulSet, StatefulSetSpec};
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, EnvVar, KeyToPath, PersistentVolumeClaim, PersistentVolumeClaimSpec,
    PodTemplateSpec, SecretVolumeSource, Service, ServicePort, ServiceSpec, Volume, VolumeMount,
    VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// Where the declared secret's password keys are mounted, one file per key.
const CREDENTIALS_DIR: &str = "/run/secrets/labc";

/// Folders the engine writes outside its data directory, made writable on a read-only root.
fn scratch_dirs(engine: Engine) -> &'static [(&'static str, &'static str)] {
    match engine {
        Engine::Mysql | Engine::Mariadb => &[("tmp", "/tmp"), ("run", "/var/run/mysqld")],
        Engine::Postgres => &[("tmp", "/tmp"), ("run", "/var/run/postgresql")],
    }
}

pub fn emit(site: &Site, db: &Database, files: &mut Files) {
    let name = db.name.as_str();
    let ns = db.namespace.as_str();
    let dir = folder(name);
    let engine = db.engine.value;
    files.object(
        object_path(&dir, "ServiceAccount", name),
        &service_account(name, ns, site),
    );

    let port = i32::from(engine.port());
    let service = Service {
        metadata: meta(name, ns, name, site),
        spec: Some(ServiceSpec {
            cluster_ip: Some("None".into()),
            selector: Some(labels::selector(name)),
            ports: Some(vec![ServicePort {
                name: Some("tcp".into()),
                port,
                target_port: Some(IntOrString::String("tcp".into())),
                protocol: Some("TCP".into()),
                app_protocol: Some("tcp".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    };
    files.object(object_path(&dir, "Service", name), &service);

    let mut volumes = Vec::new();
    let mut mounts = vec![VolumeMount {
        name: "data".into(),
        mount_path: engine.data_dir().into(),
        ..Default::default()
    }];
    for (volume_name, path) in scratch_dirs(engine) {
        let (volume, mount) = pod::scratch(volume_name, path);
        volumes.push(volume);
        mounts.push(mount);
    }
    let mut env: Vec<EnvVar> = Vec::new();
    if engine == Engine::Postgres {
        // initdb refuses a non-empty folder, and a fresh volume's root holds lost+found
        env.push(EnvVar {
            name: "PGDATA".into(),
            value: Some(format!("{}/pgdata", engine.data_dir())),
            ..Default::default()
        });
    }
    // The image creates the application database and its user on its first start; the apps
    // that `uses` the database with `env=` get the same names (`Use::connection`).
    let vars = engine.variables();
    let literal = |name: &str, value: &str| EnvVar {
        name: name.into(),
        value: Some(value.into()),
        ..Default::default()
    };
    env.push(literal(vars.database, db.database.as_str()));
    if db.creates_user() {
        env.push(literal(vars.user, db.user.as_str()));
    }
    // The passwords as files, read through the image's `_FILE` variables: an environment
    // variable leaks into crash dumps, `/proc/<pid>/environ` and child processes.
    if let Some(secret) = &db.secret {
        let passwords: Vec<(&str, &str)> = vars
            .root_password
            .zip(engine.root_key())
            .into_iter()
            .chain([(vars.password, db.password_key.as_str())])
            .collect();
        volumes.push(Volume {
            name: "credentials".into(),
            secret: Some(SecretVolumeSource {
                secret_name: Some(secret.to_string()),
                items: Some(
                    passwords
                        .iter()
                        .map(|(_, key)| KeyToPath {
                            key: key.to_string(),
                            path: key.to_string(),
                            ..Default::default()
                        })
                        .collect(),
                ),
                // owner and group (the pod's fsGroup) may read, nobody else
                default_mode: Some(0o440),
                ..Default::default()
            }),
            ..Default::default()
        });
        mounts.push(VolumeMount {
            name: "credentials".into(),
            mount_path: CREDENTIALS_DIR.into(),
            read_only: Some(true),
            ..Default::default()
        });
        for (var, key) in passwords {
            env.push(literal(
                &format!("{var}_FILE"),
                &format!("{CREDENTIALS_DIR}/{key}"),
            ));
        }
    }
    let mut container = Container {
        name: engine.as_str().into(),
        image: Some(format!("{}:{}", engine.image(), db.version.value)),
        image_pull_policy: Some(pod::PULL_POLICY.into()),
        ports: Some(vec![ContainerPort {
            name: Some("tcp".into()),
            container_port: port,
            protocol: Some("TCP".into()),
            ..Default::default()
        }]),
        env: (!env.is_empty()).then_some(env),
        resources: Some(pod::resources(&db.resources)),
        security_context: Some(pod::container_security()),
        volume_mounts: Some(mounts),
        ..Default::default()
    };
    pod::probes(&mut container, &[], Some(engine.port()));

    let claim = PersistentVolumeClaim {
        metadata: ObjectMeta {
            name: Some("data".into()),
            ..Default::default()
        },
        spec: Some(PersistentVolumeClaimSpec {
            access_modes: Some(vec!["ReadWriteOnce".into()]),
            storage_class_name: Some(db.storage.class.to_string()),
            resources: Some(VolumeResourceRequirements {
                requests: Some(BTreeMap::from([(
                    "storage".into(),
                    Quantity(db.storage.size.to_string()),
                )])),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut metadata = meta(name, ns, name, site);
    super::exceptions::annotate(&mut metadata, &db.exceptions);
    let set = StatefulSet {
        metadata,
        spec: Some(StatefulSetSpec {
            replicas: Some(1),
            service_name: Some(name.to_string()),
            revision_history_limit: Some(3),
            selector: LabelSelector {
                match_labels: Some(labels::selector(name)),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels::pod(name, site.settings.name.as_str())),
                    ..Default::default()
                }),
                spec: Some(pod::spec(
                    name,
                    container,
                    volumes,
                    Some(engine.user_id()),
                    &db.nodes,
                )),
            },
            volume_claim_templates: Some(vec![claim]),
            ..Default::default()
        }),
        ..Default::default()
    };
    files.object(object_path(&dir, "StatefulSet", name), &set);
}
