//! Scalar style: what gets quoted, what stays plain, and block scalars.

use std::collections::BTreeMap;

use super::super::to_string;
use super::assert_round_trip;

/// Strings some YAML 1.1 or 1.2 reader would not take as plain strings, or
/// that would not parse as written.
pub(super) const MUST_QUOTE: &[&str] = &[
    "",
    "true",
    "True",
    "TRUE",
    "tRuE",
    "false",
    "FALSE",
    "yes",
    "Yes",
    "YES",
    "no",
    "No",
    "NO",
    "on",
    "On",
    "ON",
    "off",
    "Off",
    "OFF",
    "y",
    "Y",
    "n",
    "N",
    "null",
    "Null",
    "NULL",
    "~",
    "8080",
    "0",
    "-1",
    "+1",
    "1.5",
    "1.",
    "1e3",
    "1E3",
    "1e+30",
    "0x1F",
    "0X1f",
    "0o17",
    "017",
    "0b101",
    ".5",
    "1_000",
    ".inf",
    ".Inf",
    ".INF",
    "-.inf",
    "+.inf",
    ".nan",
    ".NaN",
    ".NAN",
    "1:20",
    "190:20:30.15",
    "2024-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5",
    "10.0.0.1",
    "0x1p-2",
    "123abc",
    " lead",
    "trail ",
    " ",
    "-",
    "- item",
    "--flag",
    "-x",
    "?",
    "? x",
    "?x",
    ":",
    ":x",
    "a:",
    "a: b",
    "a #b",
    ",",
    ",a",
    "[a]",
    "]",
    "{a}",
    "}",
    "#c",
    "&a",
    "*a",
    "!tag",
    "|",
    "|x",
    ">",
    ">x",
    "'q'",
    "\"q\"",
    "%d",
    "@a",
    "`a`",
    "<<",
    "=",
    "---",
    "--- x",
    "...",
    "... x",
    "..x",
    "a\tb",
    "\t",
    "a\rb",
    "\u{7f}",
    "\u{85}",
    "nel\u{85}",
    "\u{9f}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}x",
    "x\u{fffe}",
    "\u{ffff}",
    "bell\u{7}",
    "nul\u{0}",
    "esc\u{1b}[0m",
    "back\\slash: x",
    "quote\" #x",
    // A hazard in each position the word-at-a-time scan treats differently.
    "abcd: x",
    "abc #x",
    "abcd\u{1}",
    "abcdefghij: x",
    "abcdefgh #x",
    "abcdefghijklmno\u{7f}",
];

/// Everyday Kubernetes strings that should read naturally in a diff.
const MUST_STAY_PLAIN: &[&str] = &[
    "apps/v1",
    "app.kubernetes.io/name",
    "ghcr.io/x/y:1.2",
    "RuntimeDefault",
    "/api",
    "nginx:1.25",
    "IfNotPresent",
    "100m",
    "2Gi",
    "25%",
    "8080/TCP",
    "3s",
    "http://example.com:8080/x?y=z#frag",
    "a,b",
    "a#b",
    "a:b",
    "x-y",
    "v1.2.3",
    ".dockerconfigjson",
    "日本語",
    "café",
    "a'b",
    "a\"b",
    "back\\slash",
    "Infinity",
    "yesterday",
    "nullable",
    "on-call",
    "a b c",
    "with\u{a0}nbsp",
    "emoji 🚀",
];

#[test]
fn tricky_strings_are_quoted_and_round_trip() {
    for s in MUST_QUOTE {
        let yaml = to_string(s).unwrap();
        assert!(yaml.starts_with('"'), "{s:?} must be quoted, got {yaml:?}");
        assert_round_trip(s);
        // The same string as a key and as a nested value.
        let map: BTreeMap<&str, Vec<&str>> = [(*s, vec![*s])].into();
        let yaml = assert_round_trip(&map);
        assert!(
            yaml.starts_with('"'),
            "{s:?} must be quoted as a key, got {yaml:?}"
        );
    }
}

