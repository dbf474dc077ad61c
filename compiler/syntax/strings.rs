//! Quoted strings (`"…"`, `"""…"""`, with escapes) and raw strings (`#"…"#`, `#"""…"""#`).
//! A multi-line string's last line is the indent every other line loses; dedent works on the
//! text as written, before escapes are resolved, as KDL v2 says.

use super::chars::{self, newline, space};
use super::parser::{Parser, Scalar};

const MULTI_HELP: &str = "a multi-line string opens with `\"\"\"` at the end of a line and closes with `\"\"\"` alone on its last line, whose indent every line has";

impl Parser<'_> {
    /// `"…"` or `"""…"""` at `self.i`.
    pub(super) fn quoted_string(&mut self) -> Scalar {
        let start = self.i;
        if self.b[start..].starts_with(b"\"\"\"") {
            return self.multi_line_quoted(start);
        }
        self.i += 1;
        let mut out = String::new();
        let mut ok = true;
        loop {
            // copy the run of plain text at once
            let run = self.i;
            while let Some(&c) = self.b.get(self.i) {
                if c == b'"' || c == b'\\' || !(0x20..0x7F).contains(&c) {
                    break;
                }
                self.i += 1;
            }
            out.push_str(&self.text[run..self.i]);
            let Some(c) = self.peek() else {
                self.unclosed(start, "\"");
                return Scalar::Bad;
            };
            match c {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\\' => ok &= self.escape(&mut out),
                _ => {
                    if newline(self.b, self.i) > 0 {
                        self.error(
                            start,
                            self.i,
                            "a quoted string on one line is not closed".into(),
                            "not closed before the end of the line",
                            "close it with `\"`; for text over several lines write a multi-line string: `\"\"\"` at the end of the line, the text, then `\"\"\"` on its own line",
                        );
                        return Scalar::Bad;
                    }
                    ok &= self.literal_char(&mut out);
                }
            }
        }
        if ok {
            Scalar::String(out)
        } else {
            Scalar::Bad
        }
    }

    /// The character at `self.i` appended as written; false after reporting a forbidden one.
    fn literal_char(&mut self, out: &mut String) -> bool {
        let bad = self.forbidden_at(self.i);
        if bad > 0 {
            self.i += bad;
            return false;
        }
        let n = self.char_len(self.i);
        out.push_str(&self.text[self.i..self.i + n]);
        self.i += n;
        true
    }

    fn unclosed(&mut self, start: usize, quote: &str) {
        self.error(
            start,
            start + quote.len(),
            "this string is not closed".into(),
            "opened here",
            &format!("close it with `{quote}`"),
        );
        self.i = self.b.len();
    }

    /// One escape at `self.i` (a `\`), appended to `out`; whitespace escapes (`\` and spaces
    /// or newlines) append nothing. Returns false after reporting a bad escape.
    fn escape(&mut self, out: &mut String) -> bool {
        let at = self.i;
        self.i += 1;
        let c = self.peek();
        let plain = match c {
            Some(b'n') => '\n',
            Some(b't') => '\t',
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'r') => '\r',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{C}',
            Some(b's') => ' ',
            Some(b'u') if self.peek_at(1) == Some(b'{') => return self.unicode_escape(at, out),
            _ => {
                let ws = space(self.b, self.i) + newline(self.b, self.i);
                if ws > 0 {
                    while space(self.b, self.i) + newline(self.b, self.i) > 0 {
                        self.i += space(self.b, self.i) + newline(self.b, self.i);
                    }
                    return true;
                }
                let n = if self.i < self.b.len() {
                    self.char_len(self.i)
                } else {
                    0
                };
                self.error(
                    at,
                    self.i + n,
                    format!("`{}` is not a KDL escape", &self.text[at..self.i + n]),
                    "unknown escape",
                    "the escapes are \\n \\t \\r \\\" \\\\ \\b \\f \\s and \\u{…}; for a backslash write \\\\ or use a raw string: #\"C:\\dir\"#",
                );
                self.i += n;
                return false;
            }
        };
        self.i += 1;
        out.push(plain);
        true
    }

    /// `\u{` 1 to 6 hex digits `}`, a Unicode scalar value.
    fn unicode_escape(&mut self, at: usize, out: &mut String) -> bool {
        self.i += 2;
        let digits = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
            self.i += 1;
        }
        let hex = &self.text[digits..self.i];
        let closed = self.peek() == Some(b'}');
        if closed {
            self.i += 1;
        }
        let c = (closed && (1..=6).contains(&hex.len()))
            .then(|| u32::from_str_radix(hex, 16).ok().and_then(char::from_u32))
            .flatten();
        match c {
            Some(c) => {
                out.push(c);
                true
            }
            None => {
                self.error(
                    at,
                    self.i,
                    format!("`{}` is not a valid unicode escape", &self.text[at..self.i]),
                    "bad escape",
                    "write 1 to 6 hex digits of a Unicode scalar value in braces, like \\u{e9} or \\u{1F600}",
                );
                false
            }
        }
    }

    /// `"""` newline lines `"""`.
    fn multi_line_quoted(&mut self, start: usize) -> Scalar {
        let open_end = start + 3;
        let nl = newline(self.b, open_end);
        if nl == 0 {
            return self.multi_line_not_at_end(start, b"\"\"\"", 3);
        }
        let body = open_end + nl;
        // find the closing quotes: a `\` hides the character after it
        let mut k = body;
        let close = loop {
            match self.b.get(k) {
                None => {
                    self.unclosed(start, "\"\"\"");
                    return Scalar::Bad;
                }
                Some(b'\\') => {
                    k += 1 + if k + 1 < self.b.len() {
                        self.char_len(k + 1)
                    } else {
                        0
                    }
                }
                Some(b'"') if self.b[k..].starts_with(b"\"\"\"") => break k,
                Some(_) => k += 1,
            }
        };
        self.i = close + 3;
        // logical lines: a newline inside a whitespace escape does not end one
        let mut lines = Vec::new();
        let mut line = body;
        let mut k = body;
        while k < close {
            if self.b[k] == b'\\' {
                let next = k + 1;
                if space(self.b, next) + newline(self.b, next) > 0 {
                    k = next;
                    while k < close && space(self.b, k) + newline(self.b, k) > 0 {
                        k += space(self.b, k) + newline(self.b, k);
                    }
                } else {
                    k = next + if next < close { self.char_len(next) } else { 0 };
                }
                continue;
            }
            let nl = newline(self.b, k);
            if nl > 0 {
                lines.push((line, k));
                k += nl;
                line = k;
            } else {
                k += 1;
            }
        }
        // the last line: whitespace and whitespace escapes only; its spaces are the indent
        let mut prefix = String::new();
        let mut k = line;
        while k < close {
            let sp = space(self.b, k);
            if sp > 0 {
                prefix.push_str(&self.text[k..k + sp]);
                k += sp;
            } else if self.b[k] == b'\\' && space(self.b, k + 1) + newline(self.b, k + 1) > 0 {
                k += 1;
                while k < close && space(self.b, k) + newline(self.b, k) > 0 {
                    k += space(self.b, k) + newline(self.b, k);
                }
            } else {
                self.error(
                    k,
                    close + 3,
                    "the closing `\"\"\"` of a multi-line string must be alone on its line".into(),
                    "text before the closing quotes",
                    MULTI_HELP,
                );
                return Scalar::Bad;
            }
        }
        let mut out = String::new();
        let mut ok = true;
        for (n, &(from, to)) in lines.iter().enumerate() {
            if n > 0 {
                out.push('\n');
            }
            if self.blank(from, to) {
                continue;
            }
            if !self.b[from..to].starts_with(prefix.as_bytes()) {
                self.bad_indent(from, to, &prefix);
                ok = false;
                continue;
            }
            let end = self.i;
            self.i = from + prefix.len();
            while self.i < to {
                let run = self.i;
                while self.i < to
                    && !matches!(self.b[self.i], b'\\')
                    && !chars::maybe_forbidden(self.b[self.i])
                {
                    self.i += 1;
                }
                out.push_str(&self.text[run..self.i]);
                if self.i >= to {
                    break;
                }
                if self.b[self.i] == b'\\' {
                    ok &= self.escape(&mut out);
                    continue;
                }
                ok &= self.literal_char(&mut out);
            }
            self.i = end;
        }
        if ok {
            Scalar::String(out)
        } else {
            Scalar::Bad
        }
    }

    /// Whether `from..to` holds only whitespace (and whitespace escapes).
    fn blank(&self, from: usize, to: usize) -> bool {
        let mut k = from;
        while k < to {
            let sp = space(self.b, k) + newline(self.b, k);
            if sp > 0 {
                k += sp;
            } else if self.b[k] == b'\\'
                && k + 1 < to
                && space(self.b, k + 1) + newline(self.b, k + 1) > 0
            {
                k += 1;
            } else {
                return false;
            }
        }
        true
    }

    fn bad_indent(&mut self, from: usize, to: usize, prefix: &str) {
        let have = from
            + self.b[from..to]
                .iter()
                .zip(prefix.as_bytes())
                .take_while(|(a, b)| a == b)
                .count();
        let mut end = have;
        while end < to && space(self.b, end) > 0 {
            end += space(self.b, end);
        }
        self.error(
            from,
            end.max(have + 1).min(to),
            "this line of a multi-line string is not indented like its closing `\"\"\"`".into(),
            "indent differs",
            "every line of a multi-line string starts with the same whitespace as the line of its closing `\"\"\"` (the same characters, tabs and spaces alike)",
        );
    }

    /// `"""` not at the end of its line: reported, and the string skipped to its close.
    fn multi_line_not_at_end(&mut self, start: usize, close: &[u8], open_len: usize) -> Scalar {
        let from = start + open_len;
        let end = memchr::memmem::find(&self.b[from..], close)
            .map_or(self.b.len(), |p| from + p + close.len());
        self.error(
            start,
            start + open_len,
            "a multi-line string must start on a new line after `\"\"\"`".into(),
            "text after the opening quotes",
            "put the text on the next lines, or for one line use single quotes: \"text\"",
        );
        self.i = end;
        self.skip_value();
        Scalar::Bad
    }

    /// `#…#"…"#…#` or `#…#"""…"""#…#` at `self.i`.
    pub(super) fn raw_string(&mut self) -> Scalar {
        let start = self.i;
        let hashes = self.b[start..].iter().take_while(|b| **b == b'#').count();
        let open = start + hashes;
        if self.b.get(open) != Some(&b'"') {
            // `##` then no quote
            self.i = open;
            self.skip_value();
            self.error(
                start,
                self.i,
                format!("`{}` is neither a raw string nor a keyword", &self.text[start..self.i]),
                "unexpected `#`",
                "a raw string is written #\"text\"#; keywords are #true, #false, #null, #inf, #-inf and #nan",
            );
            return Scalar::Bad;
        }
        let fence = "#".repeat(hashes);
        if self.b[open..].starts_with(b"\"\"\"") && newline(self.b, open + 3) > 0 {
            return self.multi_line_raw(start, open, &fence);
        }
        let close: Vec<u8> = [b"\"".as_slice(), fence.as_bytes()].concat();
        let body = open + 1;
        let mut k = body;
        let end = loop {
            if k >= self.b.len() {
                self.unclosed(start, &format!("\"{fence}"));
                return Scalar::Bad;
            }
            if self.b[k] == b'"' && self.b[k..].starts_with(&close) {
                break k;
            }
            if newline(self.b, k) > 0 {
                self.error(
                    start,
                    k,
                    "a raw string on one line is not closed".into(),
                    "not closed before the end of the line",
                    &format!("close it with `\"{fence}`; for text over several lines write `{fence}\"\"\"` at the end of the line, the text, then `\"\"\"{fence}` on its own line"),
                );
                self.i = k;
                return Scalar::Bad;
            }
            let bad = self.forbidden_at(k);
            k += if bad > 0 { bad } else { 1 };
        };
        self.i = end + close.len();
        let text = &self.text[body..end];
        if text == "\"" || text.starts_with("\"\"") {
            self.error(
                start,
                self.i,
                "a raw string on one line cannot start with two quotes".into(),
                "looks like a multi-line string",
                &format!("a multi-line raw string starts with `{fence}\"\"\"` at the end of its line; for a quote in text write `\"\\\"\"`"),
            );
            return Scalar::Bad;
        }
        if self.errors_in(body, end) {
            return Scalar::Bad;
        }
        Scalar::String(text.to_string())
    }

    /// Whether `from..to` holds a forbidden code point (already reported while scanning).
    fn errors_in(&self, from: usize, to: usize) -> bool {
        self.text[from..to]
            .chars()
            .any(|c| chars::forbidden(c).is_some())
    }

    fn multi_line_raw(&mut self, start: usize, open: usize, fence: &str) -> Scalar {
        let body = open + 3 + newline(self.b, open + 3);
        let close: Vec<u8> = [b"\"\"\"".as_slice(), fence.as_bytes()].concat();
        let Some(at) = memchr::memmem::find(&self.b[body..], &close) else {
            self.unclosed(start, &format!("\"\"\"{fence}"));
            return Scalar::Bad;
        };
        let end = body + at;
        self.i = end + close.len();
        let mut lines = Vec::new();
        let mut line = body;
        let mut k = body;
        let mut ok = true;
        while k < end {
            let nl = newline(self.b, k);
            if nl > 0 {
                lines.push((line, k));
                k += nl;
                line = k;
            } else {
                let bad = self.forbidden_at(k);
                ok &= bad == 0;
                k += bad.max(1);
            }
        }
        let prefix = &self.text[line..end];
        let mut k = line;
        while k < end {
            let sp = space(self.b, k);
            if sp == 0 {
                self.error(
                    k,
                    self.i,
                    "the closing `\"\"\"` of a multi-line string must be alone on its line".into(),
                    "text before the closing quotes",
                    MULTI_HELP,
                );
                return Scalar::Bad;
            }
            k += sp;
        }
        let mut out = String::new();
        for (n, &(from, to)) in lines.iter().enumerate() {
            if n > 0 {
                out.push('\n');
            }
            if (from..to).all(|j| {
                !self.text.is_char_boundary(j) || space(self.b, j) > 0 || self.b[j] >= 0x80
            }) && self.text[from..to].chars().all(|c| {
                let mut buf = [0; 4];
                space(c.encode_utf8(&mut buf).as_bytes(), 0) > 0
            }) {
                continue;
            }
            match self.text[from..to].strip_prefix(prefix) {
                Some(rest) => out.push_str(rest),
                None => {
                    self.bad_indent(from, to, prefix);
                    ok = false;
                }
            }
        }
        if ok {
            Scalar::String(out)
        } else {
            Scalar::Bad
        }
    }
}
