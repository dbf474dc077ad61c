//! Reading one string, number or keyword: bare identifiers, quoted and raw strings (single- and
//! multi-line, with escapes and dedent), `#true`/`#false`/`#null`/`#inf`/`#-inf`/`#nan`, and
//! numbers in every KDL base.

use super::chars::{self, newline, space};
use super::parser::{span, Parser, Scalar};
use super::tree::Value;
use crate::diag::Error;

pub(super) const UNIT_HELP: &str = "a number with a unit is a string in KDL: write it in quotes, like \"30s\", \"10Gi\" or \"99%\"";

impl Parser<'_> {
    /// A string, number or keyword, which must be followed by a value terminator.
    pub(super) fn scalar(&mut self) -> Scalar {
        let start = self.i;
        let digit_at = |k: usize| self.b.get(k).is_some_and(u8::is_ascii_digit);
        let result = match self.peek() {
            Some(b'"') => self.quoted_string(),
            Some(b'#') if matches!(self.peek_at(1), Some(b'"' | b'#')) => self.raw_string(),
            Some(b'#') => self.keyword(),
            Some(b'0'..=b'9') => self.number(),
            Some(b'+' | b'-') if digit_at(start + 1) => self.number(),
            Some(b'.') if digit_at(start + 1) => self.point_first(start),
            Some(b'+' | b'-') if self.peek_at(1) == Some(b'.') && digit_at(start + 2) => {
                self.point_first(start)
            }
            _ => self.bare(),
        };
        if matches!(result, Scalar::Bad) || self.at_value_end() {
            return result;
        }
        if !self.no_terminator(start, &result) {
            self.skip_value();
        }
        Scalar::Bad
    }

    /// Whether a value may end here: the end, `=`, `)`, `{`, `}`, `;`, a newline, a space, a
    /// comment or a line continuation.
    fn at_value_end(&self) -> bool {
        self.value_ends_at(self.i)
    }

    fn value_ends_at(&self, i: usize) -> bool {
        match self.b.get(i) {
            None => true,
            Some(b'=' | b')' | b'{' | b'}' | b';' | b'\\') => true,
            Some(b'/') => matches!(self.b.get(i + 1), Some(b'*' | b'/')),
            Some(_) => newline(self.b, i) > 0 || space(self.b, i) > 0,
        }
    }

    /// Skips the rest of a value that could not be read, up to where a value may end.
    pub(super) fn skip_value(&mut self) {
        while !self.at_value_end() {
            let bad = self.forbidden_at(self.i);
            self.i += if bad > 0 { bad } else { self.char_len(self.i) };
        }
    }

    /// Reports a value not followed by a terminator; true when it also skipped what follows.
    fn no_terminator(&mut self, start: usize, result: &Scalar) -> bool {
        let at = self.i;
        let mut end = at;
        while end < self.b.len() && self.b[end] != b'"' && !self.value_ends_at(end) {
            end += self.char_len(end);
        }
        let text = self.text;
        let word = &text[start..end];
        match result {
            Scalar::Other(Value::Integer(_) | Value::Float(_))
                if self.b[start] != b'#' && end > at =>
            {
                self.error(
                    start,
                    end,
                    format!("`{word}` is not a number"),
                    "a number with text after it",
                    UNIT_HELP,
                );
            }
            Scalar::String(s)
                if s == "r" && self.b[at..].iter().find(|b| **b != b'#') == Some(&b'"') =>
            {
                let close = self.raw_v1_end(at);
                let old = &text[start..close];
                let opening = self.b[at..].iter().take_while(|b| **b == b'#').count();
                let closing = format!("\"{}", "#".repeat(opening));
                let inner = &text[(at + opening + 1).min(close)..close];
                let body = inner.strip_suffix(closing.as_str()).unwrap_or(inner);
                let hashes = opening.max(1);
                let fence = "#".repeat(hashes);
                self.errors.push(Error::KdlV1 {
                    found: old.to_string(),
                    write: format!("{fence}\"{body}\"{fence}"),
                    span: span(start, close),
                });
                self.i = close;
                return true;
            }
            _ => {
                let next = &self.text[at..at + self.char_len(at)];
                self.error(
                    at,
                    at + next.len(),
                    format!("expected a space before `{next}`"),
                    "no space before",
                    "separate values with spaces; a string that holds spaces or quotes needs quotes itself, like \"a b\"",
                );
            }
        }
        false
    }

    /// The end of a v1 raw string `r"…"` / `r#"…"#` starting at its quote or hashes, for the
    /// span of the hint (the end of the line if it is not closed).
    fn raw_v1_end(&self, at: usize) -> usize {
        let hashes = self.b[at..].iter().take_while(|b| **b == b'#').count();
        let body = at + hashes + 1;
        let mut close = vec![b'"'];
        close.extend(std::iter::repeat_n(b'#', hashes));
        let line_end = (body..self.b.len())
            .find(|&k| newline(self.b, k) > 0)
            .unwrap_or(self.b.len());
        match memchr::memmem::find(&self.b[body.min(line_end)..line_end], &close) {
            Some(p) => body + p + close.len(),
            None => line_end,
        }
    }

    fn point_first(&mut self, start: usize) -> Scalar {
        self.skip_value();
        let word = &self.text[start..self.i];
        self.error(
            start,
            self.i,
            format!("`{word}` is neither a number nor a string"),
            "a point before the first digit",
            "a number starts with a digit: write `0.5`, or quote a string: `\".5\"`",
        );
        Scalar::Bad
    }

    /// A bare identifier string; bare `true`, `false`, `null`, `inf` and `nan` are refused.
    /// (`-inf` is in the grammar's list of disallowed identifiers too, but the grammar applies
    /// the list only to identifiers that start without a sign, and so does the `kdl` crate.)
    fn bare(&mut self) -> Scalar {
        let start = self.i;
        while let Some(&c) = self.b.get(self.i) {
            if c < 0x80 {
                if !chars::ident_ascii(c) {
                    if c < 0x20 || c == 0x7F {
                        let bad = self.forbidden_at(self.i);
                        if bad > 0 {
                            self.i += bad;
                            continue;
                        }
                    }
                    break;
                }
                self.i += 1;
            } else {
                if newline(self.b, self.i) > 0 || space(self.b, self.i) > 0 {
                    break;
                }
                let bad = self.forbidden_at(self.i);
                self.i += if bad > 0 { bad } else { self.char_len(self.i) };
            }
        }
        if self.i == start && start >= self.b.len() {
            self.error(
                start,
                start,
                "the file ends where a value should be".into(),
                "value expected here",
                "finish the node: a name, a type annotation's name or a property's value is missing",
            );
            return Scalar::Bad;
        }
        if self.i == start {
            let next = &self.text[start..start + self.char_len(start)];
            let (message, help) = match next {
                "[" | "]" => (
                    format!("`{next}` cannot start a value"),
                    "KDL has no lists: repeat a node or an argument instead, or quote the text",
                ),
                "=" => (
                    "a `=` with no property name before it".to_string(),
                    "write a property as `name=value`, with no space before the `=` needed",
                ),
                _ => (
                    format!("`{next}` cannot start a value"),
                    "a value is a string (bare, \"quoted\" or #\"raw\"#), a number, or #true, #false or #null",
                ),
            };
            self.error(start, start + next.len(), message, "unexpected", help);
            self.i += next.len();
            self.skip_value();
            return Scalar::Bad;
        }
        let word = &self.text[start..self.i];
        match word {
            "true" | "false" | "null" => {
                self.errors.push(Error::KdlV1 {
                    found: word.to_string(),
                    write: format!("#{word}"),
                    span: span(start, self.i),
                });
                Scalar::Bad
            }
            "inf" | "nan" => {
                self.error(
                    start,
                    self.i,
                    format!("bare `{word}` is neither a number nor a string"),
                    "reserved word",
                    "write the number as a keyword, `#inf`, `#-inf` or `#nan`, or quote the string",
                );
                Scalar::Bad
            }
            _ => Scalar::String(word.to_string()),
        }
    }

    /// `#true`, `#false`, `#null`, `#inf`, `#-inf`, `#nan`.
    fn keyword(&mut self) -> Scalar {
        let start = self.i;
        self.i += 1;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        {
            self.i += 1;
        }
        let value = match &self.text[start + 1..self.i] {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            "inf" => Value::Float(f64::INFINITY),
            "-inf" => Value::Float(f64::NEG_INFINITY),
            "nan" => Value::Float(f64::NAN),
            _ => {
                self.skip_value();
                self.error(
                    start,
                    self.i,
                    format!("`{}` is not a KDL keyword", &self.text[start..self.i]),
                    "unknown keyword",
                    "the keywords are #true, #false, #null, #inf, #-inf and #nan; for text, quote it",
                );
                return Scalar::Bad;
            }
        };
        Scalar::Other(value)
    }
}
