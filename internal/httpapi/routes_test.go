package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		method, path string
		wantRoute    string
		wantParams   map[string]string
		wantStatus   int
	}{
		{"GET", "/api/health", "Health", nil, http.StatusOK},
		{"POST", "/api/auth/login", "Login", nil, http.StatusOK},
		{"GET", "/api/me/", "GetMe", nil, http.StatusOK},
		{"DELETE", "/api/me", "Fallback", nil, http.StatusMethodNotAllowed},
		{"GET", "/api/auth/login", "Fallback", nil, http.StatusMethodNotAllowed},
		{"GET", "/api/nope", "Fallback", nil, http.StatusNotFound},
		{"GET", "/", "Fallback", nil, http.StatusNotFound},
	}
	for _, tt := range tests {
		rt, params, status, _ := Match(tt.method, tt.path)
		if rt.Name != tt.wantRoute || status != tt.wantStatus {
			t.Errorf("Match(%s %s) = %s %d, want %s %d", tt.method, tt.path, rt.Name, status, tt.wantRoute, tt.wantStatus)
		}
		if diff := cmp.Diff(tt.wantParams, params); diff != "" {
			t.Errorf("Match(%s %s) params (-want +got):\n%s", tt.method, tt.path, diff)
		}
	}
}

func TestMatchPathParameters(t *testing.T) {
	params, ok := matchPath("/api/users/{userId}/activate", "/api/users/abc/activate")
	if !ok || params["userId"] != "abc" {
		t.Fatalf("matchPath = %v, %v; want userId=abc", params, ok)
	}
	if _, ok := matchPath("/api/users/{userId}/activate", "/api/users//activate"); ok {
		t.Error("an empty path parameter matched")
	}
}

func TestRouteNamesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	keys := map[string]bool{}
	for _, r := range Routes {
		if seen[r.Name] || keys[r.RouteKey()] {
			t.Errorf("route %s (%s) is listed twice", r.Name, r.RouteKey())
		}
		seen[r.Name], keys[r.RouteKey()] = true, true
	}
}

func TestDir(t *testing.T) {
	tests := []struct{ give, want string }{
		{"Login", "login"}, {"GetMe", "get-me"}, {"ResendInvite", "resend-invite"},
	}
	for _, tt := range tests {
		if got := (Route{Name: tt.give}).Dir(); got != tt.want {
			t.Errorf("Dir(%s) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

// Every row of Routes has exactly one Action of the same name, and the other
// way round: the route table is metadata, the actions are the code.
func TestEveryRouteHasOneAction(t *testing.T) {
	var routes, actions []string
	for _, rt := range Routes {
		routes = append(routes, rt.Name)
	}
	for _, a := range Actions() {
		actions = append(actions, a.Name)
		if a.build == nil {
			t.Errorf("action %s builds nothing", a.Name)
		}
	}
	if diff := cmp.Diff(routes, actions); diff != "" {
		t.Errorf("Actions() differ from Routes, in order (-routes +actions):\n%s", diff)
	}
}

func TestActionHandlerNeedsItsRoute(t *testing.T) {
	if _, err := (Action{Name: "NoSuchRoute", build: health}).Handler(&Services{}); err == nil {
		t.Error("an action without a row in Routes got a handler")
	}
}

// TestNoRouteWritesTheAuditLog: the audit log is read through the API, never
// written, edited or deleted by a request of its own (entries are written in
// the transactions of the changes they record).
func TestNoRouteWritesTheAuditLog(t *testing.T) {
	found := 0
	for _, rt := range Routes {
		if !strings.HasPrefix(rt.Path, "/api/audit") {
			continue
		}
		found++
		if rt.Method != "GET" {
			t.Errorf("%s %s: the audit log's routes only read", rt.Method, rt.Path)
		}
	}
	if found == 0 {
		t.Error("no /api/audit route: the Audit page reads GET /api/audit")
	}
}
