//! Where the platform's services are, for the app objects that point at them (a canary's
//! analysis reads Prometheus, an auto-instrumented app sends its traces to Tempo). Worked out once per build from the catalogue, so that a site
//! that moves a component to another namespace (its own `components/` file) moves every
//! reference to it too.

use crate::flows::OTLP_HTTP_PORT;
use crate::stdlib::Catalog;

pub struct Wiring {
    /// Prometheus' query API: `prometheus-operated` is the Service kube-prometheus-stack's
    /// operator creates for every Prometheus, in the `prometheus` component's namespace.
    pub prometheus: String,
    /// Tempo's OTLP receiver over HTTP: the tempo chart's Service is named after its release,
    /// `tempo`, in the `tempo` component's namespace, and receives OTLP/HTTP on 4318.
    pub tempo_otlp: String,
}

impl Wiring {
    pub fn new(catalog: &Catalog) -> Wiring {
        let namespace = |component: &str, usual: &str| {
            catalog
                .get(component)
                .map_or_else(|| usual.to_string(), |c| c.namespace.clone())
        };
        Wiring {
            prometheus: format!(
                "http://prometheus-operated.{}.svc.cluster.local:9090",
                namespace("prometheus", "monitoring")
            ),
            tempo_otlp: format!(
                "http://tempo.{}.svc.cluster.local:{OTLP_HTTP_PORT}",
                namespace("tempo", "monitoring")
            ),
        }
    }
}
