#!/usr/bin/env bash
# Builds a Go tool the tests run, from the module that pins it (scripts/<tool>-build), into a
# cache directory keyed by the pin; prints the binary's path.
#   helm-unittest  v1.1.2, the chart's template unit tests (ChartIT); its module repeats the
#                  upstream replace directive a plain `go install` would miss
#   cnitool        the reference CNI library's command (NodeE2EIT runs rendered NADs with it)
#
#   scripts/build-tool.sh helm-unittest|cnitool
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache_root=${SPJ_CACHE:-$HOME/.cache/spiderpool-java}
tool=${1:-}
case "$tool" in
  helm-unittest) package=github.com/helm-unittest/helm-unittest/cmd/helm-unittest ;;
  cnitool) package=github.com/containernetworking/cni/cnitool ;;
  *) echo "usage: scripts/build-tool.sh helm-unittest|cnitool" >&2; exit 2 ;;
esac
module=$here/$tool-build
key=$(cat "$0" "$module/go.mod" "$module/go.sum" | sha256sum | cut -c1-16)
bin="$cache_root/$tool-$key/$tool"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "build-tool: Go toolchain not found on PATH" >&2; exit 1; }
mkdir -p "$(dirname "$bin")"
(cd "$module" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -ldflags "-s -w" -o "$bin.tmp" "$package") >&2
mv "$bin.tmp" "$bin"
for old in "$cache_root/$tool"-*; do
  [ "$old" = "$(dirname "$bin")" ] || rm -rf "$old"
done
echo "$bin"
