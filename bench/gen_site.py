#!/usr/bin/env python3
"""Writes a site with N apps for the benchmark: the workload of the peers' table (per app a
Deployment, a Service, a network policy and an Argo CD Application), on the seed's platform.

usage: gen_site.py N > site.kdl
"""
import sys

n = int(sys.argv[1])
out = [
    "site bench {",
    '    repo "https://github.com/example/bench" revision="main" path="out"',
    '    kubernetes "1.31.13" runtime="containerd" runtime-version="2.1.5"',
    '    network pods="10.244.0.0/16" services="10.96.0.0/12"',
    "}",
    'node cp role="control-plane" address="192.168.0.10"',
]
for i in range(1, 4):
    out.append(f'node w{i} role="worker" address="192.168.0.{10 + i}" {{')
    out.append('    disk "/dev/sdb" longhorn=#true')
    out.append("}")
out += [
    "layer cni { cilium; }",
    "layer storage { longhorn replicas=3; }",
    "layer mesh { istio; }",
    "layer gitops { argocd; sealed-secrets; }",
]
for i in range(n):
    ns = f"team-{i % 20}"
    out.append(f'app svc-{i} namespace="{ns}" image="ghcr.io/example/svc-{i}:1.{i % 7}.0" replicas=2 {{')
    out.append('    port 8080 name="http"')
    out.append('    resources cpu="100m" memory="128Mi"')
    out.append(f'    env SERVICE_INDEX "{i}"')
    # a chain of flows inside each team, so the graph has depth and every policy has both sides
    if i >= 20:
        out.append(f"    uses svc-{i - 20}")
    out.append("}")
print("\n".join(out))
