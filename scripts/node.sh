#!/usr/bin/env bash
# Real Kubernetes nodes for the local control plane (SPJ_CLUSTER_NODES=1 scripts/cluster.sh up: pods then get
# their service account tokens): per node a containerd (Debian's,
# with runc) and a kubelet built from the same Kubernetes module, plus one kube-scheduler.
#
#   scripts/node.sh up [--nodes N]    N nodes (default 2: controller-node-1, worker-node-1, as in seed 000)
#   scripts/node.sh down              stops them; nothing is left: process, mount, link, cgroup or file
#   scripts/node.sh status
#   scripts/node.sh import TAR...     loads image tarballs (docker-load format) into every node
#
# Each node runs in a mount and a network namespace of its own. In the mount namespace the host
# paths a node has are its own directories under the cluster directory (/etc/cni/net.d,
# /opt/cni/bin, /var/run/spidernet, /var/lib/kubelet, /var/lib/cni, /run/containerd, /var/log/pods,
# ...): several nodes share this machine, and pods' hostPath volumes see their node's files, as on
# separate machines. In the network namespace the node's eth0 (a veth on the cluster's bridge in
# 198.18.0.0/15, scripts/lib/cluster-layout.sh) holds the node address, so hostNetwork pods of different
# nodes (two agents) bind the same ports, as on separate machines; eth0 is also the node's underlay:
# /etc/cni/net.d/10-spiderpool.conflist chains macvlan (master: eth0) with spiderpool IPAM.
# Nothing is written to /etc; images come from tarballs (no registry is reachable here).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/cluster-layout.sh
. "$root/scripts/lib/cluster-layout.sh"
nodes_dir=$dir/nodes

say() { echo "node: $*" >&2; }
die() { say "$*"; exit 1; }

node_name() { # index from 1
  if [ "$1" -eq 1 ]; then echo controller-node-1; else echo "worker-node-$(($1 - 1))"; fi
}

kubeconfig_for() { # file cert key
  cat > "$1" <<YAML
apiVersion: v1
kind: Config
clusters:
- cluster: {server: "https://$node_gateway:$api_port", certificate-authority: "$pki/ca.crt"}
  name: local
users:
- name: u
  user: {client-certificate: "$2", client-key: "$3"}
contexts:
- context: {cluster: local, user: u}
  name: local
current-context: local
YAML
}

# A one-layer image in docker-load format from a directory of static files.
static_image() { # rootfs name entrypoint-json out.tar
  local work
  work=$(mktemp -d)
  tar -C "$1" --owner=0 --group=0 --mtime='1970-01-01' --sort=name -cf "$work/layer.tar" .
  local layer_sha config
  layer_sha=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  config="{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":$3},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$layer_sha\"]}}"
  local config_sha
  config_sha=$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)
  mkdir -p "$work/img/$layer_sha"
  mv "$work/layer.tar" "$work/img/$layer_sha/layer.tar"
  printf '%s' "$config" > "$work/img/$config_sha.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' \
    "$config_sha" "$2" "$layer_sha" > "$work/img/manifest.json"
  tar -C "$work/img" -cf "$4" .
  rm -rf "$work"
}

# The images every node has: the pause image (our static pause program, named as the kubelet's
# default sandbox image) and, for the seeds' workloads, which name `nginx`, a stand-in under that
# name: Debian's static busybox serving HTTP on port 80, with sh, ip, ping and wget for kubectl exec.
node_images() { # bin out-dir
  local work
  work=$(mktemp -d)
  mkdir -p "$work/pause" "$work/nginx/bin" "$work/nginx/www"
  cp "$1/pause" "$work/pause/pause"
  static_image "$work/pause" registry.k8s.io/pause:3.10 '["/pause"]' "$2/pause.tar"
  cp /bin/busybox "$work/nginx/bin/busybox"
  for a in sh ip ping wget cat ls sleep hostname; do ln -s busybox "$work/nginx/bin/$a"; done
  echo "spiderpool-java stand-in for nginx" > "$work/nginx/www/index.html"
  # A shell as PID 1 that ends on SIGTERM (httpd as PID 1 would ignore it: a pod would take its whole
  # grace period to stop).
  static_image "$work/nginx" docker.io/library/nginx:latest \
    '["/bin/sh","-c","trap exit TERM; busybox httpd -f -p 80 -h /www & wait"]' "$2/nginx.tar"
  rm -rf "$work"
}

