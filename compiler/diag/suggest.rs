//! Every "did you mean" of the compiler comes from here.

use std::fmt;

/// What to tell the user after an unknown word: the nearest known word if one is close, else the
/// list of words that would be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    nearest: Option<String>,
    expected: Vec<String>,
}

impl Suggestion {
    /// Picks the candidate closest to `word` by edit distance, if it is close enough to be a
    /// plausible typo (at most a third of the word's length, and never more than 3 edits).
    pub fn new<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut expected: Vec<String> = candidates.into_iter().map(str::to_string).collect();
        expected.sort();
        expected.dedup();
        let limit = (word.chars().count() / 3).clamp(1, 3);
        let nearest = expected
            .iter()
            .map(|c| (strsim::damerau_levenshtein(word, c), c))
            .filter(|(distance, _)| *distance <= limit)
            .min()
            .map(|(_, c)| c.clone());
        Suggestion { nearest, expected }
    }

    pub fn nearest(&self) -> Option<&str> {
        self.nearest.as_deref()
    }
}

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(nearest) = &self.nearest {
            return write!(f, "did you mean `{nearest}`?");
        }
        if self.expected.is_empty() {
            return write!(f, "none is declared yet");
        }
        const SHOWN: usize = 12;
        write!(f, "expected one of: ")?;
        for (i, word) in self.expected.iter().take(SHOWN).enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{word}`")?;
        }
        if self.expected.len() > SHOWN {
            write!(f, " and {} more", self.expected.len() - SHOWN)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Suggestion;

    #[test]
    fn suggests_a_near_miss() {
        let s = Suggestion::new("replcas", ["replicas", "image", "port"]);
        assert_eq!(s.to_string(), "did you mean `replicas`?");
    }

    #[test]
    fn lists_choices_when_nothing_is_near() {
        let s = Suggestion::new("zzzzzz", ["b", "a"]);
        assert_eq!(s.to_string(), "expected one of: `a`, `b`");
        assert_eq!(s.nearest(), None);
    }

    #[test]
    fn short_words_allow_a_single_edit() {
        assert_eq!(Suggestion::new("ap", ["app"]).nearest(), Some("app"));
        assert_eq!(Suggestion::new("x", ["app"]).nearest(), None);
    }
}
