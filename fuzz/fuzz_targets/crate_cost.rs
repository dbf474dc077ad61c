//! Which inputs the `kdl` crate 6.7.1 parses in bounded time and stack, decided by a cheap scan
//! of the bytes before the crate sees them (docs/hardening.md, "`kdl_differential`: what is compared, and what is not").
//!
//! The crate's parser (winnow, with backtracking) parses a slashdashed item twice in two
//! places: a slashdashed children block that no plain block follows is read once by the attempt
//! `before_node_children node_children`, which fails, and again by the fallback
//! `before_node_children` (`base_node` in `v2_parser.rs`); and a slashdashed node that ends a
//! list of nodes is read once as the leading space of a next node that is not there, and again
//! as the list's trailing space (`nodes`). Nested, each such level doubles the work, and every
//! error recorded inside is recorded again: `a /-{` repeated 20 times takes about 20 s, and
//! 1.5 KB reached 2 GB (kdl-org/kdl-rs#177, open). labc reads each byte once.
//!
//! The scan gives every byte the weight 2^s - 1, where s is the number of slashdashes in the
//! nodes whose blocks enclose it (counted from the slashdash to the end of its node, across line
//! continuations and the space after a slashdash), and sums them: an estimate of how many bytes
//! the crate parses beyond one pass over the input. It is run twice, once skipping strings and
//! comments as KDL does and once on the raw bytes, and the larger sum is taken, so that a `}` in
//! a string or a comment that the crate reads differently cannot hide a level from both.

/// The estimated extra work above which the crate is not run: as many bytes again as the
/// largest input CI fuzzes (`-max_len=16384`). At the bound, on the fastest-growing shape
/// (`a /-{` nested 11 deep), the crate takes 0.09 s of CPU in the fuzz build; any document
/// whose blocks no slashdash encloses is within it, whatever its size.
pub const MAX_EXTRA_WORK: u64 = 1 << 14;

/// Blocks the crate may nest: its parser recurses per block and overflows the fuzzer's 8 MB
/// main stack between 1,000 and 2,000 levels. labc refuses more than 32, and the target skips
/// those inputs first; this bounds the crate whatever it makes of braces in strings.
pub const MAX_OPEN_BRACES: usize = 256;

/// `}` that close no block: the crate's `document` calls itself again after each one it meets
/// at the top level, and overflows the stack between 8,000 and 16,000 of them.
pub const MAX_CLOSE_BRACES: usize = 1024;

/// The estimated extra work of the crate on `text` (see the module comment).
pub fn extra_work(text: &str) -> u64 {
    scan(text.as_bytes(), true).max(scan(text.as_bytes(), false))
}

/// Whether the crate can be run on `text` without running away (time, memory or stack).
pub fn crate_can_parse(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().filter(|c| **c == b'{').count() <= MAX_OPEN_BRACES
        && b.iter().filter(|c| **c == b'}').count() <= MAX_CLOSE_BRACES
        && extra_work(text) <= MAX_EXTRA_WORK
}

struct Level {
    /// Slashdashes in the nodes whose blocks enclose this level.
    weight: u32,
    /// Slashdashes seen in the current node of this level.
    pending: u32,
    /// A slashdash waits for what it comments out (newlines do not end the node meanwhile).
    open: bool,
    /// A `\` continues the node on the next line.
    escline: bool,
}

impl Level {
    fn new(weight: u32) -> Self {
        Level {
            weight,
            pending: 0,
            open: false,
            escline: false,
        }
    }
}

/// The length of the newline at `i` (CR, LF, CRLF, VT, FF, NEL, LS, PS), or 0.
fn newline(b: &[u8], i: usize) -> usize {
    match b[i..] {
        [b'\r', b'\n', ..] => 2,
        [b'\r' | b'\n' | 0x0B | 0x0C, ..] => 1,
        [0xC2, 0x85, ..] => 2,
        [0xE2, 0x80, 0xA8 | 0xA9, ..] => 3,
        _ => 0,
    }
}

/// The end of the string or comment starting at `i`, if one does (`lexed` scans only).
fn skip_literal(b: &[u8], i: usize) -> Option<usize> {
    let rest = &b[i..];
    let find = |from: usize, close: &[u8], escapes: bool| {
        let mut j = from;
        while j < b.len() {
            if escapes && b[j] == b'\\' {
                j += 2;
            } else if b[j..].starts_with(close) {
                return j + close.len();
            } else {
                j += 1;
            }
        }
        b.len()
    };
    if rest.starts_with(b"\"\"\"") {
        Some(find(i + 3, b"\"\"\"", true))
    } else if rest.starts_with(b"\"") {
        Some(find(i + 1, b"\"", true))
    } else if rest.starts_with(b"#") {
        let hashes = rest.iter().take_while(|c| **c == b'#').count();
        let after = &rest[hashes..];
        let quotes = if after.starts_with(b"\"\"\"") {
            3
        } else if after.starts_with(b"\"") {
            1
        } else {
            return None;
        };
        let mut close = vec![b'"'; quotes];
        close.extend(std::iter::repeat_n(b'#', hashes));
        Some(find(i + hashes + quotes, &close, false))
    } else if rest.starts_with(b"//") {
        // up to the newline, which ends the node like any other
        let mut j = i + 2;
        while j < b.len() && newline(b, j) == 0 {
            j += 1;
        }
        Some(j)
    } else if rest.starts_with(b"/*") {
        let (mut j, mut depth) = (i + 2, 1);
        while j < b.len() && depth > 0 {
            if b[j..].starts_with(b"/*") {
                depth += 1;
                j += 2;
            } else if b[j..].starts_with(b"*/") {
                depth -= 1;
                j += 2;
            } else {
                j += 1;
            }
        }
        Some(j)
    } else {
        None
    }
}

/// Σ (2^weight - 1) over the bytes of `b`; `lexed` skips strings and comments as KDL does.
fn scan(b: &[u8], lexed: bool) -> u64 {
    let mut levels = vec![Level::new(0)];
    let mut work: u64 = 0;
    let mut i = 0;
    let cost = |weight: u32| 1u64.checked_shl(weight).map_or(u64::MAX, |w| w - 1);
    while i < b.len() {
        let top = levels
            .last_mut()
            .expect("the document level is never closed");
        let weight = top.weight + top.pending;
        if lexed {
            if let Some(end) = skip_literal(b, i) {
                let end = end.min(b.len());
                let n = (end - i) as u64;
                work = work.saturating_add(cost(weight).saturating_mul(n));
                // a string is what a slashdash comments out; a comment is space
                if !matches!(b[i], b'/') {
                    top.open = false;
                    top.escline = false;
                }
                i = end;
                continue;
            }
        }
        work = work.saturating_add(cost(weight));
        let nl = newline(b, i);
        if nl > 0 {
            if top.escline {
                top.escline = false;
            } else if !top.open {
                top.pending = 0;
            }
            i += nl;
            continue;
        }
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'-') => {
                top.pending += 1;
                top.open = true;
                i += 2;
                continue;
            }
            b'\\' => top.escline = true,
            b';' => {
                top.pending = 0;
                top.open = false;
                top.escline = false;
            }
            b'{' => {
                top.open = false;
                top.escline = false;
                levels.push(Level::new(weight));
            }
            b'}' => {
                if levels.len() > 1 {
                    levels.pop();
                }
            }
            // spaces, and any non-ASCII byte (a wide space or part of a name: either way the
            // node goes on, and over-counting only skips more)
            b' ' | b'\t' | 0x80.. => {}
            _ => {
                top.open = false;
                top.escline = false;
            }
        }
        i += 1;
    }
    work
}
