//! Choosing how a string is written: plain, double-quoted or literal block.
//!
//! The plain-style rule is deliberately conservative: a string is left bare
//! only when no YAML 1.1 (go-yaml v2, PyYAML) or 1.2 (go-yaml v3, serde_yaml)
//! resolver could read it as a bool, null, number or timestamp, and when no
//! indicator character could change how it parses.

/// C0 controls and DEL: only a double-quoted escape can carry them.
const CTRL: u8 = 1;
/// Lead bytes of the only multi-byte chars YAML calls non-printable
/// (U+0080..U+009F, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF).
pub(super) const LEAD: u8 = 2;
/// `:` and `#` break a plain scalar only next to a space.
const COLON_HASH: u8 = 4;
/// Could be part of an int, float, sexagesimal or timestamp in some resolver
/// (hex digits, base prefixes, Go hex-float `p`, timestamp `T`/`Z`, ...).
const NUMERIC: u8 = 8;
/// Cannot start a plain scalar (YAML indicators, plus signs that would make
/// numbers); quoting them all is simpler than tracking each exception.
const INDICATOR: u8 = 16;
/// Must be escaped inside double quotes.
pub(super) const ESCAPE: u8 = 32;

const SCAN: u8 = CTRL | LEAD | COLON_HASH;

static CLASS: [u8; 256] = class_table();

const fn class_table() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = CTRL | ESCAPE;
        c += 1;
    }
    t[0x7F] = CTRL | ESCAPE;
    t[0xC2] = LEAD | ESCAPE;
    t[0xE2] = LEAD | ESCAPE;
    t[0xEF] = LEAD | ESCAPE;
    t[b'"' as usize] |= ESCAPE;
    t[b'\\' as usize] |= ESCAPE;
    t[b':' as usize] |= COLON_HASH;
    t[b'#' as usize] |= COLON_HASH;
    let numeric = b"0123456789abcdefABCDEFxXoOpPtTzZ_.:+- ";
    let mut i = 0;
    while i < numeric.len() {
        t[numeric[i] as usize] |= NUMERIC;
        i += 1;
    }
    let indicators = b"-?:,[]{}#&*!|>'\"%@`+ ";
    let mut i = 0;
    while i < indicators.len() {
        t[indicators[i] as usize] |= INDICATOR;
        i += 1;
    }
    t
}

pub(super) fn class(c: u8) -> u8 {
    CLASS[c as usize]
}

/// Whether some resolver reads `b` as a bool or null (YAML 1.1 bools in any
/// letter case, `null`, `~`), or gives it a special meaning (the YAML 1.1
/// merge key `<<` and value key `=`).
fn is_keyword(b: &[u8]) -> bool {
    let words: &[&[u8]] = match b[0] | 0x20 {
        b'y' => &[b"y", b"yes"],
        b'n' => &[b"n", b"no", b"null"],
        b'o' => &[b"on", b"off"],
        b't' => &[b"true"],
        b'f' => &[b"false"],
        _ => return matches!(b, b"~" | b"<<" | b"="),
    };
    words.iter().any(|w| b.eq_ignore_ascii_case(w))
}

/// Block-scalar chomping, from how many line breaks end the string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Chomp {
    /// No final line break: `|-`.
    Strip,
    /// Exactly one: `|`.
    Clip,
    /// More than one: `|+`.
    Keep,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Style {
    Plain,
    Quoted,
    Literal(Chomp),
}

/// Whether the multi-byte char starting at `b[i]` (a `LEAD` byte) is one YAML
/// may not carry raw. Input is a `str`, so the continuation bytes exist.
pub(super) fn nonprintable_at(b: &[u8], i: usize) -> bool {
    match b[i] {
        0xC2 => matches!(b.get(i + 1), Some(0x80..=0x9F)),
        0xE2 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)),
        0xEF => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0xBB), Some(0xBF)) | (Some(0xBF), Some(0xBE | 0xBF))
        ),
        _ => false,
    }
}

/// What a scan of a string found, beyond the bytes that never matter.
#[derive(Default)]
struct Scan {
    newline: bool,
    needs_escape: bool,
    tab: bool,
    breaks_plain: bool,
    /// A line ends in whitespace: legal in a literal, but invisible in
    /// review and stripped by editors, so such strings are quoted instead.
    ragged: bool,
}

