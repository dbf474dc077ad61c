//! Reads an object's identity (apiVersion, kind, namespace, name) through `Serialize` without
//! serialising the rest of it, so that a schema can be chosen before the object is walked.

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct};
use std::fmt;

/// Which object a file holds, as a diagnostic names it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identity {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl Identity {
    /// `Kind namespace/name`, or `Kind name` for an object without a namespace.
    pub fn describe(&self) -> String {
        if self.namespace.is_empty() {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        }
    }

    /// The group of the apiVersion, empty for the core group.
    pub fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    pub fn version(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or(self.api_version.as_str(), |(_, version)| version)
    }
}

/// The identity of an object serialised as a struct or map with `apiVersion` and `kind`.
pub fn identity<T: Serialize + ?Sized>(value: &T) -> Option<Identity> {
    let mut found = Identity::default();
    value
        .serialize(Peek {
            found: &mut found,
            metadata: false,
        })
        .ok()?;
    (!found.api_version.is_empty() && !found.kind.is_empty()).then_some(found)
}

/// Stops a serialisation that went somewhere this module does not follow.
#[derive(Debug)]
pub struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not followed")
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Stop
    }
}

/// Serialisers that accept only some shapes: every other method stops.
macro_rules! stop {
    ($($method:ident($($arg:ty),*);)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Stop> { Err(Stop) })*
    };
}

macro_rules! stop_all_but_text {
    () => {
        stop! {
            serialize_bool(bool); serialize_i8(i8); serialize_i16(i16); serialize_i32(i32);
            serialize_i64(i64); serialize_u8(u8); serialize_u16(u16); serialize_u32(u32);
            serialize_u64(u64); serialize_f32(f32); serialize_f64(f64); serialize_bytes(&[u8]);
            serialize_none(); serialize_unit(); serialize_unit_struct(&'static str);
        }
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
        ) -> Result<Self::Ok, Stop> {
            Err(Stop)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Stop> {
            Err(Stop)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Stop> {
            Err(Stop)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
            Err(Stop)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
            Err(Stop)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Stop> {
            Err(Stop)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Stop> {
            Err(Stop)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Stop> {
            Err(Stop)
        }
    };
}

/// A string (map keys, apiVersion, kind, name), into the given buffer.
pub struct Text<'a>(pub &'a mut String);

impl ser::Serializer for Text<'_> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Impossible<(), Stop>;
    type SerializeTuple = Impossible<(), Stop>;
    type SerializeTupleStruct = Impossible<(), Stop>;
    type SerializeTupleVariant = Impossible<(), Stop>;
    type SerializeMap = Impossible<(), Stop>;
    type SerializeStruct = Impossible<(), Stop>;
    type SerializeStructVariant = Impossible<(), Stop>;

    stop_all_but_text!();

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_str(self, v: &str) -> Result<(), Stop> {
        self.0.clear();
        self.0.push_str(v);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Stop> {
        self.0.clear();
        self.0.push(v);
        Ok(())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop)
    }
}

/// The top level (apiVersion, kind, metadata) or, with `metadata`, ObjectMeta (name, namespace).
struct Peek<'a> {
    found: &'a mut Identity,
    metadata: bool,
}

impl Peek<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Stop> {
        let slot = match (self.metadata, key) {
            (false, "apiVersion") => &mut self.found.api_version,
            (false, "kind") => &mut self.found.kind,
            (false, "metadata") => {
                let meta = Peek {
                    found: self.found,
                    metadata: true,
                };
                return value.serialize(meta).or(Ok(()));
            }
            (true, "name") => &mut self.found.name,
            (true, "namespace") => &mut self.found.namespace,
            _ => return Ok(()),
        };
        // an absent Option serialises as none: the slot stays empty
        value.serialize(Text(slot)).or(Ok(()))
    }
}

impl<'a> ser::Serializer for Peek<'a> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Impossible<(), Stop>;
    type SerializeTuple = Impossible<(), Stop>;
    type SerializeTupleStruct = Impossible<(), Stop>;
    type SerializeTupleVariant = Impossible<(), Stop>;
    type SerializeMap = PeekMap<'a>;
    type SerializeStruct = Peek<'a>;
    type SerializeStructVariant = Impossible<(), Stop>;

    stop_all_but_text!();
    stop! { serialize_str(&str); serialize_char(char); }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Ok(PeekMap {
            peek: self,
            key: String::new(),
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Ok(self)
    }
}

impl SerializeStruct for Peek<'_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

struct PeekMap<'a> {
    peek: Peek<'a>,
    key: String,
}

impl SerializeMap for PeekMap<'_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        key.serialize(Text(&mut self.key))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let key = std::mem::take(&mut self.key);
        self.peek.field(&key, value)
    }

    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}
