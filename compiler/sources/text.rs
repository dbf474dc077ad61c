//! The text of `out/sources.tsv`. One line per file of `out/`, sorted by path, so that a change
//! to the site shows in a pull request as the lines of the files whose declaration moved:
//!
//! ```text
//! # labc source map: the declaration in the site file each file of out/ comes from (`labc why PATH`)
//! # site  site.kdl  sha256:<64 hex digits>
//! # path  location  bytes  declaration  origin
//! apps/was/rollout-was.yaml  site.kdl:130:1  3561..4630  app "was"  -
//! argocd/application-loki.yaml  site.kdl:66:5  1473..1490  layer "observability" / component "loki"  stdlib/components/loki.kdl
//! ```
//!
//! Fields are separated by tabs (shown as two spaces here); `bytes` is the declaration's half-open byte range in the site
//! file; `origin` is `-` when no stdlib file is involved. Lines starting with `#` are comments,
//! except the `# site` line, which names the site file and its SHA-256.

use super::{Entry, SourceMap};
use std::fmt;
use std::fmt::Write;

const HEADER: &str = "# labc source map: the declaration in the site file each file of out/ \
                      comes from (`labc why PATH`)\n";
const SITE: &str = "# site\t";
const COLUMNS: &str = "# path\tlocation\tbytes\tdeclaration\torigin\n";

pub fn render(map: &SourceMap) -> String {
    let mut text = String::with_capacity(length(map));
    text.push_str(HEADER);
    let _ = writeln!(text, "{SITE}{}\tsha256:{}", clean(&map.site), map.sha256);
    text.push_str(COLUMNS);
    for e in &map.entries {
        let _ = writeln!(
            text,
            "{}\t{}:{}:{}\t{}..{}\t{}\t{}",
            clean(&e.path),
            clean(&map.site),
            e.line,
            e.column,
            e.start,
            e.end,
            clean(&e.declaration),
            e.origin.as_deref().map_or("-".into(), clean),
        );
    }
    text
}

/// An upper bound of the rendered length (`clean` never makes a field longer), so that the
/// text is allocated once: 4 MB at 5,000 apps, which doubling would have held in 8.
pub(super) fn length(map: &SourceMap) -> usize {
    let digits = |n: usize| n.checked_ilog10().map_or(1, |d| d as usize + 1);
    let head = HEADER.len() + SITE.len() + map.site.len() + 9 + map.sha256.len() + COLUMNS.len();
    let lines: usize = map
        .entries
        .iter()
        .map(|e| {
            e.path.len()
                + map.site.len()
                + digits(e.line)
                + digits(e.column)
                + digits(e.start)
                + digits(e.end)
                + e.declaration.len()
                + e.origin.as_ref().map_or(1, String::len)
                + 9
        })
        .sum();
    head + lines
}

/// A field without the separators: names in the site are checked, but a site's own component
/// file may be called anything.
fn clean(field: &str) -> std::borrow::Cow<'_, str> {
    // nearly always already clean: a line per file of `out/` is written with several fields
    if !field.chars().any(char::is_control) {
        return field.into();
    }
    field
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect::<String>()
        .into()
}

/// A line of a source map that is not what `render` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based; 0 when the `# site` line is missing.
    pub line: usize,
    pub reason: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}", self.reason),
            line => write!(f, "line {line}: {}", self.reason),
        }
    }
}

impl std::error::Error for ParseError {}

pub fn parse(text: &str) -> Result<SourceMap, ParseError> {
    let mut site = None;
    let mut entries: Vec<Entry> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let err = |reason| ParseError {
            line: i + 1,
            reason,
        };
        if let Some(rest) = line.strip_prefix(SITE) {
            let (name, hash) = rest
                .split_once('\t')
                .ok_or(err("expected `# site<TAB><file><TAB>sha256:<hex>`"))?;
            let hash = hash
                .strip_prefix("sha256:")
                .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
                .ok_or(err("expected `sha256:` and 64 hex digits"))?;
            site = Some((name.to_string(), hash.to_ascii_lowercase()));
            continue;
        }
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [path, location, bytes, declaration, origin] = fields[..] else {
            return Err(err("expected 5 fields separated by tabs"));
        };
        let mut location = location.rsplitn(3, ':');
        let (column, line_no) = (location.next(), location.next());
        let number = |s: Option<&str>| s.and_then(|s| s.parse::<usize>().ok());
        let (Some(column), Some(line_no)) = (number(column), number(line_no)) else {
            return Err(err("expected the location as `<file>:<line>:<column>`"));
        };
        let range = bytes
            .split_once("..")
            .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
            .filter(|(a, b)| a <= b)
            .ok_or(err("expected the bytes as `<start>..<end>`"))?;
        // `labc why` reads files of out/ by these paths: none may lead out of it
        if crate::out::paths::validate(path).is_err() {
            return Err(err("a path that is not a relative path inside out/"));
        }
        if entries
            .last()
            .is_some_and(|last| last.path.as_str() >= path)
        {
            return Err(err("paths are not sorted, or one is listed twice"));
        }
        entries.push(Entry {
            path: path.to_string(),
            line: line_no,
            column,
            start: range.0,
            end: range.1,
            declaration: declaration.to_string(),
            origin: (origin != "-").then(|| origin.to_string()),
        });
    }
    let (site, sha256) = site.ok_or(ParseError {
        line: 0,
        reason: "no `# site` line naming the site file and its hash",
    })?;
    Ok(SourceMap {
        site,
        sha256,
        entries,
        unmapped: Vec::new(),
    })
}
