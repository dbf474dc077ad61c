//! The pipeline of the site's own repository (`ci github`, `ci gitlab`): one set of jobs,
//! derived once from the site (`Pipeline`), rendered by one file per provider. These files live
//! at the repository's root, outside `out/`, where GitHub and GitLab read them and where the
//! root Application (which syncs `<repo path>/argocd`) never does; see docs/ci.md.

mod github;
mod gitlab;
mod pins;

pub use pins::{CHECKOUT, GITLEAKS_IMAGE, TRIVY_IMAGE};

use crate::model::{Ci, CiProvider, Severity, Site};
use std::collections::BTreeMap;

/// Where GitHub reads the workflow, relative to the repository's root.
pub const GITHUB_WORKFLOW: &str = ".github/workflows/labc.yaml";
/// Where GitLab reads its pipeline, relative to the repository's root.
pub const GITLAB_PIPELINE: &str = ".gitlab-ci.yml";

/// What every provider's pipeline runs, from one reading of the site.
pub struct Pipeline<'a> {
    pub ci: &'a Ci,
    /// `site.kdl` relative to the repository's root: `out/` is beside it (`repo path=`).
    pub site_file: String,
    /// `out/` relative to the repository's root.
    pub out: String,
    /// Every image the site's apps and databases run, sorted, without repeats.
    pub images: Vec<String>,
    /// `HIGH,CRITICAL`: what the Trivy gates fail on.
    pub severities: String,
    /// The branch Argo CD syncs (`repo revision=`), which pushes to run the pipeline on.
    pub branch: String,
}

impl<'a> Pipeline<'a> {
    pub fn new(site: &Site, ci: &'a Ci) -> Self {
        let out = site.settings.repo.path.clone();
        let site_file = match out.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/site.kdl"),
            None => "site.kdl".to_string(),
        };
        let mut images: Vec<String> = site
            .apps
            .iter()
            .map(|a| a.image.value.as_str().to_string())
            .chain(
                site.databases
                    .iter()
                    .map(|d| format!("{}:{}", d.engine.value.image(), d.version.value)),
            )
            .collect();
        images.sort();
        images.dedup();
        let severities = ci
            .severities
            .iter()
            .map(|s| Severity::as_str(*s))
            .collect::<Vec<_>>()
            .join(",");
        Pipeline {
            ci,
            site_file,
            out,
            images,
            severities,
            branch: site.settings.repo.revision.clone(),
        }
    }

    /// Images on GitHub's registry, which the image scan pulls with the workflow's own token.
    pub fn pulls_from_ghcr(&self) -> bool {
        self.images.iter().any(|i| i.starts_with("ghcr.io/"))
    }
}

/// The files of the site's repository, by their path from its root: empty when the site
/// declares no `ci`.
pub fn files(site: &Site) -> BTreeMap<String, Vec<u8>> {
    site.settings
        .ci
        .iter()
        .map(|ci| {
            let pipeline = Pipeline::new(site, ci);
            match ci.provider.value {
                CiProvider::Github => (GITHUB_WORKFLOW.to_string(), github::render(&pipeline)),
                CiProvider::Gitlab => (GITLAB_PIPELINE.to_string(), gitlab::render(&pipeline)),
            }
        })
        .map(|(path, text)| (path, text.into_bytes()))
        .collect()
}

/// A word for a shell command line: quoted unless it is plainly safe.
fn shell_word(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/:@-=,+".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// A YAML scalar in double quotes.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}
