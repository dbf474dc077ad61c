//! The compact form of CRD schemas: flat tables of small `Copy` records that index each other,
//! so that the embedded schemas are plain statics (nothing is parsed or allocated at run time)
//! and a site's own CRDs, converted at run time, have exactly the same shape.
//!
//! `build.rs` includes this file too, to generate the embedded tables.

use std::borrow::Cow;

/// No node, branch or limit.
pub const NONE: u32 = u32::MAX;
/// `additionalProperties: true`: any field, unchecked.
pub const ANY: u32 = u32::MAX - 1;

pub const NULLABLE: u8 = 1;
pub const PRESERVE_UNKNOWN: u8 = 2;
pub const INT_OR_STRING: u8 = 4;
pub const INT32: u8 = 8;
pub const INT64: u8 = 16;

/// What JSON type a node accepts; `Any` is a schema without `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    Any,
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

impl Type {
    pub fn name(self) -> &'static str {
        match self {
            Type::Any => "any value",
            Type::Object => "an object",
            Type::Array => "an array",
            Type::String => "a string",
            Type::Integer => "an integer",
            Type::Number => "a number",
            Type::Boolean => "a boolean",
        }
    }
}

/// `start..start + len` of one of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Range {
    pub start: u32,
    pub len: u32,
}

impl Range {
    pub fn of<T>(self, table: &[T]) -> &[T] {
        let start = self.start as usize;
        table
            .get(start..start + self.len as usize)
            .unwrap_or_default()
    }
}

/// One schema of the structural subset labc enforces.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node {
    pub ty: Type,
    pub flags: u8,
    /// Into `Table::props`, sorted by name.
    pub props: Range,
    /// A node, `ANY`, or `NONE` (no field beyond `props`).
    pub additional: u32,
    pub items: u32,
    /// Into `Table::names`: the fields `required` and `rule` test; bit `i` stands for the `i`th.
    pub watched: Range,
    pub required: u64,
    /// Into `Table::branches`: the node's own `oneOf`/`anyOf`/`allOf`/`not` over field presence.
    pub rule: u32,
    /// Into `Table::literals`; empty when the schema has no `enum`.
    pub enumeration: Range,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    /// minLength, maxLength, minItems, maxItems, minProperties, maxProperties (`NONE` if unset).
    pub limits: [u32; 6],
}

/// A combination of `required`, `not`, `anyOf`, `oneOf` and `allOf`: the only use structural
/// schemas make of the combinators that does not add fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Branch {
    pub required: u64,
    /// Into `Table::branches`, or `NONE`.
    pub not: u32,
    /// Into `Table::lists`, which hold branch indices.
    pub any_of: Range,
    pub one_of: Range,
    pub all_of: Range,
}

/// A value an `enum` lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Str(Cow<'static, str>),
}

/// Every node of a set of CRDs.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub nodes: Cow<'static, [Node]>,
    pub props: Cow<'static, [(Cow<'static, str>, u32)]>,
    pub names: Cow<'static, [Cow<'static, str>]>,
    pub literals: Cow<'static, [Literal]>,
    pub branches: Cow<'static, [Branch]>,
    pub lists: Cow<'static, [u32]>,
}

/// One CRD: its group and kind, the file it came from, and each served version's root node.
#[derive(Debug, Clone)]
pub struct Kind {
    pub group: Cow<'static, str>,
    pub kind: Cow<'static, str>,
    pub file: Cow<'static, str>,
    pub versions: Cow<'static, [(Cow<'static, str>, u32)]>,
}

impl Table {
    /// Whether the fields present (bits over `watched`) satisfy a branch.
    pub fn holds(&self, branch: u32, present: u64) -> bool {
        let Some(b) = self.branches.get(branch as usize) else {
            return true;
        };
        let count = |range: Range| {
            range
                .of(&self.lists)
                .iter()
                .filter(|&&i| self.holds(i, present))
                .count()
        };
        present & b.required == b.required
            && (b.not == NONE || !self.holds(b.not, present))
            && (b.any_of.len == 0 || count(b.any_of) > 0)
            && (b.one_of.len == 0 || count(b.one_of) == 1)
            && count(b.all_of) == b.all_of.len as usize
    }
}
