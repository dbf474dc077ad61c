//! labc's KDL document: what the parser builds and `decode` and the stdlib read. Every name,
//! type annotation, entry and value carries its byte span in the file. The methods mirror the
//! `kdl` crate's (`node.name().value()`, `entry.value()`, `node.children()`…), so code written
//! against either reads the same; comments and layout are not kept (`labc fmt` uses the `kdl`
//! crate, which keeps them).

use miette::SourceSpan;

/// A name, property key or type annotation, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub(super) value: String,
    pub(super) span: SourceSpan,
}

impl Ident {
    pub fn new(value: impl Into<String>, span: SourceSpan) -> Self {
        Ident {
            value: value.into(),
            span,
        }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn span(&self) -> SourceSpan {
        self.span
    }
}

/// A KDL value. Integers are 128-bit, as in the `kdl` crate.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Integer(i128),
    Float(f64),
    Bool(bool),
    Null,
}

impl Value {
    pub fn as_string(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_integer(&self) -> Option<i128> {
        match self {
            Value::Integer(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_float(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }
}

/// An argument (no name) or a property (`name=value`) of a node.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub(super) ty: Option<Ident>,
    pub(super) name: Option<Ident>,
    pub(super) value: Value,
    /// From the property name (or the type annotation, or the value) to the end of the value.
    pub(super) span: SourceSpan,
}

impl Entry {
    pub fn name(&self) -> Option<&Ident> {
        self.name.as_ref()
    }

    pub fn ty(&self) -> Option<&Ident> {
        self.ty.as_ref()
    }

    pub fn value(&self) -> &Value {
        &self.value
    }

    pub fn span(&self) -> SourceSpan {
        self.span
    }

    pub fn set_value(&mut self, value: Value) {
        self.value = value;
    }
}

/// A node: an optional type annotation, a name, entries in order, and an optional block.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub(super) ty: Option<Ident>,
    pub(super) name: Ident,
    pub(super) entries: Vec<Entry>,
    pub(super) children: Option<Document>,
    /// From the type annotation or name to the end of the last entry or block.
    pub(super) span: SourceSpan,
}

impl Node {
    pub fn name(&self) -> &Ident {
        &self.name
    }

    pub fn ty(&self) -> Option<&Ident> {
        self.ty.as_ref()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn entries_mut(&mut self) -> &mut Vec<Entry> {
        &mut self.entries
    }

    /// The block, if the node has one (an empty `{ }` is a block with no nodes).
    pub fn children(&self) -> Option<&Document> {
        self.children.as_ref()
    }

    pub fn children_mut(&mut self) -> Option<&mut Document> {
        self.children.as_mut()
    }

    /// The nodes of the block; none when there is no block.
    pub fn iter_children(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().flat_map(|c| c.nodes.iter())
    }

    pub fn span(&self) -> SourceSpan {
        self.span
    }

    /// The value of the first property named `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entry(key).map(Entry::value)
    }

    /// The first property named `key`.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.name.as_ref().is_some_and(|n| n.value == key))
    }
}

/// A sequence of nodes: a whole file, or the inside of a block.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub(super) nodes: Vec<Node>,
    /// The whole file, or a block from `{` to `}`.
    pub(super) span: SourceSpan,
}

impl Default for Document {
    fn default() -> Self {
        Document {
            nodes: Vec::new(),
            span: SourceSpan::from((0, 0)),
        }
    }
}

impl Document {
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn nodes_mut(&mut self) -> &mut Vec<Node> {
        &mut self.nodes
    }

    /// The first node named `name`.
    pub fn get(&self, name: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.name.value == name)
    }

    pub fn span(&self) -> SourceSpan {
        self.span
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }
}
