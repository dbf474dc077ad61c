//! Where the platform's services are, for the app objects that point at them (a canary's
//! analysis reads Prometheus). Worked out once per build from the catalogue, so that a site
//! that moves a component to another namespace (its own `components/` file) moves every
//! reference to it too.

use crate::stdlib::Catalog;

pub struct Wiring {
    /// Prometheus' query API: `prometheus-operated` is the Service kube-prometheus-stack's
    /// operator creates for every Prometheus, in the `prometheus` component's namespace.
    pub prometheus: String,
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
        }
    }
}
