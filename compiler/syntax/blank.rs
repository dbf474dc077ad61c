//! Comments blanked out before parsing. The kdl crate spends on a comment about what it spends
//! on code (a third of the seed site's parse), though a comment means nothing to labc: the
//! parser is given a copy of the text with every comment's bytes turned into spaces, so every
//! span still points at the same byte of the real file. Only `labc build`'s parse sees the
//! copy; `labc fmt` keeps the file's comments, and syntax errors are always reported from the
//! file itself.

use super::lex::Piece;
use std::borrow::Cow;

/// `text` with the bytes of every `//` and `/* */` comment but line breaks replaced by spaces.
pub fn comments(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"//").is_none() && memchr::memmem::find(bytes, b"/*").is_none()
    {
        return Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    for piece in super::lex::pieces(bytes) {
        if let Piece::Comment(range) = piece {
            blank(&mut out[range]);
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

    /// What looks like a comment inside a multi-line raw string is part of the value.
    #[test]
    fn a_raw_string_keeps_its_slashes() {
        let text = "env K #\"\"\"\n    a \"# // b /* c\n    \"\"\"# // gone\nk 1 /* d */\n";
        let whole = kdl::KdlDocument::parse(text).unwrap();
        let blanked = kdl::KdlDocument::parse(&comments(text)).unwrap();
        let value = |d: &kdl::KdlDocument| d.nodes()[0].entries()[1].value().clone();
        assert_eq!(value(&whole), value(&blanked));
        assert_eq!(value(&blanked).as_string(), Some("a \"# // b /* c"));
        assert!(!comments(text).contains("gone"));
        assert!(!comments(text).contains("/* d */"));
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
