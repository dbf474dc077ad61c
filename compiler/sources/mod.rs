//! The source map, `out/sources.tsv`: for every file of `out/`, the declaration in the site file
//! it comes from (its place, its byte span, what it declares) and the stdlib file that shaped it.
//! `labc why PATH` reads it back, so it answers on any checkout without compiling.
//!
//! It is a file of its own rather than a comment in each object so that editing a comment in
//! `site.kdl`, which moves line numbers, changes this one file and never an object. It records
//! the site file's SHA-256, so a map older than the site is told apart from a current one.
//!
//! Owners are found from the layout of `out/` (`owner.rs`), not recorded by each emitter: the
//! folder and file name of a path already say what it belongs to.

mod owner;
mod text;

use crate::diag::SourceFile;
use crate::model::{Site, Span};
use crate::stdlib::{Catalog, Platform};
use crate::syntax::{Document as KdlDocument, Node as KdlNode};
use sha2::{Digest, Sha256};

pub use text::ParseError;

/// The source map's name inside `out/`, beside `index.sha256`. It is written, hashed in the
/// index and removed like every other file labc writes.
pub const SOURCES_NAME: &str = "sources.tsv";

/// Where one file of `out/` was declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative to `out/`.
    pub path: String,
    /// 1-based, in characters, of the declaration's first byte.
    pub line: usize,
    pub column: usize,
    /// The declaration's byte range in the site file.
    pub start: usize,
    pub end: usize,
    /// What was declared, as the site says it: `app "was"`, `layer "observability" / component
    /// "loki"`, `node "cp-1"`, `site "homelab"`.
    pub declaration: String,
    /// The stdlib (or the site's own) file the file was rendered from, if any.
    pub origin: Option<String>,
}

/// The whole map: which site file, at which contents, and one entry per file in path order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceMap {
    /// The site file's name, without its folder (`out/` is written beside it).
    pub site: String,
    /// SHA-256 of the site file, lowercase hex.
    pub sha256: String,
    pub entries: Vec<Entry>,
    /// Paths no rule in `owner.rs` knows, attributed to the `site` declaration instead. A test
    /// holds this empty for every site in the repository; a new folder of `out/` needs a rule.
    pub unmapped: Vec<String>,
}

impl SourceMap {
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.entries[i])
    }

    /// The file's text (see `text.rs` for the format).
    pub fn render(&self) -> String {
        text::render(self)
    }

    pub fn parse(text: &str) -> Result<SourceMap, ParseError> {
        text::parse(text)
    }
}

/// SHA-256 of a site file as the map records it.
pub fn site_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where the site file's nodes are, nested as in the document: all the source map needs of
/// the parsed document, which is much larger (about 16 MB for a 5,000-app site) and can be
/// dropped before emit once this is taken.
#[derive(Debug, Clone)]
pub struct Outline {
    /// Siblings next to each other in file order; each node names the range of its children.
    nodes: Vec<(Span, std::ops::Range<usize>)>,
    top: std::ops::Range<usize>,
}

impl Outline {
    pub fn of(document: &KdlDocument) -> Outline {
        fn add(
            nodes: &[KdlNode],
            out: &mut Vec<(Span, std::ops::Range<usize>)>,
        ) -> std::ops::Range<usize> {
            let start = out.len();
            out.extend(nodes.iter().map(|n| (n.span(), 0..0)));
            for (i, node) in nodes.iter().enumerate() {
                if let Some(children) = node.children() {
                    let range = add(children.nodes(), out);
                    out[start + i].1 = range;
                }
            }
            start..start + nodes.len()
        }
        let mut nodes = Vec::new();
        let top = add(document.nodes(), &mut nodes);
        Outline { nodes, top }
    }

    /// The span of the innermost node that contains `span`: the whole declaration (with its
    /// block) around the name the model kept.
    fn enclosing(&self, span: Span) -> Option<Span> {
        let inside = |outer: Span| {
            outer.offset() <= span.offset()
                && span.offset() + span.len() <= outer.offset() + outer.len()
        };
        let mut found = None;
        let mut level = self.top.clone();
        loop {
            let siblings = &self.nodes[level];
            // nodes come in file order: the last one starting at or before the span is the only
            // one that can hold it (a binary search, since every file of `out/` asks)
            let at = siblings.partition_point(|(s, _)| s.offset() <= span.offset());
            let Some((outer, children)) = at.checked_sub(1).map(|i| &siblings[i]) else {
                return found;
            };
            if !inside(*outer) {
                return found;
            }
            found = Some(*outer);
            level = children.clone();
        }
    }
}

/// The map of `paths` (the files emitted from `site`), pure like the phases before it.
pub fn map<'a>(
    outline: &Outline,
    site: &Site,
    catalog: &Catalog,
    platform: &Platform,
    file: &SourceFile,
    paths: impl IntoIterator<Item = &'a str>,
) -> SourceMap {
    let owners = owner::Owners::new(site, catalog, platform);
    let paths = paths.into_iter();
    // one entry per file: 45,000 at 5,000 apps, where doubling would hold up to twice that
    let mut entries = Vec::with_capacity(paths.size_hint().0);
    let mut unmapped = Vec::new();
    for path in paths {
        let found = owners.owner(path).unwrap_or_else(|| {
            unmapped.push(path.to_string());
            owners.site()
        });
        let span = if found.whole_node {
            outline.enclosing(found.span).unwrap_or(found.span)
        } else {
            found.span
        };
        let (line, column) = file.line_column(span.offset());
        entries.push(Entry {
            path: path.to_string(),
            line,
            column,
            start: span.offset(),
            end: span.offset() + span.len(),
            declaration: found.declaration,
            origin: found.origin,
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let site_name = std::path::Path::new(&file.name)
        .file_name()
        .map_or_else(|| file.name.clone(), |n| n.to_string_lossy().into_owned());
    SourceMap {
        site: site_name,
        sha256: site_hash(file.text.as_bytes()),
        entries,
        unmapped,
    }
}

#[cfg(test)]
mod tests;
