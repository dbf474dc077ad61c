//! Serializes one value into its `Slot`: scalars directly, collections by
//! handing over to a `Compound`.

use serde::ser::{self, Serialize};

use super::compound::Compound;
use super::emitter::{Emitter, KeepTail, Slot, Start};
use super::scalar;
use super::style::{style, Chomp, Style};
use super::Error;

pub(super) struct ValueSer<'e> {
    pub(super) em: &'e mut Emitter,
    pub(super) slot: Slot,
}

impl<'e> ValueSer<'e> {
    pub(super) fn root(em: &'e mut Emitter) -> Self {
        ValueSer {
            em,
            slot: Slot::ROOT,
        }
    }

    fn text(self, text: &[u8]) -> Result<(), Error> {
        self.em.text(self.slot.start, text);
        Ok(())
    }

    /// Writes a scalar formatted straight into the buffer.
    fn formatted(self, fmt: impl FnOnce(&mut Vec<u8>)) -> Result<(), Error> {
        self.em.scalar_prefix(self.slot.start);
        fmt(&mut self.em.out);
        self.em.out.push(b'\n');
        Ok(())
    }

    fn compound(self, empty: &'static [u8]) -> Compound<'e> {
        Compound::new(self.em, self.slot, empty)
    }
}

impl<'e> ser::Serializer for ValueSer<'e> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'e>;
    type SerializeTuple = Compound<'e>;
    type SerializeTupleStruct = Compound<'e>;
    type SerializeTupleVariant = Compound<'e>;
    type SerializeMap = Compound<'e>;
    type SerializeStruct = Compound<'e>;
    type SerializeStructVariant = Compound<'e>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.text(if v { b"true" } else { b"false" })
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.formatted(|out| scalar::write_i64(out, v))
    }

    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.formatted(|out| scalar::write_i128(out, v))
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.formatted(|out| scalar::write_u64(out, v))
    }

    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.formatted(|out| scalar::write_u128(out, v))
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.formatted(|out| scalar::write_f32(out, v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.formatted(|out| scalar::write_f64(out, v))
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        match style(v) {
            Style::Plain => self.text(v.as_bytes()),
            Style::Quoted => self.formatted(|out| scalar::write_quoted(out, v)),
            Style::Literal(chomp) => {
                let start = self.em.out.len();
                self.em.scalar_prefix(self.slot.start);
                // A root scalar's lines are indented anyway, so that content
                // like `---` can never land in column 0.
                let col = self.slot.col.max(2);
                scalar::write_literal(&mut self.em.out, v, chomp, col);
                if chomp == Chomp::Keep {
                    self.em.keep_tail = Some(KeepTail {
                        start,
                        end: self.em.out.len(),
                        spaced: self.slot.start == Start::AfterKey,
                        text: v.to_owned(),
                    });
                }
                Ok(())
            }
        }
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = self.compound(b"[]");
        for byte in v {
            seq.item(byte)?;
        }
        seq.close()
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.text(b"null")
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.text(b"null")
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.text(b"null")
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.compound(b"{}").variant_entry(variant, value)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'e>, Error> {
        Ok(self.compound(b"[]"))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'e>, Error> {
        Ok(self.compound(b"[]"))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'e>, Error> {
        Ok(self.compound(b"[]"))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'e>, Error> {
        Ok(self.compound(b"{}").variant_body(variant, b"[]"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'e>, Error> {
        Ok(self.compound(b"{}"))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'e>, Error> {
        Ok(self.compound(b"{}"))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'e>, Error> {
        Ok(self.compound(b"{}").variant_body(variant, b"{}"))
    }
}
