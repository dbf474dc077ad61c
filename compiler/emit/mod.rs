//! Phase 5: objects from the checked site. One file per back end; each adds files to the one
//! `Files` map, keyed by their path in `out/`. Emitting cannot fail: the checker has already
//! rejected everything an emitter could not express.

mod argocd;
mod database;
mod files;
mod labels;
mod namespace;
mod network_policy;
mod pod;
mod workload;

pub use files::Files;

use crate::graph::Graph;
use crate::model::Site;
use crate::stdlib::Catalog;

/// Everything `out/` will hold, but the index.
pub fn emit(site: &Site, catalog: &Catalog, graph: &Graph) -> Files {
    let _ = catalog;
    let mut files = Files::default();
    namespace::emit(site, &mut files);
    for app in &site.apps {
        workload::emit(site, app, &mut files);
    }
    for db in &site.databases {
        database::emit(site, db, &mut files);
    }
    if site.layers.iter().flat_map(|l| &l.components).any(|c| c.name.as_str() == "cilium") {
        network_policy::emit(site, &mut files);
    }
    argocd::emit(site, graph, &mut files);
    files
}
