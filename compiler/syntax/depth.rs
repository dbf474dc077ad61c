//! A scan for block depth that runs before the KDL parser, whose recursion would otherwise
//! follow any nesting down to a stack overflow. It skips strings and comments so that braces
//! inside them do not count.

use super::lex::Piece;

/// If `text` nests `{` deeper than `limit`, the depth reached and the offset of the brace that
/// crossed the limit.
pub fn exceeds(text: &str, limit: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    for piece in super::lex::pieces(bytes) {
        let Piece::Code(i) = piece else { continue };
        match bytes[i] {
            b'{' => {
                depth += 1;
                if depth > limit {
                    let deepest = depth + count_opening(&bytes[i + 1..]);
                    return Some((deepest, i));
                }
            }
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Roughly how many more `{` follow, for the message only.
fn count_opening(rest: &[u8]) -> usize {
    rest.iter().filter(|b| **b == b'{').count()
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
