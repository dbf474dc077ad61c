//! The site survives losing a node: Longhorn has enough nodes for its replicas, and the
//! workloads' requests fit on what remains after the largest node is gone.

use super::SiteView;
use crate::diag::Error;
use crate::model::value::Quantity;
use crate::model::{Node, SettingValue};

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    longhorn_replicas(view, errors);
    node_failure(view, errors);
}

fn longhorn_replicas(view: &SiteView, errors: &mut Vec<Error>) {
    let Some(longhorn) = view.component("longhorn") else {
        return;
    };
    let Some(SettingValue::Int(replicas)) = view.setting("longhorn", "replicas") else {
        return;
    };
    let nodes = view
        .site
        .nodes
        .iter()
        .filter(|n| n.holds_longhorn_replicas())
        .count();
    if replicas as usize > nodes {
        let span = longhorn
            .settings
            .get("replicas")
            .map_or(longhorn.name.span, |s| s.span);
        errors.push(Error::LonghornReplicas {
            replicas,
            nodes,
            span,
        });
    }
}

/// Bytes or cores, shown the way people write them.
fn show(milli: u128, memory: bool) -> String {
    if memory {
        let mib = milli / 1000 / (1024 * 1024);
        format!("{mib}Mi")
    } else {
        format!("{milli}m")
    }
}

fn node_failure(view: &SiteView, errors: &mut Vec<Error>) {
    let site = view.site;
    let schedulable: Vec<&Node> = site.nodes.iter().filter(|n| n.schedulable).collect();
    // the rule needs every schedulable node's size; a site that gives none opts out of it
    if schedulable.is_empty()
        || schedulable
            .iter()
            .any(|n| n.cpu.is_none() || n.memory.is_none())
    {
        return;
    }
    type Pick = fn(&Node) -> u128;
    let resources: [(&'static str, bool, Pick); 2] = [
        ("cpu", false, |n| n.cpu.as_ref().map_or(0, |q| q.milli())),
        ("memory", true, |n| {
            n.memory.as_ref().map_or(0, |q| q.milli())
        }),
    ];
    for (name, memory, capacity_of) in resources {
        let request = |q: &Quantity| q.milli();
        let requested: u128 = site
            .apps
            .iter()
            .map(|a| {
                let r = if memory {
                    &a.resources.memory
                } else {
                    &a.resources.cpu
                };
                request(r) * u128::from(a.replicas.value)
            })
            .chain(site.databases.iter().map(|d| {
                request(if memory {
                    &d.resources.memory
                } else {
                    &d.resources.cpu
                })
            }))
            .sum::<u128>()
            + if site.has_component(crate::wazuh::COMPONENT) {
                crate::wazuh::requested_milli(memory)
            } else {
                0
            };
        let largest = schedulable
            .iter()
            .max_by_key(|n| capacity_of(n))
            .expect("not empty");
        let total: u128 = schedulable.iter().map(|n| capacity_of(n)).sum();
        let left = total - capacity_of(largest);
        if requested > left {
            let span = if memory {
                largest.memory.as_ref()
            } else {
                largest.cpu.as_ref()
            }
            .map_or(largest.name.span, |q| q.span);
            errors.push(Error::NodeFailureCapacity {
                resource: name,
                requested: show(requested, memory),
                available: show(left, memory),
                node: largest.name.to_string(),
                span,
            });
        }
    }
}
