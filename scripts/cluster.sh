#!/usr/bin/env bash
# A real Kubernetes control plane on loopback for tests and the quickstart: etcd, kube-apiserver
# (admission webhooks on) and kube-controller-manager (owner-reference GC, namespace deletion,
# workload controllers). There is no kubelet and no scheduler: nodes and pods are API objects,
# unless SPJ_CLUSTER_NODES=1 (as root): then the API server listens on the nodes' bridge
# (198.18.0.0/15, see scripts/lib/cluster-layout.sh) so that scripts/node.sh can add real nodes, each in a
# network namespace of its own, and pods get service account tokens.
#
#   scripts/cluster.sh up        start (idempotent: a running cluster is left as it is)
#   scripts/cluster.sh down      stop every process; add --purge to delete the etcd data as well
#   scripts/cluster.sh status    what runs; exit 0 when all of it does, 3 otherwise
#   scripts/cluster.sh env       export lines: eval "$(scripts/cluster.sh env)"
#
# Environment: SPJ_CLUSTER_DIR (state: certificates, kubeconfig, logs, etcd data; default
# .cluster/ in the repository), SPJ_CLUSTER_PORT_BASE (default 16440: the API server listens
# on base+3, etcd on base+1 and base+2, kube-controller-manager on base+4).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/cluster-layout.sh
. "$root/scripts/lib/cluster-layout.sh"
components=(etcd kube-apiserver kube-controller-manager)
nodes=${SPJ_CLUSTER_NODES:-0}
api_host=127.0.0.1
[ "$nodes" = 1 ] && api_host=$node_gateway
kubeconfig=$dir/kubeconfig

say() { echo "cluster: $*" >&2; }
die() { say "$*"; exit 1; }

pid_of() { # component -> pid if running
  local f=$dir/$1.pid
  [ -f "$f" ] || return 1
  local pid
  pid=$(cat "$f")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # what url seconds [curl args...]
  local what=$1 url=$2 seconds=$3
  shift 3
  local deadline=$((SECONDS + seconds))
  until curl -sf --max-time 2 "$@" "$url" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      say "$what did not become healthy within ${seconds}s at $url; last log lines:"
      tail -n 20 "$dir/$what.log" >&2 || true
      return 1
    fi
    sleep 0.3
  done
}

certificates() {
  if [ -f "$pki/admin.crt" ]; then
    # Made for another port base (the nodes' bridge address is among the API server's names): anew.
    openssl x509 -in "$pki/apiserver.crt" -noout -text | grep -q "IP Address:$node_gateway\b" && return 0
    rm -rf "$pki"
  fi
  command -v openssl >/dev/null || die "openssl is needed to create the cluster's certificates"
  mkdir -p "$pki"
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/CN=spiderpool-local-ca" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr \
      -subj "/CN=kube-apiserver" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:10.96.0.1,IP:%s\nextendedKeyUsage=serverAuth\n' \
      "$node_gateway" > apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt \
      -days 3650 -extfile apiserver.ext 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr \
      -subj "/O=system:masters/CN=spiderpool-admin" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' > admin.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt \
      -days 3650 -extfile admin.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ./*.ext
  )
}

