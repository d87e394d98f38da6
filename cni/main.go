// Command spiderpool is the CNI IPAM plugin kubelet and Multus run on the host. It is a thin,
// static client of the node's spiderpool-agent: it forwards the CNI_* environment and stdin to
// POST /v1/cni on the agent's Unix socket and prints the agent's answer with its exit code. All
// CNI logic (version handling, result shaping, error codes) lives in the agent.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"
)

// supportedVersions must equal the agent's list (a test compares them).
var supportedVersions = []string{"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"}

// version is stamped at build time (-ldflags "-X main.version=...").
var version = "dev"

const (
	defaultSocket = "/var/run/spidernet/spiderpool.sock"
	// The agent gives up (and rolls back) at 90 s; the plugin waits a little longer, well below
	// kubelet's 2-minute CNI deadline.
	deadline = 100 * time.Second
	// CNI's "try again later".
	codeTryAgain = 11
	// CNI's "invalid environment variables", "I/O failure", "failure to decode" and "invalid
	// network configuration": permanent, a retry cannot help.
	codeInvalidEnv    = 4
	codeIOFailure     = 5
	codeDecodeFailed  = 6
	codeInvalidConfig = 7
)

type invocation struct {
	Env   map[string]string `json:"env"`
	Stdin string            `json:"stdin"`
}

type answer struct {
	ExitCode int    `json:"exitCode"`
	Stdout   string `json:"stdout"`
}

type cniError struct {
	CNIVersion string `json:"cniVersion"`
	Code       int    `json:"code"`
	Msg        string `json:"msg"`
	Details    string `json:"details,omitempty"`
}

func main() {
	os.Exit(run(os.Stdin, os.Stdout, os.Environ()))
}

func run(stdinReader io.Reader, stdout io.Writer, environ []string) int {
	env := cniEnv(environ)
	if env["CNI_COMMAND"] == "VERSION" {
		stdin, _ := io.ReadAll(stdinReader)
		return printJSON(stdout, map[string]any{
			"cniVersion":        requestedVersion(stdin, "1.1.0"),
			"supportedVersions": supportedVersions,
		}, 0)
	}
	stdin, err := io.ReadAll(stdinReader)
	if err != nil {
		return fail(stdout, "", codeDecodeFailed, "cannot read the network configuration on stdin", err.Error())
	}
	if env["CNI_COMMAND"] == "" {
		return fail(stdout, requestedVersion(stdin, ""), codeInvalidEnv, "required env variables [CNI_COMMAND] missing", "")
	}
	if !json.Valid(stdin) {
		// Without a readable configuration there is no socket to ask: answer here, for good.
		return fail(stdout, "", codeDecodeFailed, "cannot decode the network configuration on stdin: not JSON", "")
	}
	socket := socketPath(stdin)
	body, _ := json.Marshal(invocation{Env: env, Stdin: base64.StdEncoding.EncodeToString(stdin)})

	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", socket)
		},
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://spiderpool-agent/v1/cni", bytes.NewReader(body))
	if err != nil {
		return fail(stdout, requestedVersion(stdin, ""), codeTryAgain, "cannot build the request to spiderpool-agent", err.Error())
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM) {
		// Not the agent's state but ours: this process may not use the socket, and never will.
		return fail(stdout, requestedVersion(stdin, ""), codeIOFailure,
			"permission denied on unix:"+socket+": the plugin must run as root, as kubelet runs it", err.Error())
	}
	if err != nil {
		return fail(stdout, requestedVersion(stdin, ""), codeTryAgain,
			"spiderpool-agent is unreachable on unix:"+socket+", try again later", err.Error())
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		detail := strings.TrimSpace(string(raw))
		if err != nil {
			detail = err.Error()
		}
		code, msg := codeTryAgain, fmt.Sprintf("spiderpool-agent on unix:%s answered %d", socket, resp.StatusCode)
		if resp.StatusCode == http.StatusRequestEntityTooLarge {
			code, msg = codeInvalidConfig, fmt.Sprintf("the network configuration (%d bytes) is over the limit spiderpool-agent on unix:%s accepts", len(stdin), socket)
		} else if resp.StatusCode >= 400 && resp.StatusCode < 500 {
			code = codeInvalidConfig // the agent refused the request itself: sending it again changes nothing
		}
		return fail(stdout, requestedVersion(stdin, ""), code, msg, detail)
	}
	var a answer
	if err := json.Unmarshal(raw, &a); err != nil {
		return fail(stdout, requestedVersion(stdin, ""), codeTryAgain, "spiderpool-agent sent an unreadable answer", err.Error())
	}
	io.WriteString(stdout, a.Stdout)
	return a.ExitCode
}

// cniEnv keeps the variables the agent needs: CNI_* only (nothing else of the host leaks out).
func cniEnv(environ []string) map[string]string {
	env := map[string]string{}
	for _, kv := range environ {
		if strings.HasPrefix(kv, "CNI_") {
			if i := strings.IndexByte(kv, '='); i > 0 {
				env[kv[:i]] = kv[i+1:]
			}
		}
	}
	return env
}

// socketPath is ipam.ipam_unix_socket_path from the configuration, or the default.
func socketPath(stdin []byte) string {
	var conf struct {
		IPAM struct {
			Socket string `json:"ipam_unix_socket_path"`
		} `json:"ipam"`
	}
	if json.Unmarshal(stdin, &conf) == nil && conf.IPAM.Socket != "" {
		return conf.IPAM.Socket
	}
	return defaultSocket
}

func requestedVersion(stdin []byte, fallback string) string {
	var conf struct {
		CNIVersion string `json:"cniVersion"`
	}
	if json.Unmarshal(stdin, &conf) == nil && conf.CNIVersion != "" {
		return conf.CNIVersion
	}
	return fallback
}

func fail(stdout io.Writer, cniVersion string, code int, msg, details string) int {
	if cniVersion == "" {
		cniVersion = "1.1.0"
	}
	return printJSON(stdout, cniError{CNIVersion: cniVersion, Code: code, Msg: msg, Details: details}, code)
}

func printJSON(stdout io.Writer, v any, code int) int {
	out, _ := json.Marshal(v)
	stdout.Write(out)
	return code
}
