// Package httpapi is the HTTP edge: it turns API Gateway HTTP API (payload
// 2.0) events into calls of the domain services and their results into JSON
// responses. Every action is one row of Routes (what it is) and one Action
// (its code).
package httpapi

import (
	"net/http"
	"strings"
	"time"

	"proportal/internal/lambdaname"
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
	// Platform routes need a learning platform's key in "Authorization:
	// Bearer"; a session (cookie or token) never authorizes them.
	Platform
)

// Route is one action of the API, as metadata: its Lambda is <Name>Function
// in template.yaml, its code is functions/<kebab-name>/main.go (which runs the
// Action of the same name) and its sample event is events/<kebab-name>.json.
// The table holds no code, so that reading it links no endpoint.
type Route struct {
	Name   string
	Method string
	// Path is an API Gateway route path with {parameters}; DefaultPath for the fallback.
	Path   string
	Access Access
	// Mail says that the route sends mail: only its Lambda links SES and may
	// call ses:SendEmail.
	Mail bool
	// Queue says that the route hands work to the ContinueTeamChange job:
	// only its Lambda links SQS and may call sqs:SendMessage.
	Queue bool
	// MaxBody is the largest body the route reads (0: MaxBodyBytes).
	MaxBody int
	// MaxTime bounds the route's work where the invocation sets no deadline
	// (the local server; 0: MaxRequestTime): its function's Timeout in
	// template.yaml, less a second.
	MaxTime time.Duration
	// Files says that the route hands out export files: only its Lambda
	// links S3 (to presign download links; it calls nothing).
	Files bool
	// Body is the media type of the request body: "" for JSON (the
	// default), or another the route reads (text/csv for uploads). Either
	// way a browser can send it to another origin only after a CORS
	// preflight, which this API never grants (see refuseForgery).
	Body string
}

// DefaultPath is API Gateway's catch-all route key.
const DefaultPath = "$default"

