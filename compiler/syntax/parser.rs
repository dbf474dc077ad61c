//! The KDL v2 parser: one pass over the bytes, no backtracking beyond a peek for `=`, every
//! error reported with its span and the parse resumed after it. Strings, identifiers and
//! numbers are read in `scalar.rs`; this file reads the structure (nodes, entries, blocks,
//! whitespace, comments and slashdash).

use super::chars::{self, newline, space};
use super::tree::{Document, Entry, Ident, Node, Value};
use crate::diag::Error;
use miette::SourceSpan;

pub(super) struct Parser<'a> {
    pub(super) text: &'a str,
    pub(super) b: &'a [u8],
    pub(super) i: usize,
    pub(super) errors: Vec<Error>,
    depth: usize,
    max_depth: usize,
    /// Set when nesting passed the limit: the rest of the input is not read.
    fatal: bool,
}

/// A string, number or keyword as read by `Parser::scalar`.
pub(super) enum Scalar {
    /// A string, and whether it was a bare identifier.
    String(String),
    Other(Value),
    /// Unreadable; already reported and skipped.
    Bad,
}

/// Parses `text` (a BOM at its start is skipped). Returns the document, or every error found.
pub fn parse(text: &str, max_depth: usize) -> Result<Document, Vec<Error>> {
    let mut p = Parser {
        text,
        b: text.as_bytes(),
        i: 0,
        errors: Vec::new(),
        depth: 0,
        max_depth,
        fatal: false,
    };
    if text.starts_with('\u{FEFF}') {
        p.i = 3;
    }
    let nodes = p.nodes(false);
    if p.errors.is_empty() {
        Ok(Document {
            span: content(&nodes).unwrap_or(SourceSpan::from((0, text.len()))),
            nodes,
        })
    } else {
        Err(p.errors)
    }
}

/// From the first node to the end of the last, where a diagnostic about a whole document or
/// block points (`None` when there are no nodes).
fn content(nodes: &[Node]) -> Option<SourceSpan> {
    let (first, last) = (nodes.first()?, nodes.last()?);
    Some(span(
        first.span.offset(),
        last.span.offset() + last.span.len(),
    ))
}

pub(super) fn span(start: usize, end: usize) -> SourceSpan {
    SourceSpan::from((start, end.saturating_sub(start)))
}

