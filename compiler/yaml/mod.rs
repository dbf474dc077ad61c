//! A streaming YAML writer for the manifests labc emits.
//!
//! The output is read by people in pull-request diffs and by go-yaml (v2 and
//! v3, through kubectl and Argo CD) and serde_yaml, so it sticks to one
//! conventional block style and quotes every scalar that any of those YAML 1.1
//! or 1.2 readers could take for something other than a string.
//!
//! Values go straight from `serde::Serialize` into the caller's buffer: there
//! is no intermediate tree and no allocation per scalar, and strings are
//! classified by scanning their bytes a word at a time. Writing a Deployment
//! with two containers (~2 KB of YAML) takes a few microseconds, most of it
//! walking the object; serde_yaml takes over 20. See the ignored
//! `bench_4000_deployments` test.

mod compound;
mod emitter;
mod key;
mod scalar;
mod style;
mod value;

#[cfg(test)]
mod tests;

use std::fmt;

/// Why a value could not be written as YAML.
#[derive(Debug)]
pub struct Error(String);

impl Error {
    fn new(msg: impl Into<String>) -> Self {
        Error(msg.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Appends one YAML document (no leading `---`) for `value` to `out`, ending in "\n".
///
/// On error `out` is left as it was, so a failed document never leaves half
/// a manifest behind.
pub fn write<T: serde::Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    let base = out.len();
    let mut emitter = emitter::Emitter::new(std::mem::take(out));
    let result = value.serialize(value::ValueSer::root(&mut emitter));
    *out = emitter.finish();
    if result.is_err() {
        out.truncate(base);
    }
    result
}

/// The YAML document for `value` as a `String`; see [`write`].
pub fn to_string<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = Vec::with_capacity(512);
    write(value, &mut out)?;
    // Only whole `str`s and ASCII are ever written, so this cannot fail; map
    // rather than unwrap so a future bug surfaces as an error, not a panic.
    String::from_utf8(out)
        .map_err(|e| Error::new(format!("yaml writer produced invalid UTF-8: {e}")))
}
