//! The versions the site's pipeline runs, in one place. Actions are pinned by full commit SHA
//! (a tag can be moved to other code after review; a commit cannot), with the release in a
//! comment for people and for Dependabot. Container images are pinned by exact version tag:
//! a digest would be stronger, but one cannot be looked up or checked without the registry,
//! so docs/ci.md says how to add it.

/// `actions/checkout` v4.2.2.
pub const CHECKOUT: (&str, &str) = (
    "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
    "v4.2.2",
);
/// Trivy's own image (`trivy image`, `trivy config`).
pub const TRIVY_IMAGE: &str = "docker.io/aquasec/trivy:0.58.1";
/// Gitleaks' own image (`gitleaks git`).
pub const GITLEAKS_IMAGE: &str = "ghcr.io/gitleaks/gitleaks:v8.21.2";
