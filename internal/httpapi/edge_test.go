package httpapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/localserver"
	"proportal/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

const demoPassword = "demo-admin-password"

// demoApp wires the app on a fresh table with the demo organization seeded.
func demoApp(t *testing.T) (*app.App, *testenv.Calls) {
	t.Helper()
	a, calls := testenv.NewApp(t, nil)
	if _, err := a.Operator.SeedDemo(context.Background(), demoPassword); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	calls.Reset()
	return a, calls
}

// call sends one request through the route API Gateway would pick, as the
// event API Gateway would build.
func call(t testing.TB, a *app.App, method, path, body string, header http.Header) events.APIGatewayV2HTTPResponse {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if method != "GET" && method != "HEAD" {
		// What the portal sends on every request that changes something.
		r.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range header {
		r.Header[k] = vs
	}
	route, params, _, _ := httpapi.Match(method, r.URL.Path)
	if route.Body != "" && header.Get("Content-Type") == "" {
		// An upload route reads another media type (text/csv).
		r.Header.Set("Content-Type", route.Body)
	}
	res, err := route.Handler(a.Services)(context.Background(), localserver.Event(r, route, params, []byte(body)))
	if err != nil {
		t.Fatalf("%s %s: handler returned an error: %v", method, path, err)
	}
	return res
}

type errorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func decodeError(t *testing.T, res events.APIGatewayV2HTTPResponse) errorBody {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal([]byte(res.Body), &e); err != nil {
		t.Fatalf("error body %q is not JSON: %v", res.Body, err)
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("error body %q lacks code or message", res.Body)
	}
	return e
}

func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}

func signIn(t testing.TB, a *app.App, email string) string {
	t.Helper()
	res := call(t, a, "POST", "/api/auth/login", `{"email":"`+email+`","password":"`+demoPassword+`"}`, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign in as %s: %d %s", email, res.StatusCode, res.Body)
	}
	var out struct{ Token string }
	json.Unmarshal([]byte(res.Body), &out)
	return out.Token
}

// writes counts the DynamoDB calls that change data.
func writes(c *testenv.Calls) int {
	return c.Count("PutItem") + c.Count("UpdateItem") + c.Count("DeleteItem") +
		c.Count("TransactWriteItems") + c.Count("BatchWriteItem")
}

func TestBadInputIsRefusedAndWritesNothing(t *testing.T) {
	t.Parallel()
	a, calls := demoApp(t)
	big := `{"email":"admin@demo.test","password":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`
	tests := []struct {
		name, method, path, body string
		header                   http.Header
		wantStatus               int
		wantCode                 string
		wantFields               []string
	}{
		{"malformed JSON", "POST", "/api/auth/login", `{"email":`, nil, 400, "invalid_json", nil},
		{"empty body", "POST", "/api/auth/login", ``, nil, 400, "invalid_json", nil},
		{"two objects", "POST", "/api/auth/login", `{} {}`, nil, 400, "invalid_json", nil},
		{"array", "POST", "/api/auth/login", `[]`, nil, 400, "invalid_json", nil},
		{"missing fields", "POST", "/api/auth/login", `{}`, nil, 400, "validation_failed", []string{"email", "password"}},
		{"wrong type", "POST", "/api/auth/login", `{"email":42,"password":"x"}`, nil, 400, "validation_failed", []string{"email"}},
		{"not an email", "POST", "/api/auth/login", `{"email":"admin","password":"x"}`, nil, 400, "validation_failed", []string{"email"}},
		{"too large", "POST", "/api/auth/login", big, nil, 413, "payload_too_large", nil},
		{"unknown route", "GET", "/api/nothing-here", ``, nil, 404, "not_found", nil},
		{"wrong method", "PUT", "/api/me", `{}`, nil, 405, "method_not_allowed", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls.Reset()
			res := call(t, a, tt.method, tt.path, tt.body, tt.header)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d (%s)", res.StatusCode, tt.wantStatus, res.Body)
			}
			e := decodeError(t, res)
			if e.Error.Code != tt.wantCode {
				t.Errorf("code %q, want %q", e.Error.Code, tt.wantCode)
			}
			for _, f := range tt.wantFields {
				if e.Error.Fields[f] == "" {
					t.Errorf("fields %v do not name %q", e.Error.Fields, f)
				}
			}
			if n := writes(calls); n != 0 {
				t.Errorf("refused input made %d writes: %v", n, calls.Snapshot())
			}
			if !strings.HasPrefix(res.Headers["Content-Type"], "application/json") {
				t.Errorf("Content-Type %q, want JSON", res.Headers["Content-Type"])
			}
		})
	}
}

