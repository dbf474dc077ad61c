//! The parser on the cases the spec suite leaves implicit: every line end of KDL v2 ending a
//! `//` comment, forbidden code points at their exact span, KDL v1 habits, several errors in
//! one pass, spans, and the depth guard.

use super::parse;
use crate::diag::Error;
use crate::syntax::reference::outline;

fn names(text: &str) -> Vec<String> {
    let doc = parse(text, 32).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
    doc.nodes()
        .iter()
        .map(|n| n.name().value().to_string())
        .collect()
}

fn errors(text: &str) -> Vec<Error> {
    parse(text, 32).expect_err(text)
}

fn span_text(text: &str, error: &Error) -> String {
    let span = match error {
        Error::Kdl { span, .. }
        | Error::KdlV1 { span, .. }
        | Error::ForbiddenCharacter { span, .. }
        | Error::NestingTooDeep { span, .. } => *span,
        other => panic!("not a syntax error: {other:?}"),
    };
    text[span.offset()..span.offset() + span.len()].to_string()
}

/// A `//` comment ends at any KDL v2 line end, so the node after it is kept (the old comment
/// scan ended comments at `\n` only, and a deny policy after `// x<CR>` disappeared).
#[test]
fn a_line_comment_ends_at_every_kdl_line_end() {
    for end in [
        "\n", "\r", "\r\n", "\u{85}", "\u{B}", "\u{C}", "\u{2028}", "\u{2029}",
    ] {
        let text = format!("a // comment{end}policy deny{end}b");
        assert_eq!(names(&text), ["a", "policy", "b"], "{end:?}");
    }
}

#[test]
fn every_line_end_separates_nodes_and_ends_a_line_continuation() {
    for end in ["\r", "\u{85}", "\u{C}", "\u{2028}", "\u{2029}"] {
        assert_eq!(names(&format!("a 1{end}b 2")), ["a", "b"], "{end:?}");
        let doc = parse(&format!("a 1 \\{end} 2"), 32).unwrap();
        assert_eq!(doc.nodes()[0].entries().len(), 2, "{end:?}");
    }
}

#[test]
fn unicode_spaces_and_a_bom_are_whitespace() {
    let doc = parse("\u{FEFF}a\u{3000}1\u{A0}k=\u{2009}2", 32).unwrap();
    assert_eq!(outline(&doc), "\"a\" 1 \"k\"=2\n");
}

