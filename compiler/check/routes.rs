//! Routes agree with their gateway and with what browsers send.

use super::SiteView;
use crate::diag::Error;
use crate::model::HttpMethod;

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let gateways: Vec<_> = view.site.layers.iter().flat_map(|l| &l.gateways).collect();
    for route in view.site.apps.iter().flat_map(|a| &a.routes) {
        if let Some(cors) = &route.cors {
            if !route.methods.iter().any(|m| m.value == HttpMethod::Options) {
                let first = route.methods.first().map(|m| m.span).unwrap_or(route.span);
                let last = route.methods.last().map(|m| m.span).unwrap_or(route.span);
                let methods_span =
                    (first.offset(), last.offset() + last.len() - first.offset()).into();
                errors.push(Error::CorsWithoutOptions {
                    methods_span,
                    span: cors.span,
                });
            }
        }
        if let Some(gateway) = gateways
            .iter()
            .find(|g| g.name.value == route.gateway.value)
        {
            let served = gateway.hosts.iter().any(|h| {
                h.as_str() == route.host.as_str()
                    || h.as_str().strip_prefix("*.").is_some_and(|domain| {
                        route
                            .host
                            .as_str()
                            .split_once('.')
                            .is_some_and(|(_, rest)| rest == domain)
                    })
            });
            if !served {
                errors.push(Error::RouteHostNotOnGateway {
                    host: route.host.to_string(),
                    gateway: gateway.name.to_string(),
                    span: route.host.span,
                    gateway_span: gateway.name.span,
                });
            }
        }
    }
}
