//! Explicit policies make sense against the rest of the site: an `allow` and a `deny` of the
//! same flow contradict each other, and a port named on a policy is one its destination exposes.

use super::SiteView;
use crate::diag::Error;
use crate::model::{Endpoint, Policy, PolicyAction};

/// Two lists overlap when either is empty (it means "any") or they share an item.
fn overlap<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.is_empty() || b.is_empty() || a.iter().any(|x| b.contains(x))
}

fn same_flow(a: &Policy, b: &Policy) -> bool {
    let ports = |p: &Policy| p.ports.iter().map(|s| s.value).collect::<Vec<_>>();
    let methods = |p: &Policy| p.methods.iter().map(|s| s.value).collect::<Vec<_>>();
    let paths = |p: &Policy| p.paths.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
    a.from.value == b.from.value
        && a.to.value == b.to.value
        && overlap(&ports(a), &ports(b))
        && overlap(&methods(a), &methods(b))
        && overlap(&paths(a), &paths(b))
}

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let site = view.site;
    let policies = &site.policies;
    for deny in policies.iter().filter(|p| p.action == PolicyAction::Deny) {
        if let Some(allow) = policies
            .iter()
            .find(|p| p.action == PolicyAction::Allow && same_flow(p, deny))
        {
            errors.push(Error::PolicyContradiction {
                allow: allow.name.to_string(),
                deny: deny.name.to_string(),
                span: deny.name.span,
                allow_span: allow.name.span,
            });
        }
    }
    for policy in policies {
        let Endpoint::Named(target) = &policy.to.value else {
            continue;
        };
        let exposed: Option<Vec<u16>> = site
            .apps
            .iter()
            .find(|a| a.name.value == *target)
            // a port of the app failed and was reported: its list cannot say what is missing
            .map(|a| {
                if a.ports_incomplete {
                    policy.ports.iter().map(|p| p.value).collect()
                } else {
                    a.ports.iter().map(|p| p.number.value).collect()
                }
            })
            .or_else(|| {
                site.databases
                    .iter()
                    .find(|d| d.name.value == *target)
                    .map(|d| vec![d.engine.port()])
            });
        let Some(exposed) = exposed else { continue };
        for port in policy.ports.iter().filter(|p| !exposed.contains(&p.value)) {
            let list: Vec<String> = exposed.iter().map(u16::to_string).collect();
            errors.push(Error::UnknownPort {
                target: target.to_string(),
                port: port.value,
                ports: if list.is_empty() {
                    "no ports".into()
                } else {
                    format!("port {}", list.join(", "))
                },
                span: port.span,
            });
        }
    }
}
