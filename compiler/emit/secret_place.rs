//! Where a sealed secret is synced: by the Application of its earliest consumer, so that no
//! consumer waits for a Secret that a later wave brings. The root Application syncs the
//! Applications wave by wave and waits for each to be healthy; a database (wave 30) whose
//! Secret came with its app (wave 40) would never start, and the app's wave would never come.

use super::application::wave;
use super::workload;
use crate::graph::{Graph, VertexKind};
use crate::model::{EnvSource, Site};
use std::collections::BTreeMap;

/// The folder of the platform secrets' Application.
pub const PLATFORM_FOLDER: &str = "platform/secrets";

/// The Application that syncs a secret, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// Its sync wave, first, so that places order by wave.
    pub wave: i64,
    /// The folder of `out/` it syncs; ties in wave go to the first folder by name.
    pub folder: String,
    /// The app or database whose Application it is; `None` for the platform secrets'.
    pub workload: Option<String>,
}

/// The platform secrets' Application's wave: after the controller and its CRD.
pub fn platform_wave(graph: &Graph) -> i64 {
    wave(graph, VertexKind::Component, "sealed-secrets", 9)
}

/// Every Application that consumes each secret, by (namespace, name): the apps (env, `uses …
/// env=`, mounted secrets) and databases that read it, in its namespace, and the components
/// whose chart values name it (the platform secrets' Application stands for those).
pub fn consumers(
    site: &Site,
    graph: &Graph,
    files: &super::Files,
) -> BTreeMap<(String, String), Vec<Place>> {
    let mut found: BTreeMap<(String, String), Vec<Place>> = BTreeMap::new();
    let mut add = |ns: &str, secret: &str, place: Place| {
        let places = found
            .entry((ns.to_string(), secret.to_string()))
            .or_default();
        if !places.contains(&place) {
            places.push(place);
        }
    };
    let workload = |kind, name: &str| Place {
        wave: wave(graph, kind, name, 0),
        folder: workload::folder(name),
        workload: Some(name.to_string()),
    };
    for app in &site.apps {
        let ns = app.namespace.as_str();
        let read = app
            .environment(site)
            .into_iter()
            .filter_map(|e| match e.source {
                EnvSource::Secret { secret, .. } => Some(secret.value),
                EnvSource::Literal(_) => None,
            });
        let mounted = app.secrets.iter().map(|m| m.secret.value.clone());
        let pulled =
            crate::model::registry::pull_secret(&site.registries, app).map(|s| s.value.clone());
        for secret in read.chain(mounted).chain(pulled) {
            add(
                ns,
                secret.as_str(),
                workload(VertexKind::App, app.name.as_str()),
            );
        }
    }
    for db in &site.databases {
        if let Some(secret) = &db.secret {
            let place = workload(VertexKind::Database, db.name.as_str());
            add(db.namespace.as_str(), secret.as_str(), place);
        }
    }
    for (_, secret, ns) in crate::secrets::chart_readers(files) {
        add(&ns, &secret, platform(graph));
    }
    found
}

/// The Application that syncs each secret read by something, by (namespace, name): its earliest
/// consumer's, the first folder by name among those of one wave. A secret nothing reads is the
/// platform secrets' Application's.
pub fn places(
    site: &Site,
    graph: &Graph,
    files: &super::Files,
) -> BTreeMap<(String, String), Place> {
    consumers(site, graph, files)
        .into_iter()
        .filter_map(|(key, places)| Some((key, places.into_iter().min()?)))
        .collect()
}

/// Where a secret that nothing reads is synced.
pub fn platform(graph: &Graph) -> Place {
    Place {
        wave: platform_wave(graph),
        folder: PLATFORM_FOLDER.into(),
        workload: None,
    }
}
