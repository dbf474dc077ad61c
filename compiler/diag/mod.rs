//! Diagnostics: the one error enum, suggestions, and the renderers.

mod error;
mod explain;
mod render;
mod source;
mod suggest;
mod wrap;

pub use error::Error;
pub use explain::{explanation, Explanation, EXPLANATIONS};
pub use render::{render, Format, Rendered};
pub use source::{Located, SourceFile};
pub use suggest::Suggestion;
