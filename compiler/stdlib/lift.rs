//! A shortcut for parsing the embedded stdlib. The kdl crate spends thousands of instructions
//! per byte inside strings, and the stdlib is mostly Helm values templates in multi-line raw
//! strings (`#"""…"""#`). For the embedded files only — which a test proves come out exactly as
//! the full parse gives them — each such string is cut out before parsing, replaced by a short
//! marker, and put back, dedented as KDL does it, into the parsed document; line comments are
//! left out. Spans after a cut move, which only matters for diagnostics, and an embedded file
//! has none.

use kdl::{KdlDocument, KdlValue};

const OPEN: &str = "#\"\"\"";
const CLOSE: &str = "\"\"\"#";
const MARKER: &str = "\u{1}labc-lifted-";

/// The text with every multi-line raw string, and every plain quoted string without escapes,
/// replaced by a marker string, and the strings' values; `None` if the text holds a form this
/// shortcut does not handle. Line comments are left out.
pub fn lift(text: &str) -> Option<(String, Vec<String>)> {
    let mut out = String::with_capacity(text.len() / 2);
    let mut values = Vec::new();
    let mut marker = |value: String, out: &mut String| {
        values.push(value);
        out.push_str(&format!("\"\\u{{1}}labc-lifted-{}\"", values.len() - 1));
    };
    let mut rest = text;
    loop {
        let Some(at) = rest.find(['"', '/', '#']) else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with("//") {
            // dropped: the parser spends on a comment about what it spends on code, and the
            // stdlib's comments are a third of what is left once the strings are out
            rest = &rest[rest.find('\n').unwrap_or(rest.len())..];
        } else if rest.starts_with("/*") {
            return None;
        } else if let Some(after) = rest.strip_prefix(OPEN) {
            let close = after.find(CLOSE)?;
            marker(dedent(&after[..close])?, &mut out);
            rest = &after[close + CLOSE.len()..];
        } else if rest.starts_with("#\"") || rest.starts_with("##") {
            // other raw strings: leave the whole file to the full parse
            return None;
        } else if let Some(after) = rest.strip_prefix('"') {
            if after.starts_with("\"\"") {
                return None;
            }
            let close = after.find('"')?;
            let value = &after[..close];
            if value.contains(['\\', '\n']) {
                return None;
            }
            marker(value.to_string(), &mut out);
            rest = &after[close + 1..];
        } else {
            // a `/` or `#` that starts nothing special (`#true`, a path in a bare word)
            out.push_str(&rest[..1]);
            rest = &rest[1..];
        }
    }
    Some((out, values))
}

/// KDL v2's multi-line string rule: the body starts after a newline and ends before the last
/// newline; the last line is whitespace only and is the prefix every other line loses;
/// whitespace-only lines become empty.
fn dedent(body: &str) -> Option<String> {
    let body = body.strip_prefix('\n')?;
    let (lines, prefix) = body.rsplit_once('\n')?;
    if !prefix.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let mut out = Vec::new();
    for line in lines.split('\n') {
        if line.trim_matches([' ', '\t']).is_empty() {
            out.push("");
        } else {
            out.push(line.strip_prefix(prefix)?);
        }
    }
    Some(out.join("\n"))
}

/// Puts the lifted strings back where their markers are.
pub fn restore(document: &mut KdlDocument, values: &[String]) {
    for node in document.nodes_mut() {
        for entry in node.entries_mut() {
            let index = entry
                .value()
                .as_string()
                .and_then(|s| s.strip_prefix(MARKER))
                .and_then(|n| n.parse::<usize>().ok());
            if let Some(value) = index.and_then(|i| values.get(i)) {
                entry.set_value(KdlValue::String(value.clone()));
            }
        }
        if let Some(children) = node.children_mut() {
            restore(children, values);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stdlib::STDLIB_FILES;

    fn values(doc: &KdlDocument, out: &mut Vec<String>) {
        for node in doc.nodes() {
            out.push(node.name().value().to_string());
            for entry in node.entries() {
                out.push(format!(
                    "{:?}={:?}",
                    entry.name().map(|n| n.value()),
                    entry.value()
                ));
            }
            if let Some(children) = node.children() {
                values(children, out);
            }
        }
    }

    #[test]
    fn every_embedded_file_parses_to_the_same_values_with_the_shortcut() {
        let mut lifted_any = false;
        for (name, text) in STDLIB_FILES {
            let whole = KdlDocument::parse(text).unwrap();
            let (short, lifted) = lift(text).unwrap_or_else(|| panic!("{name}: not liftable"));
            lifted_any |= !lifted.is_empty();
            let mut fast = KdlDocument::parse(&short).unwrap();
            restore(&mut fast, &lifted);
            let (mut a, mut b) = (Vec::new(), Vec::new());
            values(&whole, &mut a);
            values(&fast, &mut b);
            assert_eq!(a, b, "{name}");
        }
        assert!(lifted_any, "the stdlib has values templates to lift");
    }

    #[test]
    fn dedent_follows_the_kdl_rule() {
        assert_eq!(dedent("\n    a\n      b\n\n    ").unwrap(), "a\n  b\n");
        assert_eq!(dedent("\n  a\n"), Some("  a".into()));
        assert_eq!(dedent("no newline"), None);
        assert_eq!(dedent("\n  a\n b"), None);
    }
}
