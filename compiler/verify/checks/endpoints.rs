//! Every endpoint a component declares (`endpoint` in its stdlib file, which consumers' values
//! name through `{{endpoint …}}`) is a Service its own chart renders, in that namespace, on
//! that port. `labc build` holds consumers to the declarations; this holds the declarations to
//! the charts, so a chart upgrade that renames a Service or moves a port breaks here, not in the
//! cluster.

use super::super::finding::{Contract, End, Finding};
use super::super::System;
use crate::stdlib::SiteEndpoint;

pub fn check(system: &System, endpoints: &[SiteEndpoint]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for e in endpoints {
        // the component's Application: the one named after it, else one deploying into its
        // namespace (a gateway's release is named after the gateway)
        let app = system
            .apps
            .iter()
            .enumerate()
            .find(|(_, a)| a.name == e.component)
            .or_else(|| {
                system.apps.iter().enumerate().find(|(_, a)| {
                    a.namespace == e.namespace
                        && e.gateway.as_deref().is_some_and(|g| a.name.ends_with(g))
                })
            })
            .or_else(|| {
                system
                    .apps
                    .iter()
                    .enumerate()
                    .find(|(_, a)| a.namespace == e.namespace)
            });
        let Some((index, app)) = app else {
            continue;
        };
        if system.unrendered.contains(&index) {
            continue;
        }
        let here = End::new(
            &app.file,
            format!("`{}` declares endpoint `{}`", e.component, e.endpoint),
        );
        let Some(service) = system.find("Service", &e.namespace, &e.service) else {
            findings.push(Finding::new(
                Contract::Address,
                format!(
                    "endpoint `{}` of `{}` is Service {}/{}, which no Application renders",
                    e.endpoint, e.component, e.namespace, e.service
                ),
                "the component's `endpoint` must name the Service its pinned chart makes; fix the component file",
                here,
            ));
            continue;
        };
        let ports = service.service_ports();
        if !ports.contains(&e.port) {
            findings.push(
                Finding::new(
                    Contract::Address,
                    format!(
                        "endpoint `{}` of `{}` is port {} of Service {}/{}, which exposes {}",
                        e.endpoint,
                        e.component,
                        e.port,
                        e.namespace,
                        e.service,
                        ports.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
                    ),
                    "the component's `endpoint` must name a port its pinned chart's Service exposes",
                    here,
                )
                .and(End::object(system, service, format!("{} is rendered here", service.describe()))),
            );
        }
    }
    findings
}
