//! `.github/workflows/labc.yaml`: the pipeline's jobs as a GitHub Actions workflow.

use super::{pins, quoted, shell_word, Pipeline};
use std::fmt::Write;

/// `permissions: contents: read` for the whole workflow; the image scan alone adds
/// `packages: read` when it pulls from GitHub's registry.
pub fn render(p: &Pipeline) -> String {
    let (checkout, checkout_version) = pins::CHECKOUT;
    let severity = &p.severities;
    let mut y = String::new();
    let _ = write!(
        y,
        "# Written by `labc build` from site.kdl (`ci github`); `labc build --check` fails when it is
# stale. Edit site.kdl, not this file.
name: labc
on:
  push:
    branches: [{branch}]
  pull_request:
  workflow_dispatch:
permissions:
  contents: read
concurrency:
  group: labc-${{{{ github.ref }}}}
  cancel-in-progress: true
jobs:
  site:
    name: labc build --check and labc verify
    runs-on: ubuntu-24.04
    timeout-minutes: 60
    steps:
      - uses: {checkout} # {checkout_version}
        with:
          persist-credentials: false
      - name: install labc {rev}
        run: cargo install --locked --git {labc} --rev {rev} labc
      - name: site.kdl has no errors, out/ and this workflow are current
        run: labc build --check --format github {site}
      # helm and kubectl come with GitHub's ubuntu-24.04 runner image
      - name: every Application of out/ renders and its contracts hold
        run: labc verify --format github {site}
  gitleaks:
    name: no secret in the repository's history
    runs-on: ubuntu-24.04
    timeout-minutes: 15
    steps:
      - uses: {checkout} # {checkout_version}
        with:
          fetch-depth: 0
          persist-credentials: false
      - name: gitleaks
        run: >-
          docker run --rm --user \"$(id -u):$(id -g)\" -v \"$PWD:/repo\"
          {gitleaks} git --redact --verbose --exit-code 1 /repo
  config:
    name: trivy config over {out}/ ({severity})
    runs-on: ubuntu-24.04
    timeout-minutes: 15
    steps:
      - uses: {checkout} # {checkout_version}
        with:
          persist-credentials: false
      - name: trivy config
        run: >-
          docker run --rm -v \"$PWD:/repo:ro\" {trivy} config
          --severity {severity} --exit-code 1 /repo/{out}
",
        branch = quoted(&p.branch),
        labc = shell_word(&p.ci.labc.value),
        rev = shell_word(&p.ci.labc_rev.value),
        site = shell_word(&p.site_file),
        out = p.out,
        gitleaks = pins::GITLEAKS_IMAGE,
        trivy = pins::TRIVY_IMAGE,
    );
    if p.images.is_empty() {
        return y;
    }
    let _ = write!(
        y,
        "  images:
    name: trivy image ${{{{ matrix.image }}}} ({severity})
    runs-on: ubuntu-24.04
    timeout-minutes: 30
"
    );
    if p.pulls_from_ghcr() {
        y.push_str("    permissions:\n      contents: read\n      packages: read\n");
    }
    y.push_str("    strategy:\n      fail-fast: false\n      matrix:\n        image:\n");
    for image in &p.images {
        let _ = writeln!(y, "          - {}", quoted(image));
    }
    y.push_str("    steps:\n      - name: trivy image\n");
    if p.pulls_from_ghcr() {
        y.push_str(
            "        env:\n          # for ghcr.io images: the workflow's own token, never a stored password\n          TRIVY_USERNAME: ${{ github.actor }}\n          TRIVY_PASSWORD: ${{ secrets.GITHUB_TOKEN }}\n          IMAGE: ${{ matrix.image }}\n",
        );
    } else {
        y.push_str("        env:\n          IMAGE: ${{ matrix.image }}\n");
    }
    let _ = write!(
        y,
        "        run: >-
          docker run --rm -e TRIVY_USERNAME -e TRIVY_PASSWORD {trivy} image
          --severity {severity} --exit-code 1 \"$IMAGE\"
",
        trivy = pins::TRIVY_IMAGE,
    );
    y
}
