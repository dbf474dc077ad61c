//! Writing scalars into the buffer: quoted and literal strings, indentation,
//! and numbers spelled so every reader types them the same way.

use std::io::Write as _;

use super::style::{class, nonprintable_at, style, Chomp, Style, ESCAPE, LEAD};

/// Writes `s` double-quoted, escaping only what YAML requires so non-ASCII
/// text stays readable.
pub(super) fn write_quoted(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if class(c) & ESCAPE == 0 || (class(c) & LEAD != 0 && !nonprintable_at(b, i)) {
            i += 1;
            continue;
        }
        out.extend_from_slice(&b[run..i]);
        let len = match c {
            b'"' => push(out, b"\\\"", 1),
            b'\\' => push(out, b"\\\\", 1),
            b'\n' => push(out, b"\\n", 1),
            b'\t' => push(out, b"\\t", 1),
            b'\r' => push(out, b"\\r", 1),
            0xC2 => {
                // C1 control: the code point is the continuation byte.
                push_hex(out, b"\\x", u32::from(b[i + 1]), 2);
                2
            }
            0xE2 | 0xEF => {
                let cp = (u32::from(c & 0x0F) << 12)
                    | (u32::from(b[i + 1] & 0x3F) << 6)
                    | u32::from(b[i + 2] & 0x3F);
                push_hex(out, b"\\u", cp, 4);
                3
            }
            _ => {
                push_hex(out, b"\\x", u32::from(c), 2);
                1
            }
        };
        i += len;
        run = i;
    }
    out.extend_from_slice(&b[run..]);
    out.push(b'"');
}

fn push(out: &mut Vec<u8>, text: &[u8], consumed: usize) -> usize {
    out.extend_from_slice(text);
    consumed
}

fn push_hex(out: &mut Vec<u8>, prefix: &[u8], value: u32, digits: u32) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(prefix);
    for shift in (0..digits).rev() {
        out.push(HEX[((value >> (shift * 4)) & 0xF) as usize]);
    }
}

/// Writes a string key: plain when safe, else double-quoted. Keys are never
/// block scalars, since those cannot be implicit keys.
pub(super) fn write_key(out: &mut Vec<u8>, s: &str) {
    if style(s) == Style::Plain {
        out.extend_from_slice(s.as_bytes());
    } else {
        write_quoted(out, s);
    }
}

/// Writes the header and body of a literal block scalar whose lines sit at
/// column `col`. The caller has checked `s` with [`style`].
pub(super) fn write_literal(out: &mut Vec<u8>, s: &str, chomp: Chomp, col: usize) {
    out.extend_from_slice(match chomp {
        Chomp::Strip => b"|-\n",
        Chomp::Clip => b"|\n",
        Chomp::Keep => b"|+\n",
    });
    // The final break (if any) is the one that ends the last line below.
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if !line.is_empty() {
            indent(out, col);
            out.extend_from_slice(line.as_bytes());
        }
        out.push(b'\n');
    }
}

#[inline]
pub(super) fn indent(out: &mut Vec<u8>, n: usize) {
    // Copying a fixed-size block and cutting it back compiles to a couple of
    // vector stores; a variable-length copy becomes a `memset` call, which
    // stood out in profiles since every entry starts with an indent.
    const SPACES: [u8; 32] = [b' '; 32];
    if n <= SPACES.len() {
        let len = out.len();
        out.extend_from_slice(&SPACES);
        out.truncate(len + n);
    } else {
        out.resize(out.len() + n, b' ');
    }
}

// Separate 64-bit versions: u128 division is a slow library call, and
// almost every integer in a manifest is a small i32.
pub(super) fn write_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

pub(super) fn write_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    write_u64(out, v.unsigned_abs());
}

pub(super) fn write_i128(out: &mut Vec<u8>, v: i128) {
    if v < 0 {
        out.push(b'-');
    }
    write_u128(out, v.unsigned_abs());
}

pub(super) fn write_u128(out: &mut Vec<u8>, mut v: u128) {
    let mut buf = [0u8; 39];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Writes a float so that every reader types it as a float and gets the same
/// value back: the shortest round-trip digits, always with a `.`, and an
/// exponent (if any) with an explicit sign, as YAML 1.1 requires.
pub(super) fn write_f64(out: &mut Vec<u8>, v: f64) {
    if v.is_nan() {
        out.extend_from_slice(b".nan");
    } else if v.is_infinite() {
        out.extend_from_slice(if v > 0.0 { b".inf" } else { b"-.inf" });
    } else {
        let start = out.len();
        // `Debug` gives the shortest round-trip form, keeps `.0` on whole
        // numbers and switches to an exponent for very large or small
        // magnitudes. Writing to a Vec cannot fail.
        let _ = write!(out, "{v:?}");
        fix_exponent(out, start);
    }
}

pub(super) fn write_f32(out: &mut Vec<u8>, v: f32) {
    if !v.is_finite() {
        return write_f64(out, f64::from(v));
    }
    let start = out.len();
    // f32 `Debug` gives the digits a person wrote (`0.1`), not the widened
    // f64 expansion (`0.10000000149011612`).
    let _ = write!(out, "{v:?}");
    fix_exponent(out, start);
}

/// Turns `1e30` / `1e-7` into `1.0e+30` / `1.0e-7`.
fn fix_exponent(out: &mut Vec<u8>, start: usize) {
    let Some(e) = out[start..].iter().position(|&c| c == b'e') else {
        return;
    };
    let mut e = start + e;
    if !out[start..e].contains(&b'.') {
        out.splice(e..e, *b".0");
        e += 2;
    }
    if out.get(e + 1) != Some(&b'-') {
        out.insert(e + 1, b'+');
    }
}