kubeconfig() {
  b64() { base64 -w0 < "$1"; }
  cat > "$kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://$api_host:$api_port
    certificate-authority-data: $(b64 "$pki/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $(b64 "$pki/admin.crt")
    client-key-data: $(b64 "$pki/admin.key")
contexts:
- name: local
  context:
    cluster: local
    user: admin
    namespace: default
current-context: local
EOF
  chmod 600 "$kubeconfig" "$pki"/*.key
}

start() { # component command...
  local name=$1
  shift
  setsid "$@" >"$dir/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
}

up() {
  mkdir -p "$dir"
  local running=0
  for c in "${components[@]}"; do pid_of "$c" >/dev/null && running=$((running + 1)); done
  local mode=plain
  [ "$nodes" = 1 ] && mode=nodes
  if [ $running -eq ${#components[@]} ] && [ "$(cat "$dir/mode" 2>/dev/null)" = "$mode" ]; then
    say "already up (API server https://$api_host:$api_port)"
    return 0
  fi
  if [ $running -gt 0 ]; then
    say "up in another mode or partly; restarting"
    down
  fi
  echo "$mode" > "$dir/mode"
  for p in $etcd_port $etcd_peer_port $api_port $kcm_port; do
    if port_taken "$p"; then
      die "port 127.0.0.1:$p is taken by another process; stop it or set SPJ_CLUSTER_PORT_BASE"
    fi
  done
  local bin
  bin=$("$root/scripts/build-k8s.sh")
  certificates
  kubeconfig
  if [ "$nodes" = 1 ]; then
    [ "$(id -u)" = 0 ] || die "SPJ_CLUSTER_NODES=1 needs root (the nodes' bridge)"
    ip link show "$node_bridge" >/dev/null 2>&1 || {
      ip link add "$node_bridge" type bridge
      ip addr add "$node_gateway/24" dev "$node_bridge"
      ip link set "$node_bridge" up
    }
  fi

  start etcd "$bin/etcd" --name local --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster "local=http://127.0.0.1:$etcd_peer_port" \
    --unsafe-no-fsync --log-level warn
  wait_for etcd "http://127.0.0.1:$etcd_port/health" 30

  # With real nodes (SPJ_CLUSTER_NODES=1, scripts/node.sh) pods get their service account token as in
  # any cluster; without, pods are only API objects and need none (and no wait for a namespace's
  # default ServiceAccount).
  local disabled_admission=ServiceAccount,TaintNodesByCondition
  [ "${SPJ_CLUSTER_NODES:-0}" = 1 ] && disabled_admission=TaintNodesByCondition
  # Nodes here never run a kubelet, so they never turn Ready: TaintNodesByCondition would taint every
  # new node not-ready:NoSchedule and workload controllers (DaemonSets) would place nothing on it.
  start kube-apiserver "$bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address "$api_host" --advertise-address "$api_host" --secure-port "$api_port" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.96.0.0/16 \
    --authorization-mode RBAC \
    --kubelet-client-certificate "$pki/admin.crt" --kubelet-client-key "$pki/admin.key" \
    --kubelet-preferred-address-types InternalIP --enable-aggregator-routing=true \
    --enable-admission-plugins NamespaceLifecycle,LimitRanger,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota \
    --disable-admission-plugins "$disabled_admission" \
    --allow-privileged=true --profiling=false --cert-dir "$dir/apiserver-certs"
  wait_for kube-apiserver "https://$api_host:$api_port/readyz" 90 \
    --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key"

  # No node-lifecycle controller: nodes here never heartbeat, and it would taint them and evict pods.
  start kube-controller-manager "$bin/kube-controller-manager" \
    --kubeconfig "$kubeconfig" --bind-address 127.0.0.1 --secure-port "$kcm_port" \
    --leader-elect=false --use-service-account-credentials=false \
    --controllers garbagecollector,namespace,serviceaccount,serviceaccount-token,root-ca-cert-publisher,endpoint,endpointslice,daemonset,replicaset,deployment,statefulset,job,cronjob \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --kube-api-qps "${SPJ_KCM_API_QPS:-20}" --kube-api-burst "$(( ${SPJ_KCM_API_QPS:-20} * 3 / 2 ))" \
    --cert-dir "$dir/kcm-certs"
  wait_for kube-controller-manager "https://127.0.0.1:$kcm_port/healthz" 60 -k
  say "up: API server https://$api_host:$api_port, kubeconfig $kubeconfig"
}

down() {
  local purge=${1:-}
  # Real nodes go first: their pods still talk to the API server while they stop.
  [ -f "$dir/nodes/names" ] && SPJ_CLUSTER_DIR=$dir SPJ_CLUSTER_PORT_BASE=$base "$root/scripts/node.sh" down
  # Network namespaces, agents and the controller the quickstart made for this cluster go first.
  if [ -f "$dir/netns.list" ]; then
    while read -r ns; do ip netns delete "$ns" 2>/dev/null || true; done < "$dir/netns.list"
    rm -f "$dir/netns.list"
  fi
  for f in "$dir"/agent-*.pid "$dir"/controller.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  for ((i = ${#components[@]} - 1; i >= 0; i--)); do
    local c=${components[$i]} pid
    if pid=$(pid_of "$c"); then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then
        say "$c (pid $pid) ignored SIGTERM for 10s; killing it"
        kill -9 "$pid" 2>/dev/null || true
      fi
    fi
    rm -f "$dir/$c.pid"
  done
  ip link del "$node_bridge" 2>/dev/null || true
  if [ "$purge" = "--purge" ]; then
    rm -rf "$dir/etcd"
  fi
  say "down"
}

status() {
  local all=0
  for c in "${components[@]}"; do
    if pid=$(pid_of "$c"); then
      echo "$c: running (pid $pid)"
    else
      echo "$c: stopped"
      all=3
    fi
  done
  return $all
}

env_lines() {
  local bin
  bin=$("$root/scripts/build-k8s.sh")
  echo "export KUBECONFIG=$kubeconfig"
  echo "export PATH=$bin:\$PATH"
}

case "${1:-}" in
  up) up ;;
  down) down "${2:-}" ;;
  status) status ;;
  env) env_lines ;;
  *) echo "usage: $0 up|down [--purge]|status|env" >&2; exit 2 ;;
esac
