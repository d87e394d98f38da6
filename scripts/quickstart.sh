#!/usr/bin/env bash
# The local quickstart: one of Spiderpool's guides (the seed documents) on a real control plane.
#
#   scripts/quickstart.sh              the cross-zone guide (seed 000) on two real nodes: images built,
#                                      helm install of charts/spiderpool, the guide's DaemonSet in real
#                                      pods (scripts/lib/quickstart-nodes.sh; root)
#   scripts/quickstart.sh --fast [000|002|003|004]
#                                      a guide without nodes: our processes beside the control plane
#
#   000  application across network zones (examples/cross-zone): a pool per zone pinned with nodeName
#   002  the same with SpiderSubnets and nodeAffinity (examples/subnet-zones)
#   003  per-cluster default pools and a SpiderMultusConfig with coordinator.hijackCIDR (examples/seeds/003_*)
#   004  fixed IPs for a Deployment from a SpiderSubnet: its auto-pool (examples/subnet-auto-pool)
#
# --fast, every scenario:
#   1. kube-apiserver, etcd, kube-controller-manager on loopback (scripts/cluster.sh)
#   2. Spiderpool's CRDs, generated from our model, and spiderpool-controller with its admission
#      webhooks (called by the API server at https://127.0.0.1, scripts/lib/local-webhooks.yaml)
#   3. the guides' two nodes and SpiderMultusConfig; two spiderpool-agent processes, one per node,
#      each on its own Unix socket
#   4. the scenario's objects; kube-controller-manager creates the workload's pods; this script
#      plays the scheduler (binds each pod) and kubelet: as root with Debian's
#      containernetworking-plugins, it runs the real macvlan plugin in a network namespace per node,
#      which delegates IPAM to our plugin (cni/bin/spiderpool) and the node's agent, so each pod's
#      namespace gets its address; otherwise it calls the agents' sockets directly. It then reports
#      the IP in the pod status, as kubelet would
#   5. the guide's listings (kubectl get po -o wide, kubectl get spiderippool, ...)
#
# Afterwards: eval "$(scripts/cluster.sh env)" to use kubectl; scripts/cluster.sh down stops it all
# (`scripts/cluster.sh down --purge` between scenarios for a clean slate).
set -euo pipefail
fast=0
[ "${1:-}" = "--fast" ] && { fast=1; shift; }
scenario=${1:-000}
case "$scenario" in
  000|002|003|004) ;;
  *) echo "usage: scripts/quickstart.sh [--fast [000|002|003|004]]  (unknown scenario '$scenario')" >&2; exit 2 ;;
esac
if [ $fast = 0 ]; then
  [ "$scenario" = 000 ] || { echo "quickstart: on real nodes the cross-zone guide (000) runs; scripts/quickstart.sh --fast $scenario for this one" >&2; exit 2; }
  exec "$(dirname "$0")/lib/quickstart-nodes.sh"
fi
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=lib/cluster-layout.sh
. "$root/scripts/lib/cluster-layout.sh"

scripts/cluster.sh up
eval "$(scripts/cluster.sh env)"
jar=agent/target/spiderpool-agent.jar
controller_jar=controller/target/spiderpool-controller.jar
if [ ! -f "$jar" ] || [ ! -f "$controller_jar" ] \
  || [ -n "$(find agent/src api/src common/src core/src webhook/src controller/src -newer "$jar" -name '*.java' -print -quit)" ] \
  || [ -n "$(find api/src common/src core/src webhook/src controller/src -newer "$controller_jar" -name '*.java' -print -quit)" ]; then
  echo "== building the agent and the controller"
  mvn -B -q -pl agent,controller -am package -DskipTests
fi

echo "== installing the CRDs (charts/spiderpool/crds, generated from api/)"
kubectl apply --server-side --force-conflicts -f charts/spiderpool/crds/ >/dev/null
kubectl wait --for condition=Established --timeout 60s -f charts/spiderpool/crds/ >/dev/null

