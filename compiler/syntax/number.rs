//! Numbers: `0x`, `0o`, `0b` and decimal integers (into an `i128`), and decimals with a point
//! or an exponent (into an `f64`); `_` may follow any digit.
//!
//! Like the `kdl` crate, each run of digits of a decimal (before the point, after it, and the
//! exponent) must fit in an `i128`, so that both parsers accept the same numbers.

use super::parser::{Parser, Scalar};
use super::tree::Value;

impl Parser<'_> {
    /// A number at `self.i` (a digit, or a sign and a digit).
    pub(super) fn number(&mut self) -> Scalar {
        let start = self.i;
        let negative = self.peek() == Some(b'-');
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.i += 1;
        }
        let radix = match (self.peek(), self.peek_at(1)) {
            (Some(b'0'), Some(b'x' | b'X')) => 16,
            (Some(b'0'), Some(b'o' | b'O')) => 8,
            (Some(b'0'), Some(b'b' | b'B')) => 2,
            _ => 10,
        };
        if radix != 10 {
            self.i += 2;
            return self.radix_integer(start, radix, negative);
        }
        let whole = self.digits(10);
        let mut float = false;
        let mut groups_fit = fits(whole);
        if self.peek() == Some(b'.') {
            self.i += 1;
            let fraction = self.digits(10);
            if fraction.is_empty() {
                return self.bad_number(
                    start,
                    "a decimal point needs a digit right after it, like `1.5`",
                );
            }
            groups_fit &= fits(fraction);
            float = true;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            let exponent = self.digits(10);
            if exponent.is_empty() {
                return self.bad_number(start, "an exponent needs digits, like `1.5e10` or `2E-3`");
            }
            groups_fit &= fits(exponent);
            float = true;
        }
        let text: String = self.text[start..self.i]
            .chars()
            .filter(|c| *c != '_')
            .collect();
        if !groups_fit {
            return self.bad_number(
                start,
                "this number has more digits than labc reads (about 38 in each part)",
            );
        }
        if float {
            match text.parse::<f64>() {
                Ok(f) => Scalar::Other(Value::Float(f)),
                Err(_) => self.bad_number(start, "write a decimal like `1.5` or `2e-3`"),
            }
        } else {
            let digits = text.trim_start_matches(['+', '-']);
            self.integer(start, digits, 10, negative)
        }
    }

    /// Digits of `radix` and `_` after the first digit; the digits as written.
    fn digits(&mut self, radix: u32) -> &str {
        let text = self.text;
        let start = self.i;
        if !self.peek().is_some_and(|c| (c as char).is_digit(radix)) {
            return "";
        }
        while self
            .peek()
            .is_some_and(|c| c == b'_' || (c as char).is_digit(radix))
        {
            self.i += 1;
        }
        &text[start..self.i]
    }

    fn radix_integer(&mut self, start: usize, radix: u32, negative: bool) -> Scalar {
        let digits = self.digits(radix);
        if digits.is_empty() {
            let what = match radix {
                16 => "`0x` needs hexadecimal digits after it, like `0xff`",
                8 => "`0o` needs octal digits (0 to 7) after it, like `0o755`",
                _ => "`0b` needs binary digits (0 and 1) after it, like `0b1010`",
            };
            return self.bad_number(start, what);
        }
        let digits: String = digits.chars().filter(|c| *c != '_').collect();
        self.integer(start, &digits, radix, negative)
    }

    fn integer(&mut self, start: usize, digits: &str, radix: u32, negative: bool) -> Scalar {
        let magnitude = digits.chars().filter(|c| *c != '_').collect::<String>();
        match i128::from_str_radix(&magnitude, radix) {
            Ok(n) => Scalar::Other(Value::Integer(if negative { -n } else { n })),
            Err(_) => self.bad_number(
                start,
                "integers are 128-bit in labc; for a larger number write a decimal or a string",
            ),
        }
    }

    fn bad_number(&mut self, start: usize, help: &str) -> Scalar {
        self.skip_value();
        let word = &self.text[start..self.i];
        let (label, help) = if word.bytes().any(|b| b.is_ascii_alphabetic() || b == b'%')
            && !word.contains(['.'])
            && !word[1..].starts_with(['x', 'o', 'b', 'X', 'O', 'B'])
        {
            ("a number with text after it", super::scalar::UNIT_HELP)
        } else {
            ("not a number", help)
        };
        self.error(
            start,
            self.i,
            format!("`{word}` is not a number"),
            label,
            help,
        );
        Scalar::Bad
    }
}

/// Whether a run of digits (with `_`) fits in an `i128`, as the `kdl` crate requires.
fn fits(digits: &str) -> bool {
    let n = digits.bytes().filter(u8::is_ascii_digit).count();
    n < 39 || digits.replace('_', "").parse::<i128>().is_ok()
}
