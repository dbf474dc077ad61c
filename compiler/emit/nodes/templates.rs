//! The handlebars registry of `stdlib/nodes/*.hbs`, built once from the templates build.rs
//! compiled (`stdlib/prepared.rs`). Strict mode turns a name the template uses but the context
//! lacks into a render error, which the tests then catch.

use crate::stdlib::prepared::{self, NODE_TEMPLATES};
use handlebars::Handlebars;
use serde::Serialize;
use std::sync::OnceLock;

pub fn registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        // values are quoted for shell and YAML by the context, never HTML-escaped
        registry.register_escape_fn(handlebars::no_escape);
        prepared::register(&mut registry, NODE_TEMPLATES);
        registry
    })
}

/// Renders a template of the stdlib; a failure is a bug in labc's own templates, which every
/// fixture site exercises, so it panics rather than reaching the user as a diagnostic.
pub fn render<T: Serialize>(registry: &Handlebars, name: &str, data: &T) -> Vec<u8> {
    registry
        .render(name, data)
        .unwrap_or_else(|e| panic!("stdlib/nodes/{name}.hbs: {e}"))
        .into_bytes()
}
