//! The canonical layout of a site file (`labc fmt`): the kdl crate's autoformat (four-space
//! indent, one node per line, one space between entries, `{` on the node's line), with what it
//! would lose put back from the document's formatting information:
//! - blank lines between nodes, at most one in a row, since they group a site into sections;
//! - comments and slashdashed entries between a node's entries, and each value as written
//!   (`0x1F`, raw strings), which autoformat would reset;
//! - comments before a block's `}`, indented as the block's children, and comments at the end
//!   of a node's line;
//! - the lines inside a multi-line comment or slashdashed block, as written.
//!
//! Comments themselves are never rewritten, only re-indented line by line.

use kdl::{FormatConfig, KdlDocument};

const INDENT: &str = "    ";

/// `document` laid out canonically. Formatting the result again changes nothing.
pub fn format(document: &KdlDocument) -> String {
    let mut formatted = document.clone();
    keep_entries(&mut formatted);
    formatted.autoformat_config(&FormatConfig::default());
    restore(document, &mut formatted, 0);
    let mut text = formatted.to_string();
    while text.ends_with("\n\n") {
        text.pop();
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Asks autoformat to keep each entry's value as written and what precedes it.
fn keep_entries(document: &mut KdlDocument) {
    for node in document.nodes_mut() {
        for entry in node.entries_mut() {
            entry.keep_format();
        }
        if let Some(children) = node.children_mut() {
            keep_entries(children);
        }
    }
}

/// Puts back, from `original`, the blank lines and comments around the nodes of `formatted`
/// at nesting `depth`, and one space before each entry.
fn restore(original: &KdlDocument, formatted: &mut KdlDocument, depth: usize) {
    for (index, (was, node)) in original
        .nodes()
        .iter()
        .zip(formatted.nodes_mut())
        .enumerate()
    {
        let leading = was.format().map_or("", |f| f.leading.as_str());
        let leading = lines(leading, depth, index > 0, true) + &INDENT.repeat(depth);
        for entry in node.entries_mut() {
            if let Some(format) = entry.format_mut() {
                let before = format.leading.trim();
                // a line continuation (`\` then a newline) must stay as written
                if !before.contains('\\') && !before.contains('\n') {
                    format.leading = if before.is_empty() {
                        " ".into()
                    } else {
                        format!(" {before} ")
                    };
                }
            }
        }
        // a comment at the end of a node's line is parsed as part of its terminator, which
        // autoformat replaces by a bare newline
        let end = was.format().map_or("", |f| f.terminator.trim());
        if let Some(format) = node.format_mut() {
            format.leading = leading;
            if end.starts_with("//") {
                format.terminator = format!(" {end}\n");
            }
            // autoformat ends what precedes the terminator with a newline of its own, which
            // would add a blank line after a trailing slashdashed entry or comment
            let before = format.before_terminator.trim();
            format.before_terminator = if before.is_empty() {
                String::new()
            } else {
                format!(" {before}")
            };
        }
        if let (Some(was), Some(children)) = (was.children(), node.children_mut()) {
            restore(was, children, depth + 1);
            let before_close = was.format().map_or("", |f| f.trailing.as_str());
            let trailing = lines(before_close, depth + 1, !was.nodes().is_empty(), false);
            if let Some(format) = children.format_mut() {
                format.trailing = trailing + &INDENT.repeat(depth);
            }
        }
    }
    if depth == 0 {
        let after_last = original.format().map_or("", |f| f.trailing.as_str());
        let trailing = lines(after_last, 0, !original.nodes().is_empty(), false);
        if let Some(format) = formatted.format_mut() {
            format.trailing = trailing;
        }
        // the file's first comment lines were the document's leading text, kept as they are
        if let Some(format) = formatted.format_mut() {
            let first = original.format().map_or("", |f| f.leading.as_str());
            format.leading = lines(first, 0, false, true);
        }
    }
}

/// The comment lines of whitespace-and-comment `text`, each on its own line at `depth`, with
/// at most one blank line between groups (and before the first one if `blank_before`, and
/// after the last one, before what follows, if `after`). The
/// text after the last newline is the indentation of what follows, which the caller sets.
fn lines(text: &str, depth: usize, blank_before: bool, after: bool) -> String {
    let mut out = String::new();
    let mut blank = false;
    let mut segments: Vec<&str> = text.split('\n').collect();
    let rest = segments.pop().unwrap_or_default().trim();
    // lines inside a multi-line comment or slashdashed block are kept as written
    let mut open = 0i64;
    for segment in segments {
        let line = segment.trim();
        if open > 0 {
            out.push_str(segment.trim_end());
            out.push('\n');
            open += opened(line);
            continue;
        }
        open += opened(line);
        if line.is_empty() {
            blank = true;
            continue;
        }
        if blank && (blank_before || !out.is_empty()) {
            out.push('\n');
        }
        blank = false;
        out.push_str(&INDENT.repeat(depth));
        out.push_str(line);
        out.push('\n');
    }
    if !rest.is_empty() {
        // a comment on the line of what follows (`/* x */ node`) stays on that line
        if blank && (blank_before || !out.is_empty()) {
            out.push('\n');
        }
        out.push_str(&INDENT.repeat(depth));
        out.push_str(rest);
        out.push('\n');
    } else if blank && after && (blank_before || !out.is_empty()) {
        out.push('\n');
    }
    out
}

/// How many more blocks and block comments `line` opens than it closes.
fn opened(line: &str) -> i64 {
    if line.starts_with("//") {
        return 0;
    }
    let count = |pattern: &str| line.matches(pattern).count() as i64;
    count("{") - count("}") + count("/*") - count("*/")
}
