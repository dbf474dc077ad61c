#!/usr/bin/env bash
# hyperfine's --prepare for a fresh build: points DIR/cur at a new, empty folder, so each run of
# `labc build --out DIR/cur/out` writes into a folder no run used before (nothing is deleted
# between runs; on ext4, creating inodes right after deleting thousands is slow).
set -euo pipefail
dir=$1
ln -sfn "$(mktemp -d -p "$dir" run.XXXXXX)" "$dir/cur"
