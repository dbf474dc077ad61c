//! Holding labc's parser against the reference: the `kdl` crate's document turned into labc's
//! tree, and a span-free outline of a tree that two parses can be compared by. Used by the
//! spec-suite test and the differential fuzz target.

use super::tree::{Document, Entry, Ident, Node, Value};
use std::fmt::Write;

/// The `kdl` crate's document as labc's tree (spans as the crate gives them).
pub fn from_kdl(document: &kdl::KdlDocument) -> Document {
    Document {
        nodes: document.nodes().iter().map(node).collect(),
        span: document.span(),
    }
}

fn ident(i: &kdl::KdlIdentifier) -> Ident {
    Ident::new(i.value(), i.span())
}

fn node(n: &kdl::KdlNode) -> Node {
    Node {
        ty: n.ty().map(ident),
        name: ident(n.name()),
        entries: n
            .entries()
            .iter()
            .map(|e| Entry {
                ty: e.ty().map(ident),
                name: e.name().map(ident),
                value: match e.value() {
                    kdl::KdlValue::String(s) => Value::String(s.clone()),
                    kdl::KdlValue::Integer(i) => Value::Integer(*i),
                    kdl::KdlValue::Float(f) => Value::Float(*f),
                    kdl::KdlValue::Bool(b) => Value::Bool(*b),
                    kdl::KdlValue::Null => Value::Null,
                },
                span: e.span(),
            })
            .collect(),
        children: n.children().map(from_kdl),
        span: n.span(),
    }
}

/// The document without spans, one line per node: type, name, entries in order (each with
/// its type, name and value), children indented. Floats by their exact value (`NaN` as one).
pub fn outline(document: &Document) -> String {
    let mut out = String::new();
    write_nodes(&mut out, document, 0);
    out
}

fn write_nodes(out: &mut String, document: &Document, depth: usize) {
    for n in &document.nodes {
        out.push_str(&"  ".repeat(depth));
        if let Some(ty) = &n.ty {
            let _ = write!(out, "({:?})", ty.value);
        }
        let _ = write!(out, "{:?}", n.name.value);
        for e in &n.entries {
            out.push(' ');
            if let Some(name) = &e.name {
                let _ = write!(out, "{:?}=", name.value);
            }
            if let Some(ty) = &e.ty {
                let _ = write!(out, "({:?})", ty.value);
            }
            let _ = match &e.value {
                Value::String(s) => write!(out, "{s:?}"),
                Value::Integer(i) => write!(out, "{i}"),
                Value::Float(f) if f.is_nan() => write!(out, "#nan"),
                Value::Float(f) => write!(out, "{f:?}f"),
                Value::Bool(b) => write!(out, "#{b}"),
                Value::Null => write!(out, "#null"),
            };
        }
        match &n.children {
            Some(children) => {
                out.push_str(" {\n");
                write_nodes(out, children, depth + 1);
                out.push_str(&"  ".repeat(depth));
                out.push_str("}\n");
            }
            None => out.push('\n'),
        }
    }
}

/// The document as the spec suite's expected files are written: of properties with the same
/// name only the last, properties after the arguments in name order, and no empty blocks.
pub fn normalise(document: &mut Document) {
    for n in &mut document.nodes {
        let mut args = Vec::new();
        let mut props: Vec<Entry> = Vec::new();
        for e in n.entries.drain(..) {
            match &e.name {
                None => args.push(e),
                Some(name) => {
                    props.retain(|p| p.name.as_ref().map(|k| &k.value) != Some(&name.value));
                    props.push(e);
                }
            }
        }
        props.sort_by(|a, b| {
            a.name
                .as_ref()
                .map(|k| &k.value)
                .cmp(&b.name.as_ref().map(|k| &k.value))
        });
        args.extend(props);
        n.entries = args;
        if let Some(children) = &mut n.children {
            normalise(children);
            if children.nodes.is_empty() {
                n.children = None;
            }
        }
    }
}
