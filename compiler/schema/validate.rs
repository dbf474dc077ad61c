//! Walks an object against a schema as it serialises, with no intermediate tree: a
//! `serde::Serializer` whose output is the list of violations. It enforces the structural
//! subset the API server checks under strict field validation (see `docs/architecture.md`).

use super::capture::{Stop, Text};
use super::table::{
    Literal, Node, Table, Type, INT32, INT64, INT_OR_STRING, NULLABLE, PRESERVE_UNKNOWN,
};
use serde::ser::{self, Serialize};

/// A field that breaks its schema: where (`spec.strategy.canary.steps[2].setWeight`) and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub field: String,
    pub problem: String,
}

/// Every violation of the object against the schema at `root` of `table`.
pub fn validate<T: Serialize + ?Sized>(table: &Table, root: u32, value: &T) -> Vec<Violation> {
    let mut walk = Walk {
        table,
        path: String::new(),
        out: Vec::new(),
    };
    // the walk itself never fails; a serialiser error would be the object's own
    if let Err(Stop) = value.serialize(At {
        walk: &mut walk,
        node: root,
    }) {
        walk.report("cannot be serialised".to_string());
    }
    walk.out
}

struct Walk<'t> {
    table: &'t Table,
    /// The field being walked; segments are appended and truncated, never reallocated per field.
    path: String,
    out: Vec<Violation>,
}

impl Walk<'_> {
    fn report(&mut self, problem: String) {
        let field = if self.path.is_empty() {
            "(the object)".to_string()
        } else {
            self.path.clone()
        };
        self.out.push(Violation { field, problem });
    }

    fn push_field(&mut self, name: &str) {
        if !self.path.is_empty() {
            self.path.push('.');
        }
        self.path.push_str(name);
    }
}

/// A value and the node it must match; `ANY`, `NONE` or an index past the table check nothing.
struct At<'w, 't> {
    walk: &'w mut Walk<'t>,
    node: u32,
}

enum Scalar<'v> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'v str),
}

impl Scalar<'_> {
    fn describe(&self) -> String {
        match self {
            Scalar::Null => "null".to_string(),
            Scalar::Bool(b) => format!("the boolean {b}"),
            Scalar::Int(i) => format!("the integer {i}"),
            Scalar::Float(f) => format!("the number {f}"),
            Scalar::Str(s) if s.chars().count() > 40 => {
                format!("a string of {} characters", s.chars().count())
            }
            Scalar::Str(s) => format!("the string {s:?}"),
        }
    }

    fn is(&self, literal: &Literal) -> bool {
        match (self, literal) {
            (Scalar::Null, Literal::Null) => true,
            (Scalar::Bool(a), Literal::Bool(b)) => a == b,
            (Scalar::Int(a), Literal::Int(b)) => *a == i128::from(*b),
            (Scalar::Str(a), Literal::Str(b)) => *a == b.as_ref(),
            _ => false,
        }
    }
}

fn show(literal: &Literal) -> String {
    match literal {
        Literal::Null => "null".to_string(),
        Literal::Bool(b) => b.to_string(),
        Literal::Int(i) => i.to_string(),
        Literal::Str(s) => format!("{s:?}"),
    }
}

fn expected(node: &Node) -> &'static str {
    if node.flags & INT_OR_STRING != 0 {
        "an integer or a string"
    } else {
        node.ty.name()
    }
}

