//! Features of apps and of the site that only work when another layer provides something:
//! canary delivery, traffic routing, analysis, metrics, auto-instrumentation, routes, sealed
//! secrets and pod isolation.

use super::SiteView;
use crate::diag::Error;
use crate::model::{SettingValue, Span, TrafficRouting};

fn need(
    view: &SiteView,
    component: &'static str,
    feature: &str,
    span: Span,
    errors: &mut Vec<Error>,
) {
    if !view.has(component) {
        let layer = view.catalog.get(component).map_or("", |d| d.layer.as_str());
        errors.push(Error::RequirementMissing {
            feature: feature.to_string(),
            component,
            layer,
            span,
        });
    }
}

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let site = view.site;
    for app in &site.apps {
        if let Some(canary) = &app.canary {
            need(
                view,
                "argo-rollouts",
                "canary delivery",
                canary.span,
                errors,
            );
            if canary.traffic.value == TrafficRouting::Istio {
                need(
                    view,
                    "istio",
                    "Istio traffic routing",
                    canary.traffic.span,
                    errors,
                );
            }
            if let Some(analysis) = &canary.analysis {
                need(view, "prometheus", "canary analysis", analysis.span, errors);
                // the queries read the request metrics of the canary's Istio sidecars
                need(view, "istio", "canary analysis", analysis.span, errors);
            }
        }
        if let Some(metrics) = &app.metrics {
            // an error, not a warning: without Prometheus nothing would read the endpoint, and a
            // declaration that silently does nothing is the drift labc exists to prevent
            need(view, "prometheus", "scraping metrics", metrics.span, errors);
        }
        if let Some(language) = &app.instrument {
            need(view, "otel", "auto-instrumentation", language.span, errors);
            if view.has("otel") {
                let listed = match view.setting("otel", "instrument") {
                    Some(SettingValue::List(items)) => items,
                    _ => Vec::new(),
                };
                let word = language.value.as_str();
                if !listed.iter().any(|l| l == word) {
                    errors.push(Error::InstrumentLanguageNotListed {
                        language: word.to_string(),
                        listed: if listed.is_empty() {
                            "no language yet".to_string()
                        } else {
                            listed
                                .iter()
                                .map(|l| format!("`{l}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        },
                        span: language.span,
                    });
                }
            }
        }
        for route in &app.routes {
            need(
                view,
                "istio",
                "a route on an Istio gateway",
                route.span,
                errors,
            );
        }
    }
    for layer in &site.layers {
        for gateway in &layer.gateways {
            need(
                view,
                "istio",
                "an ingress gateway",
                gateway.name.span,
                errors,
            );
        }
    }
    if let Some(first) = site.secrets.first() {
        need(
            view,
            "sealed-secrets",
            "declaring secrets",
            first.name.span,
            errors,
        );
    }
    if let Some(talon) = view.component("talon") {
        need(
            view,
            "cilium",
            "isolating pods with Falco Talon",
            talon.name.span,
            errors,
        );
    }
}
