//go:build tools

// Pins helm-unittest, the chart's template unit tests (charts/spiderpool/tests), for
// scripts/build-tool.sh. A plain `go install ...@v1.1.2` fails: its go.mod replaces
// github.com/vmware-labs/yaml-jsonpath with the project's fork, and a replace only applies in the
// main module, so this module repeats it.
package tools

import _ "github.com/helm-unittest/helm-unittest/cmd/helm-unittest"
