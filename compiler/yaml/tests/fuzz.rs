//! Round-trips thousands of pseudo-random nested values built from tricky
//! string fragments, so combinations nobody listed by hand get exercised.

use serde_json::{Map, Number, Value};

use super::assert_round_trip;
use super::strings::MUST_QUOTE;

/// SplitMix64: deterministic and dependency-free, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Pieces that are harmless alone but dangerous next to each other, plus
/// multi-line material for every chomping kind.
const FRAGMENTS: &[&str] = &[
    "a",
    "web",
    "apps/v1",
    "x.io/y:1.2",
    "1",
    "0",
    "07",
    "1e3",
    ".",
    "-",
    "+",
    ":",
    ": ",
    " #",
    "#",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r",
    "\"",
    "'",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&",
    "*",
    "!",
    "|",
    ">",
    "%",
    "@",
    "`",
    "?",
    "~",
    "<<",
    "=",
    "---",
    "...",
    "true",
    "No",
    "on",
    "null",
    "NaN",
    ".inf",
    "é",
    "日本",
    "🚀",
    "\u{0}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{feff}",
    "line\n",
    "two\nlines",
    "key: value\n",
    "  indented\n",
    "x\n\n\n",
];

fn random_string(rng: &mut Rng) -> String {
    if rng.below(4) == 0 {
        return rng.pick(MUST_QUOTE).to_owned();
    }
    let mut s = String::new();
    for _ in 0..rng.below(5) {
        s.push_str(rng.pick(FRAGMENTS));
    }
    s
}

fn random_float(rng: &mut Rng) -> f64 {
    let mantissa = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    let exponent = rng.below(80) as i32 - 40;
    let sign = if rng.below(2) == 0 { 1.0 } else { -1.0 };
    match rng.below(4) {
        0 => sign * mantissa * 10f64.powi(exponent),
        1 => (rng.below(2001) as f64 - 1000.0) / 4.0,
        2 => f64::from_bits(rng.next() & !(0x7FF << 52) | ((rng.below(2046) as u64 + 1) << 52)),
        _ => sign * rng.below(1000) as f64,
    }
}

fn random_value(rng: &mut Rng, depth: u32) -> Value {
    let kinds = if depth == 0 { 6 } else { 9 };
    match rng.below(kinds) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::from(match rng.below(3) {
            0 => rng.below(100) as i64 - 50,
            1 => rng.next() as i64,
            _ => return Value::from(rng.next()),
        }),
        3 => Number::from_f64(random_float(rng)).map_or(Value::Null, Value::Number),
        4 | 5 => Value::String(random_string(rng)),
        6 | 7 => {
            let mut map = Map::new();
            for _ in 0..rng.below(5) {
                map.insert(random_string(rng), random_value(rng, depth - 1));
            }
            Value::Object(map)
        }
        _ => Value::Array(
            (0..rng.below(5))
                .map(|_| random_value(rng, depth - 1))
                .collect(),
        ),
    }
}

#[test]
fn random_values_round_trip() {
    let mut rng = Rng::new(0x5EED);
    for _ in 0..4000 {
        let value = random_value(&mut rng, 4);
        assert_round_trip(&value);
    }
}

#[test]
fn random_strings_round_trip_as_keys_and_values() {
    let mut rng = Rng::new(7);
    for _ in 0..4000 {
        let s = random_string(&mut rng);
        let value = serde_json::json!({ s.clone(): [s.clone(), { s.clone(): s }] });
        assert_round_trip(&value);
    }
}
