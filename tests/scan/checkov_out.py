#!/usr/bin/env python3
"""Scans compiled out/ trees with checkov and fails on any failed check or any skip whose
reason did not come from site.kdl.

usage: checkov_out.py OUT_DIR [OUT_DIR...]

checkov knows only built-in kinds. A Rollout (argoproj.io/v1alpha1) carries the same pod
template as a Deployment, so each tree is scanned from a copy where Rollouts are relabelled
Deployments: the pods labc emits are checked whatever controller runs them. The other custom
resources (Applications, Cilium and Istio policies, AnalysisTemplates) hold no pod and are
left as they are; checkov has no checks for them.
"""

import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

# checkov writes this when a skip annotation has no `=reason` part
NO_REASON = "No comment provided"


def relabel_rollouts(tree: pathlib.Path) -> int:
    count = 0
    for path in tree.rglob("*.yaml"):
        text = path.read_text()
        if "\nkind: Rollout\n" not in text:
            continue
        text = text.replace("apiVersion: argoproj.io/v1alpha1\n", "apiVersion: apps/v1\n", 1)
        path.write_text(text.replace("\nkind: Rollout\n", "\nkind: Deployment\n", 1))
        count += 1
    return count


def scan(out: pathlib.Path) -> tuple[dict, list]:
    with tempfile.TemporaryDirectory() as tmp:
        copy = pathlib.Path(tmp) / out.name
        shutil.copytree(out, copy)
        relabel_rollouts(copy)
        # not --quiet, which drops the skipped checks from the JSON report
        run = subprocess.run(
            ["checkov", "-d", str(copy), "--framework", "kubernetes", "--compact",
             "--skip-download", "--output", "json"],
            capture_output=True, text=True, check=False)
    if not run.stdout.strip():
        sys.exit(f"{out}: checkov printed nothing\n{run.stderr}")
    report = json.loads(run.stdout)
    if isinstance(report, list):
        report = next(r for r in report if r.get("check_type") == "kubernetes")
    return report.get("summary", {}), report.get("results", {})


def main() -> int:
    problems = 0
    for arg in sys.argv[1:]:
        out = pathlib.Path(arg)
        summary, results = scan(out)
        failed = results.get("failed_checks", [])
        skipped = results.get("skipped_checks", [])
        print(f"{out}: passed {summary.get('passed', 0)}, failed {summary.get('failed', 0)}, "
              f"skipped {summary.get('skipped', 0)}")
        for check in failed:
            problems += 1
            print(f"  FAILED {check['check_id']} {check['resource']}: {check['check_name']}")
        for check in skipped:
            reason = (check.get("check_result") or {}).get("suppress_comment", "")
            print(f"  skipped {check['check_id']} {check['resource']}: {reason}")
            if not reason or reason == NO_REASON:
                problems += 1
                print("    ^ a skip without a reason from site.kdl")
    if problems:
        print(f"{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
