package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/localserver"
	"proportal/internal/testenv"
)

// stalledApp is the app with its AWS calls going to a server that accepts
// them and never answers, logging to the returned buffer.
func stalledApp(t *testing.T) (*app.App, *bytes.Buffer) {
	t.Helper()
	a, _ := testenv.NewApp(t, nil)
	stall := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stall:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(stall); srv.Close() })
	awsCfg := a.AWS.Copy()
	awsCfg.BaseEndpoint = &srv.URL
	var buf bytes.Buffer
	return app.NewWith(a.Config, awsCfg, time.Now, nil, app.NewLogger(&buf)), &buf
}

func callWith(t *testing.T, ctx context.Context, a *app.App, method, path string, header http.Header) (int, map[string]string, string) {
	t.Helper()
	r := httptest.NewRequest(method, path, nil)
	for k, vs := range header {
		r.Header[k] = vs
	}
	route, params, _, _ := httpapi.Match(method, r.URL.Path)
	res, err := route.Handler(a.Services)(ctx, localserver.Event(r, route, params, nil))
	if err != nil {
		t.Fatalf("handler returned an error: %v", err)
	}
	return res.StatusCode, res.Headers, res.Body
}

// A stalled DynamoDB answers 503 unavailable with Retry-After, before the
// function's own deadline, and is logged; never a hung request.
func TestStalledDependencyAnswers503InTime(t *testing.T) {
	t.Parallel()
	a, logs := stalledApp(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second) // the function's timeout
	defer cancel()
	start := time.Now()
	status, headers, body := callWith(t, ctx, a, "GET", "/api/me", bearer(strings.Repeat("A", 43)))
	took := time.Since(start)
	if status != http.StatusServiceUnavailable || headers["Retry-After"] == "" {
		t.Fatalf("status %d, Retry-After %q, body %s; want 503 with Retry-After", status, headers["Retry-After"], body)
	}
	var e struct{ Error struct{ Code string } }
	if json.Unmarshal([]byte(body), &e); e.Error.Code != "unavailable" {
		t.Errorf("body %s, want code unavailable", body)
	}
	if took >= 2*time.Second {
		t.Errorf("answered after %v, past the function's deadline", took)
	}
	if !strings.Contains(logs.String(), `"status":503`) || !strings.Contains(logs.String(), `"code":"unavailable"`) {
		t.Errorf("no log line of the 503:\n%s", logs)
	}
}

// A request the client abandoned is not our failure: logged as 499 at warn,
// not as an error.
func TestAbandonedRequestIsNotA500(t *testing.T) {
	t.Parallel()
	a, logs := stalledApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	callWith(t, ctx, a, "GET", "/api/me", bearer(strings.Repeat("A", 43)))
	var line map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(logs.String())), &line); err != nil {
		t.Fatalf("not one JSON log line: %v\n%s", err, logs)
	}
	if line["status"] != float64(httpapi.StatusClientClosed) || line["level"] != "WARN" {
		t.Errorf("logged status %v at %v, want %d at WARN: %v", line["status"], line["level"], httpapi.StatusClientClosed, line)
	}
}
