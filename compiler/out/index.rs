//! `out/index.sha256`: the record of which files labc wrote. It is in `sha256sum` format so
//! people can verify `out/` with `sha256sum -c index.sha256`, and it is what lets labc
//! remove its own stale files while never touching anyone else's.

use std::collections::BTreeMap;
use std::fmt;

use sha2::{Digest, Sha256};

use super::par;
use super::paths;

/// The index text for `files`: one `<64 lowercase hex>  <path>\n` line per file, sorted by
/// path (the map's order). The index does not list itself.
pub fn index_text(files: &BTreeMap<String, Vec<u8>>) -> String {
    render(files, &hashes(files))
}

/// SHA-256 of every file, in map order. Hashing 2 MB is a visible share of a no-op build,
/// so it is spread over threads like the disk work.
pub(super) fn hashes(files: &BTreeMap<String, Vec<u8>>) -> Vec<[u8; 32]> {
    let contents: Vec<&[u8]> = files.values().map(Vec::as_slice).collect();
    par::map(&contents, |bytes| Sha256::digest(bytes).into())
}

pub(super) fn render(files: &BTreeMap<String, Vec<u8>>, hashes: &[[u8; 32]]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let len: usize = files.keys().map(|p| 64 + 2 + p.len() + 1).sum();
    let mut text = String::with_capacity(len);
    for (path, hash) in files.keys().zip(hashes) {
        for byte in hash {
            text.push(HEX[usize::from(byte >> 4)] as char);
            text.push(HEX[usize::from(byte & 0xf)] as char);
        }
        text.push_str("  ");
        text.push_str(path);
        text.push('\n');
    }
    text
}

/// A malformed line in an existing index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseIndexError {
    /// 1-based.
    pub line: usize,
    pub reason: &'static str,
}

impl fmt::Display for ParseIndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ParseIndexError {}

/// Parses an index written by `index_text`: path -> SHA-256. Strict, because the paths
/// decide what labc deletes: each path must pass the same validation as a produced path,
/// so a tampered index cannot point labc outside `out/`. A missing final newline is
/// tolerated (harmless, and easy to lose when hand-editing).
pub fn parse_index(text: &str) -> Result<BTreeMap<String, [u8; 32]>, ParseIndexError> {
    let mut entries = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let err = |reason| ParseIndexError {
            line: i + 1,
            reason,
        };
        let (hex, path) = match (line.get(..64), line.get(64..66), line.get(66..)) {
            (Some(hex), Some("  "), Some(path)) => (hex, path),
            _ => return Err(err("expected `<64 hex digits>  <path>`")),
        };
        let hash = parse_hex(hex).ok_or(err("the hash is not 64 lowercase hex digits"))?;
        paths::validate(path).map_err(|_| err("the path is not a valid labc output path"))?;
        if entries.insert(path.to_owned(), hash).is_some() {
            return Err(err("the path is listed twice"));
        }
    }
    Ok(entries)
}

fn parse_hex(hex: &str) -> Option<[u8; 32]> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
        *byte = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}
