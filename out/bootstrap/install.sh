#!/usr/bin/env bash
# The bootstrap of site homelab, written by labc: from nodes that have run kubeadm init or
# join (out/nodes/) to the app-of-apps. The nodes have no CNI yet, so nothing, Argo CD
# included, can start before it. In order:
#   1. cilium, then argocd, with the chart, version and values of their Applications in
#      out/argocd/ (values/ holds the same values), so that Argo CD adopts them as they are;
#   2. the root Application (homelab-root), which syncs out/argocd/ from the site's repository.
# Run it where kubectl and helm reach the cluster (KUBECONFIG), after out/ is pushed:
#   bash out/bootstrap/install.sh
# It is idempotent: run it again to finish an interrupted bootstrap.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

for tool in helm kubectl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install.sh: $tool is needed on PATH" >&2
    exit 1
  fi
done

echo '==> cilium (chart cilium 1.18.12 from https://helm.cilium.io/) into namespace kube-system'
helm upgrade --install cilium cilium --repo https://helm.cilium.io/ --version 1.18.12 \
  --namespace kube-system --create-namespace \
  -f "$here"/values/cilium.yaml \
  --wait --timeout 15m

echo '==> argocd (chart argo-cd 9.3.7 from https://argoproj.github.io/argo-helm) into namespace argocd'
helm upgrade --install argocd argo-cd --repo https://argoproj.github.io/argo-helm --version 9.3.7 \
  --namespace argocd --create-namespace \
  -f "$here"/values/argocd.yaml \
  --wait --timeout 15m

# the Application CRD comes with Argo CD's chart
kubectl wait --for=condition=Established crd/applications.argoproj.io --timeout=120s
echo '==> the root Application homelab-root'
kubectl apply -f "$here"/application-homelab-root.yaml
echo 'Argo CD now syncs out/argocd of https://github.com/example/homelab at main, wave by wave: kubectl -n argocd get applications'
