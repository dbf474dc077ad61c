//! A scan for block depth that runs before the KDL parser, whose recursion would otherwise
//! follow any nesting down to a stack overflow. It skips strings and comments so that braces
//! inside them do not count.

/// If `text` nests `{` deeper than `limit`, the depth reached and the offset of the brace that
/// crossed the limit.
pub fn exceeds(text: &str, limit: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                depth += 1;
                if depth > limit {
                    let deepest = depth + count_opening(&bytes[i + 1..]);
                    return Some((deepest, i));
                }
                i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = skip_until(bytes, i, b"\n");
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i);
            }
            b'#' if matches!(bytes.get(i + 1), Some(b'"' | b'#')) => {
                i = skip_raw_string(bytes, i);
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i = skip_until(bytes, i + 3, b"\"\"\"");
            }
            b'"' => i = skip_string(bytes, i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Roughly how many more `{` follow, for the message only.
fn count_opening(rest: &[u8]) -> usize {
    rest.iter().filter(|b| **b == b'{').count()
}

pub(super) fn skip_until(bytes: &[u8], from: usize, end: &[u8]) -> usize {
    bytes[from..]
        .windows(end.len())
        .position(|w| w == end)
        .map_or(bytes.len(), |p| from + p + end.len())
}

pub(super) fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

pub(super) fn skip_raw_string(bytes: &[u8], start: usize) -> usize {
    let hashes = bytes[start..].iter().take_while(|b| **b == b'#').count();
    let open = start + hashes;
    if bytes.get(open) != Some(&b'"') {
        return open;
    }
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    skip_until(bytes, open + 1, &close)
}

pub(super) fn skip_block_comment(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i + 1 < bytes.len() {
        if bytes[i] == b'/' && bytes[i + 1] == b'*' {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::exceeds;

    #[test]
    fn counts_only_real_braces() {
        assert_eq!(exceeds("a { b { c } }", 2), None);
        assert_eq!(exceeds("a { b { c { } } }", 2), Some((3, 10)));
        assert_eq!(exceeds(r#"a "{{{{" { }"#, 1), None);
        assert_eq!(exceeds("a // {{{{\n { }", 1), None);
        assert_eq!(exceeds("a /* { /* { */ { */ { }", 1), None);
        assert_eq!(exceeds(r##"a #"{{"# { }"##, 1), None);
    }

    #[test]
    fn deep_input_is_reported_not_followed() {
        let deep = "a {".repeat(100_000);
        assert!(exceeds(&deep, 32).is_some());
    }
}
