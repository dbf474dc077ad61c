#!/usr/bin/env python3
"""Validates every object under an out/ folder the way a Kubernetes 1.31 API server with strict
field validation would: built-in kinds against the 1.31 OpenAPI schemas (kubernetes-validate,
strict), custom resources against the CRDs in stdlib/crds (the ones labc embeds) with unknown fields rejected (as the API
server prunes-and-rejects them under strict validation for structural schemas).

usage: validate_out.py OUT_DIR [OUT_DIR ...]     exit 1 on any invalid object
"""
import glob
import os
import re
import sys

import jsonschema
import kubernetes_validate
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CRD_DIR = os.path.join(HERE, "..", "..", "stdlib", "crds")
KUBERNETES = "1.31.0"
# libyaml's loader when PyYAML has it: the CRDs are megabytes of YAML
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def python_pattern(pattern):
    """Go's RE2 `\\PC` (no control or unassigned characters) has no Python `re` spelling;
    excluding the control ranges is the part that matters for generated text. RE2 takes flags
    after an anchor (`^(?i)...`, prometheus-operator's partial_response_strategy); Python only
    at the start, where they mean the same. A flag inside a group (`^((?i)january|...)`,
    prometheus-operator's time intervals) is moved to the start too: that makes the whole pattern
    case-insensitive, slightly more lenient than RE2, never stricter."""
    pattern = pattern.replace("\\PC", "[^\\x00-\\x1f\\x7f-\\x9f]")
    flags = re.match(r"\^(\(\?[a-z]+\))", pattern)
    if flags:
        pattern = flags.group(1) + "^" + pattern[flags.end():]
    if "(?i)" in pattern and not pattern.startswith("(?i)"):
        pattern = "(?i)" + pattern.replace("(?i)", "")
    return pattern


def compile_patterns(schema, where):
    """Every pattern of a CRD compiles in Python, so that a pattern the translation misses fails
    here, loudly, rather than as an invalid object only when a field it applies to is set."""
    if isinstance(schema, dict):
        for k, v in schema.items():
            if k == "pattern" and isinstance(v, str):
                try:
                    re.compile(v)
                except re.error as e:
                    raise SystemExit(f"{where}: pattern {v!r} is not a Python regex: {e}")
            else:
                compile_patterns(v, where)
    elif isinstance(schema, list):
        for v in schema:
            compile_patterns(v, where)


def strict(schema):
    """Adds additionalProperties: false wherever the schema lists properties and does not
    preserve unknown fields, which is what strict field validation enforces."""
    if isinstance(schema, dict):
        if (
            schema.get("type") == "object"
            and "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            schema = dict(schema, additionalProperties=False)
        return {
            k: python_pattern(v) if k == "pattern" and isinstance(v, str) else strict(v)
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [strict(v) for v in schema]
    return schema


def add_crd(crds, crd, where):
    """Adds the validators of every served version of a CustomResourceDefinition."""
    group = crd["spec"]["group"]
    kind = crd["spec"]["names"]["kind"]
    for version in crd["spec"]["versions"]:
        if not version.get("served", True):
            continue
        schema = version["schema"]["openAPIV3Schema"]
        # metadata is the API server's ObjectMeta, checked separately below
        props = dict(schema.get("properties", {}))
        props["metadata"] = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
        # the API server accepts apiVersion and kind on every object, even where a CRD's
        # schema does not list them (Istio's do not)
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        schema = dict(schema, properties=props)
        schema = strict(schema)
        compile_patterns(schema, f"{where} {version['name']}")
        crds[(f"{group}/{version['name']}", kind)] = jsonschema.Draft7Validator(schema)


def load_crds():
    crds = {}
    for path in sorted(glob.glob(os.path.join(CRD_DIR, "*.yaml"))):
        with open(path) as f:
            crd = yaml.load(f, Loader=LOADER)
        add_crd(crds, crd, os.path.basename(path))
    return crds


def rendered_crds(crds, dirs):
    """What `labc verify --dump` wrote holds the CRDs charts install (kube-prometheus-stack's
    Prometheus, say); they decide for their kinds, as they do in the cluster."""
    crds = dict(crds)
    for out in dirs:
        for path in sorted(glob.glob(os.path.join(out, "**", "*.yaml"), recursive=True)):
            with open(path) as f:
                for doc in yaml.load_all(f, Loader=LOADER):
                    if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition":
                        add_crd(crds, doc, path)
    return crds


def validate_metadata(obj):
    meta = obj.get("metadata", {})
    # ObjectMeta of a built-in kind carries exactly the same rules for custom resources
    probe = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}
    kubernetes_validate.validate(probe, KUBERNETES, strict=True)


def main(dirs, crds=None):
    crds = rendered_crds(crds or load_crds(), dirs)
    failures = 0
    count = 0
    for out in dirs:
        for path in sorted(glob.glob(os.path.join(out, "**", "*.yaml"), recursive=True)):
            # kubeadm configurations are read by kubeadm, not the API server; tests/kubeadm.rs
            # checks them against the kubeadm v1beta4 types
            if os.path.relpath(path, out).startswith("nodes" + os.sep):
                continue
            # Helm values for the bootstrap script, read by helm, not the API server;
            # tests/bootstrap.rs holds them equal to their Applications' valuesObject
            if os.path.relpath(path, out).startswith(os.path.join("bootstrap", "values") + os.sep):
                continue
            with open(path) as f:
                docs = [d for d in yaml.safe_load_all(f) if d is not None]
            for obj in docs:
                count += 1
                key = (obj.get("apiVersion"), obj.get("kind"))
                try:
                    if key in crds:
                        crds[key].validate(obj)
                        validate_metadata(obj)
                    elif "." in str(key[0]).split("/")[0] and key[0] not in (
                        "apps/v1",
                        "policy/v1",
                    ) and not str(key[0]).endswith(".k8s.io/v1"):
                        raise ValueError(f"no CRD for {key[0]} {key[1]} in stdlib/crds")
                    else:
                        kubernetes_validate.validate(obj, KUBERNETES, strict=True)
                except Exception as e:  # noqa: BLE001 - every failure is reported the same way
                    failures += 1
                    message = str(e).split("\n")[0]
                    print(f"INVALID {path}: {key[1]}: {message}")
    kinds = len({(api_version.split("/")[0], kind) for api_version, kind in crds})
    print(
        f"validated {count} objects in {', '.join(dirs)} against Kubernetes {KUBERNETES} and "
        f"{kinds} CRDs ({len(crds)} served versions; stdlib/crds and any the folders render): {failures} invalid"
    )
    return 1 if failures or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