impl Parser<'_> {
    #[inline]
    pub(super) fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    pub(super) fn peek_at(&self, offset: usize) -> Option<u8> {
        self.b.get(self.i + offset).copied()
    }

    /// The length in bytes of the character at `i` (1 at the end, so callers always move).
    pub(super) fn char_len(&self, i: usize) -> usize {
        self.text[i..].chars().next().map_or(1, char::len_utf8)
    }

    pub(super) fn error(
        &mut self,
        start: usize,
        end: usize,
        message: String,
        label: &str,
        help: &str,
    ) {
        self.errors.push(Error::Kdl {
            message,
            help: help.to_string(),
            span: span(start, end.max(start)),
            label: label.to_string(),
        });
    }

    /// Reports the forbidden code point at `i`, if there is one, and returns its length.
    #[inline]
    pub(super) fn forbidden_at(&mut self, i: usize) -> usize {
        if !chars::maybe_forbidden(self.b[i]) {
            return 0;
        }
        let Some(c) = chars::char_at(self.text, i) else {
            return 0;
        };
        match chars::forbidden(c) {
            Some(what) => {
                self.errors.push(Error::ForbiddenCharacter {
                    code_point: format!("U+{:04X}", c as u32),
                    what,
                    span: span(i, i + c.len_utf8()),
                });
                c.len_utf8()
            }
            None => 0,
        }
    }

    /// `nodes := (line-space* node)* line-space*`, up to the end or (in a block) a `}`.
    fn nodes(&mut self, in_block: bool) -> Vec<Node> {
        let mut nodes = Vec::new();
        loop {
            self.line_space();
            if self.fatal {
                return nodes;
            }
            let start = self.i;
            match self.peek() {
                None => return nodes,
                Some(b'}') if in_block => return nodes,
                Some(b'}') => {
                    self.error(
                        start,
                        start + 1,
                        "this `}` closes no block".into(),
                        "no block to close",
                        "remove it, or open the block it should close with `{` after a node name",
                    );
                    self.i += 1;
                }
                Some(b'{') => {
                    self.error(
                        start,
                        start + 1,
                        "a block without a node".into(),
                        "block",
                        "a `{ }` block belongs to the node before it, on the same line: write `name { … }`",
                    );
                    self.block();
                }
                Some(b';') => {
                    self.error(
                        start,
                        start + 1,
                        "a `;` with no node before it".into(),
                        "empty node",
                        "`;` ends a node; remove this one",
                    );
                    self.i += 1;
                }
                Some(b'/') if self.peek_at(1) == Some(b'-') => {
                    self.i += 2;
                    self.line_space();
                    if matches!(self.peek(), None | Some(b'}')) {
                        self.error(
                            start,
                            start + 2,
                            "`/-` comments out nothing".into(),
                            "slashdash",
                            "`/-` comments out the node, entry or block after it; remove it or put what it should hide after it",
                        );
                    } else {
                        self.node();
                    }
                }
                Some(_) => {
                    if let Some(node) = self.node() {
                        nodes.push(node);
                    }
                }
            }
            if self.i == start {
                // nothing could be read here: skip a character so the loop moves on
                self.i += self.char_len(start);
            }
        }
    }

    /// One node, up to and including its terminator (`;`, a newline, a line comment); a `}`
    /// or the end of the input ends it too.
    fn node(&mut self) -> Option<Node> {
        let start = self.i;
        let mut ty = None;
        if self.peek() == Some(b'(') {
            match self.type_annotation() {
                Ok(t) => ty = t,
                Err(()) => {
                    // the rest of the node is read for its errors, under no name
                    self.node_rest(None);
                    return None;
                }
            }
            self.node_space();
        }
        let name_start = self.i;
        let name = match self.scalar() {
            Scalar::String(value) => Some(Ident::new(value, span(name_start, self.i))),
            Scalar::Other(_) => {
                self.error(
                    name_start,
                    self.i,
                    "a node name must be a string".into(),
                    "not a name",
                    "a node starts with its name, like `app` or `\"my name\"`; a number or keyword can only follow a name",
                );
                None
            }
            Scalar::Bad => None,
        };
        let (entries, children, end) = self.node_rest(name.is_some().then_some(()))?;
        name.map(|name| Node {
            ty,
            name,
            entries,
            children,
            span: span(start, end),
        })
    }

    /// A node's entries, blocks and terminator after its name; `None` for a node without a
    /// readable name, whose parts are read only for their errors.
    #[allow(clippy::type_complexity)]
    fn node_rest(&mut self, named: Option<()>) -> Option<(Vec<Entry>, Option<Document>, usize)> {
        let mut entries = Vec::new();
        let mut children: Option<Document> = None;
        let mut after_block = false;
        let mut end = self.i;
        loop {
            if self.fatal {
                return None;
            }
            let spaced = self.node_space();
            let at = self.i;
            let nl = newline(self.b, at);
            match self.peek() {
                None | Some(b'}') => break,
                Some(b';') => {
                    self.i += 1;
                    break;
                }
                _ if nl > 0 => {
                    self.i += nl;
                    break;
                }
                Some(b'/') if self.peek_at(1) == Some(b'/') => {
                    self.line_comment();
                    break;
                }
                Some(b'{') => {
                    let block = self.block();
                    if children.is_some() {
                        self.error(
                            at,
                            at + 1,
                            "a node has one block".into(),
                            "second block",
                            "put every child node in the first block",
                        );
                    } else {
                        children = Some(block);
                    }
                    after_block = true;
                    end = self.i;
                }
                Some(b'/') if self.peek_at(1) == Some(b'-') => {
                    if !spaced {
                        self.need_space(at);
                    }
                    self.i += 2;
                    self.line_space();
                    match self.peek() {
                        Some(b'{') => {
                            self.block();
                            after_block = true;
                        }
                        None | Some(b'}' | b';') => self.error(
                            at,
                            at + 2,
                            "`/-` comments out nothing".into(),
                            "slashdash",
                            "`/-` comments out the node, entry or block after it; remove it or put what it should hide after it",
                        ),
                        Some(_) => {
                            if after_block {
                                self.entry_after_block(at);
                            }
                            self.entry();
                        }
                    }
                }
                Some(_) => {
                    if after_block {
                        self.entry_after_block(at);
                    } else if !spaced {
                        self.need_space(at);
                    }
                    if let Some(entry) = self.entry() {
                        end = self.i;
                        entries.push(entry);
                    }
                    if self.i == at {
                        self.i += self.char_len(at);
                    }
                }
            }
        }
        named.map(|()| (entries, children, end))
    }

    fn need_space(&mut self, at: usize) {
        self.error(
            at,
            at + self.char_len(at),
            "expected a space before this".into(),
            "no space before",
            "separate a node's name, arguments and properties with spaces",
        );
    }

    fn entry_after_block(&mut self, at: usize) {
        self.error(
            at,
            at + self.char_len(at),
            "an argument or property after the node's block".into(),
            "after the block",
            "move it before the `{`; a node's block comes last",
        );
    }

    /// `{ nodes }`, with the depth guard.
    fn block(&mut self) -> Document {
        let open = self.i;
        self.i += 1;
        self.depth += 1;
        if self.depth > self.max_depth {
            let more = self.b[open + 1..].iter().filter(|b| **b == b'{').count();
            self.errors.push(Error::NestingTooDeep {
                depth: self.depth + more,
                limit: self.max_depth,
                span: span(open, open + 1),
            });
            self.fatal = true;
            self.i = self.b.len();
            return Document::default();
        }
        let nodes = self.nodes(true);
        self.depth -= 1;
        if self.peek() == Some(b'}') {
            self.i += 1;
        } else if !self.fatal {
            self.error(
                open,
                open + 1,
                "this block is not closed".into(),
                "opened here",
                "add a `}` where the block ends",
            );
        }
        Document {
            span: content(&nodes).unwrap_or(span(open, self.i)),
            nodes,
        }
    }

    /// `prop | value`; `None` when it could not be read (reported).
    fn entry(&mut self) -> Option<Entry> {
        let start = self.i;
        if self.peek() == Some(b'(') {
            let ty = self.type_annotation().ok()?;
            self.node_space();
            let value = self.value_after_type(start)?;
            if self.peek() == Some(b'=') {
                self.error(
                    start,
                    self.i + 1,
                    "a property name cannot have a type annotation".into(),
                    "annotated name",
                    "put the annotation on the value: `name=(type)value`",
                );
                self.i += 1;
                self.node_space();
                self.property_value();
                return None;
            }
            return Some(Entry {
                ty,
                name: None,
                value,
                span: span(start, self.i),
            });
        }
        let key = match self.scalar() {
            Scalar::String(s) => s,
            Scalar::Other(value) => {
                return Some(Entry {
                    ty: None,
                    name: None,
                    value,
                    span: span(start, self.i),
                })
            }
            Scalar::Bad => return None,
        };
        let key_end = self.i;
        self.node_space();
        if self.peek() != Some(b'=') {
            self.i = key_end;
            return Some(Entry {
                ty: None,
                name: None,
                value: Value::String(key),
                span: span(start, key_end),
            });
        }
        self.i += 1;
        self.node_space();
        let (ty, value) = self.property_value()?;
        Some(Entry {
            ty,
            name: Some(Ident::new(key, span(start, key_end))),
            value,
            span: span(start, self.i),
        })
    }
}

