#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-controller-manager, kubectl and helm from their Go modules (prebuilt
# Kubernetes binaries cannot be downloaded here) into a cache directory keyed by the pinned
# versions, so only the first run pays. Prints the bin directory on stdout.
#
#   scripts/build-k8s.sh            build what is missing, print the bin directory
#   SPJ_CACHE=/path ...      cache root (default ~/.cache/spiderpool-java)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache_root=${SPJ_CACHE:-$HOME/.cache/spiderpool-java}

# The cache key is the content of the pinning files: a version bump builds afresh.
key=$(cat "$0" "$here/k8s-build/go.mod" "$here/k8s-build/go.sum" "$here/helm-build/go.mod" "$here/helm-build/go.sum" \
  | sha256sum | cut -c1-16)
k8s_version=$(grep -oE '^\s*(require )?k8s.io/kubernetes v[0-9.]+' "$here/k8s-build/go.mod" | awk '{print $NF}')
bin="$cache_root/k8s-$k8s_version-$key/bin"

want=(etcd kube-apiserver kube-controller-manager kubectl helm)
missing=()
for b in "${want[@]}"; do [ -x "$bin/$b" ] || missing+=("$b"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "$bin"
  exit 0
fi

command -v go >/dev/null || { echo "build-k8s: Go toolchain not found on PATH" >&2; exit 1; }
mkdir -p "$bin.tmp"
start=$(date +%s)
echo "build-k8s: building ${missing[*]} from Go modules into $bin; the first build usually takes 5-10 minutes on two cores (later runs: nothing)" >&2
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
helm_version=$(grep -oE '^\s*(require )?helm.sh/helm/v3 v[0-9.]+' "$here/helm-build/go.mod" | awk '{print $NF}')
# Stamp the versions a release build would, so `kubectl version` and helm report the truth.
minor=$(echo "$k8s_version" | cut -d. -f2)
kv="-X k8s.io/component-base/version.gitVersion=$k8s_version -X k8s.io/component-base/version.gitMajor=1"
kv="$kv -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
kv="$kv -X k8s.io/client-go/pkg/version.gitVersion=$k8s_version"
build() { # module-dir output package extra-ldflags
  local t0
  t0=$(date +%s)
  echo "build-k8s: building $2 ($3)..." >&2
  (cd "$here/$1" && go build -trimpath -ldflags "-s -w $4" -o "$bin.tmp/$2" "$3") >&2
  echo "build-k8s: built $2 in $(( $(date +%s) - t0 ))s ($(( $(date +%s) - start ))s so far)" >&2
}
for b in "${missing[@]}"; do
  case "$b" in
    etcd) build k8s-build etcd go.etcd.io/etcd/server/v3 "" ;;
    kube-apiserver) build k8s-build kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$kv" ;;
    kube-controller-manager) build k8s-build kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager "$kv" ;;
    kubectl) build k8s-build kubectl k8s.io/kubernetes/cmd/kubectl "$kv" ;;
    helm) build helm-build helm helm.sh/helm/v3/cmd/helm "-X helm.sh/helm/v3/internal/version.version=$helm_version" ;;
  esac
done
mkdir -p "$bin"
mv "$bin.tmp"/* "$bin"/
rmdir "$bin.tmp"
echo "build-k8s: built ${missing[*]} in $(( $(date +%s) - start ))s into $bin" >&2
# Builds of other pins are dead weight (hundreds of MiB each): keep only this one.
for old in "$cache_root"/k8s-*; do
  [ "$old" = "$(dirname "$bin")" ] || rm -rf "$old"
done
echo "$bin"
