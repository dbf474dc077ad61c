//! labc's KDL parser against the `kdl` crate, the reference: for any UTF-8 input both must
//! accept or both refuse, and what they accept must be the same document (names, types,
//! entries in order, values, children). Where the crate departs from the KDL v2 specification
//! (see `known_difference`), labc refuses and the crate accepts.

#![no_main]

use labc::diag::Error;
use labc::syntax::reference::{from_kdl, outline};
use labc::syntax::{parse_text, MAX_DEPTH};
use libfuzzer_sys::fuzz_target;

/// Whether `before` ends in a slashdash, past spaces and line continuations (`/- \\\n`).
fn follows_slashdash(before: &str) -> bool {
    let mut rest = before.trim_end();
    while let Some(inner) = rest.strip_suffix('\\') {
        rest = inner.trim_end();
    }
    rest.ends_with("/-")
}

/// Whether `text` has a slashdash where the grammar allows none but kdl 6.7.1 takes one: right
/// after another slashdash (`node /- /- x`, also across line continuations) or right after a
/// block with no space (`node {}/-{}`; the grammar asks `node-space+`, as the crate's own grammar
/// comment says); and any slashdashed block, after which the crate takes arguments the grammar
/// refuses (`node /-{ } x`). What the crate then makes of the rest differs case by case, so such documents
/// are compared only when labc accepts them.
fn slashdash_the_crate_is_lenient_with(text: &str) -> bool {
    text.match_indices("/-").any(|(at, _)| {
        let before = &text[..at];
        let after = text[at + 2..].trim_start();
        follows_slashdash(before) || before.ends_with('}') || after.starts_with('{')
    })
}

/// Whether labc refused `text` only for rules of the KDL v2 specification that kdl 6.7.1 does
/// not apply: code points forbidden anywhere (the crate lets them into comments, and U+007F
/// anywhere), a single-line raw string starting with two quotes (`#"""x"""#`), and a
/// slashdashed entry after a slashdashed block (`node /-{ } /-x`), and a slashdash right after a
/// block with no space between (`node {}/-{}`: the grammar asks `node-space+` before a
/// slashdashed block or entry, and the crate's own grammar comment says so, but it accepts it).
fn known_difference(text: &str, errors: &[Error]) -> bool {
    if slashdash_the_crate_is_lenient_with(text) {
        return true;
    }
    // after such a slashdash, labc also reports the block that follows it as a second block
    let slashdash_after_block = errors.iter().any(|e| {
        matches!(e, Error::Kdl { message, span, .. }
            if message == "an argument or property after the node's block"
                && text[span.offset()..].starts_with("/-"))
    });
    errors.iter().all(|e| match e {
        Error::ForbiddenCharacter { .. } => true,
        Error::Kdl { message, span, .. } => {
            message == "a raw string on one line cannot start with two quotes"
                || (message == "an argument or property after the node's block"
                    && text[span.offset()..].starts_with("/-"))
                || (slashdash_after_block && message == "a node has one block")
                // `node /- /- x`: a slashdash is followed by what it comments out, and a second
                // slashdash is not a value (the crate accepts it)
                || (message == "`/` cannot start a value"
                    && text[span.offset()..].starts_with("/-")
                    && follows_slashdash(&text[..span.offset()]))
                || (message == "expected a space before this"
                    && text[span.offset()..].starts_with("/-")
                    && text[..span.offset()].ends_with('}'))
        }
        _ => false,
    })
}

/// Whether the crate refused `text` only at or right after a `;`, in a document with a slashdash:
/// kdl 6.7.1 refuses a slashdashed node ended by `;` (`/- a; b`), which the grammar allows
/// (`node := base-node node-terminator`, and a base node may start with `/-`).
fn slashdashed_node_ended_by_semicolon(text: &str, error: &kdl::KdlError) -> bool {
    text.contains("/-")
        && error.diagnostics.iter().all(|d| {
            // the crate's offsets count characters
            let at = text
                .char_indices()
                .nth(d.span.offset())
                .map_or(text.len(), |(i, _)| i);
            text[..at].trim_end().ends_with(';') || text[at..].starts_with(';')
        })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = parse_text(text);
    // labc refuses nesting past its limit; the crate would recurse
    if text.bytes().filter(|b| *b == b'{').count() > MAX_DEPTH {
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
