#!/usr/bin/env bash
# Regenerates the CRDs from the Java model (api/) and writes the chart's copy in
# charts/spiderpool/crds/. Run it after changing a class in api/.../v2beta1 or api/.../nad;
# ChartCrdsDriftTest fails until you do. The writer (ChartCrds) lives in api's test code: api/
# itself does no I/O and ships no tools in the process jars.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -B -q -pl api -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$root/api/target/classpath.txt"
java -cp "api/target/test-classes:api/target/classes:$(cat api/target/classpath.txt)" io.spidernet.spiderpool.api.crd.ChartCrds \
  api/target/classes/META-INF/fabric8 charts/spiderpool/crds
