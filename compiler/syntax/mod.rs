//! Phase 1: bytes to a KDL document with spans. labc reads KDL v2 with its own parser (one pass,
//! every error at once); it guards against inputs that are not text, too large, or nested
//! deeper than any site needs, so that no input can exhaust memory or the stack.

mod chars;
mod format;
mod number;
mod parser;
pub mod reference;
mod scalar;
mod strings;
mod tree;

pub use format::format;
pub use tree::{Document, Entry, Ident, Node, Value};

use crate::diag::{Error, Located, SourceFile};
use miette::SourceSpan;
use std::sync::Arc;

/// The largest site file labc reads (a generated site of 5,000 apps is about 2 MiB).
pub const MAX_SIZE: usize = 16 * 1024 * 1024;
/// The deepest nesting of `{ }` blocks labc reads (the language needs 4).
pub const MAX_DEPTH: usize = 32;

/// A parsed site file.
pub struct Parsed {
    pub file: Arc<SourceFile>,
    pub document: Document,
}

/// Parses KDL text into labc's document, or every syntax error (spans are byte offsets).
/// Nesting deeper than [`MAX_DEPTH`] is an error; the size is not checked.
pub fn parse_text(text: &str) -> Result<Document, Vec<Error>> {
    parser::parse(text, MAX_DEPTH)
}

/// Parses `bytes` read from `name`. On failure returns every syntax error found, each located
/// in the file (for non-UTF-8 input, in a lossy copy of it).
pub fn parse(name: &str, bytes: &[u8]) -> Result<Parsed, Vec<Located>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            // offsets in the lossy copy equal those in the input up to the first bad byte
            let span = SourceSpan::from((e.valid_up_to(), 1));
            let file = SourceFile::new(name, lossy);
            return Err(vec![Located::new(&file, Error::NotUtf8 { span })]);
        }
    };
    let file = SourceFile::new(name, text);
    let fail = |error| Err(vec![Located::new(&file, error)]);
    if text.len() > MAX_SIZE {
        return fail(Error::TooLarge {
            size: text.len(),
            limit: MAX_SIZE,
            span: SourceSpan::from((0, 0)),
        });
    }
    if text.trim().is_empty() {
        return fail(Error::EmptyFile {
            span: SourceSpan::from((0, text.len())),
        });
    }
    match parse_text(text) {
        Ok(document) => Ok(Parsed { file, document }),
        Err(errors) => Err(errors
            .into_iter()
            .map(|error| Located::new(&file, error))
            .collect()),
    }
}