impl Scan {
    fn byte(&mut self, b: &[u8], i: usize) {
        let c = b[i];
        if class(c) & SCAN == 0 {
            return;
        }
        match c {
            b'\n' => {
                self.newline = true;
                self.ragged |= i > 0 && matches!(b[i - 1], b' ' | b'\t');
            }
            b'\t' => self.tab = true,
            b':' => self.breaks_plain |= b.get(i + 1) == Some(&b' '),
            b'#' => self.breaks_plain |= i > 0 && b[i - 1] == b' ',
            0x80.. => self.needs_escape |= nonprintable_at(b, i),
            _ => self.needs_escape = true,
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the 8 bytes in `w` could matter to [`Scan::byte`]
/// (controls, DEL, non-ASCII, `:` or `#`). Scalars are mostly long runs of
/// harmless ASCII, so testing a word at a time is what keeps the writer
/// fast; the classic SWAR tests are exact about whether any byte matches.
fn word_needs_scan(w: u64) -> bool {
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
    let hits = (w & HIGHS)
        | below_space
        | zero_byte(w ^ (ONES * 0x7F))
        | zero_byte(w ^ (ONES * u64::from(b':')))
        | zero_byte(w ^ (ONES * u64::from(b'#')));
    hits != 0
}

fn word_at(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

fn half_word_at(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[i..i + 4]);
    u64::from(u32::from_le_bytes(w))
}

fn scan(b: &[u8]) -> Scan {
    let mut scan = Scan::default();
    let n = b.len();
    // Windows may overlap (the last one is aligned to the end): `Scan`
    // only ever sets flags, so looking at a byte twice is harmless.
    let mut check = |at: usize, w: u64, len: usize| {
        if word_needs_scan(w) {
            for i in at..at + len {
                scan.byte(b, i);
            }
        }
    };
    if n >= 8 {
        let mut i = 0;
        while i < n {
            let at = i.min(n - 8);
            check(at, word_at(b, at), 8);
            i += 8;
        }
    } else if n >= 4 {
        // Most keys and many values are this short.
        check(0, half_word_at(b, 0) | half_word_at(b, n - 4) << 32, n);
    } else {
        check(0, u64::MAX, n);
    }
    scan
}

/// The style a string value is written in. Keys never use `Literal`.
pub(super) fn style(s: &str) -> Style {
    let b = s.as_bytes();
    if b.is_empty() {
        return Style::Quoted;
    }
    let scan = scan(b);
    if scan.newline {
        return match literal_chomp(b, scan.ragged) {
            Some(chomp) if !scan.needs_escape => Style::Literal(chomp),
            _ => Style::Quoted,
        };
    }
    if scan.needs_escape || scan.tab || scan.breaks_plain || !plain_ok(b) {
        Style::Quoted
    } else {
        Style::Plain
    }
}

/// The chomping for a multi-line string if a literal block can hold it
/// exactly, given that the indentation is auto-detected by the reader.
fn literal_chomp(b: &[u8], ragged: bool) -> Option<Chomp> {
    if ragged || matches!(b.last(), Some(b' ' | b'\t')) {
        return None;
    }
    // The first non-empty line sets the detected indentation: leading
    // whitespace there would be swallowed (spaces) or rejected (tab). An
    // all-newline string has no such line and would read back as "".
    let first = b.iter().find(|&&c| c != b'\n')?;
    if matches!(first, b' ' | b'\t') {
        return None;
    }
    let breaks = b.iter().rev().take_while(|&&c| c == b'\n').count();
    Some(match breaks {
        0 => Chomp::Strip,
        1 => Chomp::Clip,
        _ => Chomp::Keep,
    })
}

/// Plain-style check for a single-line string free of controls, tabs, `: `
/// and ` #` (the caller has scanned for those).
fn plain_ok(b: &[u8]) -> bool {
    let (first, last) = (b[0], b[b.len() - 1]);
    if class(first) & INDICATOR != 0 || last == b' ' || last == b':' {
        return false;
    }
    if first.is_ascii_digit() || first == b'.' {
        // Anything built only from number-ish bytes may be an int in some
        // base, a float, a sexagesimal or a timestamp somewhere: `017`,
        // `0x1F`, `1_000`, `1:20`, `2024-01-01`, `10.0.0.1`. Quantities like
        // `100m` or `2Gi` contain other letters and stay plain.
        if b.iter().all(|&c| class(c) & NUMERIC != 0) {
            return false;
        }
        // `..` also covers the `...` document-end marker.
        if first == b'.'
            && (b.starts_with(b"..")
                || b.eq_ignore_ascii_case(b".inf")
                || b.eq_ignore_ascii_case(b".nan"))
        {
            return false;
        }
    }
    !is_keyword(b)
}
