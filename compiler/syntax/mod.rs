//! Phase 1: bytes to a KDL document with spans. Guards the parser against inputs that are not
//! text, too large, or nested deeper than any site needs, so that no input can exhaust memory
//! or the stack.

mod blank;
mod depth;
mod format;
mod lex;
mod split;

pub use format::format;

use crate::diag::{Error, Located, SourceFile};
use kdl::KdlDocument;
use miette::SourceSpan;
use std::sync::Arc;

/// The largest site file labc reads (a generated site of 5,000 apps is about 2 MiB).
pub const MAX_SIZE: usize = 16 * 1024 * 1024;
/// The deepest nesting of `{ }` blocks labc reads (the language needs 4).
pub const MAX_DEPTH: usize = 32;

/// A parsed site file.
pub struct Parsed {
    pub file: Arc<SourceFile>,
    pub document: KdlDocument,
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
    if let Some((depth, offset)) = depth::exceeds(text, MAX_DEPTH) {
        return fail(Error::NestingTooDeep {
            depth,
            limit: MAX_DEPTH,
            span: SourceSpan::from((offset, 1)),
        });
    }
    let code = blank::comments(text);
    if let Some(document) = split::parse_parallel(&code, crate::decode::TOP_LEVEL) {
        return Ok(Parsed { file, document });
    }
    if let Ok(document) = KdlDocument::parse(&code) {
        return Ok(Parsed { file, document });
    }
    // the errors come from the file as written, comments and all
    match KdlDocument::parse(text) {
        Ok(document) => Ok(Parsed { file, document }),
        Err(err) => Err(err
            .diagnostics
            .into_iter()
            .map(|d| {
                let span = narrow(text, char_span_to_bytes(text, d.span));
                let unit_help = number_with_unit(text, span);
                let error = Error::Kdl {
                    message: d
                        .message
                        .unwrap_or_else(|| "the text is not valid KDL".into())
                        .trim_end_matches('.')
                        .to_string(),
                    help: unit_help.or(d.help).unwrap_or_else(|| {
                        "see https://kdl.dev for the syntax; strings with spaces or a leading digit, and numbers with units, need quotes".into()
                    }),
                    label: d.label.unwrap_or_else(|| "here".into()),
                    span,
                };
                Located::new(&file, error)
            })
            .collect()),
    }
}

/// Some parser spans start far before the problem (at the start of the enclosing document);
/// the problem is at their end, so a span over several lines is narrowed to its last line.
fn narrow(text: &str, span: SourceSpan) -> SourceSpan {
    let end = (span.offset() + span.len()).min(text.len());
    let start = span.offset().min(end);
    match text[start..end].rfind('\n') {
        Some(newline) => {
            let line_start = start + newline + 1;
            let first = text[line_start..end].len() - text[line_start..end].trim_start().len();
            SourceSpan::from((line_start + first, end - line_start - first))
        }
        None => span,
    }
}

/// The most common KDL mistake in a site: a number with a unit (`30s`, `10Gi`) left unquoted.
fn number_with_unit(text: &str, span: SourceSpan) -> Option<String> {
    let end = (span.offset() + span.len()).min(text.len());
    let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let line = &text[line_start..line_end];
    let bare = line
        .split(|c: char| c.is_whitespace() || c == '=' || c == ';')
        .any(|word| {
            let digits = word.bytes().take_while(u8::is_ascii_digit).count();
            digits > 0
                && digits < word.len()
                && word[digits..]
                    .bytes()
                    .all(|b| b.is_ascii_alphabetic() || b == b'%')
        });
    bare.then(|| "a number with a unit is a string in KDL: write it in quotes, like \"30s\", \"10Gi\" or \"99%\"".to_string())
}

/// The kdl crate documents its diagnostic offsets as character offsets; miette wants bytes.
fn char_span_to_bytes(text: &str, span: SourceSpan) -> SourceSpan {
    if text.is_ascii() {
        return span;
    }
    let byte_at = |chars: usize| {
        text.char_indices()
            .nth(chars)
            .map_or(text.len(), |(i, _)| i)
    };
    let start = byte_at(span.offset());
    let end = byte_at(span.offset() + span.len());
    SourceSpan::from((start, end.saturating_sub(start)))
}
