//! The schemas of the CRDs in `stdlib/crds/`, converted by `build.rs` into statics: using them
//! costs no parsing and no allocation.

use super::table::{Branch, Kind, Literal, Node, Range, Table, Type};
use std::borrow::Cow;

include!(concat!(env!("OUT_DIR"), "/crds.rs"));

/// Every node of every embedded CRD.
pub static TABLE: Table = Table {
    nodes: Cow::Borrowed(NODES),
    props: Cow::Borrowed(PROPS),
    names: Cow::Borrowed(NAMES),
    literals: Cow::Borrowed(LITERALS),
    branches: Cow::Borrowed(BRANCHES),
    lists: Cow::Borrowed(LISTS),
};

// short names keep the generated file (thousands of nodes) small to compile
const fn b(text: &'static str) -> Cow<'static, str> {
    Cow::Borrowed(text)
}

const fn r(start: u32, len: u32) -> Range {
    Range { start, len }
}

#[allow(clippy::too_many_arguments)]
const fn n(
    ty: Type,
    flags: u8,
    props: Range,
    additional: u32,
    items: u32,
    watched: Range,
    required: u64,
    rule: u32,
    enumeration: Range,
    minimum: Option<f64>,
    maximum: Option<f64>,
    limits: [u32; 6],
) -> Node {
    Node {
        ty,
        flags,
        props,
        additional,
        items,
        watched,
        required,
        rule,
        enumeration,
        minimum,
        maximum,
        limits,
    }
}
