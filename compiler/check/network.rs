//! Address ranges do not overlap, nodes sit inside the node network, and there is a control
//! plane to initialise the cluster.

use super::SiteView;
use crate::diag::Error;
use crate::model::NodeRole;

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let site = view.site;
    let network = &site.settings.network;
    let mut ranges = vec![("pod", &network.pods), ("service", &network.services)];
    if let Some(nodes) = &network.nodes {
        ranges.push(("node", nodes));
    }
    for (i, (what, cidr)) in ranges.iter().enumerate() {
        for (other_what, other) in &ranges[..i] {
            if cidr.overlaps(other) {
                errors.push(Error::CidrOverlap {
                    what,
                    cidr: cidr.to_string(),
                    other_what,
                    other: other.to_string(),
                    span: cidr.span,
                    other_span: other.span,
                });
            }
        }
    }
    if let Some(nodes) = &network.nodes {
        for node in site.nodes.iter().filter(|n| !n.address_failed) {
            if let Some(which) = nodes.reserved(node.address.value.0) {
                let (first, last) = nodes.host_range();
                errors.push(Error::NodeAddressReserved {
                    address: node.address.to_string(),
                    which,
                    network: nodes.to_string(),
                    first,
                    last,
                    span: node.address.span,
                });
            }
            if !nodes.contains(node.address.value.0) {
                errors.push(Error::NodeOutsideNetwork {
                    address: node.address.to_string(),
                    network: nodes.to_string(),
                    span: node.address.span,
                    network_span: nodes.span,
                });
            }
        }
    }
    let has_site = !site.settings.name.as_str().is_empty();
    if has_site && !site.nodes.iter().any(|n| n.role == NodeRole::ControlPlane) {
        let span = site
            .nodes
            .first()
            .map_or(site.settings.name.span, |n| n.name.span);
        errors.push(Error::NoControlPlane { span });
    }
}
