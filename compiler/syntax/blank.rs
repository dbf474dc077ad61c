//! Comments blanked out before parsing. The kdl crate spends on a comment about what it spends
//! on code (a third of the seed site's parse), though a comment means nothing to labc: the
//! parser is given a copy of the text with every comment's bytes turned into spaces, so every
//! span still points at the same byte of the real file. Only `labc build`'s parse sees the
//! copy; `labc fmt` keeps the file's comments, and syntax errors are always reported from the
//! file itself.

use std::borrow::Cow;

/// `text` with the bytes of every `//` and `/* */` comment but line breaks replaced by spaces.
pub fn comments(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"//").is_none() && memchr::memmem::find(bytes, b"/*").is_none()
    {
        return Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                blank(&mut out[i..end]);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = block_comment_end(bytes, i);
                blank(&mut out[i..end]);
                i = end;
            }
            b'#' if matches!(bytes.get(i + 1), Some(b'"' | b'#')) => i = raw_string_end(bytes, i),
            b'"' => i = quoted_string_end(bytes, i),
            _ => i += 1,
        }
    }
    // only ASCII bytes inside comments were replaced, each by an ASCII space, and whole
    // comments at that: what was UTF-8 still is
    match String::from_utf8(out) {
        Ok(blanked) => Cow::Owned(blanked),
        Err(_) => Cow::Borrowed(text),
    }
}

/// Spaces for every byte of a comment but line breaks; a multi-byte character becomes as many
/// spaces as it has bytes.
fn blank(comment: &mut [u8]) {
    for b in comment {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// The end of the quoted string (single- or multi-line) starting at `start`. A backslash
/// escapes the byte after it, which is all that matters for finding the closing quotes.
fn quoted_string_end(bytes: &[u8], start: usize) -> usize {
    let close: &[u8] = if bytes[start..].starts_with(b"\"\"\"") {
        b"\"\"\""
    } else {
        b"\""
    };
    let mut i = start + close.len();
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
        } else if bytes[i..].starts_with(close) {
            return i + close.len();
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The end of the raw string `#…#"…"#…#` (or `#…#"""…"""#…#`) starting at `start`, or just
/// past the hashes when they start something else (`#true`).
fn raw_string_end(bytes: &[u8], start: usize) -> usize {
    let hashes = bytes[start..].iter().take_while(|b| **b == b'#').count();
    let open = start + hashes;
    if bytes.get(open) != Some(&b'"') {
        return open;
    }
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    memchr::memmem::find(&bytes[open + 1..], &close)
        .map_or(bytes.len(), |p| open + 1 + p + close.len())
}

/// The end of the block comment starting at `start`; block comments nest in KDL.
fn block_comment_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::comments;

    #[test]
    fn comments_become_spaces_and_nothing_else_changes() {
        let text = "a 1 // one\n/* two\n /* nested */ still */ b \"// not\" #\"/* raw */\"# c\n";
        let blanked = comments(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(
            blanked,
            "a 1       \n      \n                       b \"// not\" #\"/* raw */\"# c\n"
        );
    }

    #[test]
    fn escaped_quotes_and_multi_line_strings_are_not_comments() {
        let text = "a \"x\\\" // y\" b \"\"\"\n  // kept\n  \\\"\"\" still\n  \"\"\" // gone\n";
        let blanked = comments(text);
        assert!(blanked.contains("\"x\\\" // y\""));
        assert!(blanked.contains("  // kept\n"));
        assert!(blanked.contains("still"));
        assert!(!blanked.contains("gone"));
    }

    #[test]
    fn a_comment_with_non_ascii_keeps_every_offset() {
        let text = "// 설정\nsite x\n";
        let blanked = comments(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.find("site"), text.find("site"));
    }

    fn walk(doc: &kdl::KdlDocument, out: &mut Vec<String>) {
        for node in doc.nodes() {
            out.push(format!("{} {:?}", node.name().value(), node.span()));
            for e in node.entries() {
                out.push(format!(
                    "{:?}={:?} {:?}",
                    e.name().map(|n| n.value()),
                    e.value(),
                    e.span()
                ));
            }
            if let Some(children) = node.children() {
                walk(children, out);
            }
        }
    }

    /// Every site in the repository parses to the same nodes, values and spans with its
    /// comments blanked as without.
    #[test]
    fn every_site_of_the_repository_parses_the_same_blanked() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sites = vec![root.join("site.kdl"), root.join("tests/nodes/site.kdl")];
        for folder in ["tests/fixtures/bad", "tests/fixtures/warn"] {
            for entry in std::fs::read_dir(root.join(folder)).unwrap().flatten() {
                sites.push(entry.path());
            }
        }
        for entry in std::fs::read_dir(root.join("tests/fixtures/ok"))
            .unwrap()
            .flatten()
        {
            sites.push(entry.path().join("site.kdl"));
        }
        let mut compared = 0;
        for site in sites {
            let Ok(text) = std::fs::read_to_string(&site) else {
                continue;
            };
            let Ok(whole) = kdl::KdlDocument::parse(&text) else {
                continue;
            };
            let blanked = kdl::KdlDocument::parse(&comments(&text))
                .unwrap_or_else(|e| panic!("{}: {e:?}", site.display()));
            let (mut a, mut b) = (Vec::new(), Vec::new());
            walk(&whole, &mut a);
            walk(&blanked, &mut b);
            assert_eq!(a, b, "{}", site.display());
            compared += 1;
        }
        assert!(compared > 50, "{compared}");
    }
}
