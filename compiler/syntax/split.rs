//! Parallel parsing of large sites. The `kdl` crate parses at a few MB/s, so a site of
//! thousands of apps is split at top-level nodes, the parts are parsed on all cores, and their
//! spans are moved back to file offsets. Any part that fails sends the caller back to one
//! whole-file parse, so diagnostics never depend on the split.

use super::lex::Piece;
use kdl::{KdlDocument, KdlEntry, KdlNode};
use miette::SourceSpan;

/// Below this size one parse is about as fast as splitting. The parser reads about 3 MB/s, so
/// 16 KiB is some 5 ms of work, against tens of microseconds to split, spawn and shift spans.
const MIN_SPLIT: usize = 16 * 1024;

/// Offsets where a top-level node starts at the beginning of a line, outside any block, string
/// or comment, and not continued from the line before.
fn boundaries(text: &str, keywords: &[&str]) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut cuts = Vec::new();
    let mut depth = 0usize;
    for piece in super::lex::pieces(bytes) {
        let Piece::Code(i) = piece else { continue };
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'\n' if depth == 0 => {
                let line = &text[i + 1..];
                let starts_node = keywords
                    .iter()
                    .any(|k| line.starts_with(k) && line.as_bytes().get(k.len()) == Some(&b' '));
                let before = text[..i].trim_end();
                let continued = before.ends_with('\\') || before.ends_with("/-");
                if starts_node && !continued {
                    cuts.push(i + 1);
                }
            }
            _ => {}
        }
    }
    cuts
}

/// Parses `text` in parallel parts if it is large; `None` when it is small, cannot be split, or
/// any part fails (the caller then parses the whole file and reports its errors).
pub fn parse_parallel(text: &str, keywords: &[&str]) -> Option<KdlDocument> {
    let threads = crate::cores::cores();
    if text.len() < MIN_SPLIT || threads < 2 {
        return None;
    }
    let cuts = boundaries(text, keywords);
    // pick one cut near each even share of the text
    let mut starts = vec![0];
    for part in 1..threads {
        let target = text.len() * part / threads;
        if let Some(&cut) = cuts
            .iter()
            .find(|c| **c >= target && **c > *starts.last().unwrap_or(&0))
        {
            starts.push(cut);
        }
    }
    if starts.len() < 2 {
        return None;
    }
    let mut ends: Vec<usize> = starts[1..].to_vec();
    ends.push(text.len());
    let parts: Vec<Option<KdlDocument>> = std::thread::scope(|scope| {
        let handles: Vec<_> = starts
            .iter()
            .zip(&ends)
            .map(|(&start, &end)| {
                scope.spawn(move || {
                    let mut doc = KdlDocument::parse(&text[start..end]).ok()?;
                    for node in doc.nodes_mut() {
                        shift_node(node, start);
                    }
                    Some(doc)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    let mut document = KdlDocument::new();
    for part in parts {
        document.nodes_mut().append(part?.nodes_mut());
    }
    document.set_span(SourceSpan::from((0, text.len())));
    Some(document)
}

fn shift(span: SourceSpan, by: usize) -> SourceSpan {
    SourceSpan::from((span.offset() + by, span.len()))
}

fn shift_entry(entry: &mut KdlEntry, by: usize) {
    entry.set_span(shift(entry.span(), by));
    if let Some(name) = entry.name_mut() {
        name.set_span(shift(name.span(), by));
    }
    if let Some(ty) = entry.ty_mut() {
        ty.set_span(shift(ty.span(), by));
    }
}

fn shift_node(node: &mut KdlNode, by: usize) {
    node.set_span(shift(node.span(), by));
    let name = node.name_mut();
    name.set_span(shift(name.span(), by));
    if let Some(ty) = node.ty_mut() {
        ty.set_span(shift(ty.span(), by));
    }
    for entry in node.entries_mut() {
        shift_entry(entry, by);
    }
    if let Some(children) = node.children_mut() {
        children.set_span(shift(children.span(), by));
        for child in children.nodes_mut() {
            shift_node(child, by);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(doc: &KdlDocument, out: &mut Vec<(String, usize, usize)>) {
        for node in doc.nodes() {
            out.push((
                node.name().value().to_string(),
                node.span().offset(),
                node.span().len(),
            ));
            for e in node.entries() {
                out.push((format!("{}", e.value()), e.span().offset(), e.span().len()));
            }
            if let Some(children) = node.children() {
                spans(children, out);
            }
        }
    }

    #[test]
    fn a_split_parse_has_the_spans_of_a_whole_parse() {
        let mut text = String::from("// head\nsite x {\n    repo \"r\"\n}\n");
        for i in 0..3000 {
            text.push_str(&format!(
                "app a{i} image=\"x:{i}\" {{\n    port 80 /* {{ */\n    env K \"}}\\\"\"\n}}\n"
            ));
        }
        let whole = KdlDocument::parse(&text).unwrap();
        let split = parse_parallel(&text, &["app", "site"]);
        if crate::cores::cores() < 2 {
            return;
        }
        let split = split.expect("large enough to split");
        let (mut a, mut b) = (Vec::new(), Vec::new());
        spans(&whole, &mut a);
        spans(&split, &mut b);
        assert_eq!(a, b);
    }

    #[test]
    fn no_cut_inside_blocks_strings_or_continuations() {
        let text = "site x {\napp y\n}\nk \"\napp z\" \\\napp w\napp v 1\n";
        assert_eq!(
            boundaries(text, &["app"]),
            vec![text.rfind("app v").unwrap()]
        );
    }
}
