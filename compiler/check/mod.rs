//! Phase 3: rules over the decoded site, one file per family. Every rule only reads the site
//! and the catalogue and returns diagnostics; none stops the others.

mod canary;
mod capacity;
mod databases;
mod disks;
mod egress;
mod features;
mod kernel;
mod kubernetes_names;
mod layers;
mod names;
mod namespaces;
mod network;
mod outputs;
mod platform;
mod policies;
mod references;
mod requests;
mod routes;
mod storage;
mod versions;
mod warnings;
mod webhook;

use crate::diag::Error;
use crate::model::{ComponentUse, SettingValue, Site};
use crate::stdlib::{Catalog, Platform};

/// All diagnostics the rules find in `site`.
pub fn check(site: &Site, catalog: &Catalog, platform: &Platform) -> Vec<Error> {
    let view = SiteView::new(site, catalog, platform);
    let mut errors = Vec::new();
    names::check(&view, &mut errors);
    kubernetes_names::check(&view, &mut errors);
    namespaces::check(&view, &mut errors);
    references::check(&view, &mut errors);
    databases::check(&view, &mut errors);
    layers::check(&view, &mut errors);
    features::check(&view, &mut errors);
    kernel::check(&view, &mut errors);
    canary::check(&view, &mut errors);
    capacity::check(&view, &mut errors);
    network::check(&view, &mut errors);
    policies::check(&view, &mut errors);
    egress::check(&view, &mut errors);
    platform::check(&view, &mut errors);
    routes::check(&view, &mut errors);
    versions::check(&view, &mut errors);
    disks::check(&view, &mut errors);
    storage::check(&view, &mut errors);
    webhook::check(&view, &mut errors);
    requests::check(&view, &mut errors);
    outputs::check(&view, &mut errors);
    warnings::check(&view, &mut errors);
    errors
}

/// The site with the lookups several rules share.
pub struct SiteView<'a> {
    pub site: &'a Site,
    pub catalog: &'a Catalog,
    pub platform: &'a Platform,
}

impl<'a> SiteView<'a> {
    fn new(site: &'a Site, catalog: &'a Catalog, platform: &'a Platform) -> Self {
        SiteView {
            site,
            catalog,
            platform,
        }
    }

    /// Every component the site's layers name, in source order.
    pub fn components(&self) -> impl Iterator<Item = &'a ComponentUse> {
        self.site.layers.iter().flat_map(|l| l.components.iter())
    }

    pub fn component(&self, name: &str) -> Option<&'a ComponentUse> {
        self.components().find(|c| c.name.as_str() == name)
    }

    pub fn has(&self, name: &str) -> bool {
        self.component(name).is_some()
    }

    /// A component setting as the site gives it, or its stdlib default.
    pub fn setting(&self, component: &str, setting: &str) -> Option<SettingValue> {
        let used = self.component(component)?;
        used.settings
            .get(setting)
            .map(|v| v.value.clone())
            .or_else(|| {
                self.catalog
                    .get(component)?
                    .setting(setting)?
                    .default
                    .clone()
            })
    }
}