impl Parser<'_> {
    /// After `=`: `type? node-space* value`.
    fn property_value(&mut self) -> Option<(Option<Ident>, Value)> {
        let start = self.i;
        let ends = matches!(self.peek(), None | Some(b';' | b'}' | b'{'))
            || newline(self.b, start) > 0
            || self.b[start..].starts_with(b"//");
        if ends {
            self.error(
                start,
                start,
                "a property without a value".into(),
                "value expected here",
                "write the value right after `=`, like `key=\"text\"`, `key=3` or `key=#true`",
            );
            return None;
        }
        let ty = if self.peek() == Some(b'(') {
            let ty = self.type_annotation().ok()?;
            self.node_space();
            ty
        } else {
            None
        };
        let value = self.value_after_type(start)?;
        Some((ty, value))
    }

    fn value_after_type(&mut self, _start: usize) -> Option<Value> {
        match self.scalar() {
            Scalar::String(s) => Some(Value::String(s)),
            Scalar::Other(value) => Some(value),
            Scalar::Bad => None,
        }
    }

    /// `'(' node-space* string node-space* ')'`; `Err` (reported, skipped) when not closed.
    fn type_annotation(&mut self) -> Result<Option<Ident>, ()> {
        let open = self.i;
        self.i += 1;
        self.node_space();
        let start = self.i;
        let ident = match self.scalar() {
            Scalar::String(value) => Some(Ident::new(value, span(start, self.i))),
            Scalar::Other(_) => {
                self.error(
                    start,
                    self.i,
                    "a type annotation must be a string".into(),
                    "not a type name",
                    "write a name in the parentheses, like `(u8)`",
                );
                None
            }
            Scalar::Bad => None,
        };
        self.node_space();
        if self.peek() == Some(b')') {
            self.i += 1;
            return Ok(ident);
        }
        self.skip_value();
        if self.peek() == Some(b')') {
            self.i += 1;
        }
        self.error(
            open,
            self.i,
            "a type annotation is not closed".into(),
            "no `)`",
            "close the annotation with `)`, like `(u8)3`",
        );
        Err(())
    }

    /// `node-space*`: unicode spaces, `/* */` comments and `\` line continuations. Returns
    /// whether it read any.
    pub(super) fn node_space(&mut self) -> bool {
        let start = self.i;
        loop {
            let n = space(self.b, self.i);
            if n > 0 {
                self.i += n;
                continue;
            }
            match (self.peek(), self.peek_at(1)) {
                (Some(b'/'), Some(b'*')) => self.block_comment(),
                (Some(b'\\'), _) => self.escline(),
                _ => break,
            }
        }
        self.i > start
    }

    /// Spaces and `/* */` comments only.
    fn ws(&mut self) {
        loop {
            let n = space(self.b, self.i);
            if n > 0 {
                self.i += n;
            } else if self.b[self.i..].starts_with(b"/*") {
                self.block_comment();
            } else {
                return;
            }
        }
    }

    /// `'\' ws* (single-line-comment | newline | eof)`
    fn escline(&mut self) {
        let at = self.i;
        self.i += 1;
        self.ws();
        let nl = newline(self.b, self.i);
        if nl > 0 {
            self.i += nl;
        } else if self.b[self.i..].starts_with(b"//") {
            self.line_comment();
        } else if self.i < self.b.len() {
            self.error(
                at,
                at + 1,
                "a `\\` outside a string must end its line".into(),
                "line continuation",
                "`\\` continues a node on the next line and only a comment may follow it; to write a backslash, put it in a quoted string",
            );
        }
    }

    /// `line-space*`: node space, newlines and `//` comments.
    pub(super) fn line_space(&mut self) {
        loop {
            self.node_space();
            let nl = newline(self.b, self.i);
            if nl > 0 {
                self.i += nl;
            } else if self.b[self.i..].starts_with(b"//") {
                self.line_comment();
            } else {
                return;
            }
        }
    }

    /// `//` to the end of the line, the newline included.
    fn line_comment(&mut self) {
        self.i += 2;
        while let Some(&c) = self.b.get(self.i) {
            if !(0x20..0x7F).contains(&c) {
                let nl = newline(self.b, self.i);
                if nl > 0 {
                    self.i += nl;
                    return;
                }
                let bad = self.forbidden_at(self.i);
                if bad > 0 {
                    self.i += bad;
                    continue;
                }
            }
            self.i += 1;
        }
    }

    /// `/* … */`, nested.
    fn block_comment(&mut self) {
        let start = self.i;
        self.i += 2;
        let mut depth = 1;
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'/' if self.peek_at(1) == Some(b'*') => {
                    depth += 1;
                    self.i += 2;
                }
                b'*' if self.peek_at(1) == Some(b'/') => {
                    depth -= 1;
                    self.i += 2;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {
                    let bad = self.forbidden_at(self.i);
                    self.i += bad.max(1);
                }
            }
        }
        self.error(
            start,
            start + 2,
            "this comment is not closed".into(),
            "opened here",
            "close it with `*/` (block comments nest: every `/*` inside needs its own `*/`)",
        );
    }
}

#[cfg(test)]
#[path = "parser_tests.rs"]
mod tests;
