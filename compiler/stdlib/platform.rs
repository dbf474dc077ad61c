//! The site's platform as it will be installed: every release of every component the site
//! uses, with its values rendered. Rendered once, right after decoding, and read by the checker
//! (a template that does not render is a diagnostic), the emitter (one Application per
//! release) and the source map (which file each Application is), so that all three see the
//! same releases and no template renders twice.

use super::{instances, site_context, Catalog, Instance, ValuesError};
use crate::model::Site;

#[derive(Debug, Default)]
pub struct Platform {
    /// By component name, in the site's order; a component the catalogue lacks is absent.
    components: Vec<(String, Result<Vec<Instance>, ValuesError>)>,
}

impl Platform {
    pub fn render(site: &Site, catalog: &Catalog) -> Platform {
        let context = site_context(site, catalog);
        let used: Vec<_> = site.layers.iter().flat_map(|l| &l.components).collect();
        // compiling the templates is most of it, and a small site waits for it: on all cores
        let components = crate::cores::map(&used, |used| {
            let def = catalog.get(used.name.as_str())?;
            Some((used.name.to_string(), instances(site, &context, def, used)))
        })
        .into_iter()
        .flatten()
        .collect();
        Platform { components }
    }

    /// The releases of component `name`, or why its values do not render; `None` when the
    /// site does not use it or the catalogue does not know it.
    pub fn instances(&self, name: &str) -> Option<&Result<Vec<Instance>, ValuesError>> {
        self.components
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r)
    }
}
