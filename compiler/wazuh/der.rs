//! The few DER encodings an X.509 certificate needs, written out rather than pulled in: the
//! tree already has `rsa` (keys, PKCS#1 v1.5 signatures, SPKI) and `x509-parser` (reading, and
//! the tests' check of what is written here), but no certificate writer, and this machine
//! builds offline. Each function returns one complete TLV.

pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;

pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

pub fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(SEQUENCE, &parts.concat())
}

pub fn set(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(SET, &parts.concat())
}

/// A non-negative INTEGER from big-endian bytes: minimal, with a zero byte before a high bit.
pub fn uint(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend(trimmed);
    tlv(0x02, &content)
}

pub fn boolean(value: bool) -> Vec<u8> {
    tlv(0x01, &[if value { 0xff } else { 0 }])
}

pub fn null() -> Vec<u8> {
    tlv(0x05, &[])
}

/// An OBJECT IDENTIFIER from its dotted arcs.
pub fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut content = Vec::new();
    let mut base128 = |mut n: u64| {
        let mut bytes = vec![(n & 0x7f) as u8];
        n >>= 7;
        while n > 0 {
            bytes.push(0x80 | (n & 0x7f) as u8);
            n >>= 7;
        }
        bytes.reverse();
        content.extend(bytes);
    };
    base128(arcs[0] * 40 + arcs[1]);
    for arc in &arcs[2..] {
        base128(*arc);
    }
    tlv(0x06, &content)
}

pub fn utf8(text: &str) -> Vec<u8> {
    tlv(0x0c, text.as_bytes())
}

pub fn octets(bytes: &[u8]) -> Vec<u8> {
    tlv(0x04, bytes)
}

/// A BIT STRING of whole bytes (no unused bits).
pub fn bits(bytes: &[u8]) -> Vec<u8> {
    let mut content = vec![0];
    content.extend_from_slice(bytes);
    tlv(0x03, &content)
}

/// A context-specific tag: `[n]` constructed (EXPLICIT) or primitive (IMPLICIT of a string).
pub fn context(n: u8, constructed: bool, content: &[u8]) -> Vec<u8> {
    tlv(0x80 | if constructed { 0x20 } else { 0 } | n, content)
}

/// A time as X.509 wants it: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5).
pub fn time(unix: i64) -> Vec<u8> {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    if (1950..2050).contains(&y) {
        let text = format!("{:02}{m:02}{d:02}{hh:02}{mm:02}{ss:02}Z", y % 100);
        tlv(0x17, text.as_bytes())
    } else {
        let text = format!("{y:04}{m:02}{d:02}{hh:02}{mm:02}{ss:02}Z");
        tlv(0x18, text.as_bytes())
    }
}

/// Year, month and day of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_past_127_take_long_form() {
        let long = tlv(0x04, &[0; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(tlv(0x04, &[0; 127])[1], 127);
    }

    #[test]
    fn integers_stay_positive_and_minimal() {
        assert_eq!(uint(&[0x00, 0x80]), vec![0x02, 0x02, 0x00, 0x80]);
        assert_eq!(uint(&[0x00, 0x00, 0x7f]), vec![0x02, 0x01, 0x7f]);
        assert_eq!(uint(&[]), vec![0x02, 0x01, 0x00]);
    }

    #[test]
    fn object_identifiers_encode_as_x690_says() {
        // sha256WithRSAEncryption, from RFC 4055
        assert_eq!(
            oid(&[1, 2, 840, 113_549, 1, 1, 11]),
            vec![0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]
        );
    }

    #[test]
    fn times_switch_to_generalized_in_2050() {
        assert_eq!(&time(0)[2..], b"700101000000Z");
        // 2024-02-29T12:34:56Z, a leap day
        assert_eq!(&time(1_709_210_096)[2..], b"240229123456Z");
        // 2050-01-01T00:00:00Z
        assert_eq!(time(2_524_608_000)[0], 0x18);
        assert_eq!(&time(2_524_608_000)[2..], b"20500101000000Z");
    }
}
