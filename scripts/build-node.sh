#!/usr/bin/env bash
# Builds kubelet and kube-scheduler (scripts/node-build, the same Kubernetes version as the control
# plane) and the static pause program into a cache directory keyed by the pinned versions; prints the
# bin directory. First build ~3 minutes on two cores with Go's cache warm from build-k8s.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache_root=${SPJ_CACHE:-$HOME/.cache/spiderpool-java}
key=$(cat "$0" "$here/node-build/go.mod" "$here/node-build/go.sum" "$here/node-build/pause/main.go" | sha256sum | cut -c1-16)
k8s_version=$(grep -oE '^\s*(require )?k8s.io/kubernetes v[0-9.]+' "$here/node-build/go.mod" | awk '{print $NF}')
bin="$cache_root/node-$k8s_version-$key/bin"
if [ -x "$bin/kubelet" ] && [ -x "$bin/kube-scheduler" ] && [ -x "$bin/pause" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "build-node: Go toolchain not found on PATH" >&2; exit 1; }
mkdir -p "$bin.tmp"
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
minor=$(echo "$k8s_version" | cut -d. -f2)
kv="-X k8s.io/component-base/version.gitVersion=$k8s_version -X k8s.io/component-base/version.gitMajor=1"
kv="$kv -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
for cmd in kubelet kube-scheduler; do
  t0=$(date +%s)
  (cd "$here/node-build" && go build -trimpath -ldflags "-s -w $kv" -o "$bin.tmp/$cmd" "k8s.io/kubernetes/cmd/$cmd") >&2
  echo "build-node: built $cmd in $(( $(date +%s) - t0 ))s" >&2
done
(cd "$here/node-build" && go build -trimpath -ldflags "-s -w" -o "$bin.tmp/pause" ./pause) >&2
mkdir -p "$bin" && mv "$bin.tmp"/* "$bin"/ && rmdir "$bin.tmp"
for old in "$cache_root"/node-*; do
  [ "$old" = "$(dirname "$bin")" ] || rm -rf "$old"
done
echo "$bin"