func TestWrongMethodSaysWhatIsAllowed(t *testing.T) {
	t.Parallel()
	a, _ := demoApp(t)
	res := call(t, a, "DELETE", "/api/auth/login", "", nil)
	if res.StatusCode != http.StatusMethodNotAllowed || res.Headers["Allow"] != "POST" {
		t.Fatalf("got %d Allow=%q, want 405 Allow=POST", res.StatusCode, res.Headers["Allow"])
	}
}

func TestBase64BodyOverLimitIs413(t *testing.T) {
	t.Parallel()
	a, _ := demoApp(t)
	route, _ := httpapi.RouteNamed("Login")
	ev := events.APIGatewayV2HTTPRequest{
		RouteKey: route.RouteKey(), RawPath: route.Path, IsBase64Encoded: true,
		Body: base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("a"), httpapi.MaxBodyBytes+1)),
	}
	res, _ := route.Handler(a.Services)(context.Background(), ev)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", res.StatusCode)
	}
}

func TestRoutesNeedTheRightSession(t *testing.T) {
	t.Parallel()
	a, _ := demoApp(t)
	learner := signIn(t, a, "learner01@demo.test")
	admin := signIn(t, a, "admin@demo.test")
	for _, rt := range httpapi.Routes {
		if rt.Access == httpapi.Public {
			continue
		}
		path := strings.NewReplacer("{userId}", "x", "{teamId}", "x").Replace(rt.Path)
		t.Run(rt.Name, func(t *testing.T) {
			for _, c := range []struct {
				who    string
				header http.Header
				want   int
			}{
				{"no session", nil, http.StatusUnauthorized},
				{"garbage token", bearer("garbage"), http.StatusUnauthorized},
				{"well-formed unknown token", bearer(strings.Repeat("A", 43)), http.StatusUnauthorized},
			} {
				if res := call(t, a, rt.Method, path, "", c.header); res.StatusCode != c.want {
					t.Errorf("%s: status %d, want %d", c.who, res.StatusCode, c.want)
				}
			}
			res := call(t, a, rt.Method, path, "", bearer(learner))
			switch rt.Access {
			case httpapi.Admin:
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("learner: status %d, want 403", res.StatusCode)
				}
			case httpapi.Member:
				if res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden {
					t.Errorf("learner: status %d, want access", res.StatusCode)
				}
			case httpapi.Platform:
				// The platform's key, never a session, not even an admin's.
				if res.StatusCode != http.StatusUnauthorized {
					t.Errorf("learner: status %d, want 401", res.StatusCode)
				}
				if res := call(t, a, rt.Method, path, "", bearer(admin)); res.StatusCode != http.StatusUnauthorized {
					t.Errorf("admin: status %d, want 401", res.StatusCode)
				}
				return
			}
			if res := call(t, a, rt.Method, path, "", bearer(admin)); res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden {
				t.Errorf("admin: status %d, want access", res.StatusCode)
			}
		})
	}
}

func TestLoginSetsSessionCookie(t *testing.T) {
	t.Parallel()
	a, _ := demoApp(t)
	res := call(t, a, "POST", "/api/auth/login", `{"email":"ADMIN@demo.test ","password":"`+demoPassword+`"}`, nil)
	if res.StatusCode != http.StatusOK || len(res.Cookies) != 1 {
		t.Fatalf("login: %d cookies %v", res.StatusCode, res.Cookies)
	}
	c, err := http.ParseSetCookie(res.Cookies[0])
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != httpapi.SessionCookie || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.MaxAge <= 0 {
		t.Errorf("cookie %q lacks HttpOnly, SameSite=Strict, Path=/ or Max-Age", res.Cookies[0])
	}
	if c.Secure {
		t.Errorf("cookie for http://localhost is Secure; browsers would drop it")
	}
	var body struct {
		Token string `json:"token"`
	}
	json.Unmarshal([]byte(res.Body), &body)
	if c.Value != body.Token {
		t.Errorf("cookie and body carry different tokens")
	}
	// The cookie alone is a session.
	me := call(t, a, "GET", "/api/me", "", http.Header{"Cookie": {httpapi.SessionCookie + "=" + c.Value}})
	if me.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/me with the cookie: %d %s", me.StatusCode, me.Body)
	}
}

