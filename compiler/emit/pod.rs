//! The pod template every workload shares: restricted security context, resources, probes,
//! spreading over nodes and node restrictions.

use super::labels;
use crate::model::value::Name;
use crate::model::{Probe, ProbeAction, ProbeKind, Resources, Spanned};
use k8s_openapi::api::core::v1::{
    Affinity, Capabilities, Container, HTTPGetAction, NodeAffinity, NodeSelector,
    NodeSelectorRequirement, NodeSelectorTerm, PodSecurityContext, PodSpec, Probe as K8sProbe,
    ResourceRequirements, SeccompProfile, SecurityContext, TCPSocketAction,
    TopologySpreadConstraint, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// Pull on every pod start: a tag that was moved (or an image the node cached from before a
/// registry revoked it) is never run by accident, and with a digest the check is one manifest
/// request. The price is that a pod cannot start while its registry is unreachable.
pub const PULL_POLICY: &str = "Always";

/// The restricted Pod Security profile at pod level; `user` pins the UID (and group, which
/// owns the writable volumes); `None` leaves the image's own non-root user.
pub fn pod_security(user: Option<i64>) -> PodSecurityContext {
    PodSecurityContext {
        run_as_non_root: Some(true),
        run_as_user: user,
        run_as_group: user,
        fs_group: user,
        seccomp_profile: Some(SeccompProfile {
            type_: "RuntimeDefault".into(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The restricted profile at container level, with a read-only root filesystem.
pub fn container_security() -> SecurityContext {
    SecurityContext {
        allow_privilege_escalation: Some(false),
        capabilities: Some(Capabilities {
            drop: Some(vec!["ALL".into()]),
            ..Default::default()
        }),
        read_only_root_filesystem: Some(true),
        run_as_non_root: Some(true),
        ..Default::default()
    }
}

pub fn resources(r: &Resources) -> ResourceRequirements {
    let q = |s: &Spanned<crate::model::value::Quantity>| Quantity(s.as_str().to_string());
    ResourceRequirements {
        requests: Some(BTreeMap::from([
            ("cpu".into(), q(&r.cpu)),
            ("memory".into(), q(&r.memory)),
        ])),
        limits: Some(BTreeMap::from([
            ("cpu".into(), q(&r.cpu_limit)),
            ("memory".into(), q(&r.memory_limit)),
        ])),
        ..Default::default()
    }
}

fn probe_of(action: &ProbeAction, period: i32, delay: i32) -> K8sProbe {
    let mut probe = K8sProbe {
        period_seconds: Some(period.max(1)),
        initial_delay_seconds: (delay > 0).then_some(delay),
        ..Default::default()
    };
    match action {
        ProbeAction::Http { path, port } => {
            probe.http_get = Some(HTTPGetAction {
                path: Some(path.to_string()),
                port: IntOrString::Int(i32::from(*port)),
                ..Default::default()
            })
        }
        ProbeAction::Tcp { port } => {
            probe.tcp_socket = Some(TCPSocketAction {
                port: IntOrString::Int(i32::from(*port)),
                ..Default::default()
            })
        }
        ProbeAction::Exec { command } => {
            probe.exec = Some(k8s_openapi::api::core::v1::ExecAction {
                command: Some(command.clone()),
            })
        }
    }
    probe
}

/// Sets the container's probes: the declared ones, and a TCP check on the first port for
/// readiness and liveness where none is declared, so that no workload runs unprobed.
pub fn probes(container: &mut Container, declared: &[Probe], first_port: Option<u16>) {
    let find = |kind| declared.iter().find(|p| p.kind == kind);
    let secs = |d: crate::model::value::Duration| i32::try_from(d.as_secs()).unwrap_or(i32::MAX);
    let make = |kind| {
        find(kind)
            .map(|p| probe_of(&p.action, secs(p.period), secs(p.initial_delay)))
            .or_else(|| first_port.map(|port| probe_of(&ProbeAction::Tcp { port }, 10, 0)))
    };
    container.readiness_probe = make(ProbeKind::Readiness);
    container.liveness_probe = make(ProbeKind::Liveness);
    container.startup_probe = find(ProbeKind::Startup)
        .map(|p| probe_of(&p.action, secs(p.period), secs(p.initial_delay)));
}

/// Spread replicas over nodes; `ScheduleAnyway` so that losing a node never blocks rescheduling.
pub fn spread(owner: &str) -> Vec<TopologySpreadConstraint> {
    vec![TopologySpreadConstraint {
        max_skew: 1,
        topology_key: "kubernetes.io/hostname".into(),
        when_unsatisfiable: "ScheduleAnyway".into(),
        label_selector: Some(LabelSelector {
            match_labels: Some(labels::selector(owner)),
            ..Default::default()
        }),
        ..Default::default()
    }]
}

pub fn node_affinity(nodes: &[Spanned<Name>]) -> Option<Affinity> {
    if nodes.is_empty() {
        return None;
    }
    let mut names: Vec<String> = nodes.iter().map(|n| n.to_string()).collect();
    names.sort();
    names.dedup();
    Some(Affinity {
        node_affinity: Some(NodeAffinity {
            required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                node_selector_terms: vec![NodeSelectorTerm {
                    match_expressions: Some(vec![NodeSelectorRequirement {
                        key: "kubernetes.io/hostname".into(),
                        operator: "In".into(),
                        values: Some(names),
                    }]),
                    ..Default::default()
                }],
            }),
            ..Default::default()
        }),
        ..Default::default()
    })
}

/// A writable scratch folder on a read-only root filesystem.
pub fn scratch(name: &str, path: &str) -> (Volume, VolumeMount) {
    (
        Volume {
            name: name.into(),
            empty_dir: Some(Default::default()),
            ..Default::default()
        },
        VolumeMount {
            name: name.into(),
            mount_path: path.into(),
            ..Default::default()
        },
    )
}

/// A pod spec around one container, with the settings every workload shares.
pub fn spec(
    owner: &str,
    container: Container,
    volumes: Vec<Volume>,
    user: Option<i64>,
    nodes: &[Spanned<Name>],
) -> PodSpec {
    PodSpec {
        service_account_name: Some(owner.to_string()),
        automount_service_account_token: Some(false),
        enable_service_links: Some(false),
        security_context: Some(pod_security(user)),
        containers: vec![container],
        volumes: (!volumes.is_empty()).then_some(volumes),
        topology_spread_constraints: Some(spread(owner)),
        affinity: node_affinity(nodes),
        ..Default::default()
    }
}
