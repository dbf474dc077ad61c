//! The output buffer and the little layout state shared by values and
//! collections.
//!
//! Layout is decided without lookahead: a value only learns where it starts
//! (`Slot`), and a collection writes the line break or inline position for
//! its first entry lazily, so an empty one can still become `{}` / `[]` on
//! the line of its key.

use std::cell::Cell;

use super::scalar;
use super::style::{style, Style};

/// What has been written on the current line just before a value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    /// Nothing: the document's root value at column 0.
    Root,
    /// `key:`; a scalar follows after a space, a collection on the next line.
    AfterKey,
    /// `- `; a nested collection puts its first entry on this same line.
    AfterDash,
}

/// Where a value goes: how its line starts, and the column its entries or
/// block-scalar lines use.
#[derive(Clone, Copy)]
pub(super) struct Slot {
    pub(super) start: Start,
    pub(super) col: usize,
}

impl Slot {
    pub(super) const ROOT: Slot = Slot {
        start: Start::Root,
        col: 0,
    };
}

/// A `|+` block scalar whose trailing blank lines would end the document
/// with more than one line break if nothing follows it.
pub(super) struct KeepTail {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) spaced: bool,
    pub(super) text: String,
}

pub(super) struct Emitter {
    pub(super) out: Vec<u8>,
    pub(super) keep_tail: Option<KeepTail>,
    plain_fields: Box<PlainFields>,
}

impl Emitter {
    pub(super) fn new(out: Vec<u8>) -> Self {
        Emitter {
            out,
            keep_tail: None,
            plain_fields: PLAIN_FIELDS.with(Cell::take).unwrap_or_default(),
        }
    }

    /// Hands back the buffer, re-writing a document-final `|+` scalar
    /// double-quoted so the document ends in exactly one line break.
    pub(super) fn finish(mut self) -> Vec<u8> {
        if let Some(tail) = self.keep_tail.take() {
            if tail.end == self.out.len() {
                self.out.truncate(tail.start);
                if tail.spaced {
                    self.out.push(b' ');
                }
                scalar::write_quoted(&mut self.out, &tail.text);
                self.out.push(b'\n');
            }
        }
        PLAIN_FIELDS.with(|cell| cell.set(Some(self.plain_fields)));
        self.out
    }

    /// What goes between the slot's start and a scalar on the same line.
    pub(super) fn scalar_prefix(&mut self, start: Start) {
        if start == Start::AfterKey {
            self.out.push(b' ');
        }
    }

    /// Writes pre-formatted scalar text as a whole value.
    pub(super) fn text(&mut self, start: Start, text: &[u8]) {
        self.scalar_prefix(start);
        self.out.extend_from_slice(text);
        self.out.push(b'\n');
    }

    /// Writes a struct field name as a key.
    pub(super) fn field_name(&mut self, name: &'static str) {
        if self.plain_fields.contains(name) {
            self.out.extend_from_slice(name.as_bytes());
        } else if style(name) == Style::Plain {
            self.plain_fields.insert(name);
            self.out.extend_from_slice(name.as_bytes());
        } else {
            scalar::write_quoted(&mut self.out, name);
        }
    }
}

const PLAIN_FIELD_SLOTS: usize = 256;

/// Struct field names already found to be plain, by address and length.
/// Field names are `&'static str`, so an address never changes its text, and
/// a set of manifests repeats the same few hundred names thousands of times:
/// skipping their re-check saved about a fifth of the writer's time.
struct PlainFields {
    slots: [(usize, usize); PLAIN_FIELD_SLOTS],
}

impl Default for PlainFields {
    fn default() -> Self {
        PlainFields {
            slots: [(0, 0); PLAIN_FIELD_SLOTS],
        }
    }
}

impl PlainFields {
    fn slot(name: &str) -> usize {
        let hash = (name.as_ptr() as usize as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (hash >> 56) as usize % PLAIN_FIELD_SLOTS
    }

    fn contains(&self, name: &'static str) -> bool {
        self.slots[Self::slot(name)] == (name.as_ptr() as usize, name.len())
    }

    fn insert(&mut self, name: &'static str) {
        self.slots[Self::slot(name)] = (name.as_ptr() as usize, name.len());
    }
}

thread_local! {
    // Lent to one `Emitter` at a time; a nested `write` from inside a
    // `Serialize` impl just starts with an empty cache.
    static PLAIN_FIELDS: Cell<Option<Box<PlainFields>>> = const { Cell::new(None) };
}