impl<'w, 't> At<'w, 't> {
    fn node(&self) -> Option<&'t Node> {
        self.walk.table.nodes.get(self.node as usize)
    }

    fn scalar(self, value: Scalar<'_>) -> Result<(), Stop> {
        let Some(node) = self.node() else {
            return Ok(());
        };
        let int_or_string = node.flags & INT_OR_STRING != 0;
        let fits = match (&value, node.ty) {
            (Scalar::Null, _) if node.flags & NULLABLE != 0 => true,
            (Scalar::Int(_) | Scalar::Str(_), _) if int_or_string => true,
            (_, _) if int_or_string => false,
            (Scalar::Null, ty) => ty == Type::Any,
            (_, Type::Any) => true,
            (Scalar::Bool(_), Type::Boolean) => true,
            (Scalar::Int(_), Type::Integer | Type::Number) => true,
            (Scalar::Float(f), Type::Integer) => f.fract() == 0.0,
            (Scalar::Float(_), Type::Number) => true,
            (Scalar::Str(_), Type::String) => true,
            _ => false,
        };
        if !fits {
            let problem = format!("expected {}, found {}", expected(node), value.describe());
            self.walk.report(problem);
            return Ok(());
        }
        let literals = node.enumeration.of(&self.walk.table.literals);
        if !literals.is_empty() && !literals.iter().any(|l| value.is(l)) {
            let allowed: Vec<String> = literals.iter().map(show).collect();
            let problem = format!("{} is not one of {}", value.describe(), allowed.join(", "));
            self.walk.report(problem);
        }
        let number = match value {
            Scalar::Int(i) => {
                let (fits, format) = match node.flags {
                    f if f & INT32 != 0 => (i32::try_from(i).is_ok(), "int32"),
                    f if f & INT64 != 0 => (i64::try_from(i).is_ok(), "int64"),
                    _ => (true, ""),
                };
                if !fits {
                    self.walk
                        .report(format!("the integer {i} does not fit {format}"));
                }
                Some(i as f64)
            }
            Scalar::Float(f) => Some(f),
            _ => None,
        };
        if let Some(number) = number {
            if node.minimum.is_some_and(|min| number < min) {
                let min = node.minimum.unwrap_or_default();
                self.walk
                    .report(format!("{number} is below the minimum {min}"));
            }
            if node.maximum.is_some_and(|max| number > max) {
                let max = node.maximum.unwrap_or_default();
                self.walk
                    .report(format!("{number} is above the maximum {max}"));
            }
        }
        if let Scalar::Str(s) = value {
            let [min, max, ..] = node.limits;
            let length = s.chars().count();
            if min != super::table::NONE && length < min as usize {
                self.walk
                    .report(format!("{length} characters, fewer than {min}"));
            }
            if max != super::table::NONE && length > max as usize {
                self.walk
                    .report(format!("{length} characters, more than {max}"));
            }
        }
        Ok(())
    }

    /// Starts an object (`array` false) or an array; a value of the wrong type is reported once
    /// and its contents are not walked, so that one mistake is one violation.
    fn compound(self, array: bool, restore: usize) -> Compound<'w, 't> {
        let mut node = self.node;
        if let Some(n) = self.node() {
            let wanted = if array { Type::Array } else { Type::Object };
            let int_or_string = n.flags & INT_OR_STRING != 0;
            if int_or_string || (n.ty != wanted && n.ty != Type::Any) {
                let found = if array { "an array" } else { "an object" };
                let problem = format!("expected {}, found {found}", expected(n));
                self.walk.report(problem);
                node = super::table::ANY;
            }
        }
        let own = self.walk.path.len();
        Compound {
            walk: self.walk,
            node,
            own,
            restore,
            present: 0,
            count: 0,
            key: String::new(),
        }
    }
}

/// An object or array being walked.
pub struct Compound<'w, 't> {
    walk: &'w mut Walk<'t>,
    node: u32,
    /// The path of this value, and the path to leave behind at its end (shorter for a variant).
    own: usize,
    restore: usize,
    /// Bits over the node's watched fields: which of them were set.
    present: u64,
    count: u32,
    key: String,
}

impl<'w, 't> Compound<'w, 't> {
    fn node(&self) -> Option<&'t Node> {
        self.walk.table.nodes.get(self.node as usize)
    }

    /// The node a field's value must match, with the path extended to it; `None` after
    /// reporting an unknown field.
    fn enter(&mut self, name: &str) -> Option<u32> {
        self.count += 1;
        let Some(node) = self.node() else {
            self.walk.push_field(name);
            return Some(super::table::ANY);
        };
        let table = self.walk.table;
        for (bit, watched) in node.watched.of(&table.names).iter().enumerate() {
            if watched == name {
                self.present |= 1 << bit;
            }
        }
        let props = node.props.of(&table.props);
        if let Ok(i) = props.binary_search_by(|(n, _)| n.as_ref().cmp(name)) {
            self.walk.push_field(name);
            return Some(props[i].1);
        }
        let open = node.ty == Type::Any && props.is_empty();
        if node.additional != super::table::NONE {
            self.walk.path.push('[');
            self.walk.path.push_str(name);
            self.walk.path.push(']');
            return Some(node.additional);
        }
        self.walk.push_field(name);
        if open || node.flags & PRESERVE_UNKNOWN != 0 {
            return Some(super::table::ANY);
        }
        let known: Vec<&str> = props.iter().map(|(n, _)| n.as_ref()).collect();
        let problem = if known.is_empty() {
            "unknown field (the schema allows no fields here)".to_string()
        } else {
            format!("unknown field (the schema has {})", known.join(", "))
        };
        self.walk.report(problem);
        self.walk.path.truncate(self.own);
        None
    }

    /// Whether a node checks anything: an unchecked value (Helm values under `valuesObject`,
    /// preserved unknown fields) is not walked at all.
    fn checks(&self, node: u32) -> bool {
        (node as usize) < self.walk.table.nodes.len()
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Stop> {
        if let Some(node) = self.enter(name) {
            if !self.checks(node) {
                self.walk.path.truncate(self.own);
                return Ok(());
            }
            let result = value.serialize(At {
                walk: &mut *self.walk,
                node,
            });
            self.walk.path.truncate(self.own);
            result?;
        }
        Ok(())
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let items = self.node().map_or(super::table::ANY, |n| n.items);
        if !self.checks(items) {
            self.count += 1;
            return Ok(());
        }
        use std::fmt::Write;
        let _ = write!(self.walk.path, "[{}]", self.count);
        self.count += 1;
        let result = value.serialize(At {
            walk: &mut *self.walk,
            node: items,
        });
        self.walk.path.truncate(self.own);
        result
    }

    fn end_array(mut self) -> Result<(), Stop> {
        if let Some(node) = self.node() {
            let [_, _, min, max, ..] = node.limits;
            self.limits(min, max, "items");
        }
        self.walk.path.truncate(self.restore);
        Ok(())
    }

    fn end_object(mut self) -> Result<(), Stop> {
        if let Some(node) = self.node() {
            let table = self.walk.table;
            let names = node.watched.of(&table.names);
            for (bit, name) in names.iter().enumerate() {
                if node.required & !self.present & (1 << bit) != 0 {
                    self.walk.push_field(name);
                    self.walk.report("required field missing".to_string());
                    self.walk.path.truncate(self.own);
                }
            }
            if !table.holds(node.rule, self.present) {
                let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                let problem = format!(
                    "a combination of {} that the schema's oneOf/anyOf/not rules forbid",
                    names.join(", ")
                );
                self.walk.report(problem);
            }
            let [.., min, max] = node.limits;
            self.limits(min, max, "fields");
        }
        self.walk.path.truncate(self.restore);
        Ok(())
    }

    fn limits(&mut self, min: u32, max: u32, what: &str) {
        let count = self.count;
        if min != super::table::NONE && count < min {
            self.walk
                .report(format!("{count} {what}, fewer than {min}"));
        }
        if max != super::table::NONE && count > max {
            self.walk.report(format!("{count} {what}, more than {max}"));
        }
    }
}

