//! Typed reads of KDL entries. Each returns `None` after reporting a diagnostic on the entry,
//! so the caller can go on with a placeholder.

use super::Cx;
use crate::diag::{Error, Suggestion};
use crate::model::value::{Duration, Name};
use crate::model::Spanned;
use crate::syntax::{Entry as KdlEntry, Value as KdlValue};

fn found(value: &KdlValue) -> &'static str {
    match value {
        KdlValue::String(_) => "a string",
        KdlValue::Integer(_) => "an integer",
        KdlValue::Float(_) => "a decimal number",
        KdlValue::Bool(_) => "a boolean",
        KdlValue::Null => "#null",
    }
}

fn entry_name(entry: &KdlEntry, what: &str) -> String {
    entry
        .name()
        .map_or_else(|| what.to_string(), |n| n.value().to_string())
}

fn wrong_type(
    entry: &KdlEntry,
    what: &str,
    expected: &'static str,
    example: &'static str,
    cx: &mut Cx,
) {
    cx.push(Error::WrongType {
        name: entry_name(entry, what),
        expected,
        found: found(entry.value()),
        example,
        span: entry.span(),
    });
}

pub fn string(entry: &KdlEntry, what: &str, cx: &mut Cx) -> Option<Spanned<String>> {
    match entry.value() {
        KdlValue::String(s) => Some(Spanned::new(s.clone(), entry.span())),
        _ => {
            wrong_type(entry, what, "a string", "\"text\"", cx);
            None
        }
    }
}

pub fn boolean(entry: &KdlEntry, what: &str, cx: &mut Cx) -> Option<bool> {
    match entry.value() {
        KdlValue::Bool(b) => Some(*b),
        _ => {
            wrong_type(entry, what, "a boolean", "`#true` or `#false`", cx);
            None
        }
    }
}

/// An integer within `min..=max`.
pub fn integer(
    entry: &KdlEntry,
    what: &str,
    min: i128,
    max: i128,
    cx: &mut Cx,
) -> Option<Spanned<i128>> {
    match entry.value() {
        KdlValue::Integer(i) if (min..=max).contains(i) => Some(Spanned::new(*i, entry.span())),
        KdlValue::Integer(i) => {
            cx.push(Error::InvalidValue {
                kind: "number",
                example: "a whole number in range",
                reason: format!("{i} is outside {min}..={max}"),
                span: entry.span(),
            });
            None
        }
        _ => {
            wrong_type(entry, what, "an integer", "a bare number, like `3`", cx);
            None
        }
    }
}

pub fn port(entry: &KdlEntry, what: &str, cx: &mut Cx) -> Option<Spanned<u16>> {
    match entry.value() {
        KdlValue::Integer(i) if (1..=65535).contains(i) => {
            Some(Spanned::new(*i as u16, entry.span()))
        }
        KdlValue::Integer(i) => {
            cx.push(Error::InvalidValue {
                kind: "port",
                example: "`8080` (1 to 65535)",
                reason: format!("{i} is not between 1 and 65535"),
                span: entry.span(),
            });
            None
        }
        _ => {
            wrong_type(
                entry,
                what,
                "a port number",
                "a bare number, like `8080`",
                cx,
            );
            None
        }
    }
}

/// A string parsed into a typed value; `kind` and `example` word the diagnostic.
pub fn parsed<T>(
    entry: &KdlEntry,
    what: &str,
    kind: &'static str,
    example: &'static str,
    parse: impl FnOnce(&str) -> Result<T, String>,
    cx: &mut Cx,
) -> Option<Spanned<T>> {
    let KdlValue::String(text) = entry.value() else {
        wrong_type(entry, what, "a string", example, cx);
        return None;
    };
    match parse(text) {
        Ok(value) => Some(Spanned::new(value, entry.span())),
        Err(reason) => {
            cx.push(Error::InvalidValue {
                kind,
                example,
                reason,
                span: entry.span(),
            });
            None
        }
    }
}

/// A Kubernetes name. A name that would leave its folder in `out/` gets its own diagnostic.
pub fn name(entry: &KdlEntry, what: &str, cx: &mut Cx) -> Option<Spanned<Name>> {
    if let KdlValue::String(text) = entry.value() {
        if Name::escapes_folder(text) {
            cx.push(Error::PathEscape {
                name: text.clone(),
                span: entry.span(),
            });
            return None;
        }
    }
    parsed(
        entry,
        what,
        "name",
        "`blog-was` (lowercase letters, digits, `-`)",
        Name::parse,
        cx,
    )
}

/// One of a fixed set of words.
pub fn word<T: Copy>(
    entry: &KdlEntry,
    what: &'static str,
    table: &[(&'static str, T)],
    cx: &mut Cx,
) -> Option<Spanned<T>> {
    let KdlValue::String(text) = entry.value() else {
        wrong_type(entry, what, "a word", "one of the documented words", cx);
        return None;
    };
    match table.iter().find(|(word, _)| *word == text) {
        Some((_, value)) => Some(Spanned::new(*value, entry.span())),
        None => {
            cx.push(Error::UnknownValue {
                value: text.clone(),
                what,
                suggestion: Suggestion::new(text, table.iter().map(|(w, _)| *w)),
                span: entry.span(),
            });
            None
        }
    }
}

/// A duration Go can read: `time.ParseDuration` refuses one longer than about 292 years.
pub fn duration(
    entry: &KdlEntry,
    what: &str,
    example: &'static str,
    cx: &mut Cx,
) -> Option<Spanned<Duration>> {
    let d = parsed(entry, what, "duration", example, Duration::parse, cx)?;
    if !d.value.fits_go() {
        cx.push(Error::DurationOutOfRange {
            text: entry.value().as_string().unwrap_or_default().to_string(),
            span: entry.span(),
        });
        // kept, as are the zero values below: the build stops on the error anyway, and a
        // dropped value would make the rules that read it report what the user never wrote
    }
    Some(d)
}

/// What to write instead of an interval of zero seconds.
pub const INTERVAL_HELP: &str = "an interval is written in whole seconds; give at least `1s`";

/// A duration between two repetitions of something, or a wait, written out in whole seconds:
/// zero seconds (which `0s` and `500ms` both become) is no interval at all; `help` says what
/// to write instead.
pub fn interval(
    entry: &KdlEntry,
    what: &'static str,
    example: &'static str,
    help: &'static str,
    cx: &mut Cx,
) -> Option<Spanned<Duration>> {
    let d = duration(entry, what, example, cx)?;
    if d.value.as_secs() == 0 {
        cx.push(Error::ZeroValue {
            what,
            value: entry.value().as_string().unwrap_or_default().to_string(),
            help,
            span: entry.span(),
        });
    }
    Some(d)
}