containerd_config() { # node-dir
  local nd=$1
  containerd config default > "$nd/containerd.toml"
  sed -i \
    -e "s|^root = .*|root = \"$nd/containerd/root\"|" \
    -e "s|^state = .*|state = \"$nd/containerd/state\"|" \
    -e "s|^\(\s*\)address = \"/run/containerd/containerd.sock\"|\1address = \"/run/containerd/containerd.sock\"|" \
    -e "s|sandbox_image = .*|sandbox_image = \"registry.k8s.io/pause:3.10\"|" \
    -e "s|restrict_oom_score_adj = .*|restrict_oom_score_adj = true|" \
    -e "s|netns_mounts_under_state_dir = .*|netns_mounts_under_state_dir = true|" \
    -e "s|path = \"/opt/containerd\"|path = \"$nd/containerd/opt\"|" \
    "$nd/containerd.toml"
}

kubelet_config() { # node-dir name ip index
  local nd=$1 name=$2 ip=$3 i=$4
  cat > "$nd/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $ip
port: $((base + 20 + i))
readOnlyPort: 0
healthzPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: "$pki/ca.crt"}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
cgroupRoot: /spj-$base-$name
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
podLogsDir: /var/log/pods
makeIPTablesUtilChains: false
evictionHard: {}
enforceNodeAllocatable: []
clusterDomain: cluster.local
registerNode: true
serializeImagePulls: false
YAML
}

up() {
  local n=2
  [ "${1:-}" = "--nodes" ] && n=$2
  [ -f "$dir/kubeconfig" ] || die "the control plane is not up: SPJ_CLUSTER_NODES=1 scripts/cluster.sh up first"
  command -v containerd >/dev/null && command -v runc >/dev/null \
    || die "containerd and runc are needed: apt-get install -y containerd runc (scripts/require-packages.sh does it as root)"
  [ "$(id -u)" = 0 ] || die "nodes need root (mount namespaces, cgroups, links)"
  local bin k8sbin
  bin=$("$root/scripts/build-node.sh")
  k8sbin=$("$root/scripts/build-k8s.sh")
  mkdir -p "$nodes_dir"
  ip addr show dev "$node_bridge" 2>/dev/null | grep -q " $node_gateway/" \
    || die "the control plane has no nodes' bridge $node_bridge: SPJ_CLUSTER_NODES=1 scripts/cluster.sh up first"
  dpkg -s busybox-static >/dev/null 2>&1 \
    || die "the seeds' workload image is made from Debian's static busybox: apt-get install -y busybox-static"
  node_images "$bin" "$nodes_dir"
  "$k8sbin/kubectl" --kubeconfig "$dir/kubeconfig" apply -f - >/dev/null <<YAML
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: spj-system-nodes}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:node"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:nodes"}]
YAML

  for i in $(seq 1 "$n"); do
    local name ip nd veth
    name=$(node_name "$i")
    ip=$node_prefix.$((10 + i))
    nd=$nodes_dir/$name
    veth=spj${base}v$i
    if [ -f "$nd/node.pid" ] && kill -0 "$(cat "$nd/node.pid")" 2>/dev/null; then
      say "$name already runs"
      continue
    fi
    mkdir -p "$nd"/{pki,logs,overlay,containerd/root,containerd/state,containerd/opt}
    mkdir -p "$nd"/host/{etc-cni-net.d,opt-cni-bin,var-run-spidernet,var-lib-kubelet,var-lib-cni,run-containerd,var-log-pods,var-log-containers,var-run-netns,tmp}
    [ -f "$nd/pki/node.crt" ] || (
      cd "$nd/pki"
      openssl req -newkey rsa:2048 -nodes -keyout node.key -out node.csr -subj "/O=system:nodes/CN=system:node:$name" 2>/dev/null
      printf 'extendedKeyUsage=clientAuth\n' > node.ext
      openssl x509 -req -in node.csr -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -out node.crt -days 3650 \
        -extfile node.ext 2>/dev/null
      rm -f node.csr node.ext
    )
    kubeconfig_for "$nd/kubeconfig" "$nd/pki/node.crt" "$nd/pki/node.key"
    containerd_config "$nd"
    kubelet_config "$nd" "$name" "$ip" "$i"
    echo "$veth" > "$nd/veth"
    # The standard plugins the node's CNI chain runs; the chart's agent adds ours to the same directory.
    for p in macvlan loopback host-local; do ln -sf "/usr/lib/cni/$p" "$nd/host/opt-cni-bin/$p"; done
    # SPJ_NODE_IPAM=host-local: the reference IPAM instead of ours, for scripts/bench-node's baseline.
    local ipam='{"type": "spiderpool"}'
    [ "${SPJ_NODE_IPAM:-spiderpool}" = host-local ] \
      && ipam="{\"type\": \"host-local\", \"ranges\": [[{\"subnet\": \"10.$((9 + i)).0.0/16\"}]]}"
    cat > "$nd/host/etc-cni-net.d/10-spiderpool.conflist" <<JSON
{"cniVersion": "0.3.1", "name": "macvlan-$name", "plugins": [
  {"type": "macvlan", "master": "eth0", "mode": "bridge", "ipam": $ipam}]}
