#!/usr/bin/env bash
# The quickstart on real nodes (scripts/quickstart.sh with no --fast): Spiderpool's "application
# across network zones" guide (seed 000) the way its users run it.
#   1. the images (scripts/images.sh: Jib, a jlink'd Java runtime, our CNI plugin in the agent's)
#   2. the control plane with real nodes: SPJ_CLUSTER_NODES=1 scripts/cluster.sh up, then
#      scripts/node.sh up: controller-node-1 and worker-node-1, kubelet + containerd + runc each, in a
#      network namespace of its own whose eth0 is the macvlan master of the node's CNI chain
#   3. the images imported into the nodes (no registry here), then the guide's
#      helm install spiderpool charts/spiderpool -n kube-system --set multus.multusCNI.defaultCniCRName=macvlan-conf
#      (plus where the pods reach the API server: there is no kube-proxy here)
#   4. the guide's SpiderMultusConfig, SpiderIPPools and DaemonSet, unchanged
#      (examples/seeds/000_*.yaml), and the guide's listings; each pod's address seen from inside it
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export SPJ_CLUSTER_NODES=1
# shellcheck source=cluster-layout.sh
. "$root/scripts/lib/cluster-layout.sh"

[ "$(id -u)" = 0 ] || { echo "quickstart: real nodes need root; scripts/quickstart.sh --fast runs the guide without them" >&2; exit 1; }
scripts/require-packages.sh

agent_tar=agent/target/images/spiderpool-agent.tar
controller_tar=controller/target/images/spiderpool-controller.tar
if [ ! -f "$agent_tar" ] || [ ! -f "$controller_tar" ] \
  || [ -n "$(find agent/src api/src common/src core/src webhook/src controller/src cni -newer "$agent_tar" -type f -print -quit)" ] \
  || [ -n "$(find api/src common/src core/src webhook/src controller/src -newer "$controller_tar" -type f -print -quit)" ]; then
  echo "== building the images"
  scripts/build-cni.sh >/dev/null
  scripts/images.sh
fi

echo "== the control plane and two nodes"
scripts/cluster.sh up
eval "$(scripts/cluster.sh env)"
scripts/node.sh up
scripts/node.sh import "$agent_tar" "$controller_tar"
kubectl get nodes -o wide

echo "== helm install spiderpool charts/spiderpool -n kube-system --set multus.multusCNI.defaultCniCRName=macvlan-conf"
helm upgrade --install spiderpool charts/spiderpool --namespace kube-system \
  --set multus.multusCNI.defaultCniCRName=macvlan-conf \
  --set global.kubernetesServiceHost="$node_gateway" --set global.kubernetesServicePort=$api_port \
  --wait --timeout 5m >/dev/null
kubectl get po -n kube-system | grep -E "NAME|spiderpool"

echo "== the guide's SpiderMultusConfig, SpiderIPPools and DaemonSet (examples/seeds/000_*.yaml, unchanged)"
kubectl apply -f examples/seeds/000_*.yaml 2> >(grep -v -e "last-applied-configuration" -e "domain-qualified finalizer" >&2)
kubectl rollout status daemonset/test-app --timeout 3m
kubectl get spidermultusconfigs.spiderpool.spidernet.io -n kube-system
kubectl get network-attachment-definitions.k8s.cni.cncf.io -n kube-system

echo "== each pod's address comes from its node's zone"
kubectl get po -l app=test-app -o wide
kubectl get spiderippool
for pod in $(kubectl get po -l app=test-app -o jsonpath='{.items[*].metadata.name}'); do
  echo "\$ kubectl exec $pod -- ip -4 addr show eth0"
  kubectl exec "$pod" -- ip -4 addr show eth0
done
echo
echo "Everything keeps running: eval \"\$(SPJ_CLUSTER_NODES=1 scripts/cluster.sh env)\" to use kubectl and helm;"
echo "scripts/cluster.sh down stops it all (nodes too), --purge also deletes the cluster's data."
