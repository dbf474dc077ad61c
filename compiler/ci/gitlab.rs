//! `.gitlab-ci.yml`: the same jobs as the GitHub workflow, as a GitLab pipeline.

use super::{pins, quoted, shell_word, Pipeline};
use std::fmt::Write;

/// Each job runs in the tool's own pinned image. Private images are pulled with
/// `$REGISTRY_USERNAME` / `$REGISTRY_PASSWORD`, masked CI/CD variables of the project: the
/// file names them and holds no value.
pub fn render(p: &Pipeline) -> String {
    let severity = &p.severities;
    let mut y = String::new();
    let _ = write!(
        y,
        "# Written by `labc build` from site.kdl (`ci gitlab`); `labc build --check` fails when it is
# stale. Edit site.kdl, not this file.
stages: [check, scan]
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"
    - if: $CI_COMMIT_BRANCH == {branch}
site:
  stage: check
  image: docker.io/library/rust:1.85
  timeout: 1h
  script:
    - cargo install --locked --git {labc} --rev {rev} labc
    - labc build --check {site}
    # labc verify renders every chart with helm and kubectl, which this image does not carry
    - apt-get update -qq && apt-get install -y -qq --no-install-recommends curl >/dev/null
    - curl -fsSL -o /tmp/helm.tgz https://get.helm.sh/helm-v3.17.0-linux-amd64.tar.gz
    - tar -xzf /tmp/helm.tgz -C /usr/local/bin --strip-components=1 linux-amd64/helm
    - labc verify {site}
gitleaks:
  stage: scan
  image:
    name: {gitleaks}
    entrypoint: [\"\"]
  variables:
    GIT_DEPTH: \"0\"
  script:
    - gitleaks git --redact --verbose --exit-code 1 .
trivy-config:
  stage: scan
  image:
    name: {trivy}
    entrypoint: [\"\"]
  script:
    - trivy config --severity {severity} --exit-code 1 {out}
",
        branch = quoted(&p.branch),
        labc = shell_word(&p.ci.labc.value),
        rev = shell_word(&p.ci.labc_rev.value),
        site = shell_word(&p.site_file),
        out = shell_word(&p.out),
        gitleaks = pins::GITLEAKS_IMAGE,
        trivy = pins::TRIVY_IMAGE,
    );
    if p.images.is_empty() {
        return y;
    }
    let _ = write!(
        y,
        "trivy-images:
  stage: scan
  image:
    name: {trivy}
    entrypoint: [\"\"]
  variables:
    TRIVY_USERNAME: $REGISTRY_USERNAME
    TRIVY_PASSWORD: $REGISTRY_PASSWORD
  parallel:
    matrix:
      - IMAGE:
",
        trivy = pins::TRIVY_IMAGE,
    );
    for image in &p.images {
        let _ = writeln!(y, "          - {}", quoted(image));
    }
    let _ = write!(
        y,
        "  script:\n    - trivy image --severity {severity} --exit-code 1 \"$IMAGE\"\n"
    );
    y
}
