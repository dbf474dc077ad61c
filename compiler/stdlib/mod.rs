//! The component catalogue: one KDL file per platform component under `stdlib/components/`,
//! embedded in the binary at build time (see `build.rs`), so adding a component needs no Rust.

mod component;
mod context;
mod instance;
mod release;
pub mod releases;
mod setting;
mod values;

pub use component::{ChartSource, Component};
pub use context::site_context;
pub use instance::{instances, Instance};
pub use release::{Each, Release};
pub use setting::{SettingDef, SettingType};
pub use values::render;

use crate::decode::Cx;
use crate::diag::{Located, SourceFile};
use std::collections::BTreeMap;

pub use self::files::{NODE_TEMPLATES, STDLIB_FILES};
mod files {
    include!(concat!(env!("OUT_DIR"), "/stdlib_files.rs"));
}

/// Every known component by name.
#[derive(Debug, Default)]
pub struct Catalog {
    components: BTreeMap<String, Component>,
}

impl Catalog {
    /// The components embedded in this build of labc.
    pub fn embedded() -> Result<Catalog, Vec<Located>> {
        Catalog::from_files(STDLIB_FILES.iter().map(|(name, text)| (*name, *text)))
    }

    /// Loads component files given as (file name, text); later files override earlier ones of
    /// the same component, which is how a site's own folder overrides the stdlib.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Catalog, Vec<Located>> {
        let mut catalog = Catalog::default();
        let mut problems = Vec::new();
        for (name, text) in files {
            let parsed = match crate::syntax::parse(name, text.as_bytes()) {
                Ok(parsed) => parsed,
                Err(errors) => {
                    problems.extend(errors);
                    continue;
                }
            };
            let mut cx = Cx::default();
            for node in parsed.document.nodes() {
                if let Some(component) = component::decode(node, &mut cx) {
                    catalog.components.insert(component.name.clone(), component);
                }
            }
            problems.extend(cx.errors.into_iter().map(|e| Located::new(&parsed.file, e)));
        }
        if problems.is_empty() {
            Ok(catalog)
        } else {
            Err(problems)
        }
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
