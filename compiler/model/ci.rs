use super::Spanned;

/// Where the site repository's pipeline runs (`ci github`, `ci gitlab`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CiProvider {
    Github,
    Gitlab,
}

impl CiProvider {
    pub const ALL: &'static [(&'static str, CiProvider)] = &[
        ("github", CiProvider::Github),
        ("gitlab", CiProvider::Gitlab),
    ];
}

/// A vulnerability or misconfiguration severity, as Trivy names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Unknown,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: &'static [(&'static str, Severity)] = &[
        ("UNKNOWN", Severity::Unknown),
        ("LOW", Severity::Low),
        ("MEDIUM", Severity::Medium),
        ("HIGH", Severity::High),
        ("CRITICAL", Severity::Critical),
    ];

    /// What the gates fail on when the site says nothing.
    pub const DEFAULT: &'static [Severity] = &[Severity::High, Severity::Critical];

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("UNKNOWN", |(w, _)| w)
    }
}

/// `ci <provider>`: the pipeline `labc build` writes for the site's own repository. Every
/// provider is rendered from the same jobs (`crate::ci`).
#[derive(Debug, Clone)]
pub struct Ci {
    pub provider: Spanned<CiProvider>,
    /// The severities that fail the Trivy gates, sorted and without repeats.
    pub severities: Vec<Severity>,
    /// Where the pipeline builds labc from: a git URL and a pinned revision.
    pub labc: Spanned<String>,
    pub labc_rev: Spanned<String>,
}
