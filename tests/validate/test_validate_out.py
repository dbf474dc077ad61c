#!/usr/bin/env python3
"""Checks of validate_out.py itself: it reads every CRD of stdlib/crds (a kind labc does not
write today, PodMonitor, is validated, not refused as unknown), translates RE2 patterns, and
refuses what the API server refuses.

usage: python3 tests/validate/test_validate_out.py     (needs validate_out.py's pip packages)
"""
import contextlib
import glob
import io
import os
import tempfile
import unittest

import yaml

import validate_out

HERE = os.path.dirname(os.path.abspath(__file__))
CRDS = validate_out.load_crds()


def run(*objects):
    """(exit code, output) of validate_out.py over a folder holding the objects."""
    with tempfile.TemporaryDirectory() as out:
        with open(os.path.join(out, "objects.yaml"), "w") as f:
            yaml.safe_dump_all(objects, f)
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            code = validate_out.main([out], CRDS)
        return code, output.getvalue()


def pod_monitor(endpoint):
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PodMonitor",
        "metadata": {"name": "web", "namespace": "blog"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "podMetricsEndpoints": [endpoint]},
    }


def rule_group(strategy):
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {"name": "web", "namespace": "blog"},
        "spec": {"groups": [{"name": "web", "partial_response_strategy": strategy, "rules": []}]},
    }


class ValidateOut(unittest.TestCase):
    def test_every_crd_file_is_read(self):
        kinds = {(api_version.split("/")[0], kind) for api_version, kind in CRDS}
        files = glob.glob(os.path.join(HERE, "..", "..", "stdlib", "crds", "*.yaml"))
        self.assertEqual(len(kinds), len(files))
        self.assertIn(("networking.istio.io/v1alpha3", "ServiceEntry"), CRDS)

    def test_a_pod_monitor_is_checked_against_its_crd(self):
        self.assertEqual(run(pod_monitor({"port": "http-envoy-prom", "path": "/stats"}))[0], 0)
        code, output = run(pod_monitor({"port": "http-envoy-prom", "pth": "/stats"}))
        self.assertEqual(code, 1)
        self.assertIn("INVALID", output)
        self.assertIn("'pth' was unexpected", output)

    def test_flags_after_an_anchor_are_read_as_re2_reads_them(self):
        self.assertEqual(run(rule_group("Warn"))[0], 0)
        self.assertEqual(run(rule_group("maybe"))[0], 1)

    def test_a_custom_resource_without_a_crd_is_refused(self):
        code, output = run({"apiVersion": "monitoring.coreos.com/v1", "kind": "Prometheus",
                            "metadata": {"name": "k8s"}, "spec": {}})
        self.assertEqual(code, 1)
        self.assertIn("no CRD for monitoring.coreos.com/v1 Prometheus", output)


if __name__ == "__main__":
    unittest.main()
