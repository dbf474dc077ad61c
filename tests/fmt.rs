//! `labc fmt`: on every fixture that parses, formatting keeps every comment and the meaning of
//! the document, and formatting the result again changes nothing.

use crate::support::{labc, root};

fn sites() -> Vec<std::path::PathBuf> {
    let mut sites = vec![root().join("site.kdl")];
    for dir in [
        "tests/fixtures/ok",
        "tests/fixtures/bad",
        "tests/fixtures/warn",
    ] {
        let mut found: Vec<_> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .map(|p| if p.is_dir() { p.join("site.kdl") } else { p })
            .filter(|p| p.extension().is_some_and(|x| x == "kdl"))
            .collect();
        found.sort();
        sites.extend(found);
    }
    sites
}

/// Every comment and slashdash of a KDL text, in order, with runs of whitespace made one
/// space (re-indenting a comment is allowed, rewording it is not).
fn comments(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if at(&chars, i) == "//" {
            let start = i;
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            found.push(chars[start..i].iter().collect::<String>());
        } else if at(&chars, i) == "/*" {
            let (start, mut open) = (i, 0);
            while i < chars.len() {
                if at(&chars, i) == "/*" {
                    open += 1;
                    i += 2;
                } else if at(&chars, i) == "*/" {
                    open -= 1;
                    i += 2;
                    if open == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            found.push(chars[start..i].iter().collect::<String>());
        } else if at(&chars, i) == "/-" {
            found.push("/-".into());
            i += 2;
        } else {
            i += 1;
        }
    }
    found
        .into_iter()
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The two characters at `i`.
fn at(chars: &[char], i: usize) -> String {
    chars[i..(i + 2).min(chars.len())].iter().collect()
}

fn bare(document: &kdl::KdlDocument) -> String {
    let mut document = document.clone();
    document.clear_format_recursive();
    document.to_string()
}

#[test]
fn fmt_keeps_every_comment_and_the_meaning_and_is_idempotent() {
    let mut formatted_some = 0;
    for site in sites() {
        let Ok(text) = std::fs::read_to_string(&site) else {
            continue; // not UTF-8
        };
        let Ok(document) = text.parse::<kdl::KdlDocument>() else {
            continue; // a syntax error: nothing to format
        };
        let once = labc::syntax::format(&document);
        let reparsed: kdl::KdlDocument = once.parse().unwrap_or_else(|e| {
            panic!(
                "{}: formatted text does not parse: {e}\n{once}",
                site.display()
            )
        });
        assert_eq!(bare(&document), bare(&reparsed), "{}", site.display());
        assert_eq!(comments(&text), comments(&once), "{}", site.display());
        assert_eq!(once, labc::syntax::format(&reparsed), "{}", site.display());
        formatted_some += 1;
    }
    assert!(formatted_some > 60, "{formatted_some} sites formatted");
}

#[test]
fn the_seed_site_is_formatted() {
    let out = labc(&["fmt", "--check"], &root());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn fmt_check_fails_on_an_unformatted_site_and_fmt_fixes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site.kdl");
    let messy = "// keep me\nsite   lab  {\n  domain \"x.dev\" /* and me */\n\n\n}\n";
    std::fs::write(&site, messy).unwrap();
    assert_eq!(labc(&["fmt", "--check"], tmp.path()).status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&site).unwrap(),
        messy,
        "--check writes nothing"
    );
    assert_eq!(labc(&["fmt"], tmp.path()).status.code(), Some(0));
    insta::assert_snapshot!("fmt_messy_site", std::fs::read_to_string(&site).unwrap());
    assert_eq!(labc(&["fmt", "--check"], tmp.path()).status.code(), Some(0));
}
