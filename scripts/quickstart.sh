#!/usr/bin/env bash
# The local quickstart: the "application across network zones" guide on a real control plane.
#   1. kube-apiserver, etcd, kube-controller-manager on loopback (scripts/cluster.sh)
#   2. Spiderpool's CRDs, generated from our model; the guide's two nodes and two SpiderIPPools
#   3. two spiderpool-agent processes, one per node, each on its own Unix socket
#   4. the guide's DaemonSet, unchanged: kube-controller-manager creates a pod per node; this script
#      plays the scheduler (binds each pod) and kubelet (calls the node's agent for the pod's IP and
#      reports it in the pod status), as no real node runs here
#   5. the guide's listings: kubectl get po -o wide, kubectl get spiderippool
#
# Afterwards: eval "$(scripts/cluster.sh env)" to use kubectl; scripts/cluster.sh down stops it all.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dir=${SPJ_CLUSTER_DIR:-$root/.cluster}

scripts/cluster.sh up
eval "$(scripts/cluster.sh env)"
jar=agent/target/spiderpool-agent.jar
if [ ! -f "$jar" ] || [ -n "$(find agent/src api/src common/src -newer "$jar" -name '*.java' -print -quit)" ]; then
  echo "== building the agent"
  mvn -B -q -pl agent -am package -DskipTests
fi

echo "== installing the CRDs (charts/spiderpool/crds, generated from api/)"
kubectl apply --server-side --force-conflicts -f charts/spiderpool/crds/ >/dev/null
kubectl wait --for condition=Established --timeout 60s -f charts/spiderpool/crds/ >/dev/null

echo "== the guide's nodes"
for node in controller-node-1:subnet-6 worker-node-1:subnet-7; do
  kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata:
  name: ${node%%:*}
  labels:
    node-subnet: ${node##*:}
YAML
done
kubectl get nodes -L node-subnet

echo "== the guide's SpiderIPPools (examples/cross-zone/ippools.yaml)"
kubectl apply -f examples/cross-zone/ippools.yaml

echo "== one spiderpool-agent per node"
mapfile -t jvm < <(grep -v '^\s*#' agent/jvm-options | grep -v '^\s*$')
for node in controller-node-1 worker-node-1; do
  agent_dir=$dir/agent-$node
  socket=$agent_dir/run/spiderpool.sock
  if [ -f "$dir/agent-$node.pid" ] && kill -0 "$(cat "$dir/agent-$node.pid")" 2>/dev/null; then
    echo "agent $node already runs"
    continue
  fi
  mkdir -p "$agent_dir"
  echo "ipamUnixSocketPath: $socket" > "$agent_dir/conf.yml"
  rm -f "$socket"
  env -i PATH="$PATH" KUBECONFIG="$KUBECONFIG" SPIDERPOOL_NODE_NAME=$node SPIDERPOOL_POD_NAMESPACE=kube-system \
    SPIDERPOOL_POD_NAME=spiderpool-agent-$node SPIDERPOOL_HEALTH_PORT=0 \
    setsid java "${jvm[@]}" -jar "$jar" --config-path "$agent_dir/conf.yml" >"$agent_dir/agent.log" 2>&1 </dev/null &
  echo $! > "$dir/agent-$node.pid"
  for _ in $(seq 1 300); do [ -S "$socket" ] && break; sleep 0.1; done
  [ -S "$socket" ] || { echo "agent $node did not start; see $agent_dir/agent.log" >&2; exit 1; }
  echo "agent $node serves unix:$socket"
done

echo "== the guide's DaemonSet (examples/cross-zone/daemonset.yaml)"
kubectl apply -f examples/cross-zone/daemonset.yaml
for _ in $(seq 1 100); do
  [ "$(kubectl get pods -l app=test-app -o name | wc -l)" -ge 2 ] && break
  sleep 0.2
done
for pod in $(kubectl get pods -l app=test-app -o jsonpath='{.items[*].metadata.name}'); do
  node=$(kubectl get pod "$pod" -o jsonpath='{.spec.nodeName}')
  if [ -z "$node" ]; then # the scheduler's part: bind the pod to the node its affinity names
    node=$(kubectl get pod "$pod" -o jsonpath='{.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]}')
    kubectl create -f - >/dev/null <<YAML
apiVersion: v1
kind: Binding
metadata:
  name: $pod
target:
  apiVersion: v1
  kind: Node
  name: $node
YAML
  fi
  uid=$(kubectl get pod "$pod" -o jsonpath='{.metadata.uid}')
  # kubelet's part: CNI ADD reaches the node's agent, which answers the pod's IP
  reply=$(curl -s --unix-socket "$dir/agent-$node/run/spiderpool.sock" -X POST http://localhost/v1/ipam/ip \
    -H 'content-type: application/json' \
    -d "{\"containerID\":\"quickstart-$uid\",\"ifName\":\"eth0\",\"netNamespace\":\"/var/run/netns/$pod\",\"podNamespace\":\"default\",\"podName\":\"$pod\",\"podUID\":\"$uid\"}")
  address=$(echo "$reply" | grep -o '"address":"[^"]*"' | head -1 | cut -d'"' -f4)
  if [ -z "$address" ]; then
    echo "agent on $node refused pod $pod: $reply" >&2
    exit 1
  fi
  ip=${address%/*}
  kubectl patch pod "$pod" --subresource=status --type=merge \
    -p "{\"status\":{\"phase\":\"Running\",\"podIP\":\"$ip\",\"podIPs\":[{\"ip\":\"$ip\"}]}}" >/dev/null
done

echo
echo "~# kubectl get po -l app=test-app -o wide"
kubectl get po -l app=test-app -o wide
echo
echo "~# kubectl get spiderippool"
kubectl get spiderippool
echo
echo "Everything keeps running: eval \"\$(scripts/cluster.sh env)\" to use kubectl, scripts/cluster.sh down to stop."
