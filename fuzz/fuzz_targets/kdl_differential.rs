//! labc's KDL parser against the `kdl` crate, the reference: for any UTF-8 input both must
//! accept or both refuse, and what they accept must be the same document (names, types,
//! entries in order, values, children). Where the crate departs from the KDL v2 specification
//! (see `crate_departure`), labc refuses and the crate accepts, or (`kdl-rs#107`) the other way
//! round. Inputs on which the crate itself would run away (`crate_cost.rs`) are not given to it.

#![no_main]

#[path = "crate_cost.rs"]
mod crate_cost;

use labc::diag::Error;
use labc::syntax::parse_text;
use labc::syntax::reference::{from_kdl, outline};
use libfuzzer_sys::fuzz_target;

/// Whether `before` ends in a slashdash, past spaces and line continuations (`/- \\\n`).
fn follows_slashdash(before: &str) -> bool {
    let mut rest = before.trim_end();
    while let Some(inner) = rest.strip_suffix('\\') {
        rest = inner.trim_end();
    }
    rest.ends_with("/-")
}

/// Whether `c` is a code point the specification forbids anywhere in a document ("Disallowed
/// Literal Code Points"; a BOM is allowed only as the first code point). Written out here, not
/// taken from labc, so that labc's own table is checked too.
fn disallowed_by_the_spec(c: char, at: usize) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{E}'..='\u{1F}' | '\u{7F}'
        | '\u{200E}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || (c == '\u{FEFF}' && at > 0)
}

/// Whether the raw string at the start of `s` is one on one line whose body is `"` or starts
/// with `""` (`#"""x"""#`): the grammar's `single-line-raw-string-body` allows at most one
/// quote before the first other character, and a `#"""` must end its line.
fn single_line_raw_string_with_two_quotes(s: &str) -> bool {
    let hashes = s.len() - s.trim_start_matches('#').len();
    let fence = &s[..hashes];
    let Some(body) = s[hashes..]
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix(fence))
        .and_then(|r| r.strip_suffix('"'))
    else {
        return false;
    };
    hashes > 0 && !body.contains(['\n', '\r']) && (body == "\"" || body.starts_with("\"\""))
}

/// What labc reported in `text` where kdl 6.7.1 is wrong, each with the rule of the KDL v2
/// specification (2.0.0, "Full Grammar" and "Slashdash comments") that it breaks.
enum Departure {
    /// The crate lets a forbidden code point into a comment, and U+007F anywhere; it reads on
    /// as labc does.
    Local,
    /// The crate accepts a slashdash the grammar refuses; how it reads the rest of the
    /// document from there differs case by case, so labc's later errors are not compared.
    Slashdash,
}

fn crate_departure(text: &str, e: &Error) -> Option<Departure> {
    match e {
        Error::ForbiddenCharacter { span, .. } => {
            let at = span.offset();
            let c = text[at..].chars().next()?;
            disallowed_by_the_spec(c, at).then_some(Departure::Local)
        }
        Error::Kdl { message, span, .. } => {
            let (at, end) = (span.offset(), span.offset() + span.len());
            let here = &text[at..];
            let before = &text[..at];
            match message.as_str() {
                // `single-line-raw-string-body` (see above); the crate reads `#"""x"""#`
                "a raw string on one line cannot start with two quotes"
                    if single_line_raw_string_with_two_quotes(&text[at..end]) =>
                {
                    Some(Departure::Local)
                }
                // `node {} /-x`, `node /-{ } x`: "Only other children blocks, whether
                // slashdashed or not, may follow a slashdashed children block", and in
                // `base-node` nothing but `slashdash node-children` follows `node-children`
                "an argument or property after the node's block"
                    if here.starts_with("/-") || before.contains("/-") =>
                {
                    Some(Departure::Slashdash)
                }
                // `node /- /- x`: "A slashdash may be followed by any amount of whitespace,
                // including newlines and comments (other than other slashdashes)"
                "`/` cannot start a value"
                    if here.starts_with("/-") && follows_slashdash(before) =>
                {
                    Some(Departure::Slashdash)
                }
                // `node {}/-{}`: `base-node` asks `node-space+` before `slashdash
                // node-children` (the crate's own grammar comment says so, and it refuses
                // `node/-{}`)
                "expected a space before this"
                    if here.starts_with("/-") && before.ends_with('}') =>
                {
                    Some(Departure::Slashdash)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether labc refused `text` only where kdl 6.7.1 departs from the specification: labc's
/// errors, in the order of the text, are departures of the crate up to the first slashdash
/// departure, after which the crate reads a different document and nothing more is compared.
fn known_difference(text: &str, errors: &[Error]) -> bool {
    let mut errors: Vec<&Error> = errors.iter().collect();
    errors.sort_by_key(|e| e.offset());
    for e in errors {
        match crate_departure(text, e) {
            Some(Departure::Local) => {}
            Some(Departure::Slashdash) => return true,
            None => return false,
        }
    }
    true
}

/// Whether the crate refused `text` only at or right after a `;`, in a document with a slashdash:
/// kdl 6.7.1 refuses a slashdashed node ended by `;` (`/- a; b`), which the grammar allows
/// (`node := base-node node-terminator`, and a base node may start with `/-`); kdl-rs#107.
fn slashdashed_node_ended_by_semicolon(text: &str, error: &kdl::KdlError) -> bool {
    text.contains("/-")
        && error.diagnostics.iter().all(|d| {
            // the crate's offsets count bytes (winnow's `LocatingSlice`)
            let at = d.span.offset().min(text.len());
            text.is_char_boundary(at)
                && (text[..at].trim_end().ends_with(';') || text[at..].starts_with(';'))
        })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = parse_text(text);
    // labc refuses nesting past its limit (the specification sets none), so there is nothing
    // to compare; and the crate is run only where it cannot run away (crate_cost.rs)
    if let Err(errors) = &ours {
        if errors
            .iter()
            .any(|e| matches!(e, Error::NestingTooDeep { .. }))
        {
            return;
        }
    }
    if !crate_cost::crate_can_parse(text) {
        return;
    }
    let theirs = text.parse::<kdl::KdlDocument>();
    match (ours, theirs) {
        (Ok(a), Ok(b)) => {
            let (a, b) = (outline(&a), outline(&from_kdl(&b)));
            assert_eq!(a, b, "different documents for {text:?}");
        }
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) if slashdashed_node_ended_by_semicolon(text, &e) => {}
        (Ok(a), Err(e)) => panic!("labc accepts, kdl refuses {text:?}: {e:?}\n{}", outline(&a)),
        (Err(e), Ok(_)) if known_difference(text, &e) => {}
        (Err(e), Ok(_)) => panic!("labc refuses, kdl accepts {text:?}: {e:?}"),
    }
});