#[test]
fn a_direction_control_is_refused_in_a_comment_at_its_span() {
    let text = "a 1 // ok \u{202E} } ;2 b\nb";
    let first = errors(text);
    assert_eq!(first.len(), 1);
    assert!(
        matches!(&first[0], Error::ForbiddenCharacter { code_point, .. } if code_point == "U+202E")
    );
    assert_eq!(span_text(text, &first[0]), "\u{202E}");
    // in a block comment, a raw string, a quoted string and a multi-line string too
    for text in [
        "a /* \u{2066} */ 1",
        "a #\"x\u{2067}\"#",
        "a \"x\u{200F}y\"",
        "a \"\"\"\n  x\u{202A}\n  \"\"\"",
        "a\u{2069}b",
    ] {
        let found = errors(text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert!(
            matches!(found[0], Error::ForbiddenCharacter { .. }),
            "{text:?}"
        );
        let shown = span_text(text, &found[0]);
        assert!(
            shown.chars().count() == 1
                && super::chars::forbidden(shown.chars().next().unwrap()).is_some()
        );
    }
    // escaped, it is text
    let doc = parse("a \"\\u{202E}\"", 32).unwrap();
    assert_eq!(
        doc.nodes()[0].entries()[0].value().as_string(),
        Some("\u{202E}")
    );
}

#[test]
fn kdl_v1_habits_get_the_v2_spelling() {
    for (text, found, write) in [
        ("a enabled=true", "true", "#true"),
        ("a false", "false", "#false"),
        ("a x=null", "null", "#null"),
        ("a r\"C:\\dir\"", "r\"C:\\dir\"", "#\"C:\\dir\"#"),
        (
            "a r#\"say \"hi\"\"#",
            "r#\"say \"hi\"\"#",
            "#\"say \"hi\"\"#",
        ),
    ] {
        let errors = errors(text);
        assert_eq!(errors.len(), 1, "{text}: {errors:?}");
        match &errors[0] {
            Error::KdlV1 {
                found: f, write: w, ..
            } => {
                assert_eq!((f.as_str(), w.as_str()), (found, write), "{text}");
                assert_eq!(span_text(text, &errors[0]), found);
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn every_error_is_reported_in_one_pass() {
    let text = "a 1m\nb x=\nc \"open\nd (t 1\ne 2 {\n  f #maybe\n}\ng 3";
    let errors = errors(text);
    let shown: Vec<String> = errors.iter().map(|e| span_text(text, e)).collect();
    assert_eq!(shown, ["1m", "", "\"open", "(t 1", "#maybe"], "{errors:?}");
}

#[test]
fn an_unclosed_block_points_at_its_brace() {
    let text = "a {\n  b 1\n";
    let errors = errors(text);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].to_string(), "this block is not closed");
    assert_eq!(span_text(text, &errors[0]), "{");
}

#[test]
fn names_entries_types_and_values_carry_their_spans() {
    let text = "(t)node  arg key = (u8)7 {\n  child\n}";
    let doc = parse(text, 32).unwrap();
    let node = &doc.nodes()[0];
    let at = |s: miette::SourceSpan| &text[s.offset()..s.offset() + s.len()];
    assert_eq!(at(node.span()), text);
    assert_eq!(at(node.ty().unwrap().span()), "t");
    assert_eq!(at(node.name().span()), "node");
    let [arg, prop] = node.entries() else {
        panic!()
    };
    assert_eq!(at(arg.span()), "arg");
    assert_eq!(at(prop.span()), "key = (u8)7");
    assert_eq!(at(prop.name().unwrap().span()), "key");
    assert_eq!(at(prop.ty().unwrap().span()), "u8");
    assert_eq!(at(node.children().unwrap().span()), "child");
}

#[test]
fn nesting_past_the_limit_is_one_error_not_a_deep_recursion() {
    let deep = "a {".repeat(100_000);
    let errors = parse(&deep, 32).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(matches!(
        errors[0],
        Error::NestingTooDeep {
            depth: 100_000,
            limit: 32,
            ..
        }
    ));
    let ok = format!("{}{}", "a {\n".repeat(32), "}\n".repeat(32));
    assert!(parse(&ok, 32).is_ok());
}

#[test]
fn numbers_in_every_base_and_keywords() {
    let doc = parse(
        "n 0xff_ 0o17 -0b101 1_000 1.5e3 -2E-1 #inf #-inf #nan #true #null",
        32,
    )
    .unwrap();
    assert_eq!(
        outline(&doc),
        "\"n\" 255 15 -5 1000 1500.0f -0.2f inff -inff #nan #true #null\n"
    );
    // a digit must follow the prefix, the point and the exponent
    for text in ["n 0x_ff", "n 1.", "n 1._5", "n 1e", "n .5", "n 0b2"] {
        assert_eq!(errors(text).len(), 1, "{text}");
    }
}

/// Found by the differential fuzz target: input ending inside a type annotation.
#[test]
fn input_that_ends_anywhere_is_an_error_not_a_panic() {
    // (`a \` is valid: a line continuation may end the file)
    for text in [
        "a r#\u{2007}\"",
        "a r##x",
        "(",
        "a (",
        "a (t",
        "a k=",
        "a k=(",
        "a \"",
        "a #\"",
        "a /*",
        "a {",
        "a 0x",
    ] {
        assert!(parse(text, 32).is_err(), "{text:?}");
    }
}

/// A slashdashed node may end with `;` like any node (the `kdl` crate refuses this; the
/// grammar allows it, and the differential fuzz target lists it as a known difference).
#[test]
fn a_slashdashed_node_ends_at_its_semicolon() {
    assert_eq!(names("/- a 1; b\n/- c; d"), ["b", "d"]);
}
