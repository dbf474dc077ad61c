//! The one scan of KDL text that the checks before parsing share (block depth, the cuts of a
//! parallel parse, blanking comments): it tells code from strings and comments, which is all
//! they need, without building anything.

use std::ops::Range;

/// A piece of the text: one byte of code, or a whole string or comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Code(usize),
    String(Range<usize>),
    Comment(Range<usize>),
}

/// The pieces of `bytes`, in order.
pub fn pieces(bytes: &[u8]) -> Pieces<'_> {
    Pieces { bytes, i: 0 }
}

pub struct Pieces<'a> {
    bytes: &'a [u8],
    i: usize,
}

impl Iterator for Pieces<'_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        let bytes = self.bytes;
        let start = self.i;
        let b = *bytes.get(start)?;
        let next = bytes.get(start + 1).copied();
        let (piece, end) = match (b, next) {
            (b'/', Some(b'/')) => {
                let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |n| start + n);
                (Piece::Comment(start..end), end)
            }
            (b'/', Some(b'*')) => {
                let end = block_comment_end(bytes, start);
                (Piece::Comment(start..end), end)
            }
            (b'#', Some(b'"' | b'#')) => match raw_string_end(bytes, start) {
                Some(end) => (Piece::String(start..end), end),
                None => (Piece::Code(start), start + 1),
            },
            (b'"', _) => {
                let end = quoted_string_end(bytes, start);
                (Piece::String(start..end), end)
            }
            _ => (Piece::Code(start), start + 1),
        };
        self.i = end;
        Some(piece)
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

/// The end of the raw string `#…#"…"#…#` (or `#…#"""…"""#…#`) starting at `start`; `None`
/// when the hashes start something else. A multi-line raw string closes only at its triple
/// quote and hashes: a `"#` inside it is text (a colour, a regex in a values template).
fn raw_string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let hashes = bytes[start..].iter().take_while(|b| **b == b'#').count();
    let open = start + hashes;
    if bytes.get(open) != Some(&b'"') {
        return None;
    }
    let quotes = if bytes[open..].starts_with(b"\"\"\"") {
        3
    } else {
        1
    };
    let mut close = vec![b'"'; quotes];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let body = open + quotes;
    Some(
        memchr::memmem::find(&bytes[body..], &close)
            .map_or(bytes.len(), |p| body + p + close.len()),
    )
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
    use super::{pieces, Piece};

    /// A multi-line raw string ends at its triple quote and hashes only: `"#` and `//` inside
    /// are text.
    #[test]
    fn a_multi_line_raw_string_holds_quote_hash_and_slashes() {
        let text = b"a #\"\"\"\n  x \"# // y /* z\n  \"\"\"# // c\n";
        let pieces: Vec<Piece> = pieces(text)
            .filter(|p| !matches!(p, Piece::Code(_)))
            .collect();
        let end = text.len() - "// c\n".len() - 1;
        assert_eq!(
            pieces,
            [
                Piece::String(2..end),
                Piece::Comment(end + 1..text.len() - 1)
            ]
        );
    }

    /// `#true` is code: hashes start a raw string only before a quote.
    #[test]
    fn strings_and_comments_are_whole_pieces() {
        let text = br##"a "b\"c" #"d"# /* e /* f */ */ // g
h """
i""" #true"##;
        let kinds: Vec<Piece> = pieces(text)
            .filter(|p| !matches!(p, Piece::Code(_)))
            .collect();
        let slices: Vec<&str> = kinds
            .iter()
            .map(|p| match p {
                Piece::String(r) | Piece::Comment(r) => {
                    std::str::from_utf8(&text[r.clone()]).unwrap()
                }
                Piece::Code(_) => unreachable!(),
            })
            .collect();
        assert_eq!(
            slices,
            [
                r#""b\"c""#,
                r##"#"d"#"##,
                "/* e /* f */ */",
                "// g",
                "\"\"\"\ni\"\"\"",
            ]
        );
    }
}
