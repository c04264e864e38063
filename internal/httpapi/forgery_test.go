package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"proportal/internal/app"
	"proportal/internal/testenv"
)

// learnerIDs returns the ids of the active learners of the demo organization.
func learnerIDs(t *testing.T, a *app.App, token string) []string {
	t.Helper()
	var page struct {
		Items []struct {
			ID    string `json:"id"`
			Admin bool   `json:"admin"`
		} `json:"items"`
	}
	getJSON(t, a, "/api/users?status=active&limit=100", token, &page)
	var ids []string
	for _, u := range page.Items {
		if !u.Admin {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

// demoAt is the demo organization on a portal served at base, an admin's
// token and its learners.
type demoAt struct {
	app      *app.App
	calls    *testenv.Calls
	token    string
	learners []string
}

// A page of another origin, even one of the same site (a sibling subdomain,
// another port of localhost), cannot make a signed-in admin's browser change
// anything, nor sign the browser in: the edge refuses what is not JSON and,
// without a Bearer token, what comes from a foreign origin.
func TestForgedRequestsAreRefusedAndChangeNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		portal string
		method string
		path   string // "{learner}" is replaced by a learner's id
		body   string
		header http.Header // without Cookie or Authorization; see auth
		auth   string      // "cookie", "bearer" or ""
		want   int
		code   string
	}{
		{"text/plain with the cookie", "http://localhost:8080", "POST", "/api/users/{learner}/deactivate", `{}`,
			http.Header{"Content-Type": {"text/plain"}}, "cookie", 415, "unsupported_media_type"},
		{"form with the cookie", "http://localhost:8080", "POST", "/api/users",
			`firstName=Eve&lastName=X&email=eve@evil.test&access=admin`,
			http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, "cookie", 415, "unsupported_media_type"},
		{"no Content-Type with the cookie", "http://localhost:8080", "POST", "/api/users/{learner}/deactivate", ``,
			http.Header{"Content-Type": nil}, "cookie", 415, "unsupported_media_type"},
		{"another port of localhost", "http://localhost:8080", "POST", "/api/users/{learner}/deactivate", `{}`,
			http.Header{"Origin": {"http://localhost:18999"}}, "cookie", 403, "forbidden"},
		{"a sibling subdomain", "https://portal.example.com", "POST", "/api/users/{learner}/deactivate", `{}`,
			http.Header{"Origin": {"https://blog.example.com"}}, "cookie", 403, "forbidden"},
		{"a sibling subdomain, DELETE", "https://portal.example.com", "DELETE", "/api/users/{learner}/admin", `{}`,
			http.Header{"Origin": {"https://blog.example.com"}}, "cookie", 403, "forbidden"},
		{"Origin null", "http://localhost:8080", "POST", "/api/users/{learner}/deactivate", `{}`,
			http.Header{"Origin": {"null"}}, "cookie", 403, "forbidden"},
		{"Sec-Fetch-Site same-site, no Origin", "http://localhost:8080", "POST", "/api/users/{learner}/deactivate", `{}`,
			http.Header{"Sec-Fetch-Site": {"same-site"}}, "cookie", 403, "forbidden"},
		{"Sec-Fetch-Site cross-site", "http://localhost:8080", "POST", "/api/users/{learner}/deactivate", `{}`,
			http.Header{"Origin": {"http://localhost:8080"}, "Sec-Fetch-Site": {"cross-site"}}, "cookie", 403, "forbidden"},
		{"text/plain with a Bearer token", "http://localhost:8080", "POST", "/api/users/{learner}/deactivate", `{}`,
			http.Header{"Content-Type": {"text/plain"}}, "bearer", 415, "unsupported_media_type"},
		{"login from a cross-site form", "https://portal.example.com", "POST", "/api/auth/login",
			`email=admin%40demo.test&password=` + demoPassword,
			http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {"https://evil.test"}, "Sec-Fetch-Site": {"cross-site"}}, "", 415, "unsupported_media_type"},
		{"login as JSON from another site", "https://portal.example.com", "POST", "/api/auth/login",
			`{"email":"admin@demo.test","password":"` + demoPassword + `"}`,
			http.Header{"Origin": {"https://blog.example.com"}}, "", 403, "forbidden"},
		{"login marked same-site", "http://localhost:8080", "POST", "/api/auth/login",
			`{"email":"admin@demo.test","password":"` + demoPassword + `"}`,
			http.Header{"Sec-Fetch-Site": {"same-site"}}, "", 403, "forbidden"},
		{"forgot-password from another site", "http://localhost:8080", "POST", "/api/auth/forgot-password",
			`{"email":"admin@demo.test"}`, http.Header{"Origin": {"http://localhost:18999"}}, "", 403, "forbidden"},
		{"logout from another site", "http://localhost:8080", "POST", "/api/auth/logout", ``,
			http.Header{"Origin": {"http://localhost:18999"}}, "cookie", 403, "forbidden"},

		{"the portal itself", "http://localhost:8080", "POST", "/api/users/{learner}/deactivate", `{}`,
			http.Header{"Origin": {"http://localhost:8080"}, "Sec-Fetch-Site": {"same-origin"}}, "cookie", 200, ""},
		{"the portal itself, with a charset", "https://portal.example.com", "POST", "/api/users/{learner}/deactivate", `{}`,
			http.Header{"Origin": {"https://portal.example.com"}, "Content-Type": {"application/json; charset=utf-8"}}, "cookie", 200, ""},
		{"a program with a Bearer token", "http://localhost:8080", "POST", "/api/users/{learner}/deactivate", `{}`,
			nil, "bearer", 200, ""},
		{"a program with a Bearer token and its own Origin", "http://localhost:8080", "POST", "/api/users/{learner}/deactivate", `{}`,
			http.Header{"Origin": {"https://tool.example.com"}}, "bearer", 200, ""},
		{"sign-in from the portal", "http://localhost:8080", "POST", "/api/auth/login",
			`{"email":"admin@demo.test","password":"` + demoPassword + `"}`,
			http.Header{"Origin": {"http://localhost:8080"}, "Sec-Fetch-Site": {"same-origin"}}, "", 200, ""},
		{"a typed address (Sec-Fetch-Site none)", "http://localhost:8080", "POST", "/api/auth/login",
			`{"email":"admin@demo.test","password":"` + demoPassword + `"}`,
			http.Header{"Sec-Fetch-Site": {"none"}}, "", 200, ""},
	}
	demos := map[string]*demoAt{}
	for _, tt := range tests {
		if demos[tt.portal] != nil {
			continue
		}
		a, calls := testenv.NewAppAt(t, nil, tt.portal)
		if _, err := a.Operator.SeedDemo(context.Background(), demoPassword); err != nil {
			t.Fatalf("seed demo: %v", err)
		}
		token := signIn(t, a, "admin@demo.test")
		demos[tt.portal] = &demoAt{app: a, calls: calls, token: token, learners: learnerIDs(t, a, token)}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := demos[tt.portal]
			if len(d.learners) == 0 {
				t.Fatal("no active learner left in the demo organization")
			}
			// Each request that may succeed acts on a learner of its own.
			learner := d.learners[0]
			if tt.code == "" {
				d.learners = d.learners[1:]
			}
			header := http.Header{}
			switch tt.auth {
			case "cookie":
				header.Set("Cookie", "pp_session="+d.token)
			case "bearer":
				header.Set("Authorization", "Bearer "+d.token)
			}
			for k, v := range tt.header {
				header[k] = v
			}
			path := strings.ReplaceAll(tt.path, "{learner}", learner)
			d.calls.Reset()
			res := call(t, d.app, tt.method, path, tt.body, header)
			if res.StatusCode != tt.want {
				t.Fatalf("%s %s: %d %s, want %d", tt.method, path, res.StatusCode, res.Body, tt.want)
			}
			if tt.code == "" {
				return
			}
			if e := decodeError(t, res); e.Error.Code != tt.code {
				t.Errorf("code %q, want %q", e.Error.Code, tt.code)
			}
			if n := writes(d.calls); n != 0 {
				t.Errorf("a refused request made %d writes: %v", n, d.calls.Snapshot())
			}
			if len(res.Cookies) != 0 {
				t.Errorf("a refused request set cookies %v", res.Cookies)
			}
		})
	}
}
