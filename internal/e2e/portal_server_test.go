package e2e

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"proportal/internal/app"
	"proportal/internal/devmail"
	"proportal/internal/localserver"
	"proportal/internal/testenv"
)

// demoPassword is the password of the demo admin and the demo learners.
const demoPassword = "demo-admin-password"

// portal is ProPortal served in-process as make run serves it: the API as
// API Gateway events, /dev/mail from its mailbox and the built portal, on a port of
// its own.
type portal struct {
	// URL is where the browser opens the portal (http://localhost:<port>);
	// links in mail point there too.
	URL string
	App *app.App
}

// repoRoot is the repository's root folder (where go.mod is).
func repoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		tb.Fatalf("repository root: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		tb.Fatalf("repository root: no go.mod in %s", dir)
	}
	return dir
}

// webDist is the built portal: $WEB_DIST when set, else <repo>/web/dist.
func webDist(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("WEB_DIST")
	if dir == "" {
		dir = filepath.Join(repoRoot(tb), "web", "dist")
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		tb.Fatalf("web/dist is missing: run make web (looked for %s)", filepath.Join(dir, "index.html"))
	}
	return dir
}

// startPortal serves the built portal and the API on a fresh table until the
// test ends; with seed, the demo organization is in it. The server's log is
// printed when the test fails.
func startPortal(t *testing.T, seed bool) *portal {
	t.Helper()
	dist := webDist(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	// localhost, not 127.0.0.1: the session cookie is Secure everywhere but
	// on a plain-http localhost.
	base := fmt.Sprintf("http://localhost:%d", l.Addr().(*net.TCPAddr).Port)
	a, _ := testenv.NewAppAt(t, nil, base)
	logs := &testenv.Buffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	mail := devmail.NewMailbox(devmail.DefaultKept)
	testenv.Rewire(a, a.Config, time.Now, logger, mail.Wrap)
	if seed {
		if _, err := a.Operator.SeedDemo(context.Background(), demoPassword); err != nil {
			t.Fatalf("seed the demo organization: %v", err)
		}
	}
	srv := localserver.New(a.Services, mail, os.DirFS(dist), logger)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- localserver.ListenAndServe(ctx, l, srv) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("local server: %v", err)
		}
		if t.Failed() && logs.String() != "" {
			t.Logf("server log:\n%s", logs)
		}
	})
	return &portal{URL: base, App: a}
}
