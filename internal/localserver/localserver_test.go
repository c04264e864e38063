package localserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/httpapi"
)

func TestEventIsPayload2(t *testing.T) {
	r := httptest.NewRequest("POST", "http://localhost:8080/api/users/u1/activate?x=1&x=2&y=z", strings.NewReader(`{"a":1}`))
	r.Header.Set("Authorization", "Bearer tok")
	r.Header.Set("Content-Type", "application/json")
	r.Header.Add("Cookie", "pp_session=abc; theme=dark")
	r.RemoteAddr = "10.1.2.3:5555"
	route := httpapi.Route{Name: "ActivateUser", Method: "POST", Path: "/api/users/{userId}/activate"}
	ev := Event(r, route, map[string]string{"userId": "u1"}, []byte(`{"a":1}`))

	if ev.Version != "2.0" || ev.RouteKey != "POST /api/users/{userId}/activate" || ev.RequestContext.RouteKey != ev.RouteKey {
		t.Errorf("version %q, routeKey %q / %q", ev.Version, ev.RouteKey, ev.RequestContext.RouteKey)
	}
	if ev.RawPath != "/api/users/u1/activate" || ev.RawQueryString != "x=1&x=2&y=z" {
		t.Errorf("rawPath %q rawQueryString %q", ev.RawPath, ev.RawQueryString)
	}
	if diff := cmp.Diff(map[string]string{"x": "1,2", "y": "z"}, ev.QueryStringParameters); diff != "" {
		t.Errorf("query parameters (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"pp_session=abc", "theme=dark"}, ev.Cookies); diff != "" {
		t.Errorf("cookies (-want +got):\n%s", diff)
	}
	if ev.Headers["authorization"] != "Bearer tok" || ev.Headers["content-type"] != "application/json" {
		t.Errorf("headers are not lower-cased: %v", ev.Headers)
	}
	if _, ok := ev.Headers["cookie"]; ok {
		t.Errorf("the cookie header should move to cookies, as API Gateway does")
	}
	if ev.RequestContext.HTTP.Method != "POST" || ev.RequestContext.HTTP.SourceIP != "10.1.2.3" || ev.RequestContext.RequestID == "" {
		t.Errorf("request context %+v", ev.RequestContext)
	}
	if ev.Body != `{"a":1}` || ev.IsBase64Encoded {
		t.Errorf("body %q base64 %v", ev.Body, ev.IsBase64Encoded)
	}
	if ev.PathParameters["userId"] != "u1" {
		t.Errorf("path parameters %v", ev.PathParameters)
	}
}

func TestEventEncodesBinaryBodies(t *testing.T) {
	r := httptest.NewRequest("POST", "/api/x", nil)
	ev := Event(r, httpapi.Route{Path: httpapi.DefaultPath}, nil, []byte{0xff, 0xfe})
	if !ev.IsBase64Encoded || ev.Body != "//4=" {
		t.Errorf("body %q base64 %v, want //4= true", ev.Body, ev.IsBase64Encoded)
	}
	if ev.RouteKey != "$default" {
		t.Errorf("routeKey %q, want $default", ev.RouteKey)
	}
}

func TestPortalPlaceholder(t *testing.T) {
	s := &Server{}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "/api/health") {
		t.Errorf("GET / = %d %q", rec.Code, rec.Body.String())
	}
}
