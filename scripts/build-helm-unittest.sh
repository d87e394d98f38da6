#!/usr/bin/env bash
# Builds helm-unittest (scripts/helm-unittest-build pins v1.1.2 and repeats its replace directive)
# into a cache directory keyed by the pin; prints the binary's path. ChartIT runs it on
# charts/spiderpool/tests: `$(scripts/build-helm-unittest.sh) charts/spiderpool`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache_root=${SPJ_CACHE:-$HOME/.cache/spiderpool-java}
key=$(cat "$0" "$here/helm-unittest-build/go.mod" "$here/helm-unittest-build/go.sum" | sha256sum | cut -c1-16)
version=$(grep -oE '^\s*(require )?github.com/helm-unittest/helm-unittest v[0-9.]+' "$here/helm-unittest-build/go.mod" \
  | awk '{print $NF}')
bin="$cache_root/helm-unittest-$version-$key/helm-unittest"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "build-helm-unittest: Go toolchain not found on PATH" >&2; exit 1; }
mkdir -p "$(dirname "$bin")"
(cd "$here/helm-unittest-build" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
  go build -trimpath -ldflags "-s -w" -o "$bin.tmp" github.com/helm-unittest/helm-unittest/cmd/helm-unittest) >&2
mv "$bin.tmp" "$bin"
for old in "$cache_root"/helm-unittest-*; do
  [ "$old" = "$(dirname "$bin")" ] || rm -rf "$old"
done
echo "$bin"
