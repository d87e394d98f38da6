#!/usr/bin/env bash
# The local quickstart: a real control plane on loopback (scripts/cluster.sh), Spiderpool's CRDs
# generated from our model, and the SpiderIPPools of the "application across network zones" guide
# (examples/cross-zone), listed the way the guide lists them.
#
# Afterwards: eval "$(scripts/cluster.sh env)" to use kubectl; scripts/cluster.sh down to stop.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/cluster.sh up
eval "$(scripts/cluster.sh env)"

echo "== installing the CRDs (charts/spiderpool/crds, generated from api/)"
kubectl apply --server-side --force-conflicts -f charts/spiderpool/crds/ >/dev/null
kubectl wait --for condition=Established --timeout 60s -f charts/spiderpool/crds/ >/dev/null

echo "== the guide's nodes"
for node in controller-node-1:subnet-6 worker-node-1:subnet-7; do
  name=${node%%:*}
  kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata:
  name: $name
  labels:
    node-subnet: ${node##*:}
YAML
done
kubectl get nodes -L node-subnet

echo "== the guide's SpiderIPPools (examples/cross-zone/ippools.yaml)"
kubectl apply -f examples/cross-zone/ippools.yaml
echo
echo "~# kubectl get spiderippool"
kubectl get spiderippool
echo
echo "The control plane keeps running: eval \"\$(scripts/cluster.sh env)\" to use kubectl, scripts/cluster.sh down to stop."
