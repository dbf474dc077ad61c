//! Reading the site file with a bound known before the first byte: a wrong path (a disk image,
//! `/dev/zero`, a pipe that never ends) must fail at once instead of filling memory.

use crate::diag::{Error, Located, SourceFile};
use crate::syntax::MAX_SIZE;
use miette::SourceSpan;
use std::io::Read;
use std::path::Path;

/// What reading a site gave: its bytes, or the diagnostic for a file over [`MAX_SIZE`].
pub enum Site {
    Bytes(Vec<u8>),
    TooLarge(Box<Located>),
}

/// Reads `path`, refusing a regular file whose metadata says it is over
/// [`MAX_SIZE`] without reading it, and reading anything else (devices, pipes, stdin, whose
/// metadata says nothing of their length) at most one byte past the limit.
pub fn read_site(path: &Path) -> std::io::Result<Site> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let name = path.display().to_string();
    if meta.is_file() && meta.len() > MAX_SIZE as u64 {
        let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
        return Ok(too_large(&name, size, MAX_SIZE));
    }
    // a regular file's length is known: one read fills the buffer, a second sees the end
    let hint = if meta.is_file() {
        meta.len() as usize + 1
    } else {
        0
    };
    let site = read_limited(&name, file, MAX_SIZE, hint)?;
    if let Site::Bytes(bytes) = &site {
        // every command reads its site here first: the allocator is fitted to its size
        crate::alloc::fit(bytes.len());
    }
    Ok(site)
}

fn read_limited(name: &str, reader: impl Read, limit: usize, hint: usize) -> std::io::Result<Site> {
    let mut bytes = Vec::with_capacity(hint);
    reader.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Ok(too_large(name, bytes.len(), limit));
    }
    Ok(Site::Bytes(bytes))
}

/// `size` is what the metadata says, or for a stream the bytes read, one past the limit: the
/// message says "at least", which is true of both.
fn too_large(name: &str, size: usize, limit: usize) -> Site {
    Site::TooLarge(Box::new(Located::new(
        &SourceFile::new(name, ""),
        Error::TooLarge {
            size,
            limit,
            span: SourceSpan::from((0, 0)),
        },
    )))
}

#[cfg(test)]
mod tests {
    use super::{read_limited, read_site, Site};
    use std::path::Path;

    fn code(site: Site) -> Option<String> {
        match site {
            Site::Bytes(_) => None,
            Site::TooLarge(located) => Some(located.error.code_str()),
        }
    }

    /// `/dev/zero` has no end and says nothing of its length: the read stops past the limit.
    #[test]
    #[cfg(unix)]
    fn an_endless_device_is_refused_after_the_limit() {
        let site = read_site(Path::new("/dev/zero")).expect("/dev/zero opens");
        assert_eq!(code(site).as_deref(), Some("labc::syntax::too_large"));
    }

    /// A pipe is read up to one byte past the limit, and no further.
    #[test]
    fn a_stream_is_read_one_byte_past_the_limit() {
        struct Endless(usize);
        impl std::io::Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.0 += buf.len();
                buf.fill(b'a');
                Ok(buf.len())
            }
        }
        let mut endless = Endless(0);
        let site = read_limited("-", &mut endless, 1000, 0).unwrap();
        assert_eq!(code(site).as_deref(), Some("labc::syntax::too_large"));
        assert!(endless.0 < 1000 + 64 * 1024, "read {} bytes", endless.0);
        let exact = read_limited("-", &b"node a"[..], 6, 0).unwrap();
        assert!(matches!(exact, Site::Bytes(b) if b == b"node a"));
    }

    /// A regular file over the limit is refused on its metadata: a sparse file of 1 GiB would
    /// take seconds and a gigabyte to read.
    #[test]
    fn a_large_file_is_refused_before_reading() {
        let dir = std::env::temp_dir().join(format!("labc-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("huge.kdl");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(1 << 30).unwrap();
        let started = std::time::Instant::now();
        let site = read_site(&path).unwrap();
        assert_eq!(code(site).as_deref(), Some("labc::syntax::too_large"));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
