//! The pull-request comment renderer (GitHub-flavoured Markdown): the summary as the first
//! paragraph, so that it shows in notifications, then one section per folder.

use super::super::{lines, Change, Diff, LineChange, What};
use super::{both_multiline, counts, file_name, inline, risky, MAX_INLINE, MAX_LINES};
use std::fmt::Write;

pub fn render(diff: &Diff) -> String {
    let mut out = String::from("### labc diff\n\n");
    if diff.is_empty() {
        out.push_str("No change to `out/`.\n");
        return out;
    }
    let summary = diff.summary();
    if let Some(risky) = risky(&summary) {
        let _ = writeln!(out, "**Risky:** {risky}  ");
    }
    let _ = writeln!(out, "{}", counts(&summary));
    for (folder, changes) in &diff.groups {
        let _ = writeln!(out, "\n#### {}\n", code(&format!("{folder}/")));
        for change in changes {
            object(&mut out, change);
        }
    }
    out
}

fn object(out: &mut String, change: &Change) {
    let verb = match change.what {
        What::Added => "added",
        What::Removed => "removed",
        What::Fields(_) | What::Lines(_) => "changed",
    };
    let _ = write!(out, "- {verb} {}", code(&change.id.to_string()));
    if let Some(name) = file_name(change) {
        let _ = write!(out, " in {}", code(name));
    }
    if !change.risks.is_empty() {
        let risks: Vec<&str> = change.risks.iter().map(|r| r.as_str()).collect();
        let _ = write!(out, " — **{}**", risks.join(", "));
    }
    out.push('\n');
    match &change.what {
        What::Added | What::Removed => {}
        What::Fields(fields) => {
            for field in fields {
                if let Some((a, b)) = both_multiline(&field.old, &field.new) {
                    let _ = writeln!(out, "  - {}:", code(&field.path));
                    diff_block(out, &lines::diff(a, b), "    ");
                    continue;
                }
                let _ = match (&field.old, &field.new) {
                    (Some(a), Some(b)) => writeln!(
                        out,
                        "  - {}: {} → {}",
                        code(&field.path),
                        code(&inline(a, MAX_INLINE)),
                        code(&inline(b, MAX_INLINE))
                    ),
                    (None, Some(b)) => writeln!(
                        out,
                        "  - {} added: {}",
                        code(&field.path),
                        code(&inline(b, MAX_INLINE))
                    ),
                    (Some(a), None) => writeln!(
                        out,
                        "  - {} removed (was {})",
                        code(&field.path),
                        code(&inline(a, MAX_INLINE))
                    ),
                    (None, None) => Ok(()),
                };
            }
        }
        What::Lines(changes) => diff_block(out, changes, "  "),
    }
}

/// A fenced `diff` block, which GitHub colours; indented to sit inside the list item.
fn diff_block(out: &mut String, changes: &[LineChange], indent: &str) {
    let _ = writeln!(out, "\n{indent}```diff");
    for change in changes.iter().take(MAX_LINES) {
        let _ = match change {
            LineChange::Removed { text, .. } => writeln!(out, "{indent}-{text}"),
            LineChange::Added { text, .. } => writeln!(out, "{indent}+{text}"),
        };
    }
    if changes.len() > MAX_LINES {
        let _ = writeln!(
            out,
            "{indent}# … {} more changed lines",
            changes.len() - MAX_LINES
        );
    }
    let _ = writeln!(out, "{indent}```\n");
}

/// Inline code that survives backticks in the text: the fence is one longer than the longest
/// run of backticks inside.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if longest > 0 { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}
