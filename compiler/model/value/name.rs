use std::fmt;

/// A Kubernetes object name in DNS-1123 label form: lowercase letters, digits and `-`, starting
/// and ending with a letter or digit, at most 63 characters. Names become file names in `out/`,
/// so this form is also what keeps every path inside `out/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Name(String);

impl Name {
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("a name cannot be empty".into());
        }
        if text.len() > 63 {
            return Err(format!(
                "a name has at most 63 characters, this one has {}",
                text.len()
            ));
        }
        if let Some(c) = text
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(format!(
                "`{c}` is not allowed; use lowercase letters, digits and `-`"
            ));
        }
        if text.starts_with('-') || text.ends_with('-') {
            return Err("a name starts and ends with a letter or digit".into());
        }
        Ok(Name(text.to_string()))
    }

    /// A name the checker never sees from a user, used where a broken declaration still needs a
    /// value so checking can go on.
    pub fn placeholder() -> Self {
        Name(String::new())
    }

    /// Whether the text would leave its folder if used as a path component.
    pub fn escapes_folder(text: &str) -> bool {
        text.contains('/') || text.contains('\\') || text == ".." || text.starts_with("../")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A DNS host name (a DNS-1123 subdomain), optionally with a leading `*.` wildcard.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Host(String);

impl Host {
    pub fn parse(text: &str) -> Result<Self, String> {
        let bare = text.strip_prefix("*.").unwrap_or(text);
        if bare.is_empty() || text.len() > 253 {
            return Err("a host name has 1 to 253 characters".into());
        }
        for label in bare.split('.') {
            if label.is_empty() || label.len() > 63 {
                return Err("each dot-separated part has 1 to 63 characters".into());
            }
            if !label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                || label.starts_with('-')
                || label.ends_with('-')
            {
                return Err(format!(
                    "`{label}` is not a DNS label (lowercase letters, digits and inner `-`)"
                ));
            }
        }
        Ok(Host(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An HTTP path prefix such as `/api`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HttpPath(String);

impl HttpPath {
    pub fn parse(text: &str) -> Result<Self, String> {
        if !text.starts_with('/') {
            return Err("a path starts with `/`".into());
        }
        if let Some(c) = text
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#'))
        {
            return Err(format!("{c:?} is not allowed in a route path"));
        }
        Ok(HttpPath(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Why a route could not match on this path as written, after the Gateway API's rules for
    /// `HTTPPathMatch`: proxies collapse `//`, resolve `.` and `..` segments and decode `%2F`,
    /// each in its own way, so such a route matches other requests than the ones meant.
    pub fn unsafe_for_route(&self) -> Option<&'static str> {
        let path = self.0.as_str();
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        if path.contains("//") {
            Some("has an empty segment (`//`)")
        } else if segments.contains(&"..") {
            Some("has a `..` segment")
        } else if segments.contains(&".") {
            Some("has a `.` segment")
        } else if path.to_ascii_lowercase().contains("%2f") {
            Some("has a percent-encoded `/` (`%2F`)")
        } else if path.contains('\\') {
            Some("has a backslash")
        } else {
            None
        }
    }
}

impl fmt::Display for HttpPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `key` is a valid Kubernetes label or annotation key: an optional DNS subdomain
/// prefix and `/`, then a name of at most 63 characters.
pub fn is_label_key(key: &str) -> bool {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    prefix.is_none_or(|p| Host::parse(p).is_ok()) && is_label_value(name) && !name.is_empty()
}

/// Whether `value` is a valid label value: empty, or up to 63 alphanumerics with inner `-_.`.
pub fn is_label_value(value: &str) -> bool {
    let inner_ok = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let edges_ok = value.is_empty()
        || (value.starts_with(|c: char| c.is_ascii_alphanumeric())
            && value.ends_with(|c: char| c.is_ascii_alphanumeric()));
    value.len() <= 63 && inner_ok && edges_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_dns_1123_labels() {
        assert!(Name::parse("blog-was").is_ok());
        assert!(Name::parse("Blog").unwrap_err().contains("`B`"));
        assert!(Name::parse("-a").is_err());
        assert!(Name::parse(&"a".repeat(64)).is_err());
        assert!(Name::parse("../etc").is_err());
        assert!(Name::escapes_folder("../etc"));
        assert!(!Name::escapes_folder("etc"));
    }

    #[test]
    fn hosts_allow_a_leading_wildcard() {
        assert!(Host::parse("api.example.dev").is_ok());
        assert!(Host::parse("*.example.dev").is_ok());
        assert!(Host::parse("api..dev").is_err());
        assert!(Host::parse("API.dev").is_err());
    }

    #[test]
    fn label_keys_and_values() {
        assert!(is_label_key("topology.kubernetes.io/zone"));
        assert!(is_label_key("tier"));
        assert!(!is_label_key("bad key"));
        assert!(!is_label_key("/x"));
        assert!(is_label_value(""));
        assert!(!is_label_value("-x"));
    }

    #[test]
    fn paths_start_with_a_slash() {
        assert!(HttpPath::parse("/api").is_ok());
        assert!(HttpPath::parse("api").is_err());
        assert!(HttpPath::parse("/a b").is_err());
        let unsafe_ = |p: &str| HttpPath::parse(p).unwrap().unsafe_for_route();
        for bad in [
            "/api/../admin",
            "//api",
            "/api/",
            "/./x",
            "/a/..",
            "/a%2Fb",
            "/a\\b",
        ] {
            if bad == "/api/" {
                assert!(unsafe_(bad).is_none(), "{bad}");
            } else {
                assert!(unsafe_(bad).is_some(), "{bad}");
            }
        }
        for ok in ["/", "/api", "/api/v1/", "/a..b", "/.well-known/acme"] {
            assert!(unsafe_(ok).is_none(), "{ok}");
        }
    }
}
