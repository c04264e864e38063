package httpapi_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"proportal/internal/app"
)

// Readiness reads the table once: 200 when it answers, 503 unavailable (JSON,
// Retry-After, logged with its cause) when it does not. Health reads nothing.
func TestReadinessTouchesTheTable(t *testing.T) {
	t.Parallel()
	a, calls := demoApp(t)

	res := call(t, a, "GET", "/api/ready", "", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `"ready"`) {
		t.Fatalf("ready: %d %s, want 200", res.StatusCode, res.Body)
	}
	if got := calls.Snapshot(); calls.Count("GetItem") != 1 || len(got) != 1 {
		t.Errorf("ready made %v, want one GetItem", got)
	}
	calls.Reset()
	if res := call(t, a, "GET", "/api/health", "", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("health: %d", res.StatusCode)
	}
	if got := calls.Snapshot(); len(got) != 0 {
		t.Errorf("health made AWS calls %v; it must stay cheap", got)
	}

	var logs bytes.Buffer
	cfg := a.Config
	cfg.TableName = "no-such-table"
	broken := app.NewWith(cfg, a.AWS, time.Now, nil, app.NewLogger(&logs))
	res = call(t, broken, "GET", "/api/ready", "", nil)
	if res.StatusCode != http.StatusServiceUnavailable || res.Headers["Retry-After"] == "" {
		t.Fatalf("ready without a table: %d %v %s, want 503 with Retry-After", res.StatusCode, res.Headers, res.Body)
	}
	if e := decodeError(t, res); e.Error.Code != "unavailable" {
		t.Errorf("code %q, want unavailable", e.Error.Code)
	}
	if !strings.Contains(logs.String(), "ResourceNotFound") {
		t.Errorf("the cause was not logged:\n%s", logs.String())
	}
}
