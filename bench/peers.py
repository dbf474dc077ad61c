#!/usr/bin/env python3
"""labc against the tools people use, measured here in one run: the workload "render N
services" (per service a Deployment, a Service, a NetworkPolicy and an Argo CD Application, each
with image, port, 2 replicas, requests/limits, liveness and readiness probes, reachable from a
gateway namespace), for labc (bench/gen_site.py; labc writes more objects per app, one file
each), rsjsonnet and jrsonnet (a generated Jsonnet file, YAML out) and Helm 3 (a generated chart,
`helm template --output-dir`).

Every peer's output is checked before it is timed: exactly 4 objects per service with the
expected kinds and names; labc's out/ must hold at least those for every app. Then one table:
hyperfine medians and peak RSS (/usr/bin/time), with each tool's ratio to labc's fresh build.
Each labc fresh build writes into a new folder (`bench/fresh.sh`), never into one emptied by
`rm -rf`, so no run pays for the deletion of the one before.

usage: bench/peers.py                 # N = 100, 1000, 5000 on tmpfs (/dev/shm)
       BENCH_DIR=bench/work bench/peers.py   # on the disk instead (say so next to the figures)
       SMOKE=1 bench/peers.py         # N = 10, one run each: checks the harness, times nothing
Environment: RUNS (default 10; 5 at N = 5000), SIZES ("100 1000 5000"), LABC, RSJSONNET,
JRSONNET, HELM (default: bench/tools/bin/<name> if built there, else on PATH).
Install the peers with bench/install-peers.sh.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMOKE = os.environ.get("SMOKE") == "1"
SIZES = [10] if SMOKE else [int(n) for n in os.environ.get("SIZES", "100 1000 5000").split()]


def tool(name, env):
    path = os.environ.get(env)
    if path:
        return path
    local = os.path.join(ROOT, "bench/tools/bin", name)
    return local if os.access(local, os.X_OK) else shutil.which(name)


def service(i):
    return {
        "name": f"svc-{i}",
        "namespace": f"team-{i % 20}",
        "image": f"ghcr.io/example/svc-{i}:1.{i % 7}.0",
    }


# --- the peers' inputs ------------------------------------------------------------------------

JSONNET = r"""
local services = import 'services.json';
local labels(s) = { 'app.kubernetes.io/name': s.name };
local objects(s) = [
  {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: s.name, namespace: s.namespace, labels: labels(s) },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels(s) },
      template: {
        metadata: { labels: labels(s) },
        spec: { containers: [{
          name: s.name, image: s.image,
          ports: [{ name: 'http', containerPort: 8080 }],
          resources: { requests: { cpu: '100m', memory: '128Mi' },
                       limits: { cpu: '100m', memory: '128Mi' } },
          livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
          readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
        }] },
      },
    },
  },
  {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace, labels: labels(s) },
    spec: { selector: labels(s), ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
    metadata: { name: s.name, namespace: s.namespace },
    spec: {
      podSelector: { matchLabels: labels(s) },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }],
    },
  },
  {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: { name: s.name, namespace: 'argocd' },
    spec: {
      project: 'apps',
      source: { repoURL: 'https://github.com/example/bench', targetRevision: 'main',
                path: 'out/apps/' + s.name },
      destination: { server: 'https://kubernetes.default.svc', namespace: s.namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  },
];
std.manifestYamlStream(std.flattenArrays([objects(s) for s in services]), quote_keys=false)
"""

HELM_TEMPLATE = """{{- range .Values.services }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
  namespace: {{ .namespace }}
  labels:
    app.kubernetes.io/name: {{ .name }}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ .name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ .name }}
    spec:
      containers:
        - name: {{ .name }}
          image: {{ .image | quote }}
          ports:
            - name: http
              containerPort: 8080
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 100m, memory: 128Mi}
          livenessProbe:
            httpGet: {path: /healthz, port: http}
          readinessProbe:
            httpGet: {path: /ready, port: http}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .name }}
  namespace: {{ .namespace }}
  labels:
    app.kubernetes.io/name: {{ .name }}
spec:
  selector:
    app.kubernetes.io/name: {{ .name }}
  ports:
    - name: http
      port: 8080
      targetPort: http
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ .name }}
  namespace: {{ .namespace }}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {{ .name }}
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: gateway
      ports:
        - protocol: TCP
          port: 8080
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {{ .name }}
  namespace: argocd