#[test]
fn kubernetes_strings_stay_plain() {
    for s in MUST_STAY_PLAIN {
        let yaml = to_string(s).unwrap();
        assert_eq!(yaml, format!("{s}\n"), "{s:?} should be plain");
        assert_round_trip(s);
        let map: BTreeMap<&str, &str> = [(*s, *s)].into();
        assert_eq!(assert_round_trip(&map), format!("{s}: {s}\n"));
    }
}

#[test]
fn escapes_are_exact() {
    let cases = [
        ("\"a\\c", r#""\"a\\c""#),
        ("tab\there", r#""tab\there""#),
        ("cr\r", r#""cr\r""#),
        ("\u{0}\u{1b}\u{7f}", r#""\x00\x1B\x7F""#),
        ("\u{85}\u{9f}", r#""\x85\x9F""#),
        (
            "\u{2028}\u{2029}\u{feff}\u{fffe}\u{ffff}",
            r#""\u2028\u2029\uFEFF\uFFFE\uFFFF""#,
        ),
        // Printable non-ASCII stays raw inside quotes.
        (" é\u{a0}日本 ", "\" é\u{a0}日本 \""),
        (" two\nlines", r#"" two\nlines""#),
    ];
    for (input, quoted) in cases {
        assert_eq!(to_string(input).unwrap(), format!("{quoted}\n"));
        assert_round_trip(input);
    }
}

#[test]
fn literal_blocks_pick_chomping() {
    let cases = [
        ("a\nb", "|-\n  a\n  b\n"),
        ("a\nb\n", "|\n  a\n  b\n"),
        ("a\n\nb\n", "|\n  a\n\n  b\n"),
        ("\n\na\n", "|\n\n\n  a\n"),
        (
            "a\n  indented\n\tand tab\n",
            "|\n  a\n    indented\n  \tand tab\n",
        ),
        (
            "#not a comment\n---\n...\n",
            "|\n  #not a comment\n  ---\n  ...\n",
        ),
        ("key: value\n- item\n", "|\n  key: value\n  - item\n"),
    ];
    for (input, block) in cases {
        let map: BTreeMap<&str, &str> = [("k", input)].into();
        assert_eq!(to_string(&map).unwrap(), format!("k: {block}"));
        assert_eq!(to_string(&[input]).unwrap(), format!("- {block}"));
        assert_round_trip(&map);
        assert_round_trip(&[input]);
        assert_round_trip(input);
    }
}

#[test]
fn keep_chomping_mid_document_and_at_the_end() {
    // Followed by another key, `|+` keeps its blank lines.
    let mut map = BTreeMap::new();
    map.insert("a", "x\n\n");
    map.insert("b", "w");
    let yaml = assert_round_trip(&map);
    assert_eq!(yaml, "a: |+\n  x\n\nb: w\n");
    // As the last value its blank lines would end the document, so it is
    // quoted instead.
    map.insert("c", "z\n\n\n");
    let yaml = assert_round_trip(&map);
    assert_eq!(yaml, "a: |+\n  x\n\nb: w\nc: \"z\\n\\n\\n\"\n");
    assert_eq!(to_string("r\n\n").unwrap(), "\"r\\n\\n\"\n");
    assert_eq!(to_string(&["r\n\n"]).unwrap(), "- \"r\\n\\n\"\n");
}

#[test]
fn multi_line_strings_a_literal_cannot_hold_are_quoted() {
    for s in [
        "\n",
        "\n\n",
        " lead\nx",
        "\tlead\nx",
        "\n lead",
        "trailing \nx",
        "trailing\t\nx",
        "x\ntrailing ",
        "cr\r\nlf",
        "nel\u{85}\nx",
        "ls\u{2028}\nx",
        "bell\u{7}\nx",
    ] {
        let yaml = to_string(s).unwrap();
        assert!(yaml.starts_with('"'), "{s:?} must be quoted, got {yaml:?}");
        assert_round_trip(s);
        assert_round_trip(&[[s]]);
    }
}

#[test]
fn root_literal_is_indented() {
    assert_eq!(to_string("---\nx").unwrap(), "|-\n  ---\n  x\n");
    assert_round_trip("---\nx");
}