// Routes lists every action. template.yaml, functions/, events/ and the local
// server are checked against it by tests.
var Routes = []Route{
	{Name: "Health", Method: http.MethodGet, Path: "/api/health", Access: Public},
	{Name: "GetReady", Method: http.MethodGet, Path: "/api/ready", Access: Public},
	{Name: "Login", Method: http.MethodPost, Path: "/api/auth/login", Access: Public},
	{Name: "Logout", Method: http.MethodPost, Path: "/api/auth/logout", Access: Public},
	{Name: "GetMe", Method: http.MethodGet, Path: "/api/me", Access: Member},
	{Name: "GetSubscription", Method: http.MethodGet, Path: "/api/subscription", Access: Admin},
	{Name: "GetDashboard", Method: http.MethodGet, Path: "/api/dashboard", Access: Admin},
	{Name: "GetSeatHistory", Method: http.MethodGet, Path: "/api/subscription/seat-history", Access: Admin},
	{Name: "ForgotPassword", Method: http.MethodPost, Path: "/api/auth/forgot-password", Access: Public, Mail: true},
	{Name: "SetPassword", Method: http.MethodPost, Path: "/api/auth/set-password", Access: Public, Mail: true},
	{Name: "ListUsers", Method: http.MethodGet, Path: "/api/users", Access: Admin},
	{Name: "InviteUser", Method: http.MethodPost, Path: "/api/users", Access: Admin, Mail: true},
	{Name: "GetUser", Method: http.MethodGet, Path: "/api/users/{userId}", Access: Admin},
	{Name: "DeactivateUser", Method: http.MethodPost, Path: "/api/users/{userId}/deactivate", Access: Admin},
	{Name: "ActivateUser", Method: http.MethodPost, Path: "/api/users/{userId}/activate", Access: Admin, Mail: true},
	{Name: "GrantAdmin", Method: http.MethodPost, Path: "/api/users/{userId}/admin", Access: Admin, Mail: true},
	{Name: "RevokeAdmin", Method: http.MethodDelete, Path: "/api/users/{userId}/admin", Access: Admin},
	{Name: "SendPasswordReset", Method: http.MethodPost, Path: "/api/users/{userId}/password-reset", Access: Admin, Mail: true},
	{Name: "ResendInvite", Method: http.MethodPost, Path: "/api/users/{userId}/resend-invite", Access: Admin, Mail: true},
	{Name: "GetUserActivity", Method: http.MethodGet, Path: "/api/users/{userId}/activity", Access: Admin},
	{Name: "ListTeams", Method: http.MethodGet, Path: "/api/teams", Access: Admin},
	{Name: "CreateTeam", Method: http.MethodPost, Path: "/api/teams", Access: Admin, Queue: true},
	{Name: "GetTeam", Method: http.MethodGet, Path: "/api/teams/{teamId}", Access: Admin},
	{Name: "RenameTeam", Method: http.MethodPatch, Path: "/api/teams/{teamId}", Access: Admin},
	{Name: "DeleteTeam", Method: http.MethodDelete, Path: "/api/teams/{teamId}", Access: Admin, Queue: true},
	{Name: "AddTeamMembers", Method: http.MethodPost, Path: "/api/teams/{teamId}/members", Access: Admin, Queue: true},
	{Name: "RemoveTeamMember", Method: http.MethodDelete, Path: "/api/teams/{teamId}/members/{userId}", Access: Admin},
	{Name: "GetTeamChange", Method: http.MethodGet, Path: "/api/teams/{teamId}/changes/{changeId}", Access: Admin},
	{Name: "GetTeamActivity", Method: http.MethodGet, Path: "/api/teams/{teamId}/activity", Access: Admin},
	{Name: "ListCatalog", Method: http.MethodGet, Path: "/api/catalog", Access: Admin},
	{Name: "ListModules", Method: http.MethodGet, Path: "/api/modules", Access: Admin},
	{Name: "CreateModule", Method: http.MethodPost, Path: "/api/modules", Access: Admin},
	{Name: "GetModule", Method: http.MethodGet, Path: "/api/modules/{moduleId}", Access: Admin},
	{Name: "UpdateModule", Method: http.MethodPut, Path: "/api/modules/{moduleId}", Access: Admin},
	{Name: "DeleteModule", Method: http.MethodDelete, Path: "/api/modules/{moduleId}", Access: Admin},
	{Name: "DuplicateModule", Method: http.MethodPost, Path: "/api/modules/{moduleId}/duplicate", Access: Admin},
	{Name: "GetOrganization", Method: http.MethodGet, Path: "/api/organization", Access: Admin},
	{Name: "UpdateOrganization", Method: http.MethodPatch, Path: "/api/organization", Access: Admin},
	{Name: "ListAssignments", Method: http.MethodGet, Path: "/api/assignments", Access: Admin},
	{Name: "CreateAssignment", Method: http.MethodPost, Path: "/api/assignments", Access: Admin},
	{Name: "GetAssignment", Method: http.MethodGet, Path: "/api/assignments/{assignmentId}", Access: Admin},
	{Name: "UpdateAssignment", Method: http.MethodPatch, Path: "/api/assignments/{assignmentId}", Access: Admin},
	{Name: "CancelAssignment", Method: http.MethodDelete, Path: "/api/assignments/{assignmentId}", Access: Admin},
	{Name: "ListAssignees", Method: http.MethodGet, Path: "/api/assignments/{assignmentId}/assignees", Access: Admin},
	{Name: "AddAssignees", Method: http.MethodPost, Path: "/api/assignments/{assignmentId}/assignees", Access: Admin},
	{Name: "ListUserAssignments", Method: http.MethodGet, Path: "/api/users/{userId}/assignments", Access: Admin},
	{Name: "ListTeamAssignments", Method: http.MethodGet, Path: "/api/teams/{teamId}/assignments", Access: Admin},
	{Name: "IngestEvents", Method: http.MethodPost, Path: "/api/ingest/events", Access: Platform, MaxBody: MaxIngestBodyBytes, MaxTime: 28 * time.Second},
	{Name: "ListAudit", Method: http.MethodGet, Path: "/api/audit", Access: Admin},
	{Name: "ListExports", Method: http.MethodGet, Path: "/api/exports", Access: Admin},
	{Name: "CreateExport", Method: http.MethodPost, Path: "/api/exports", Access: Admin, Queue: true},
	{Name: "GetExport", Method: http.MethodGet, Path: "/api/exports/{exportId}", Access: Admin, Files: true},
	{Name: "ListReportSchedules", Method: http.MethodGet, Path: "/api/report-schedules", Access: Admin},
	{Name: "CreateReportSchedule", Method: http.MethodPost, Path: "/api/report-schedules", Access: Admin},
	{Name: "GetReportSchedule", Method: http.MethodGet, Path: "/api/report-schedules/{scheduleId}", Access: Admin},
	{Name: "UpdateReportSchedule", Method: http.MethodPut, Path: "/api/report-schedules/{scheduleId}", Access: Admin},
	{Name: "DeleteReportSchedule", Method: http.MethodDelete, Path: "/api/report-schedules/{scheduleId}", Access: Admin},
	{Name: "ListReportDeliveries", Method: http.MethodGet, Path: "/api/report-schedules/{scheduleId}/deliveries", Access: Admin},
	{Name: "SendReportNow", Method: http.MethodPost, Path: "/api/report-schedules/{scheduleId}/deliveries", Access: Admin, Queue: true},
	{Name: "CreateImport", Method: http.MethodPost, Path: "/api/imports", Access: Admin, MaxBody: MaxImportBodyBytes, Body: "text/csv", MaxTime: 28 * time.Second},
	{Name: "GetImport", Method: http.MethodGet, Path: "/api/imports/{importId}", Access: Admin, Files: true},
	{Name: "ApplyImport", Method: http.MethodPost, Path: "/api/imports/{importId}/apply", Access: Admin, Queue: true},
	{Name: "DownloadReport", Method: http.MethodPost, Path: "/api/report-downloads", Access: Public, Files: true},
	{Name: "ListIdleSeats", Method: http.MethodGet, Path: "/api/idle-seats", Access: Admin},
	{Name: "SetKeepSeat", Method: http.MethodPut, Path: "/api/users/{userId}/keep-seat", Access: Admin},
	{Name: "RemindIdleSeats", Method: http.MethodPost, Path: "/api/idle-seats/remind", Access: Admin, Mail: true},
	{Name: "DeactivateIdleSeats", Method: http.MethodPost, Path: "/api/idle-seats/deactivate", Access: Admin},
	// Fallback answers every request no other route takes: a JSON 404 or 405.
	{Name: "Fallback", Method: "ANY", Path: DefaultPath, Access: Public},
}

// RouteKey is the route as API Gateway names it, e.g. "GET /api/me".
func (r Route) RouteKey() string {
	if r.Path == DefaultPath {
		return DefaultPath
	}
	return r.Method + " " + r.Path
}

// FunctionID is the route's Lambda logical id in template.yaml.
func (r Route) FunctionID() string { return lambdaname.FunctionID(r.Name) }

// Dir is the route's folder name under functions/ and file name under events/.
func (r Route) Dir() string { return lambdaname.Dir(r.Name) }

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
