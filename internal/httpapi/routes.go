// Package httpapi is the HTTP edge: it turns API Gateway HTTP API (payload
// 2.0) events into calls of the domain services and their results into JSON
// responses. Every action is one row of Routes.
package httpapi

import (
	"net/http"
	"regexp"
	"strings"
)

// Access says who may call a route.
type Access int

const (
	// Public routes need no session.
	Public Access = iota
	// Member routes need a session of any user who may sign in.
	Member
	// Admin routes need a session of a seat admin.
	Admin
)

// Route is one action of the API. Name is the action: its Lambda is
// <Name>Function in template.yaml, its code is functions/<kebab-name>/main.go
// and its sample event is events/<kebab-name>.json.
type Route struct {
	Name   string
	Method string
	// Path is an API Gateway route path with {parameters}; DefaultPath for the fallback.
	Path   string
	Access Access
	build  func(*Services) endpoint
}

// DefaultPath is API Gateway's catch-all route key.
const DefaultPath = "$default"

// Routes lists every action. template.yaml, functions/ and the local server
// are checked against it by tests. (It is filled in init because the fallback
// route itself consults it.)
var Routes []Route

func init() {
	Routes = []Route{
		{"Health", http.MethodGet, "/api/health", Public, health},
		{"Login", http.MethodPost, "/api/auth/login", Public, login},
		{"Logout", http.MethodPost, "/api/auth/logout", Public, logout},
		{"GetMe", http.MethodGet, "/api/me", Member, getMe},
		{"GetSubscription", http.MethodGet, "/api/subscription", Admin, getSubscription},
		{"GetDashboard", http.MethodGet, "/api/dashboard", Admin, getDashboard},
		{"ForgotPassword", http.MethodPost, "/api/auth/forgot-password", Public, forgotPassword},
		{"SetPassword", http.MethodPost, "/api/auth/set-password", Public, setPassword},
		{"ListUsers", http.MethodGet, "/api/users", Admin, listUsers},
		{"InviteUser", http.MethodPost, "/api/users", Admin, inviteUser},
		{"GetUser", http.MethodGet, "/api/users/{userId}", Admin, getUser},
		{"DeactivateUser", http.MethodPost, "/api/users/{userId}/deactivate", Admin, deactivateUser},
		{"ActivateUser", http.MethodPost, "/api/users/{userId}/activate", Admin, activateUser},
		{"GrantAdmin", http.MethodPost, "/api/users/{userId}/admin", Admin, grantAdmin},
		{"RevokeAdmin", http.MethodDelete, "/api/users/{userId}/admin", Admin, revokeAdmin},
		{"SendPasswordReset", http.MethodPost, "/api/users/{userId}/password-reset", Admin, sendPasswordReset},
		{"ResendInvite", http.MethodPost, "/api/users/{userId}/resend-invite", Admin, resendInvite},
		{"GetUserActivity", http.MethodGet, "/api/users/{userId}/activity", Admin, getUserActivity},
		{"ListTeams", http.MethodGet, "/api/teams", Admin, listTeams},
		// Fallback answers every request no other route takes: a JSON 404 or 405.
		{"Fallback", "ANY", DefaultPath, Public, fallback},
	}
}

// mailRoutes are the routes that send mail: only their Lambdas link SES and
// may call ses:SendEmail.
var mailRoutes = map[string]bool{
	"InviteUser": true, "SendPasswordReset": true, "ResendInvite": true,
	"ForgotPassword": true, "SetPassword": true,
}

// SendsMail reports whether the route sends mail.
func (r Route) SendsMail() bool { return mailRoutes[r.Name] }

// RouteKey is the route as API Gateway names it, e.g. "GET /api/me".
func (r Route) RouteKey() string {
	if r.Path == DefaultPath {
		return DefaultPath
	}
	return r.Method + " " + r.Path
}

// FunctionID is the route's Lambda logical id in template.yaml.
func (r Route) FunctionID() string { return r.Name + "Function" }

var wordStart = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// Dir is the route's folder name under functions/ and file name under events/.
func (r Route) Dir() string {
	return strings.ToLower(wordStart.ReplaceAllString(r.Name, "$1-$2"))
}

// RouteNamed returns the route with a name, and false when there is none.
func RouteNamed(name string) (Route, bool) {
	for _, r := range Routes {
		if r.Name == name {
			return r, true
		}
	}
	return Route{}, false
}

// Match finds the route for a request the way API Gateway does: by method and
// path, with {parameters} matching one path segment. It returns the route and
// its path parameters, or the Fallback route and the status to answer (404 for
// an unknown path, 405 for a known path with another method) with the methods
// the path allows.
func Match(method, path string) (route Route, params map[string]string, status int, allowed []string) {
	var fallbackRoute Route
	for _, r := range Routes {
		if r.Path == DefaultPath {
			fallbackRoute = r
			continue
		}
		p, ok := matchPath(r.Path, path)
		if !ok {
			continue
		}
		if r.Method == method {
			return r, p, http.StatusOK, nil
		}
		allowed = append(allowed, r.Method)
	}
	if len(allowed) > 0 {
		return fallbackRoute, nil, http.StatusMethodNotAllowed, allowed
	}
	return fallbackRoute, nil, http.StatusNotFound, nil
}

func matchPath(pattern, path string) (map[string]string, bool) {
	want := strings.Split(strings.Trim(pattern, "/"), "/")
	got := strings.Split(strings.Trim(path, "/"), "/")
	if len(want) != len(got) {
		return nil, false
	}
	var params map[string]string
	for i, w := range want {
		if strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}") {
			if got[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[w[1:len(w)-1]] = got[i]
			continue
		}
		if w != got[i] {
			return nil, false
		}
	}
	return params, true
}
