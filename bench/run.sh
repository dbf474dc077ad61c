#!/usr/bin/env bash
# The benchmark: labc's whole job (parse, check, graph, emit, write out/ with its index) on the
# seed site and on generated sites of 100, 1,000 and 5,000 apps (bench/gen_site.py: per app a
# Deployment, a Service, a CiliumNetworkPolicy and an Argo CD Application, among others).
# Prints a Markdown table of median wall time and peak memory; results go in
# docs/performance.md. Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
labc="$PWD/target/release/labc"
# On tmpfs by default. BENCH_DIR=bench/work measures the disk (ext4 without a journal here, where
# creating thousands of inodes right after deleting thousands is slow: the kernel's
# recently_deleted check); fresh builds therefore go into new folders, never emptied ones.
# The peers (rsjsonnet, jrsonnet, Helm) on the same workload: bench/peers.py.
work="${BENCH_DIR:-/dev/shm/labc-bench}"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
runs=${RUNS:-10}

measure() { # name site-dir
  local name=$1 dir=$2 json="$work/$1.json"
  # a fresh build: each run into a new folder (bench/fresh.sh points $dir/fresh/cur at it)
  mkdir -p "$dir/fresh"
  local prepare="bash $PWD/bench/fresh.sh $dir/fresh"
  $prepare
  hyperfine -N --style none --runs "$runs" --warmup 2 --export-json "$json.build" \
    --prepare "$prepare" "$labc build $dir/site.kdl --out $dir/fresh/cur/out" >/dev/null 2>&1
  # a rebuild with no change of the last fresh build: compares and writes nothing
  hyperfine -N --style none --runs "$runs" --warmup 2 --export-json "$json.noop" \
    "$labc build $dir/site.kdl --out $dir/fresh/cur/out" >/dev/null 2>&1
  $prepare
  local rss
  /usr/bin/time -f '%M' -o "$work/rss" "$labc" build "$dir/site.kdl" --out "$dir/out" >/dev/null 2>&1
  rss=$(tail -1 "$work/rss")
  local files bytes apps
  files=$(find "$dir/out" -type f | wc -l)
  bytes=$(du -sb "$dir/out" | cut -f1)
  apps=$(grep -c '^app ' "$dir/site.kdl" || true)
  python3 - "$name" "$apps" "$files" "$bytes" "$rss" "$json.build" "$json.noop" <<'PY'
import json, sys
name, apps, files, size, rss, build, noop = sys.argv[1:]
def median(path):
    return json.load(open(path))["results"][0]["median"] * 1000
print(f"| {name} | {apps} | {files} | {int(size)/1e6:.2f} MB | {median(build):.1f} ms | {median(noop):.1f} ms | {int(rss)/1024:.1f} MiB |")
PY
}

echo "| site | apps | files in out/ | size | build (median) | rebuild, no change | peak memory |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
mkdir -p "$work/seed"
cp site.kdl "$work/seed/site.kdl"
measure seed "$work/seed"
for n in 100 1000 5000; do
  mkdir -p "$work/n$n"
  python3 bench/gen_site.py "$n" >"$work/n$n/site.kdl"
  measure "generated" "$work/n$n"
done
