// The pod sandbox process: holds the pod's namespaces until it is told to stop. The nodes' sandbox
// image (scripts/node.sh builds it; no registry is reachable here).
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	// Reap the zombies of processes that joined the sandbox's PID namespace.
	signal.Ignore(syscall.SIGCHLD)
	<-stop
}
