//! Diagnostics: the one error enum, suggestions, and the renderers.

mod error;
mod render;
mod source;
mod suggest;

pub use error::Error;
pub use render::{render, Format, Rendered};
pub use source::{Located, SourceFile};
pub use suggest::Suggestion;
