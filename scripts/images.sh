#!/usr/bin/env bash
# Builds the images, spiderpool-agent and spiderpool-controller (which also runs the init Job: its
# `init` command), as docker-load tarballs with no registry and no daemon:
#   agent/target/images/spiderpool-agent.tar, controller/target/images/spiderpool-controller.tar
# named ghcr.io/spidernet-io/spiderpool/<name>:<chart appVersion> (the chart's defaults).
#
# The base is scratch plus a Java runtime made here with jlink (JDK 25 when the machine has one, else 17; only
# the modules the processes use) and the glibc files it links against, cached in target/image-base
# by JDK version; the agent image adds the static CNI plugin (scripts/build-cni.sh) in
# /usr/lib/spiderpool/cni, which the chart's init container installs on the node, and, on a JDK 25
# runtime, an AOT cache from a training run inside the image (scripts/image-aot.sh). Jib writes
# reproducible layers (fixed timestamps); the AOT cache layer is not byte-for-byte reproducible.
#
#   scripts/images.sh           build both
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/image-base.sh
echo "== images (jib:buildTar)"
mvn -B -q -Pimages -pl agent,controller -am package -DskipTests
ls -l agent/target/images/*.tar controller/target/images/*.tar | awk '{printf "   %s %.0f MiB\n", $NF, $5 / 1048576}'
