//! The character classes of the KDL v2 grammar, read straight from UTF-8 bytes: newlines,
//! whitespace, code points a document may not hold, and what an identifier may contain.

/// The length in bytes of the newline at `i` (CRLF, CR, LF, NEL, VT, FF, LS, PS), or 0.
#[inline]
pub fn newline(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'\n' | 0x0B | 0x0C) => 1,
        Some(b'\r') => {
            if b.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            }
        }
        Some(0xC2) if b.get(i + 1) == Some(&0x85) => 2,
        Some(0xE2) if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => 3,
        _ => 0,
    }
}

/// The length in bytes of the unicode space (not a newline) at `i`, or 0.
#[inline]
pub fn space(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b' ' | b'\t') => 1,
        Some(c) if *c < 0x80 => 0,
        Some(0xC2) if b.get(i + 1) == Some(&0xA0) => 2,
        Some(0xE1) if b.get(i + 1) == Some(&0x9A) && b.get(i + 2) == Some(&0x80) => 3,
        Some(0xE2) => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(0x80..=0x8A | 0xAF)) | (Some(0x81), Some(0x9F)) => 3,
            _ => 0,
        },
        Some(0xE3) if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80) => 3,
        _ => 0,
    }
}

/// What kind of code point a document may not hold literally, if `c` is one.
pub fn forbidden(c: char) -> Option<&'static str> {
    match c {
        '\u{0}'..='\u{8}' | '\u{E}'..='\u{1F}' | '\u{7F}' => Some("a control character"),
        '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            Some("a direction control")
        }
        '\u{FEFF}' => Some("a byte order mark"),
        _ => None,
    }
}

/// Whether the byte at `i` may start a forbidden code point; a cheap test before decoding.
#[inline]
pub fn maybe_forbidden(byte: u8) -> bool {
    matches!(byte, 0..=0x08 | 0x0E..=0x1F | 0x7F | 0xE2 | 0xEF)
}

/// Whether `c` may appear in a bare identifier (newlines, spaces and forbidden code points
/// aside, which the caller tests first).
#[inline]
pub fn ident_ascii(c: u8) -> bool {
    c > b' '
        && c != 0x7F
        && !matches!(
            c,
            b'\\' | b'/' | b'(' | b')' | b'{' | b'}' | b'[' | b']' | b';' | b'"' | b'#' | b'='
        )
}

/// The character at byte `i` of `text` (which must be a char boundary).
#[inline]
pub fn char_at(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kdl_newline_is_one() {
        for nl in [
            "\n", "\r", "\r\n", "\u{85}", "\u{B}", "\u{C}", "\u{2028}", "\u{2029}",
        ] {
            assert_eq!(newline(nl.as_bytes(), 0), nl.len(), "{nl:?}");
        }
        assert_eq!(newline(b"a", 0), 0);
        assert_eq!(newline("\u{2027}".as_bytes(), 0), 0);
    }

    #[test]
    fn every_unicode_space_is_one() {
        let spaces = "\t \u{A0}\u{1680}\u{2000}\u{2001}\u{2002}\u{2003}\u{2004}\u{2005}\u{2006}\u{2007}\u{2008}\u{2009}\u{200A}\u{202F}\u{205F}\u{3000}";
        for c in spaces.chars() {
            let s = c.to_string();
            assert_eq!(space(s.as_bytes(), 0), s.len(), "{c:?}");
        }
        for c in ['\u{200B}', '\u{2028}', '\u{85}', 'a', '\u{3001}'] {
            let s = c.to_string();
            assert_eq!(space(s.as_bytes(), 0), 0, "{c:?}");
        }
    }

    #[test]
    fn forbidden_code_points_start_with_a_flagged_byte() {
        for c in [
            '\u{0}', '\u{1F}', '\u{7F}', '\u{200E}', '\u{202E}', '\u{2066}', '\u{FEFF}',
        ] {
            assert!(forbidden(c).is_some());
            let mut buf = [0; 4];
            assert!(
                maybe_forbidden(c.encode_utf8(&mut buf).as_bytes()[0]),
                "{c:?}"
            );
        }
        assert_eq!(forbidden('\u{2028}'), None);
        assert_eq!(forbidden('é'), None);
    }
}
