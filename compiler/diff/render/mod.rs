//! One renderer per output format: `text` for terminals, `markdown` for a pull-request
//! comment. Both say the same things in the same order; only the markup differs.

mod markdown;
mod text;

use super::{Diff, Summary};
use serde_yaml::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Plain text, for a terminal or a CI log.
    Text,
    /// GitHub-flavoured Markdown, for a pull-request comment.
    Markdown,
}

pub fn render(diff: &Diff, format: DiffFormat) -> String {
    match format {
        DiffFormat::Text => text::render(diff),
        DiffFormat::Markdown => markdown::render(diff),
    }
}

/// Lines of a changed text file shown per file before the rest is counted instead.
const MAX_LINES: usize = 40;

/// Where a value is too long to read inline, it is cut here.
const MAX_INLINE: usize = 160;

/// `risky: images (2), network policy (1)`, or `None` when nothing risky changed.
fn risky(summary: &Summary) -> Option<String> {
    if summary.risks.is_empty() {
        return None;
    }
    let classes: Vec<String> = summary
        .risks
        .iter()
        .map(|(risk, n)| format!("{} ({n})", risk.as_str()))
        .collect();
    Some(classes.join(", "))
}

/// `2 changed, 1 added, 0 removed in 2 folders`.
fn counts(summary: &Summary) -> String {
    format!(
        "{} changed, {} added, {} removed in {} folder{}",
        summary.changed,
        summary.added,
        summary.removed,
        summary.folders,
        if summary.folders == 1 { "" } else { "s" }
    )
}

/// A value on one line: scalars as JSON (so a string `"1"` and a number `1` look different),
/// maps and lists as flow JSON, a multi-line string by its first line; cut at `max` chars.
pub(super) fn inline(value: &Value, max: usize) -> String {
    let text = match value {
        Value::String(s) if s.contains('\n') => {
            let first = s.lines().next().unwrap_or_default();
            format!(
                "{}… ({} lines)",
                serde_json::Value::String(first.into()),
                s.lines().count()
            )
        }
        other => serde_json::to_string(other).unwrap_or_else(|_| "?".into()),
    };
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The file name shown next to an object; empty when the object is the file.
fn file_name(change: &super::Change) -> Option<&str> {
    let name = change.file.rsplit('/').next().unwrap_or(&change.file);
    (change.id.to_string() != change.file).then_some(name)
}

/// Both sides are multi-line strings: worth showing as changed lines.
fn both_multiline<'a>(
    old: &'a Option<Value>,
    new: &'a Option<Value>,
) -> Option<(&'a str, &'a str)> {
    match (old.as_ref()?.as_str(), new.as_ref()?.as_str()) {
        (Some(a), Some(b)) if a.contains('\n') || b.contains('\n') => Some((a, b)),
        _ => None,
    }
}
