//go:build tools

// Pins cnitool, the reference CNI library's (libcni) command, for scripts/build-tool.sh: NodeE2EIT
// executes the NetworkAttachmentDefinitions the controller renders with it, as Multus would.
package tools

import _ "github.com/containernetworking/cni/cnitool"