impl<'w, 't> ser::Serializer for At<'w, 't> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Compound<'w, 't>;
    type SerializeTuple = Compound<'w, 't>;
    type SerializeTupleStruct = Compound<'w, 't>;
    type SerializeTupleVariant = Compound<'w, 't>;
    type SerializeMap = Compound<'w, 't>;
    type SerializeStruct = Compound<'w, 't>;
    type SerializeStructVariant = Compound<'w, 't>;

    fn serialize_bool(self, v: bool) -> Result<(), Stop> {
        self.scalar(Scalar::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<(), Stop> {
        self.scalar(Scalar::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Stop> {
        self.scalar(Scalar::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Stop> {
        self.scalar(Scalar::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Stop> {
        self.scalar(Scalar::Int(v.into()))
    }
    fn serialize_i128(self, v: i128) -> Result<(), Stop> {
        self.scalar(Scalar::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<(), Stop> {
        self.scalar(Scalar::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Stop> {
        self.scalar(Scalar::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Stop> {
        self.scalar(Scalar::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Stop> {
        self.scalar(Scalar::Int(v.into()))
    }
    fn serialize_f32(self, v: f32) -> Result<(), Stop> {
        self.scalar(Scalar::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Stop> {
        self.scalar(Scalar::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<(), Stop> {
        self.scalar(Scalar::Str(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<(), Stop> {
        self.scalar(Scalar::Str(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Stop> {
        let mut seq = self.compound(true, 0);
        seq.restore = seq.own;
        for byte in v {
            seq.element(byte)?;
        }
        seq.end_array()
    }
    fn serialize_none(self) -> Result<(), Stop> {
        self.scalar(Scalar::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        self.scalar(Scalar::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Stop> {
        self.scalar(Scalar::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Stop> {
        self.scalar(Scalar::Str(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        let restore = self.walk.path.len();
        let mut object = self.compound(false, restore);
        object.field(variant, value)?;
        object.end_object()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'w, 't>, Stop> {
        let restore = self.walk.path.len();
        Ok(self.compound(true, restore))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'w, 't>, Stop> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'w, 't>, Stop> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'w, 't>, Stop> {
        // `{variant: [...]}`: the outer object is checked for the field, the array walked
        let restore = self.walk.path.len();
        let mut outer = self.compound(false, restore);
        let node = outer.enter(variant).unwrap_or(super::table::ANY);
        Ok(At {
            walk: outer.walk,
            node,
        }
        .compound(true, restore))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'w, 't>, Stop> {
        let restore = self.walk.path.len();
        Ok(self.compound(false, restore))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'w, 't>, Stop> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'w, 't>, Stop> {
        let restore = self.walk.path.len();
        let mut outer = self.compound(false, restore);
        let node = outer.enter(variant).unwrap_or(super::table::ANY);
        Ok(At {
            walk: outer.walk,
            node,
        }
        .compound(false, restore))
    }
}

macro_rules! elements {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = Stop;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
                self.element(value)
            }
            fn end(self) -> Result<(), Stop> {
                self.end_array()
            }
        })*
    };
}
elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = Stop;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Stop> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Stop> {
                self.end_object()
            }
        })*
    };
}
fields!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        if key.serialize(Text(&mut self.key)).is_err() {
            // YAML would write it; the API server's JSON cannot hold it
            self.key.clear();
            self.walk.report("a key that is not a string".to_string());
        }
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let key = std::mem::take(&mut self.key);
        let result = self.field(&key, value);
        self.key = key;
        result
    }

    fn end(self) -> Result<(), Stop> {
        self.end_object()
    }
}
