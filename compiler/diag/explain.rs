//! The long explanation of every diagnostic code (`labc explain CODE`). The table is generated
//! by `build.rs` from this module's sibling `error.rs` (each variant's code and doc comment)
//! and from the bad-input fixture that produces the code, so there is no map kept by hand.

/// One diagnostic code: what the doc comment of its variant says, and a site that makes the
/// mistake (the bad-input fixture whose first line names the code).
#[derive(Debug)]
pub struct Explanation {
    pub code: &'static str,
    /// The variant of `diag::Error`.
    pub variant: &'static str,
    /// Its doc comment: the first line says when it is reported, the rest why and what to do.
    pub doc: &'static str,
    /// (path, bytes) of the fixture; bytes, because one fixture is deliberately not UTF-8.
    /// `None` only where the doc says why, in a paragraph starting "No example site:".
    pub fixture: Option<(&'static str, &'static [u8])>,
}

include!(concat!(env!("OUT_DIR"), "/explanations.rs"));

/// The explanation of `code`, given whole (`labc::canary::weight_range`) or without the
/// `labc::` prefix or area, as long as that is unambiguous.
pub fn explanation(code: &str) -> Option<&'static Explanation> {
    let code = code.trim();
    if let Some(exact) = EXPLANATIONS.iter().find(|e| e.code == code) {
        return Some(exact);
    }
    let mut matches = EXPLANATIONS
        .iter()
        .filter(|e| e.code.ends_with(&format!("::{code}")));
    match (matches.next(), matches.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_doc_and_an_example() {
        let lacking: Vec<_> = EXPLANATIONS
            .iter()
            .filter(|e| {
                e.doc.trim().is_empty()
                    || (e.fixture.is_none() && !e.doc.contains("\nNo example site: "))
            })
            .map(|e| e.code)
            .collect();
        assert!(
            lacking.is_empty(),
            "no doc or no bad-input fixture: {lacking:?}"
        );
    }

    #[test]
    fn the_table_has_every_variant_once() {
        let source = include_str!("error.rs");
        let codes = source.matches("code(labc::").count();
        assert_eq!(EXPLANATIONS.len(), codes);
        let mut seen: Vec<_> = EXPLANATIONS.iter().map(|e| e.code).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), codes, "a code is used by two variants");
    }

    #[test]
    fn short_codes_are_found() {
        assert_eq!(
            explanation("canary::weight_range").map(|e| e.variant),
            Some("CanaryWeightRange")
        );
        assert_eq!(
            explanation("weight_range").map(|e| e.variant),
            Some("CanaryWeightRange")
        );
        assert!(explanation("nope").is_none());
    }
}
