use std::fmt;

/// A Kubernetes resource quantity (`500m`, `2`, `512Mi`, `10Gi`, `1.5G`), kept as written for
/// output and as a number of milli-units for arithmetic (CPU in millicores, bytes × 1000).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    text: String,
    milli: u128,
}

const SUFFIXES: &[(&str, u128)] = &[
    ("m", 1),
    ("", 1_000),
    ("k", 1_000_000),
    ("M", 1_000_000_000),
    ("G", 1_000_000_000_000),
    ("T", 1_000_000_000_000_000),
    ("P", 1_000_000_000_000_000_000),
    ("Ki", 1_024 * 1_000),
    ("Mi", 1_048_576 * 1_000),
    ("Gi", 1_073_741_824 * 1_000),
    ("Ti", 1_099_511_627_776 * 1_000),
    ("Pi", 1_125_899_906_842_624 * 1_000),
];

impl Quantity {
    pub fn parse(text: &str) -> Result<Self, String> {
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        let (number, suffix) = text.split_at(split);
        let Some(&(_, factor)) = SUFFIXES.iter().find(|(s, _)| *s == suffix) else {
            return Err(format!(
                "`{suffix}` is not a quantity suffix (use m, k, M, G, T, P, Ki, Mi, Gi, Ti or Pi)"
            ));
        };
        let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
        if whole.is_empty() || frac.contains('.') || (number.contains('.') && frac.is_empty()) {
            return Err("expected a number like `512Mi` or `0.5`".into());
        }
        let too_big = || "the quantity is too large".to_string();
        let whole: u128 = whole.parse().map_err(|_| too_big())?;
        let mut milli = whole.checked_mul(factor).ok_or_else(too_big)?;
        let mut scale = factor;
        for digit in frac.bytes() {
            scale /= 10;
            if scale == 0 {
                return Err("the quantity is finer than one milli-unit".into());
            }
            milli += u128::from(digit - b'0') * scale;
        }
        Ok(Quantity {
            text: text.to_string(),
            milli,
        })
    }

    /// The quantity in thousandths of its base unit (millicores for CPU, milli-bytes for memory).
    pub fn milli(&self) -> u128 {
        self.milli
    }

    pub fn from_milli(milli: u128) -> Self {
        Quantity {
            text: format!("{milli}m"),
            milli,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::Quantity;

    #[test]
    fn parses_cpu_and_memory() {
        assert_eq!(Quantity::parse("500m").unwrap().milli(), 500);
        assert_eq!(Quantity::parse("2").unwrap().milli(), 2_000);
        assert_eq!(Quantity::parse("0.5").unwrap().milli(), 500);
        assert_eq!(
            Quantity::parse("1Gi").unwrap().milli(),
            1_073_741_824 * 1000
        );
        assert_eq!(
            Quantity::parse("1.5Gi").unwrap().milli(),
            1_610_612_736 * 1000
        );
    }

    #[test]
    fn rejects_bad_suffixes_and_numbers() {
        assert!(Quantity::parse("10GB").unwrap_err().contains("`GB`"));
        assert!(Quantity::parse("Gi").is_err());
        assert!(Quantity::parse("1..5").is_err());
        assert!(Quantity::parse("1.").is_err());
        assert!(Quantity::parse("0.0001m").is_err());
    }
}
