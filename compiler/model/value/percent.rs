use std::fmt;

/// A percentage such as `99%` or `99.5%`, held in hundredths of a percent so that comparisons
/// are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent {
    hundredths: u32,
}

impl Percent {
    pub fn parse(text: &str) -> Result<Self, String> {
        let Some(number) = text.strip_suffix('%') else {
            return Err("a percentage ends in `%`".into());
        };
        let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(frac) || frac.len() > 2 {
            return Err("expected a number with at most two decimals, like `99.5%`".into());
        }
        let whole: u32 = whole.parse().map_err(|_| "the number is too large")?;
        let frac: u32 = format!("{frac:0<2}").parse().unwrap_or(0);
        let hundredths = whole.saturating_mul(100).saturating_add(frac);
        if hundredths > 10_000 {
            return Err("a percentage is at most 100%".into());
        }
        Ok(Percent { hundredths })
    }

    /// The value as a fraction between 0 and 1.
    pub fn ratio(self) -> f64 {
        f64::from(self.hundredths) / 10_000.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.hundredths / 100, self.hundredths % 100);
        match frac {
            0 => write!(f, "{whole}%"),
            f2 if f2 % 10 == 0 => write!(f, "{whole}.{}%", f2 / 10),
            f2 => write!(f, "{whole}.{f2:02}%"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Percent;

    #[test]
    fn parses_and_prints() {
        assert_eq!(Percent::parse("99%").unwrap().to_string(), "99%");
        assert_eq!(Percent::parse("99.5%").unwrap().to_string(), "99.5%");
        assert_eq!(Percent::parse("0.05%").unwrap().to_string(), "0.05%");
        assert!((Percent::parse("99.5%").unwrap().ratio() - 0.995).abs() < 1e-9);
    }

    #[test]
    fn rejects_bad_forms() {
        assert!(Percent::parse("99").is_err());
        assert!(Percent::parse("101%").is_err());
        assert!(Percent::parse("9.999%").is_err());
        assert!(Percent::parse("-1%").is_err());
        assert!(Percent::parse("%").is_err());
    }
}
