#!/usr/bin/env bash
# Regenerates examples/seeds/ (the objects of the seed documents, which the tests read) from the seed
# documents themselves. Only a developer who has them runs it; the build and the tests never read
# outside the repository.
#
#   scripts/update-examples.sh ../shared/seeds
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seeds=$(cd "${1:?usage: scripts/update-examples.sh SEED_DIR}" && pwd)
cd "$root"
mvn -B -q -pl test-support -am install -DskipTests dependency:build-classpath -Dmdep.outputFile="$root/test-support/target/classpath.txt"
java -Dspiderpool.root.dir="$root" -cp "test-support/target/classes:$(cat test-support/target/classpath.txt)" \
  io.spidernet.spiderpool.testsupport.SeedDocuments "$seeds"
echo "wrote $(ls examples/seeds | wc -l) files to examples/seeds"