JSON
    for h in $(ls /sys/fs/cgroup); do mkdir -p "/sys/fs/cgroup/$h/spj-$base-$name"; done
    # The node: a mount namespace whose host paths are this node's directories and a network
    # namespace whose eth0 is plugged into the cluster's bridge below; containerd and the kubelet live
    # in them (and so do the containers runc starts).
    unshare -m -n --propagation private bash -c "
      set -e
      for _ in \$(seq 1 100); do ip link show eth0 >/dev/null 2>&1 && break; sleep 0.05; done
      ip link set lo up
      ip addr add '$ip/24' dev eth0
      ip link set eth0 up
      ip route add default via '$node_gateway'
      # /etc, /opt, /var and /run become writable overlays on a tmpfs for this namespace only, so the
      # mount points below are made without writing to the host's directories.
      mount -t tmpfs tmpfs '$nd/overlay'
      for d in etc opt var run; do
        mkdir -p '$nd/overlay/'\$d-up '$nd/overlay/'\$d-work
        mount -t overlay overlay -o lowerdir=/\$d,upperdir='$nd/overlay/'\$d-up,workdir='$nd/overlay/'\$d-work /\$d
      done
      bind() { mkdir -p \"\$2\"; mount --bind \"\$1\" \"\$2\"; }
      bind '$nd/host/etc-cni-net.d' /etc/cni/net.d
      bind '$nd/host/opt-cni-bin' /opt/cni/bin
      bind '$nd/host/var-run-spidernet' /var/run/spidernet
      bind '$nd/host/var-lib-kubelet' /var/lib/kubelet
      mount --make-rshared /var/lib/kubelet
      bind '$nd/host/var-lib-cni' /var/lib/cni
      bind '$nd/host/run-containerd' /run/containerd
      bind '$nd/host/var-log-pods' /var/log/pods
      bind '$nd/host/var-log-containers' /var/log/containers
      bind '$nd/host/var-run-netns' /var/run/netns
      mount --make-rshared /var/run/netns
      # Shared within this namespace (a private copy of the host's): pods may ask for
      # HostToContainer or Bidirectional propagation of any path.
      mount --make-rshared /
      containerd --config '$nd/containerd.toml' > '$nd/logs/containerd.log' 2>&1 &
      for _ in \$(seq 1 100); do [ -S /run/containerd/containerd.sock ] && break; sleep 0.1; done
      ctr -n k8s.io images import '$nodes_dir/pause.tar' > /dev/null
      ctr -n k8s.io images import '$nodes_dir/nginx.tar' > /dev/null
      exec '$bin/kubelet' --config '$nd/kubelet.yaml' --kubeconfig '$nd/kubeconfig' --root-dir /var/lib/kubelet \
        --cert-dir '$nd/pki' --node-ip '$ip' --hostname-override '$name' --v 1 > '$nd/logs/kubelet.log' 2>&1
    " &
    echo $! > "$nd/node.pid"
    ip link del "$veth" 2>/dev/null || true # left by a node that died without its down
    ip link add "$veth" type veth peer name eth0 netns "$(cat "$nd/node.pid")"
    ip link set "$veth" master "$node_bridge" up
    echo "$name" >> "$nodes_dir/names"
    say "$name: $ip (eth0, $veth on $node_bridge), pid $(cat "$nd/node.pid")"
  done
  sort -u -o "$nodes_dir/names" "$nodes_dir/names"

  if ! { [ -f "$nodes_dir/scheduler.pid" ] && kill -0 "$(cat "$nodes_dir/scheduler.pid")" 2>/dev/null; }; then
    "$bin/kube-scheduler" --kubeconfig "$dir/kubeconfig" --authentication-kubeconfig "$dir/kubeconfig" \
      --authorization-kubeconfig "$dir/kubeconfig" --leader-elect=false --bind-address 127.0.0.1 \
      --secure-port "$sched_port" > "$nodes_dir/scheduler.log" 2>&1 &
    echo $! > "$nodes_dir/scheduler.pid"
  fi
  local deadline=$((SECONDS + 90))
  for name in $(cat "$nodes_dir/names"); do
    until [ "$("$k8sbin/kubectl" --kubeconfig "$dir/kubeconfig" get node "$name" \
        -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; do
      [ $SECONDS -lt $deadline ] || { tail -20 "$nodes_dir/$name/logs/kubelet.log" >&2; die "$name did not become Ready"; }
      sleep 0.5
    done
    say "$name Ready"
  done
}

import() {
  for name in $(cat "$nodes_dir/names"); do
    local pid
    pid=$(cat "$nodes_dir/$name/node.pid")
    for tar in "$@"; do
      nsenter -t "$pid" -m ctr -n k8s.io images import "$(readlink -f "$tar")" >/dev/null
    done
    say "$name: imported $*"
  done
}

down() {
  [ -f "$nodes_dir/names" ] || { say "no nodes"; return 0; }
  local k8sbin
  k8sbin=$("$root/scripts/build-k8s.sh")
  [ -f "$nodes_dir/scheduler.pid" ] && kill "$(cat "$nodes_dir/scheduler.pid")" 2>/dev/null || true
  for name in $(cat "$nodes_dir/names"); do
    local nd=$nodes_dir/$name pid
    pid=$(cat "$nd/node.pid" 2>/dev/null || echo "")
    # Every process in the node's mount namespace (containers, their shims, containerd, the kubelet).
    if [ -n "$pid" ] && [ -e "/proc/$pid/ns/mnt" ]; then
      local mnt p
      mnt=$(readlink "/proc/$pid/ns/mnt")
      for p in /proc/[0-9]*; do
        [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$mnt" ] && kill -9 "${p#/proc/}" 2>/dev/null || true
      done
    fi
    for h in $(ls /sys/fs/cgroup); do
      local cg=/sys/fs/cgroup/$h/spj-$base-$name
      [ -d "$cg" ] || continue
      find "$cg" -name cgroup.procs -exec cat {} \; 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    done
    [ -n "$pid" ] && { pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; }
    pkill -f "containerd --config $nd/containerd.toml" 2>/dev/null || true
    pkill -f "kubelet --config $nd/kubelet.yaml" 2>/dev/null || true
    for _ in $(seq 1 50); do pgrep -f "$nd/" >/dev/null || break; sleep 0.2; done
    pkill -9 -f "$nd/" 2>/dev/null || true
    for h in $(ls /sys/fs/cgroup); do
      local cg=/sys/fs/cgroup/$h/spj-$base-$name
      [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done
    [ -f "$nd/veth" ] && ip link del "$(cat "$nd/veth")" 2>/dev/null || true
    "$k8sbin/kubectl" --kubeconfig "$dir/kubeconfig" delete node "$name" --wait=false >/dev/null 2>&1 || true
    # Mounts made inside the node's namespace went with it; anything the host still sees is unmounted.
    grep " $nd/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "$nd"
  done
  rm -rf "$nodes_dir"
  say "down"
}

status() {
  [ -f "$nodes_dir/names" ] || { say "no nodes"; return 1; }
  for name in $(cat "$nodes_dir/names"); do
    if kill -0 "$(cat "$nodes_dir/$name/node.pid")" 2>/dev/null; then say "$name runs"; else say "$name stopped"; fi
  done
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  status) status ;;
  import) shift; import "$@" ;;
  *) echo "usage: scripts/node.sh up [--nodes N] | down | status | import TAR..." >&2; exit 2 ;;
esac