echo "== spiderpool-controller: admission webhooks on https://127.0.0.1 (scripts/lib/local-webhooks.yaml)"
webhook_port=$((base + 10))
controller_health=$((base + 11))
sed "s/WEBHOOK_PORT/$webhook_port/" scripts/lib/local-webhooks.yaml | kubectl apply -f - >/dev/null
kubectl create namespace spiderpool --dry-run=client -o yaml | kubectl apply -f - >/dev/null
if [ -f "$dir/controller.pid" ] && kill -0 "$(cat "$dir/controller.pid")" 2>/dev/null; then
  echo "controller already runs"
else
  mkdir -p "$dir/controller"
  printf 'enableIPv4: true\nenableIPv6: true\nenableSpiderSubnet: true\n' > "$dir/controller/conf.yml"
  mapfile -t controller_jvm < <(grep -v '^\s*#' controller/jvm-options | grep -v '^\s*$')
  env -i PATH="$PATH" KUBECONFIG="$KUBECONFIG" SPIDERPOOL_POD_NAMESPACE=spiderpool \
    SPIDERPOOL_POD_NAME=spiderpool-controller-0 SPIDERPOOL_WEBHOOK_HOST=127.0.0.1 SPIDERPOOL_WEBHOOK_PORT=$webhook_port \
    SPIDERPOOL_WEBHOOK_EXTRA_HOSTS=127.0.0.1 SPIDERPOOL_HEALTH_PORT=$controller_health MALLOC_ARENA_MAX=2 \
    SPIDERPOOL_MULTUS_CONFIG_ENABLED=true SPIDERPOOL_COORDINATOR_ENABLED=true \
    setsid java "${controller_jvm[@]}" -jar "$controller_jar" --config-path "$dir/controller/conf.yml" \
    >"$dir/controller/controller.log" 2>&1 </dev/null &
  echo $! > "$dir/controller.pid"
fi
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$controller_health/v1/runtime/readiness" >/dev/null 2>&1 \
    && [ -n "$(kubectl get validatingwebhookconfiguration spiderpool-controller -o jsonpath='{.webhooks[0].clientConfig.caBundle}')" ] \
    && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$controller_health/v1/runtime/readiness" >/dev/null \
  || { echo "the controller did not become ready; see $dir/controller/controller.log" >&2; exit 1; }
echo "controller ready: webhook CA in Secret spiderpool/spiderpool-controller-server-certs and in both webhook configurations"

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

echo "== the guide's SpiderMultusConfig, rendered into a NetworkAttachmentDefinition by the controller"
kubectl apply -f - <<'YAML'
apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderMultusConfig
metadata:
  name: macvlan-conf
  namespace: kube-system
spec:
  cniType: macvlan
  enableCoordinator: true
  macvlan:
    master:
    - eth0
YAML
for _ in $(seq 1 100); do
  kubectl get network-attachment-definitions.k8s.cni.cncf.io -n kube-system macvlan-conf >/dev/null 2>&1 && break
  sleep 0.2
done
kubectl get spidermultusconfigs.spiderpool.spidernet.io -n kube-system
kubectl get network-attachment-definitions.k8s.cni.cncf.io -n kube-system
kubectl get network-attachment-definitions.k8s.cni.cncf.io -n kube-system macvlan-conf -o jsonpath='{.spec.config}{"\n"}'

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

netns_mode=0
# As root, the macvlan path needs Debian's containernetworking-plugins: install it (or say how).
[ "$(id -u)" != 0 ] || scripts/require-packages.sh
if [ "$(id -u)" = 0 ] && [ -x /usr/lib/cni/macvlan ] && command -v ip >/dev/null && ip netns list >/dev/null 2>&1; then
  netns_mode=1
  echo "== network namespaces per node, the real macvlan plugin and ours (cni/bin/spiderpool)"
  scripts/build-cni.sh >/dev/null
  cnibin=$dir/cni-bin
  mkdir -p "$cnibin"
  ln -sf /usr/lib/cni/macvlan "$cnibin/macvlan"
  ln -sf "$root/cni/bin/spiderpool" "$cnibin/spiderpool"
  for node in controller-node-1 worker-node-1; do
    ns=spj-qs-$node
    ip netns list | grep -qw "$ns" && continue
    ip netns add "$ns" && echo "$ns" >> "$dir/netns.list"
    ip -n "$ns" link add master0 type veth peer name master0-peer
    ip -n "$ns" link set master0 up && ip -n "$ns" link set master0-peer up
  done
