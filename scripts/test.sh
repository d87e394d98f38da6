#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests (*IT) against a real kube-apiserver, etcd and
# kube-controller-manager on loopback, built once from Go modules by scripts/build-k8s.sh.
# The test control plane (.cluster-test/, ports 16541-16544) is started once for the whole run and
# stopped at the end; a quickstart cluster (.cluster/) can keep running beside it.
#
#   scripts/test.sh              everything (mvn -B -Pimages verify: the images too)
#   scripts/test.sh -pl api -am  extra arguments go to Maven
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/require-packages.sh
bin=$(scripts/build-k8s.sh)
scripts/build-cni.sh >/dev/null
scripts/build-node.sh >/dev/null          # kubelet, kube-scheduler, pause: NodeE2EIT's real nodes
scripts/build-tool.sh helm-unittest >/dev/null # ChartIT's template unit tests
scripts/build-tool.sh cnitool >/dev/null       # NodeE2EIT runs rendered NADs with it
scripts/image-base.sh >/dev/null # the images are built (-Pimages) and run by ImageIT
export SPJ_K8S_BIN="$bin"
export PATH="$bin:$PATH"
export SPJ_CLUSTER_DIR="$root/.cluster-test"
export SPJ_CLUSTER_PORT_BASE=16540

started=0
if ! scripts/cluster.sh status >/dev/null; then
  scripts/cluster.sh up
  started=1
fi
cleanup() { [ $started -eq 0 ] || scripts/cluster.sh down --purge; }
trap cleanup EXIT

mvn -B -Pimages verify "$@"
