#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests against a real kube-apiserver, etcd and
# kube-controller-manager on loopback (built once from Go modules by scripts/build-k8s.sh).
#
#   scripts/test.sh              everything (mvn -B verify)
#   scripts/test.sh -pl api      extra arguments go to Maven
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bin=$(scripts/build-k8s.sh)
export SPIDERPOOL_K8S_BIN="$bin"
export PATH="$bin:$PATH"

mvn -B verify "$@"
