//! A checked view of one KDL node: its arguments and properties are validated against what the
//! construct accepts when the view is made, so every decoder reports unknown properties, extra
//! arguments, duplicates and type annotations the same way.

use crate::diag::{Error, Suggestion};
use crate::syntax::{Entry as KdlEntry, Node as KdlNode};
use miette::SourceSpan;

/// Diagnostics collected while decoding. Decoding never stops at the first problem.
#[derive(Default)]
pub struct Cx {
    pub errors: Vec<Error>,
}

impl Cx {
    pub fn push(&mut self, error: Error) {
        self.errors.push(error);
    }
}

/// What a construct accepts: how many positional arguments and which property names.
pub struct Shape {
    pub args: usize,
    pub args_text: &'static str,
    pub props: &'static [&'static str],
    pub block: bool,
}

pub struct NodeView<'a> {
    pub node: &'a KdlNode,
    args: Vec<&'a KdlEntry>,
}

impl<'a> NodeView<'a> {
    /// Validates `node` against `shape`, reporting what does not fit, and returns the view.
    pub fn new(node: &'a KdlNode, shape: &Shape, cx: &mut Cx) -> Self {
        let name = node.name().value();
        if let Some(ty) = node.ty() {
            cx.push(Error::TypeAnnotation {
                annotation: ty.value().to_string(),
                span: ty.span(),
            });
        }
        let mut args = Vec::new();
        let mut seen: Vec<&KdlEntry> = Vec::new();
        for entry in node.entries() {
            if let Some(ty) = entry.ty() {
                cx.push(Error::TypeAnnotation {
                    annotation: ty.value().to_string(),
                    span: ty.span(),
                });
            }
            match entry.name() {
                None if args.len() < shape.args => args.push(entry),
                None => cx.push(Error::UnexpectedArgument {
                    node: name.to_string(),
                    expected: shape.args_text,
                    span: entry.span(),
                }),
                Some(key) => {
                    let key_text = key.value();
                    if !shape.props.contains(&key_text) {
                        cx.push(Error::UnknownProperty {
                            name: key_text.to_string(),
                            node: name.to_string(),
                            suggestion: Suggestion::new(key_text, shape.props.iter().copied()),
                            span: key.span(),
                        });
                    } else if let Some(first) = seen
                        .iter()
                        .find(|e| e.name().map(|n| n.value()) == Some(key_text))
                    {
                        cx.push(Error::DuplicateEntry {
                            name: key_text.to_string(),
                            span: entry.span(),
                            first: first.span(),
                        });
                    } else {
                        seen.push(entry);
                    }
                }
            }
        }
        if !shape.block {
            if let Some(children) = node.children() {
                cx.push(Error::UnexpectedBlock {
                    node: name.to_string(),
                    span: children.span(),
                });
            }
        }
        NodeView { node, args }
    }

    pub fn name(&self) -> &'a str {
        self.node.name().value()
    }

    pub fn span(&self) -> SourceSpan {
        self.node.span()
    }

    /// The span of the node's name, where "missing" diagnostics point.
    pub fn name_span(&self) -> SourceSpan {
        self.node.name().span()
    }

    pub fn arg(&self, index: usize) -> Option<&'a KdlEntry> {
        self.args.get(index).copied()
    }

    pub fn args(&self) -> &[&'a KdlEntry] {
        &self.args
    }

    pub fn prop(&self, key: &str) -> Option<&'a KdlEntry> {
        // the first occurrence: later duplicates were reported in `new`
        self.node
            .entries()
            .iter()
            .find(|e| e.name().map(|n| n.value()) == Some(key))
    }

    /// The children of the node's block, each checked to be one of `known`; unknown ones are
    /// reported and skipped.
    pub fn children(
        &self,
        known: &'static [&'static str],
        cx: &mut Cx,
    ) -> impl Iterator<Item = &'a KdlNode> {
        let mut kept = Vec::new();
        for child in self.node.iter_children() {
            let child_name = child.name().value();
            if known.contains(&child_name) {
                kept.push(child);
            } else {
                cx.push(Error::UnknownNode {
                    name: child_name.to_string(),
                    context: format!("`{}`", self.name()),
                    suggestion: Suggestion::new(child_name, known.iter().copied()),
                    span: child.name().span(),
                });
            }
        }
        kept.into_iter()
    }
}

/// Reports a second occurrence of a node that may appear once, and tells the caller whether
/// this one is the first.
pub fn first_of(slot: &mut Option<SourceSpan>, node: &KdlNode, cx: &mut Cx) -> bool {
    match slot {
        Some(first) => {
            cx.push(Error::DuplicateEntry {
                name: node.name().value().to_string(),
                span: node.name().span(),
                first: *first,
            });
            false
        }
        None => {
            *slot = Some(node.name().span());
            true
        }
    }
}
