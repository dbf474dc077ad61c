//! Block mappings and sequences in progress, and the entry layout they share.

use serde::ser::{self, Serialize};

use super::emitter::{Emitter, Slot, Start};
use super::key::KeySer;
use super::scalar;
use super::value::ValueSer;
use super::Error;

/// Readers (libyaml, go-yaml) give up on implicit keys longer than 1024
/// chars; longer keys are written in the explicit `? key` form instead.
const MAX_IMPLICIT_KEY: usize = 1000;

pub(super) struct Compound<'e> {
    em: &'e mut Emitter,
    start: Start,
    col: usize,
    first: bool,
    /// Flow form written if no entry ever arrives: `{}` or `[]`.
    empty: &'static [u8],
}

impl<'e> Compound<'e> {
    pub(super) fn new(em: &'e mut Emitter, slot: Slot, empty: &'static [u8]) -> Self {
        Compound {
            em,
            start: slot.start,
            col: slot.col,
            first: true,
            empty,
        }
    }

    /// Writes `variant:` as this map's only key and returns the collection
    /// under it (enum tuple and struct variants).
    pub(super) fn variant_body(mut self, variant: &'static str, empty: &'static [u8]) -> Self {
        self.field_key(variant);
        let slot = self.child_slot(Start::AfterKey);
        Compound::new(self.em, slot, empty)
    }

    /// Writes `variant: value` as this map's only entry (newtype variants).
    pub(super) fn variant_entry<T: Serialize + ?Sized>(
        mut self,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field_key(variant);
        self.value(value)
    }

    /// Moves to where the next entry's `- ` or key begins.
    #[inline]
    fn entry(&mut self) {
        let out = &mut self.em.out;
        if self.first {
            self.first = false;
            match self.start {
                Start::AfterKey => out.push(b'\n'),
                Start::AfterDash => return,
                Start::Root => {}
            }
        }
        scalar::indent(out, self.col);
    }

    pub(super) fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.entry();
        self.em.out.extend_from_slice(b"- ");
        let slot = self.child_slot(Start::AfterDash);
        value.serialize(ValueSer { em: self.em, slot })
    }

    fn child_slot(&self, start: Start) -> Slot {
        Slot {
            start,
            col: self.col + 2,
        }
    }

    fn field_key(&mut self, name: &'static str) {
        self.entry();
        let key_start = self.em.out.len();
        self.em.field_name(name);
        self.close_key(key_start);
    }

    #[inline]
    fn close_key(&mut self, key_start: usize) {
        if self.em.out.len() - key_start > MAX_IMPLICIT_KEY {
            self.make_key_explicit(key_start);
        }
        self.em.out.push(b':');
    }

    #[cold]
    fn make_key_explicit(&mut self, key_start: usize) {
        let out = &mut self.em.out;
        out.splice(key_start..key_start, *b"? ");
        out.push(b'\n');
        scalar::indent(out, self.col);
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let slot = self.child_slot(Start::AfterKey);
        value.serialize(ValueSer { em: self.em, slot })
    }

    pub(super) fn close(self) -> Result<(), Error> {
        if self.first {
            self.em.text(self.start, self.empty);
        }
        Ok(())
    }
}

macro_rules! seq_impl {
    ($trait:ident, $method:ident) => {
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.item(value)
            }

            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    };
}

seq_impl!(SerializeSeq, serialize_element);
seq_impl!(SerializeTuple, serialize_element);
seq_impl!(SerializeTupleStruct, serialize_field);
seq_impl!(SerializeTupleVariant, serialize_field);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.entry();
        let key_start = self.em.out.len();
        key.serialize(KeySer::new(&mut self.em.out))?;
        self.close_key(key_start);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }

    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

macro_rules! struct_impl {
    ($trait:ident) => {
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field_key(key);
                self.value(value)
            }

            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    };
}

struct_impl!(SerializeStruct);
struct_impl!(SerializeStructVariant);
