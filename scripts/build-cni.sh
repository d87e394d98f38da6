#!/usr/bin/env bash
# Builds the static CNI plugin (cni/, Go standard library only) into cni/bin/spiderpool.
# Reproducible: CGO off, -trimpath, no build IDs, the version stamped from the Maven project.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(grep -m1 -oE '<version>[^<]+' "$root/pom.xml" | sed -n 2p | cut -d'>' -f2)
[ -n "$version" ] || version=dev
mkdir -p "$root/cni/bin"
cd "$root/cni"
CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -ldflags "-s -w -buildid= -X main.version=$version" \
  -o bin/spiderpool .
echo "$root/cni/bin/spiderpool"
