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
    /// Picks the candidate closest to `word`, if it is close enough to be a plausible typo.
    /// Two measures must both agree (see [`plausible`]): few edits (Damerau-Levenshtein, so a
    /// swap of two letters is one edit) for the word's length, and a Jaro-Winkler similarity of
    /// at least [`SIMILARITY`], which refuses pairs that share letters but not their shape
    /// (`calico` is two edits from `falco`, yet not a typo of it).
    pub fn new<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut expected: Vec<String> = candidates.into_iter().map(str::to_string).collect();
        expected.sort();
        expected.dedup();
        let nearest = expected
            .iter()
            .filter_map(|c| plausible(word, c).map(|distance| (distance, c)))
            .min()
            .map(|(_, c)| c.clone());
        Suggestion { nearest, expected }
    }

    pub fn nearest(&self) -> Option<&str> {
        self.nearest.as_deref()
    }
}

/// The Jaro-Winkler similarity below which no candidate is suggested, however few edits away.
const SIMILARITY: f64 = 0.85;

/// The edit distance from `word` to `candidate` if the candidate is a plausible typo of it:
/// at most one edit per three characters of the longer word (one edit below six, never more
/// than three), and similar enough by Jaro-Winkler, which weighs a shared beginning.
fn plausible(word: &str, candidate: &str) -> Option<usize> {
    let longer = word.chars().count().max(candidate.chars().count());
    let limit = (longer / 3).clamp(1, 3);
    let distance = strsim::damerau_levenshtein(word, candidate);
    let similar = strsim::jaro_winkler(word, candidate) >= SIMILARITY;
    (distance <= limit && similar).then_some(distance)
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

    /// Typos a user makes, and the word each should lead to.
    const GOOD: &[(&str, &str)] = &[
        ("replcas", "replicas"),
        ("ap", "app"),
        ("prot", "port"),
        ("isito", "istio"),
        ("postgress", "postgres"),
        ("longhron", "longhorn"),
        ("cloudflar", "cloudflare"),
        ("promethues", "prometheus"),
        ("grafna", "grafana"),
        ("certmanager", "cert-manager"),
        ("imgae", "image"),
        ("metalbl", "metallb"),
        ("argo-cd", "argocd"),
        ("kube-prometheus-stak", "kube-prometheus-stack"),
    ];

    /// Words that share letters with a candidate but are not a typo of it.
    const REFUSED: &[(&str, &str)] = &[
        ("calico", "falco"),
        ("cilium", "calico"),
        ("redis", "rails"),
        ("nginx", "nats"),
        ("x", "app"),
        ("db", "dns"),
        ("loki", "velero"),
        ("vault", "falco"),
        ("tempo", "traefik"),
        ("web", "wazuh"),
    ];

    #[test]
    fn suggests_plausible_typos_and_nothing_else() {
        let all: Vec<&str> = GOOD.iter().chain(REFUSED).map(|(_, c)| *c).collect();
        for (typo, meant) in GOOD {
            assert_eq!(
                Suggestion::new(typo, all.iter().copied()).nearest(),
                Some(*meant),
                "`{typo}` should suggest `{meant}`"
            );
        }
        for (word, other) in REFUSED {
            assert_eq!(
                Suggestion::new(word, [*other]).nearest(),
                None,
                "`{word}` must not suggest `{other}`"
            );
        }
    }

    #[test]
    fn short_words_allow_a_single_edit() {
        assert_eq!(Suggestion::new("ap", ["app"]).nearest(), Some("app"));
        assert_eq!(Suggestion::new("x", ["app"]).nearest(), None);
    }
}