else
  echo "== (not root or no /usr/lib/cni/macvlan: the agents are called on their sockets instead of through macvlan)"
fi

# The scheduler's and kubelet's part for the pods labelled app=$1 (see the header).
run_pods() {
  local app=$1 want=$2
  for _ in $(seq 1 150); do
    [ "$(kubectl get pods -l "app=$app" -o name | wc -l)" -ge "$want" ] && break
    sleep 0.2
  done
  for pod in $(kubectl get pods -l "app=$app" -o jsonpath='{.items[*].metadata.name}'); do
    node=$(kubectl get pod "$pod" -o jsonpath='{.spec.nodeName}')
    if [ -z "$node" ]; then # the scheduler's part: bind the pod to the node its affinity names, else the first
      node=$(kubectl get pod "$pod" -o jsonpath='{.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]}')
      node=${node:-controller-node-1}
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
    socket=$dir/agent-$node/run/spiderpool.sock
    if [ "$netns_mode" = 1 ]; then
      # kubelet's part, for real: macvlan runs in the node's namespace and asks our plugin for the IP
      podns=spj-qs-$pod
      ip netns list | grep -qw "$podns" || { ip netns add "$podns" && echo "$podns" >> "$dir/netns.list"; }
      conf="{\"cniVersion\":\"1.0.0\",\"name\":\"macvlan-conf\",\"type\":\"macvlan\",\"master\":\"master0\",\"mode\":\"bridge\",\"ipam\":{\"type\":\"spiderpool\",\"ipam_unix_socket_path\":\"$socket\"}}"
      reply=$(echo "$conf" | ip netns exec "spj-qs-$node" env -i PATH="$PATH" CNI_COMMAND=ADD \
        CNI_CONTAINERID="quickstart-$uid" CNI_NETNS="/var/run/netns/$podns" CNI_IFNAME=eth0 CNI_PATH="$cnibin" \
        CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=$pod;K8S_POD_UID=$uid" "$cnibin/macvlan" || true)
    else
      # kubelet's part, emulated: CNI ADD reaches the node's agent, which answers the pod's IP
      reply=$(curl -s --unix-socket "$socket" -X POST http://localhost/v1/ipam/ip \
        -H 'content-type: application/json' \
        -d "{\"containerID\":\"quickstart-$uid\",\"ifName\":\"eth0\",\"netNamespace\":\"/var/run/netns/$pod\",\"podNamespace\":\"default\",\"podName\":\"$pod\",\"podUID\":\"$uid\"}")
    fi
    address=$(echo "$reply" | sed -n 's/.*"address": *"\([^"]*\)".*/\1/p' | head -1)
    if [ -z "$address" ]; then
      echo "agent on $node refused pod $pod: $reply" >&2
      exit 1
    fi
    if [ "$netns_mode" = 1 ]; then
      echo "~# ip netns exec $podns ip -4 addr show eth0   (pod $pod on $node)"
      ip -n "$podns" -4 -o addr show eth0 | awk '{print "   " $2 " " $3 " " $4}'
    fi
    ip=${address%/*}
    kubectl patch pod "$pod" --subresource=status --type=merge \
      -p "{\"status\":{\"phase\":\"Running\",\"podIP\":\"$ip\",\"podIPs\":[{\"ip\":\"$ip\"}]}}" >/dev/null
  done
}

show() {
  echo
  echo "~# kubectl $*"
  kubectl "$@"
}

case "$scenario" in
  000)
    echo "== the guide's SpiderIPPools (examples/cross-zone/ippools.yaml)"
    kubectl apply -f examples/cross-zone/ippools.yaml
    echo "== the guide's DaemonSet (examples/cross-zone/daemonset.yaml)"
    kubectl apply -f examples/cross-zone/daemonset.yaml
    run_pods test-app 2
    show get po -l app=test-app -o wide
    show get spiderippool
    ;;
  002)
    echo "== the zones' SpiderSubnets and pools, adopted by them (examples/subnet-zones)"
    kubectl apply -f examples/subnet-zones/subnets.yaml
    kubectl apply -f examples/subnet-zones/ippools.yaml
    echo "== the guide's DaemonSet (examples/subnet-zones/daemonset.yaml)"
    kubectl apply -f examples/subnet-zones/daemonset.yaml
    run_pods test-app 2
    show get po -l app=test-app -o wide
    show get spidersubnet
    show get spiderippool
    ;;
  003)
    echo "== cluster-a's default pool, as the guide writes it (examples/seeds/003_*): its gateway is outside its subnet"
    awk '/^# 003_3f16589b5d0c42de.txt:42$/{p=1;next} /^---$/{p=0} p' examples/seeds/003_3f16589b5d0c42de.yaml \
      | kubectl apply -f - 2>&1 | sed 's/^/   /' || true
    echo "== the same pool with the gateway inside its subnet (172.110.1.254), so that the SMC's ippools name something"
    awk '/^# 003_3f16589b5d0c42de.txt:42$/{p=1;next} /^---$/{p=0} p' examples/seeds/003_3f16589b5d0c42de.yaml \
      | sed 's/gateway: 172.110.0.1/gateway: 172.110.1.254/' | kubectl apply -f -
    echo "== cluster-a's SpiderMultusConfig with coordinator.hijackCIDR, unchanged"
    awk '/^# 003_3f16589b5d0c42de.txt:78$/{p=1;next} /^---$/{p=0} p' examples/seeds/003_3f16589b5d0c42de.yaml \
      | kubectl apply -f -
    for _ in $(seq 1 100); do
      kubectl -n kube-system get network-attachment-definitions.k8s.cni.cncf.io macvlan-conf -o jsonpath='{.spec.config}' \
        | grep -q 10.243.0.0/18 && break
      sleep 0.2
    done
    show -n kube-system get network-attachment-definitions.k8s.cni.cncf.io macvlan-conf -o jsonpath='{.spec.config}{"\n"}'
    echo "== the cluster's SpiderCoordinator (the chart makes 'default'; podCIDRType none: no overlay here)"
    kubectl apply -f - <<'YAML'
apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderCoordinator
metadata:
  name: default
spec:
  podCIDRType: none
YAML
    for _ in $(seq 1 100); do
      [ "$(kubectl get spidercoordinator default -o jsonpath='{.status.phase}')" = Synced ] && break
      sleep 0.2
    done
    show get spidercoordinator default -o jsonpath='{.status}{"\n"}'
    echo
    echo "~# curl --unix-socket <agent of controller-node-1> http://localhost/v1/coordinator/config"
    curl -s --unix-socket "$dir/agent-controller-node-1/run/spiderpool.sock" http://localhost/v1/coordinator/config; echo
    ;;
  004)
    echo "== the guide's SpiderSubnet (examples/subnet-auto-pool/subnet.yaml)"
    kubectl apply -f examples/subnet-auto-pool/subnet.yaml
    echo "== the guide's Deployment, naming the subnet (examples/subnet-auto-pool/deployment.yaml)"
    kubectl apply -f examples/subnet-auto-pool/deployment.yaml
    run_pods custom-ippool-deploy 2
    show get po -l app=custom-ippool-deploy -o wide
    show get spiderippool
    show get spidersubnet
    ;;
esac
echo
echo "Everything keeps running: eval \"\$(scripts/cluster.sh env)\" to use kubectl, scripts/cluster.sh down to stop."
