//! Phase 5: objects from the checked site. One file per back end; each adds files to a `Files`
//! map keyed by their path in `out/`. Emitting cannot fail: the checker has already rejected
//! everything an emitter could not express.

mod application;
mod argocd;
mod authorization_policy;
mod bootstrap;
mod canary;
mod custom_resource;
mod database;
mod default_deny;
mod exceptions;
mod files;
mod instrumentation;
mod labels;
mod mesh;
mod metrics;
mod namespace;
mod network_policy;
mod nodes;
mod platform;
mod pod;
mod quarantine;
mod routing;
mod secret_place;
pub mod secrets;
pub mod wazuh;
mod wiring;
mod workload;

pub use application::WAVES_PER_LEVEL;
pub use argocd::{site_application, MESH, NAMESPACES, PLATFORM_SECRETS, ROOT, SITE_APPLICATIONS};
pub use canary::{first_measurement as analysis_first_measurement, HASH_LABEL};
pub use default_deny::describe as default_deny_lines;
pub use files::Files;
pub use labels::QUARANTINE;
pub use metrics::discovered_pod_label;

use crate::graph::Graph;
use crate::model::{App, Database, Site};
use crate::stdlib::{Catalog, Platform};
use network_policy::Flows;

/// Everything `out/` will hold, but the index. The per-workload objects, which are most of a
/// large site, are emitted on all cores; the result does not depend on how work was split.
pub fn emit(
    site: &Site,
    catalog: &Catalog,
    platform: &Platform,
    derived: &[crate::flows::Flow],
    graph: &Graph,
) -> Files {
    let wiring = wiring::Wiring::new(catalog);
    let istio = site.has_component("istio");
    let flows = Flows::new(derived, istio);
    let cilium = site.has_component("cilium");
    let talon = site.has_component("talon");
    let policies = |name: &str, ns: &str, files: &mut Files| {
        if cilium {
            network_policy::emit(site, name, ns, &flows, files);
            default_deny::emit(site, name, ns, files);
            if talon {
                quarantine::emit(site, name, ns, files);
            }
        }
        if istio {
            authorization_policy::emit(site, name, ns, &flows, files);
        }
    };
    let prometheus = site.has_component("prometheus");
    let app = |app: &App, files: &mut Files| {
        workload::emit(site, app, &wiring, files);
        // the checker has made sure `instrument=` comes with `otel`
        instrumentation::emit(site, app, &wiring, files);
        if prometheus {
            metrics::emit(site, app, istio, files);
        }
        if istio {
            routing::emit(site, app, files);
        }
        policies(app.name.as_str(), app.namespace.as_str(), files);
    };
    let database = |db: &Database, files: &mut Files| {
        database::emit(site, db, files);
        policies(db.name.as_str(), db.namespace.as_str(), files);
    };
    let threads = crate::cores::cores().min(8);
    let chunk = site.apps.len().div_ceil(threads).max(64);
    let mut files = std::thread::scope(|scope| {
        let handles: Vec<_> = site
            .apps
            .chunks(chunk)
            .map(|apps| {
                scope.spawn(move || {
                    let mut files = Files::default();
                    for a in apps {
                        app(a, &mut files);
                    }
                    files
                })
            })
            .collect();
        let mut files = Files::default();
        for db in &site.databases {
            database(db, &mut files);
        }
        for handle in handles {
            // a panic in an emitter is a bug; pass it on rather than write a partial out/
            match handle.join() {
                Ok(part) => files.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        files
    });
    namespace::emit(site, &mut files);
    default_deny::namespaces(site, &mut files);
    argocd::emit(site, graph, &mut files);
    nodes::emit(site, catalog, &mut files);
    platform::emit(site, catalog, platform, graph, &mut files);
    if cilium && site.has_component(crate::wazuh::COMPONENT) {
        if let Some(def) = catalog.get(crate::wazuh::COMPONENT) {
            network_policy::namespace_ingress(
                site,
                crate::wazuh::COMPONENT,
                &def.namespace,
                wazuh::FOLDER,
                derived,
                &mut files,
            );
        }
    }
    bootstrap::emit(site, catalog, platform, &mut files);
    files
}
