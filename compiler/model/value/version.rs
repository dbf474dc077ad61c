use std::fmt;

/// A dotted release number such as `1.31.13`, `2.1.5` or `8.0` (a leading `v` is not part of
/// the language: versions are written as packages and charts name them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    parts: Vec<u32>,
}

impl Version {
    pub fn parse(text: &str) -> Result<Self, String> {
        if let Some(rest) = text.strip_prefix('v') {
            return Err(format!("write `{rest}` without the leading `v`"));
        }
        let parts: Result<Vec<u32>, _> = text.split('.').map(str::parse::<u32>).collect();
        match parts {
            Ok(parts) if (1..=3).contains(&parts.len()) && !text.contains('+') => {
                Ok(Version { parts })
            }
            _ => Err("expected one to three numbers separated by dots, like `1.31.13`".into()),
        }
    }

    pub fn major(&self) -> u32 {
        self.parts[0]
    }

    pub fn minor(&self) -> u32 {
        self.parts.get(1).copied().unwrap_or(0)
    }

    /// The third number, when the version has one: package repositories pin patch releases.
    pub fn patch(&self) -> Option<u32> {
        self.parts.get(2).copied()
    }

    /// `major.minor`, the unit Kubernetes support windows are written in.
    pub fn minor_series(&self) -> (u32, u32) {
        (self.major(), self.minor())
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{part}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Version;

    #[test]
    fn parses_and_orders() {
        let a = Version::parse("1.31.13").unwrap();
        let b = Version::parse("1.31.2").unwrap();
        assert!(a > b);
        assert_eq!(a.minor_series(), (1, 31));
        assert_eq!(Version::parse("8.0").unwrap().to_string(), "8.0");
    }

    #[test]
    fn rejects_bad_forms() {
        assert!(Version::parse("v1.31").unwrap_err().contains("1.31"));
        assert!(Version::parse("1.31.x").is_err());
        assert!(Version::parse("1.2.3.4").is_err());
        assert!(Version::parse("").is_err());
    }
}