// The cookies of sign-in and sign-out carry Secure exactly when the portal's
// configuration asks for it (app.Config.SecureCookies decides which URLs do).
func TestSessionCookiesAreSecureUnlessThePortalIsPlainLocalhost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		portal     string
		wantSecure bool
	}{
		{"http://localhost:8080", false},
		{"https://portal.example.com", true},
	}
	for _, tt := range tests {
		t.Run(tt.portal, func(t *testing.T) {
			t.Parallel()
			a, _ := testenv.NewAppAt(t, nil, tt.portal)
			ten := addTenant(t, a, "Cookie Corp", 1)
			login := call(t, a, "POST", "/api/auth/login", `{"email":"`+ten.admin.Email+`","password":"`+demoPassword+`"}`, nil)
			if login.StatusCode != http.StatusOK || len(login.Cookies) != 1 {
				t.Fatalf("login: %d %s, cookies %v", login.StatusCode, login.Body, login.Cookies)
			}
			var body struct{ Token string }
			json.Unmarshal([]byte(login.Body), &body)
			logout := call(t, a, "POST", "/api/auth/logout", "", bearer(body.Token))
			if logout.StatusCode != http.StatusNoContent || len(logout.Cookies) != 1 {
				t.Fatalf("logout: %d %s, cookies %v", logout.StatusCode, logout.Body, logout.Cookies)
			}
			for what, raw := range map[string]string{"sign-in": login.Cookies[0], "sign-out": logout.Cookies[0]} {
				c, err := http.ParseSetCookie(raw)
				if err != nil {
					t.Fatalf("%s cookie %q: %v", what, raw, err)
				}
				if c.Secure != tt.wantSecure {
					t.Errorf("%s cookie %q: Secure = %v, want %v", what, raw, c.Secure, tt.wantSecure)
				}
			}
		})
	}
}

func TestWrongPasswordAndUnknownEmailAnswerAlike(t *testing.T) {
	t.Parallel()
	a, _ := demoApp(t)
	wrong := call(t, a, "POST", "/api/auth/login", `{"email":"admin@demo.test","password":"not the password"}`, nil)
	unknown := call(t, a, "POST", "/api/auth/login", `{"email":"nobody@demo.test","password":"not the password"}`, nil)
	if wrong.StatusCode != http.StatusUnauthorized || wrong.StatusCode != unknown.StatusCode || wrong.Body != unknown.Body {
		t.Fatalf("wrong password: %d %s; unknown email: %d %s", wrong.StatusCode, wrong.Body, unknown.StatusCode, unknown.Body)
	}
	if decodeError(t, wrong).Error.Code != "invalid_credentials" {
		t.Errorf("code is not invalid_credentials: %s", wrong.Body)
	}
}

func TestFailedSignInsAreRateLimited(t *testing.T) {
	t.Parallel()
	a, _ := demoApp(t)
	body := `{"email":"admin@demo.test","password":"not the password"}`
	for i := range 10 {
		if res := call(t, a, "POST", "/api/auth/login", body, nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, res.StatusCode)
		}
	}
	res := call(t, a, "POST", "/api/auth/login", `{"email":"admin@demo.test","password":"`+demoPassword+`"}`, nil)
	if res.StatusCode != http.StatusTooManyRequests || decodeError(t, res).Error.Code != "rate_limited" || res.Headers["Retry-After"] == "" {
		t.Fatalf("11th attempt: %d %s %v, want 429 rate_limited with Retry-After", res.StatusCode, res.Body, res.Headers)
	}
}

func TestLogoutRevokesAtOnce(t *testing.T) {
	t.Parallel()
	a, _ := demoApp(t)
	token := signIn(t, a, "admin@demo.test")
	res := call(t, a, "POST", "/api/auth/logout", "", bearer(token))
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %d %s", res.StatusCode, res.Body)
	}
	if c, err := http.ParseSetCookie(res.Cookies[0]); err != nil || c.MaxAge >= 0 {
		t.Errorf("logout does not clear the cookie: %v", res.Cookies)
	}
	if res := call(t, a, "GET", "/api/me", "", bearer(token)); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("GET /api/me after logout: %d, want 401", res.StatusCode)
	}
	if res := call(t, a, "POST", "/api/auth/logout", "", bearer(token)); res.StatusCode != http.StatusNoContent {
		t.Errorf("second logout: %d, want 204", res.StatusCode)
	}
}

func TestSignedInReads(t *testing.T) {
	t.Parallel()
	a, _ := demoApp(t)
	token := signIn(t, a, "admin@demo.test")

	var me struct {
		User struct {
			Email string `json:"email"`
			Admin bool   `json:"admin"`
			Seat  bool   `json:"seat"`
		} `json:"user"`
		Organization struct {
			Name string `json:"name"`
		} `json:"organization"`
	}
	getJSON(t, a, "/api/me", token, &me)
	if me.User.Email != "admin@demo.test" || !me.User.Admin || !me.User.Seat || me.Organization.Name != "Demo Company" {
		t.Errorf("me = %+v", me)
	}

	var dash struct {
		Seats        struct{ Total, Used, Available int } `json:"seats"`
		Subscription struct {
			StartsAt, EndsAt, Status string
		} `json:"subscription"`
		Usage []any `json:"usage"`
	}
	getJSON(t, a, "/api/dashboard", token, &dash)
	if dash.Seats.Total != 50 || dash.Seats.Used != 31 || dash.Seats.Available != 19 {
		t.Errorf("dashboard seats = %+v, want 50 total, 31 used, 19 available", dash.Seats)
	}
	if dash.Subscription.Status != "active" || dash.Subscription.StartsAt == "" || dash.Usage == nil {
		t.Errorf("dashboard = %+v", dash)
	}

	var sub struct {
		Seats    struct{ Total int } `json:"seats"`
		Features []string            `json:"features"`
		EndsAt   string              `json:"endsAt"`
	}
	getJSON(t, a, "/api/subscription", token, &sub)
	if sub.Seats.Total != 50 || len(sub.Features) == 0 || sub.EndsAt == "" {
		t.Errorf("subscription = %+v", sub)
	}
}