spec:
  project: apps
  source:
    repoURL: https://github.com/example/bench
    targetRevision: main
    path: out/apps/{{ .name }}
  destination:
    server: https://kubernetes.default.svc
    namespace: {{ .namespace }}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
{{- end }}
"""


def write_inputs(d, n):
    services = [service(i) for i in range(n)]
    with open(os.path.join(d, "services.json"), "w") as f:
        json.dump(services, f)
    with open(os.path.join(d, "services.jsonnet"), "w") as f:
        f.write(JSONNET)
    chart = os.path.join(d, "chart")
    os.makedirs(os.path.join(chart, "templates"))
    with open(os.path.join(chart, "Chart.yaml"), "w") as f:
        f.write("apiVersion: v2\nname: bench\nversion: 0.1.0\n")
    with open(os.path.join(chart, "values.yaml"), "w") as f:
        json.dump({"services": services}, f)  # JSON is YAML
    with open(os.path.join(chart, "templates", "services.yaml"), "w") as f:
        f.write(HELM_TEMPLATE)
    with open(os.path.join(d, "site.kdl"), "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench/gen_site.py"), str(n)],
                       stdout=f, check=True)


# --- checking what each tool wrote --------------------------------------------------------------

EXPECTED_KINDS = ("Deployment", "Service", "NetworkPolicy", "Application")


def expected(n):
    return sorted((k, f"svc-{i}") for i in range(n) for k in EXPECTED_KINDS)


def objects_in(paths):
    found = []
    for path in paths:
        with open(path) as f:
            for doc in yaml.load_all(f, Loader=yaml.CSafeLoader):
                if doc:
                    found.append((doc["kind"], doc["metadata"]["name"]))
    return sorted(found)


def check_peer(name, paths, n):
    found = objects_in(paths)
    if found != expected(n):
        extra = sorted(set(found) - set(expected(n)))[:5]
        missing = sorted(set(expected(n)) - set(found))[:5]
        sys.exit(f"{name} at N={n}: {len(found)} objects, expected {4 * n}; "
                 f"extra {extra}, missing {missing}")


def check_labc(out, n):
    # labc's network policy for an app is a CiliumNetworkPolicy (plus a default-deny
    # NetworkPolicy beside it); either stands for the peers' NetworkPolicy
    found = set()
    for path in glob.glob(os.path.join(out, "apps", "*", "*.yaml")) + \
            glob.glob(os.path.join(out, "argocd", "*.yaml")):
        with open(path) as f:
            doc = yaml.load(f, Loader=yaml.CSafeLoader)
        kind = doc["kind"]
        name = doc["metadata"]["name"]
        if kind == "CiliumNetworkPolicy":
            found.add(("NetworkPolicy", name))
        found.add((kind, name))
    missing = sorted(set(expected(n)) - found)
    if missing:
        sys.exit(f"labc at N={n}: missing {missing[:5]} ({len(missing)} in all)")
    return sum(1 for _ in glob.iglob(os.path.join(out, "**", "*"), recursive=True)
               if os.path.isfile(_))


# --- timing --------------------------------------------------------------------------------------

def hyperfine(cmd, runs, prepare=None, cwd=None):
    fd, path = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    args = ["hyperfine", "-N", "--style", "none", "--runs", str(runs), "--export-json", path]
    if not SMOKE:
        args += ["--warmup", "2"]
    if prepare:
        args += ["--prepare", prepare]
    subprocess.run(args + [cmd], check=True, cwd=cwd, stdout=subprocess.DEVNULL)
    with open(path) as f:
        result = json.load(f)["results"][0]
    os.unlink(path)
    return result["median"] * 1000


def peak_rss(cmd, cwd):
    fd, path = tempfile.mkstemp()
    os.close(fd)
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", path] + cmd, check=True, cwd=cwd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(path) as f:
        kib = int(f.read().split()[-1])
    os.unlink(path)
    return kib / 1024


def fs_type(path):
    # findmnt names ext4 as such (`stat -f` says "ext2/ext3" for all three)
    found = subprocess.run(["findmnt", "-n", "-o", "FSTYPE", "-T", path], capture_output=True,
                           text=True)
    if found.returncode == 0 and found.stdout.strip():
        return found.stdout.split()[0]
    return subprocess.run(["stat", "-f", "-c", "%T", path], capture_output=True, text=True,
                          check=True).stdout.strip()


def main():
    labc = os.environ.get("LABC") or os.path.join(ROOT, "target/release/labc")
    # the tools run inside the work folders: a relative LABC (as .ci/run gives) must not move
    if os.sep in labc:
        labc = os.path.abspath(labc)
    if not os.environ.get("LABC"):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    peers = {
        "rsjsonnet": tool("rsjsonnet", "RSJSONNET"),
        "jrsonnet": tool("jrsonnet", "JRSONNET"),
        "helm": tool("helm", "HELM"),
    }
    base = os.environ.get("BENCH_DIR", "/dev/shm")
    os.makedirs(base, exist_ok=True)
    work = tempfile.mkdtemp(prefix="labc-peers-", dir=base)
    fs = fs_type(work)
    rows = {}
    try:
        for n in SIZES:
            runs = 1 if SMOKE else int(os.environ.get("RUNS", "5" if n >= 5000 else "10"))
            d = os.path.join(work, f"n{n}")
            os.makedirs(d)
            write_inputs(d, n)
            fresh = os.path.join(d, "fresh")
            os.makedirs(fresh)
            # fresh build: each run into a new folder behind the `cur` symlink
            prepare = f"bash {ROOT}/bench/fresh.sh {fresh}"
            subprocess.run(prepare.split(), check=True)
            labc_cmd = f"{labc} build site.kdl --out {fresh}/cur/out"
            subprocess.run(labc_cmd.split(), cwd=d, check=True, stdout=subprocess.DEVNULL)
            files = check_labc(os.path.join(fresh, "cur", "out"), n)
            t = hyperfine(labc_cmd, runs, prepare=prepare, cwd=d)
            noop = hyperfine(labc_cmd, runs, cwd=d)  # the last fresh build, built again
            subprocess.run(prepare.split(), check=True)
            rss = peak_rss(labc_cmd.split(), d)
            rows.setdefault("labc build (fresh folder)", {})[n] = (t, rss, files)
            rows.setdefault("labc build, no change", {})[n] = (noop, None, None)

            for name, exe in peers.items():
                if not exe:
                    print(f"{name}: not installed, skipped (bench/install-peers.sh)",
                          file=sys.stderr)
                    continue
                if name == "helm":
                    out = os.path.join(d, "helm-out")
                    cmd = f"{exe} template bench chart --output-dir {out}"
                    label = "Helm `template --output-dir`"
                else:
                    out = os.path.join(d, f"{name}.yaml")
                    cmd = f"{exe} -S services.jsonnet -o {out}"
                    label = f"{name} (`-S`, YAML stream)"
                subprocess.run(cmd.split(), cwd=d, check=True, stdout=subprocess.DEVNULL)
                paths = glob.glob(os.path.join(out, "**", "*.yaml"), recursive=True) \
                    if name == "helm" else [out]
                check_peer(name, paths, n)
                t = hyperfine(cmd, runs, cwd=d)
                rss = peak_rss(cmd.split(), d)
                rows.setdefault(label, {})[n] = (t, rss, len(paths))
            print(f"N={n} done", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"Measured on {fs} ({base}), hyperfine medians"
          f"{' (SMOKE: one run, no warmup)' if SMOKE else ''}; peak RSS from /usr/bin/time; "
          "ratio = the tool's time / labc's fresh build (above 1: labc is faster).\n")
    print("| tool | " + " | ".join(f"N={n}" for n in SIZES) + " |")
    print("| --- |" + " --- |" * len(SIZES))
    first = rows["labc build (fresh folder)"]
    for label, cells in rows.items():
        out = []
        for n in SIZES:
            if n not in cells:
                out.append("–")
                continue
            t, rss, _ = cells[n]
            cell = f"{t:.1f} ms" if t < 1000 else f"{t / 1000:.2f} s"
            if rss is not None:
                cell += f" / {rss:.0f} MiB"
            if not label.startswith("labc build (fresh"):
                cell += f" ({t / first[n][0]:.2f}×)"
            out.append(cell)
        print(f"| {label} | " + " | ".join(out) + " |")
    files = ", ".join(f"{first[n][2]} at N={n}" for n in SIZES)
    print(f"\nlabc's files in out/: {files}.")


if __name__ == "__main__":
    main()
