#!/usr/bin/env bash
# Regenerates the CRDs from the Java model (api/) and writes the chart's copy in
# charts/spiderpool/crds/. Run it after changing a class in api/.../v2beta1 or api/.../nad;
# ChartCrdsDriftTest fails until you do.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -B -q -pl api -am process-classes dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$root/api/target/classpath.txt"
java -cp "api/target/classes:$(cat api/target/classpath.txt)" io.spidernet.spiderpool.api.crd.ChartCrds \
  api/target/classes/META-INF/fabric8 charts/spiderpool/crds
