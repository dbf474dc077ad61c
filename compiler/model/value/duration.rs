use std::fmt;

/// A length of time written as a sequence of number-unit pairs: `500ms`, `30s`, `1m30s`, `15d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Duration {
    millis: u64,
}

const UNITS: &[(&str, u64)] = &[
    ("ms", 1),
    ("s", 1_000),
    ("m", 60_000),
    ("h", 3_600_000),
    ("d", 86_400_000),
];

impl Duration {
    pub fn from_millis(millis: u64) -> Self {
        Duration { millis }
    }

    pub fn as_millis(self) -> u64 {
        self.millis
    }

    /// The longest duration Go's `time.Duration` holds, 2^63-1 nanoseconds (about 292 years),
    /// in whole milliseconds: Argo Rollouts, Prometheus and the kubelet parse labc's durations
    /// with `time.ParseDuration`, which refuses anything longer.
    pub const GO_MAX_MILLIS: u64 = (i64::MAX / 1_000_000) as u64;

    /// Whether Go's `time.ParseDuration` can read this duration.
    pub fn fits_go(self) -> bool {
        self.millis <= Self::GO_MAX_MILLIS
    }

    pub fn as_secs(self) -> u64 {
        self.millis / 1000
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("a duration cannot be empty".into());
        }
        let mut millis: u64 = 0;
        let mut rest = text;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(format!("expected a number at `{rest}`"));
            }
            let number: u64 = rest[..digits]
                .parse()
                .map_err(|_| "the number is too large".to_string())?;
            rest = &rest[digits..];
            let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            let unit = &rest[..unit_len];
            let Some(&(_, factor)) = UNITS.iter().find(|(name, _)| *name == unit) else {
                return Err(if unit.is_empty() {
                    format!("`{}` has no unit", &text)
                } else {
                    format!("`{unit}` is not a unit of time")
                });
            };
            millis = number
                .checked_mul(factor)
                .and_then(|v| millis.checked_add(v))
                .ok_or_else(|| "the duration is too long".to_string())?;
            rest = &rest[unit_len..];
        }
        Ok(Duration { millis })
    }
}

impl fmt::Display for Duration {
    /// The shortest exact form in the largest unit, the way Kubernetes and Argo write durations.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &(name, factor) in UNITS.iter().rev() {
            if self.millis % factor == 0 && (self.millis != 0 || factor == 1_000) {
                return write!(f, "{}{name}", self.millis / factor);
            }
        }
        write!(f, "{}ms", self.millis)
    }
}

#[cfg(test)]
mod tests {
    use super::Duration;

    #[test]
    fn parses_units_and_sums() {
        assert_eq!(Duration::parse("30s").unwrap().as_millis(), 30_000);
        assert_eq!(Duration::parse("1m30s").unwrap().as_millis(), 90_000);
        assert_eq!(Duration::parse("15d").unwrap().as_millis(), 15 * 86_400_000);
        assert_eq!(Duration::parse("250ms").unwrap().as_millis(), 250);
    }

    #[test]
    fn rejects_missing_or_unknown_units() {
        assert!(Duration::parse("30").unwrap_err().contains("no unit"));
        assert!(Duration::parse("3w").unwrap_err().contains("`w`"));
        assert!(Duration::parse("").is_err());
        assert!(Duration::parse("m").is_err());
        assert!(Duration::parse("99999999999999999999d").is_err());
    }

    #[test]
    fn go_range_ends_near_292_years() {
        assert!(Duration::parse("2562047h").unwrap().fits_go());
        assert!(!Duration::parse("2562048h").unwrap().fits_go());
        assert!(!Duration::parse("1000000000000s").unwrap().fits_go());
        assert!(Duration::parse("9223372036854ms").unwrap().fits_go());
        assert!(!Duration::parse("9223372036855ms").unwrap().fits_go());
    }

    #[test]
    fn displays_in_the_largest_exact_unit() {
        assert_eq!(Duration::parse("60s").unwrap().to_string(), "1m");
        assert_eq!(Duration::parse("90s").unwrap().to_string(), "90s");
        assert_eq!(Duration::parse("1500ms").unwrap().to_string(), "1500ms");
        assert_eq!(Duration::parse("0s").unwrap().to_string(), "0s");
    }
}
