//! The component catalogue: one KDL file per platform component under `stdlib/components/`,
//! embedded in the binary at build time (see `build.rs`), so adding a component needs no Rust.

mod component;
mod context;
mod endpoint;
mod endpoints;
mod instance;
mod page;
mod platform;
pub mod prepared;
mod release;
pub mod releases;
mod setting;
mod values;

pub use component::{ChartSource, Component, KernelRequirement};
pub use context::site_context;
pub use endpoint::{Endpoint, Protocol, SiteEndpoint};
pub use endpoints::site_endpoints;
pub use instance::{instances, Instance};
pub use page::page as reference_page;
pub use platform::Platform;
pub use release::{Each, Release};
pub use setting::{SettingDef, SettingType};
pub use values::{render, ValuesError};

use crate::decode::Cx;
use crate::diag::{Located, SourceFile};
use std::collections::BTreeMap;

pub use self::files::STDLIB_FILES;
mod files {
    include!(concat!(env!("OUT_DIR"), "/stdlib_files.rs"));
}

/// Every known component by name, and the CRDs a site brings for the versions it pins itself.
#[derive(Debug, Default)]
pub struct Catalog {
    components: BTreeMap<String, Component>,
    crds: crate::schema::SiteCrds,
}

impl Catalog {
    /// The components embedded in this build of labc.
    pub fn embedded() -> Result<Catalog, Vec<Located>> {
        Catalog::with_own_files(std::iter::empty())
    }

    /// The embedded components, then the site's own component files given as (file name,
    /// text), which override embedded ones of the same name. The embedded files are parsed once
    /// per process.
    pub fn with_own_files<'a>(
        own: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Catalog, Vec<Located>> {
        let own: Vec<(&str, &str)> = own.into_iter().collect();
        let parts = embedded_parts().iter().cloned().chain(parse(&own));
        merge(parts)
    }

    /// Loads component files given as (file name, text); later files override earlier ones of
    /// the same component, which is how a site's own folder overrides the stdlib.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Catalog, Vec<Located>> {
        let files: Vec<(&str, &str)> = files.into_iter().collect();
        merge(parse(&files))
    }

    /// The catalogue with a site's own CRDs, which decide over the embedded ones for their
    /// group and kind.
    pub fn with_crds(self, crds: crate::schema::SiteCrds) -> Catalog {
        Catalog { crds, ..self }
    }

    pub fn crds(&self) -> &crate::schema::SiteCrds {
        &self.crds
    }

    pub fn get(&self, name: &str) -> Option<&Component> {
        self.components.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.components.keys().map(String::as_str)
    }

    pub fn components(&self) -> impl Iterator<Item = &Component> {
        self.components.values()
    }

    /// Every endpoint every component declares, with its provider, by component then
    /// declaration order (its namespace: `Endpoint::namespace_in`). [`site_endpoints`] gives
    /// them as one site has them, with the Service of each gateway named.
    pub fn endpoints(&self) -> impl Iterator<Item = (&Component, &Endpoint)> {
        self.components
            .values()
            .flat_map(|c| c.endpoints.iter().map(move |e| (c, e)))
    }

    /// Namespaces each component's chart writes to beyond its releases' own (`writes-to`).
    pub fn writes_to(&self) -> impl Iterator<Item = (&str, &str)> {
        self.components.values().flat_map(|c| {
            c.writes_to
                .iter()
                .map(move |ns| (c.name.as_str(), ns.as_str()))
        })
    }
}

/// Each file's components and problems, in file order, the files parsed and decoded on all
/// cores.
fn parse(files: &[(&str, &str)]) -> Vec<(Vec<Component>, Vec<Located>)> {
    crate::cores::map(files, |(n, t)| load_file(n, t))
}

/// The catalogue of parsed files, later files' components replacing earlier ones of the same
/// name; every problem of every file, if any.
fn merge(
    parts: impl IntoIterator<Item = (Vec<Component>, Vec<Located>)>,
) -> Result<Catalog, Vec<Located>> {
    let mut catalog = Catalog::default();
    let mut problems = Vec::new();
    for (components, errors) in parts {
        for component in components {
            catalog.components.insert(component.name.clone(), component);
        }
        problems.extend(errors);
    }
    problems.extend(endpoints::check_references(&catalog));
    if problems.is_empty() {
        Ok(catalog)
    } else {
        Err(problems)
    }
}

/// The embedded files, parsed once per process (the tests and `labc explain` ask many times).
/// Parsing them earlier, on a thread started before the arguments are read, was measured
/// slower when the node templates were still compiled at run time, on another core.
fn embedded_parts() -> &'static [(Vec<Component>, Vec<Located>)] {
    static PARTS: std::sync::OnceLock<Vec<(Vec<Component>, Vec<Located>)>> =
        std::sync::OnceLock::new();
    PARTS.get_or_init(|| parse(STDLIB_FILES))
}

/// The components one file defines, and its problems.
fn load_file(name: &str, text: &str) -> (Vec<Component>, Vec<Located>) {
    let parsed = match crate::syntax::parse(name, text.as_bytes()) {
        Ok(parsed) => parsed,
        Err(errors) => return (Vec::new(), errors),
    };
    let mut cx = Cx::default();
    let components = parsed
        .document
        .nodes()
        .iter()
        .filter_map(|node| component::decode(node, &mut cx))
        .map(|component| Component {
            file: name.to_string(),
            source_file: Some(std::sync::Arc::clone(&parsed.file)),
            ..component
        })
        .collect();
    let errors = cx
        .errors
        .into_iter()
        .map(|e| Located::new(&parsed.file, e))
        .collect();
    (components, errors)
}

/// The stdlib source file of a component, for diagnostics that point into the stdlib.
pub fn embedded_source(name: &str) -> Option<std::sync::Arc<SourceFile>> {
    STDLIB_FILES
        .iter()
        .find(|(file, _)| file.trim_end_matches(".kdl").ends_with(name))
        .map(|(file, text)| SourceFile::new(*file, *text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_component_loads() {
        let catalog = Catalog::embedded().unwrap_or_else(|errors| {
            panic!(
                "stdlib has errors: {:?}",
                errors
                    .iter()
                    .map(|e| e.error.to_string())
                    .collect::<Vec<_>>()
            )
        });
        assert!(catalog.names().count() >= 17);
        for component in catalog.components() {
            for dep in component.requires.iter().chain(&component.after) {
                assert!(
                    catalog.get(dep).is_some(),
                    "{} names unknown {dep}",
                    component.name
                );
            }
        }
    }
}