func getJSON(t *testing.T, a *app.App, path, token string, v any) {
	t.Helper()
	res := call(t, a, "GET", path, "", bearer(token))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Body)
	}
	if err := json.Unmarshal([]byte(res.Body), v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// TestCallsPerAction pins the number of DynamoDB calls each action makes: a
// constant, never a Scan.
func TestCallsPerAction(t *testing.T) {
	t.Parallel()
	a, calls := demoApp(t)
	token := signIn(t, a, "admin@demo.test")
	tests := []struct {
		method, path, body string
		header             http.Header
		want               map[string]int
	}{
		// The session (one transaction), then the sign-in's login event: the
		// organization (GetItem), the learner's aggregates (BatchGetItem),
		// the event and aggregates (one transaction).
		{"POST", "/api/auth/login", `{"email":"admin@demo.test","password":"` + demoPassword + `"}`, nil,
			map[string]int{"UpdateItem": 3, "GetItem": 3, "BatchGetItem": 1, "TransactWriteItems": 2}},
		{"POST", "/api/auth/login", `{"email":"admin@demo.test","password":"wrong password"}`, nil,
			map[string]int{"UpdateItem": 3, "GetItem": 2}},
		{"GET", "/api/me", "", bearer(token), map[string]int{"GetItem": 3}},
		{"GET", "/api/subscription", "", bearer(token), map[string]int{"GetItem": 3}},
		{"GET", "/api/dashboard", "", bearer(token), map[string]int{"GetItem": 4, "Query": 3}},
		{"POST", "/api/auth/logout", "", bearer(token), map[string]int{"DeleteItem": 1}},
		{"GET", "/api/health", "", nil, map[string]int{}},
	}
	for _, tt := range tests {
		calls.Reset()
		call(t, a, tt.method, tt.path, tt.body, tt.header)
		got := calls.Snapshot()
		if len(got) != len(tt.want) {
			t.Errorf("%s %s made %v, want %v", tt.method, tt.path, got, tt.want)
			continue
		}
		for op, n := range tt.want {
			if got[op] != n {
				t.Errorf("%s %s made %v, want %v", tt.method, tt.path, got, tt.want)
			}
		}
	}
}

func TestOneLogLinePerRequestWithoutSecrets(t *testing.T) {
	t.Parallel()
	a, _ := demoApp(t)
	var buf bytes.Buffer
	a.Services.Logger = slog.New(slog.NewJSONHandler(&buf, nil))
	token := signIn(t, a, "admin@demo.test")
	call(t, a, "GET", "/api/me", "", bearer(token))

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines for 2 requests:\n%s", len(lines), buf.String())
	}
	var entry map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &entry); err != nil {
		t.Fatalf("log line is not JSON: %v", err)
	}
	for _, k := range []string{"requestId", "orgId", "route", "status", "durationMs"} {
		if _, ok := entry[k]; !ok {
			t.Errorf("log line lacks %s: %s", k, lines[1])
		}
	}
	if strings.Contains(buf.String(), token) || strings.Contains(buf.String(), demoPassword) {
		t.Errorf("the log holds a token or a password:\n%s", buf.String())
	}
}

func TestInternalErrorsTellTheClientNothing(t *testing.T) {
	t.Parallel()
	a, _ := demoApp(t)
	token := signIn(t, a, "admin@demo.test")
	var buf bytes.Buffer
	cfg := a.Config
	cfg.TableName = "no-such-table"
	broken := app.NewWith(cfg, a.AWS, time.Now, nil, slog.New(slog.NewJSONHandler(&buf, nil)))
	res := call(t, broken, "GET", "/api/me", "", bearer(token))
	if res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", res.StatusCode)
	}
	e := decodeError(t, res)
	if e.Error.Code != "internal" || e.Error.Message != "Internal error." {
		t.Errorf("client saw %q", res.Body)
	}
	if !strings.Contains(buf.String(), "ResourceNotFound") || !strings.Contains(buf.String(), `"level":"ERROR"`) {
		t.Errorf("the cause was not logged:\n%s", buf.String())
	}
}
