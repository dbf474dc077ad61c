//! The terminal renderer: the summary first, then one block per folder.

use super::super::{lines, Change, Diff, LineChange, What};
use super::{both_multiline, counts, file_name, inline, risky, MAX_INLINE, MAX_LINES};
use std::fmt::Write;

pub fn render(diff: &Diff) -> String {
    if diff.is_empty() {
        return "no changes\n".into();
    }
    let summary = diff.summary();
    let mut out = String::new();
    match risky(&summary) {
        Some(risky) => {
            let _ = writeln!(out, "risky: {risky}; {}", counts(&summary));
        }
        None => {
            let _ = writeln!(out, "{}", counts(&summary));
        }
    }
    for (folder, changes) in &diff.groups {
        let _ = writeln!(out, "\n{folder}/");
        for change in changes {
            object(&mut out, change);
        }
    }
    out
}

fn object(out: &mut String, change: &Change) {
    let sign = match change.what {
        What::Added => '+',
        What::Removed => '-',
        What::Fields(_) | What::Lines(_) => '~',
    };
    let _ = write!(out, "  {sign} {}", change.id);
    if let Some(name) = file_name(change) {
        let _ = write!(out, " ({name})");
    }
    if !change.risks.is_empty() {
        let risks: Vec<&str> = change.risks.iter().map(|r| r.as_str()).collect();
        let _ = write!(out, " [{}]", risks.join(", "));
    }
    out.push('\n');
    match &change.what {
        What::Added | What::Removed => {}
        What::Fields(fields) => {
            for field in fields {
                if let Some((a, b)) = both_multiline(&field.old, &field.new) {
                    let _ = writeln!(out, "      {}:", field.path);
                    text_lines(out, &lines::diff(a, b), "        ");
                    continue;
                }
                let _ = match (&field.old, &field.new) {
                    (Some(a), Some(b)) => writeln!(
                        out,
                        "      {}: {} → {}",
                        field.path,
                        inline(a, MAX_INLINE),
                        inline(b, MAX_INLINE)
                    ),
                    (None, Some(b)) => {
                        writeln!(out, "      + {}: {}", field.path, inline(b, MAX_INLINE))
                    }
                    (Some(a), None) => {
                        writeln!(out, "      - {}: {}", field.path, inline(a, MAX_INLINE))
                    }
                    (None, None) => Ok(()),
                };
            }
        }
        What::Lines(changes) => text_lines(out, changes, "      "),
    }
}

fn text_lines(out: &mut String, changes: &[LineChange], indent: &str) {
    for change in changes.iter().take(MAX_LINES) {
        let _ = match change {
            LineChange::Removed { line, text } => {
                writeln!(out, "{}", format!("{indent}{line:>4} - {text}").trim_end())
            }
            LineChange::Added { line, text } => {
                writeln!(out, "{}", format!("{indent}{line:>4} + {text}").trim_end())
            }
        };
    }
    if changes.len() > MAX_LINES {
        let _ = writeln!(
            out,
            "{indent}… {} more changed lines",
            changes.len() - MAX_LINES
        );
    }
}
