// Package moto starts and stops moto_server, the local stand-in for DynamoDB,
// SES and S3 that local runs and tests point the AWS SDK at.
package moto

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// Server is a running moto_server.
type Server struct {
	// URL is the endpoint to give the SDK (AWS_ENDPOINT_URL).
	URL string
	cmd *exec.Cmd
}

// Start runs moto_server on a free loopback port and returns once it answers.
// Its output goes to logFile when one is given and is discarded otherwise.
func Start(ctx context.Context, logFile *os.File) (*Server, error) {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return nil, errors.New(`moto_server is not installed: run python3 -m pip install "moto[server]==5.*" (make run and make test do), or set AWS_ENDPOINT_URL to DynamoDB Local or LocalStack`)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	if python, ok := patchable(); ok {
		cmd = exec.Command(python, "-c", serverPy, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if logFile != nil {
		cmd.Stdout, cmd.Stderr = logFile, logFile
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start moto_server: %w", err)
	}
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd}
	if err := s.waitReady(ctx, 30*time.Second); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// serverPy runs moto_server with its transactions and queries made cheap
// (server.py says how): the same answers, orders of magnitude faster on
// a large table.
//
//go:embed server.py
var serverPy string

// patchable returns the python3 that can import moto's server, which then
// runs serverPy; when there is none (moto_server installed some other way),
// moto_server runs as it is.
func patchable() (string, bool) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return "", false
	}
	if err := exec.Command(python, "-c", "import moto.server").Run(); err != nil {
		return "", false
	}
	return python, true
}

// Stop ends moto_server and every process it started.
func (s *Server) Stop() {
	if s.cmd.Process == nil {
		return
	}
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// waitReady polls moto's own API until it answers or the deadline passes.
func (s *Server) waitReady(ctx context.Context, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/moto-api/", nil)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("moto_server did not answer at %s within %s", s.URL, within)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
