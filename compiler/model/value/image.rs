use std::fmt;

/// A container image reference: `[registry[:port]/]path[:tag][@sha256:digest]`, with a tag or a
/// digest (an image without either would float to whatever `latest` is on the day it is pulled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    text: String,
    tag: Option<String>,
    digest: Option<String>,
}

fn is_path_component(part: &str) -> bool {
    // lowercase alphanumerics separated by one `.`, `_`, `__` or any number of `-`
    let bytes = part.as_bytes();
    !part.is_empty()
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && part.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
        && !part.contains("..")
        && !part.contains("___")
}

fn is_registry(part: &str) -> bool {
    part.contains('.') || part.contains(':') || part == "localhost"
}

impl ImageRef {
    pub fn parse(text: &str) -> Result<Self, String> {
        let (rest, digest) = match text.split_once('@') {
            Some((rest, digest)) => {
                let hex = digest
                    .strip_prefix("sha256:")
                    .ok_or("a digest starts with `sha256:`")?;
                if hex.len() != 64 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
                    return Err("a sha256 digest is 64 lowercase hex digits".into());
                }
                (rest, Some(digest.to_string()))
            }
            None => (text, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rsplit_once(':') {
            Some((_, tag)) => (&rest[..rest.len() - tag.len() - 1], Some(tag.to_string())),
            None => (rest, None),
        };
        if let Some(tag) = &tag {
            let ok = tag.len() <= 128
                && tag.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                && tag
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
            if !ok {
                return Err(format!("`{tag}` is not a valid tag"));
            }
        }
        let mut parts: Vec<&str> = name.split('/').collect();
        if parts.len() > 1 && is_registry(parts[0]) {
            parts.remove(0);
        }
        if let Some(bad) = parts.iter().find(|p| !is_path_component(p)) {
            return Err(format!(
                "`{bad}` is not a valid image path part (lowercase letters, digits, `.`, `_`, `-`)"
            ));
        }
        if tag.is_none() && digest.is_none() {
            return Err(
                "give a tag (`:2.7.0`) or a digest (`@sha256:…`) so that the image is pinned"
                    .into(),
            );
        }
        Ok(ImageRef {
            text: text.to_string(),
            tag,
            digest,
        })
    }

    /// The registry host the reference names (`ghcr.io`, `localhost:5000`), or `None` for
    /// Docker Hub's short form (`mysql:8.0`).
    pub fn registry(&self) -> Option<&str> {
        let name = self.text.split('@').next().unwrap_or_default();
        let (first, rest) = name.split_once('/')?;
        (!rest.is_empty() && is_registry(first)).then_some(first)
    }

    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn placeholder() -> Self {
        ImageRef {
            text: String::new(),
            tag: None,
            digest: None,
        }
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::ImageRef;

    #[test]
    fn accepts_common_references() {
        for ok in [
            "ghcr.io/example/blog-was:2.7.0",
            "mysql:8.0",
            "localhost:5000/app:1",
            "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "registry.k8s.io/pause:3.10",
        ] {
            assert!(ImageRef::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(ImageRef::parse("mysql:8.0").unwrap().tag(), Some("8.0"));
    }

    #[test]
    fn rejects_unpinned_and_malformed_references() {
        assert!(ImageRef::parse("nginx").unwrap_err().contains("pinned"));
        assert!(ImageRef::parse("Ghcr.io/x:1").is_ok()); // registries may have capitals
        assert!(ImageRef::parse("ghcr.io/Example/x:1").is_err());
        assert!(ImageRef::parse("x:bad tag").is_err());
        assert!(ImageRef::parse("x@sha256:abc").is_err());
    }
}
