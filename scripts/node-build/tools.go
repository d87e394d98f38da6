//go:build tools

// Package tools pins the node binaries that scripts/build-node.sh compiles (kubelet, kube-scheduler),
// so that `go mod tidy` keeps every module they need in go.sum.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
