package sam

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/httpapi"
	"proportal/internal/testenv"
	"proportal/internal/worker"
)

// sampleToken is the session token in the events of routes that need one
// (events/README.md): base64url of the 32 bytes 0x00..0x1f. The tests store
// a session for the demo admin under its hash.
const sampleToken = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

// demoPassword is the demo admin's password in events/login.json.
const demoPassword = "demo-admin-password"

// wantStatus is the status each route's sample event gets from a seeded demo
// organization, signed in as its admin.
var wantStatus = map[string]int{
	"Health":            http.StatusOK,
	"GetReady":          http.StatusOK,
	"Login":             http.StatusOK,
	"Logout":            http.StatusNoContent,
	"GetMe":             http.StatusOK,
	"GetSubscription":   http.StatusOK,
	"GetDashboard":      http.StatusOK,
	"ForgotPassword":    http.StatusAccepted,
	"SetPassword":       http.StatusBadRequest,
	"ListUsers":         http.StatusOK,
	"InviteUser":        http.StatusCreated,
	"GetUser":           http.StatusOK,
	"GetUserActivity":   http.StatusOK,
	"DeactivateUser":    http.StatusOK,
	"ActivateUser":      http.StatusOK,
	"GrantAdmin":        http.StatusOK,
	"RevokeAdmin":       http.StatusOK,
	"SendPasswordReset": http.StatusAccepted,
	"ResendInvite":      http.StatusAccepted,
	"ListTeams":         http.StatusOK,
	"ListCatalog":       http.StatusOK,
	"ListModules":       http.StatusOK,
	"CreateModule":      http.StatusCreated,
	"GetModule":         http.StatusOK,
	"UpdateModule":      http.StatusOK,
	"DeleteModule":      http.StatusNoContent,
	"DuplicateModule":   http.StatusCreated,
	"Fallback":          http.StatusNotFound,
}

// wantCode is the error code of events answered with an error on purpose.
// SetPassword's sample token is well formed but no link has it: a fixed token
// cannot be a live link anywhere.
var wantCode = map[string]string{
	"SetPassword": domain.CodeInvalidToken,
	"Fallback":    domain.CodeNotFound,
}

// placeholderUserID is the {userId} of the sample events (events/README.md):
// an id of the right shape that no user has. The tests put the id of the
// route's demo user (eventUsers) in its place.
const placeholderUserID = "aaaaaaaaaaaaaaaaaaaaaaaaaa"

// eventUser is the demo user a {userId} route's event acts on, and what the
// test does to them first (as the admin) so that the event shows the route at
// work whatever ran before it. Each route has its own user.
type eventUser struct {
	email string
	setUp func(*domain.People, context.Context, *domain.Principal, string) (domain.User, error)
}

var eventUsers = map[string]eventUser{
	"GetUser":           {"learner01@demo.test", nil},
	"GetUserActivity":   {"learner01@demo.test", nil},
	"DeactivateUser":    {"learner02@demo.test", (*domain.People).Activate},
	"ActivateUser":      {"learner31@demo.test", (*domain.People).Deactivate}, // seats are free
	"GrantAdmin":        {"learner03@demo.test", (*domain.People).RevokeAdmin},
	"RevokeAdmin":       {"learner04@demo.test", (*domain.People).GrantAdmin}, // then not the last admin
	"SendPasswordReset": {"learner05@demo.test", nil},                         // active
	"ResendInvite":      {"learner29@demo.test", nil},                         // invited
}

// sendsMail lists the routes whose sample event sends one mail
// (events/README.md says to whom); the others send none.
var sendsMail = map[string]bool{
	"ForgotPassword":    true,
	"InviteUser":        true,
	"SendPasswordReset": true,
	"ResendInvite":      true,
	// The sample activates someone who never set a password: they get the invite.
	"ActivateUser": true,
	// The person given admin rights is told.
	"GrantAdmin": true,
}

// TestEvents invokes every route's handler with its events/<Dir>.json against
// the seeded demo organization, signed in with the sample token, and checks
// the answer and the mail it sends.
func TestEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: invokes every events/*.json on a seeded demo; make test runs it")
	}
	a, calls := testenv.NewApp(t, nil)
	admin := seedDemo(t, a)
	for _, rt := range httpapi.Routes {
		t.Run(rt.Name, func(t *testing.T) {
			want, ok := wantStatus[rt.Name]
			if !ok {
				t.Fatalf("route %s has no expected status: add one to wantStatus in internal/sam/events_test.go", rt.Name)
			}
			ev := prepare(t, a, admin, rt, readEvent(t, rt))
			signIn(t, a, admin, time.Now(), time.Now().Add(time.Hour))
			sent := calls.Count("SendEmail")
			res := invoke(t, a, rt, ev)
			sent = calls.Count("SendEmail") - sent
			if res.StatusCode != want {
				t.Errorf("events/%s.json answered %d, want %d; body: %s", rt.Dir(), res.StatusCode, want, res.Body)
			}
			if res.Body != "" && !json.Valid([]byte(res.Body)) {
				t.Errorf("events/%s.json answered a body that is not JSON: %s", rt.Dir(), res.Body)
			}
			if code, ok := wantCode[rt.Name]; ok {
				var body struct {
					Error struct{ Code string } `json:"error"`
				}
				if err := json.Unmarshal([]byte(res.Body), &body); err != nil || body.Error.Code != code {
					t.Errorf("events/%s.json answered error code %q, want %q", rt.Dir(), body.Error.Code, code)
				}
			}
			wantSent := 0
			if sendsMail[rt.Name] {
				wantSent = 1
			}
			if sent != wantSent {
				t.Errorf("events/%s.json sent %d mails, want %d", rt.Dir(), sent, wantSent)
			}
		})
	}
}

// prepare readies the demo organization for a route's event and returns the
// event with the id of the route's demo user in place of placeholderUserID.
func prepare(t *testing.T, a *app.App, admin domain.User, rt httpapi.Route, ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPRequest {
	t.Helper()
	if strings.Contains(rt.Path, "{moduleId}") {
		return withModule(t, a, admin, rt, ev)
	}
	target, ok := eventUsers[rt.Name]
	if !strings.Contains(rt.Path, "{userId}") {
		return ev
	}
	if !ok {
		t.Fatalf("route %s has a {userId}, but no demo user to act on: add one to eventUsers in internal/sam/events_test.go", rt.Name)
	}
	ctx := context.Background()
	u, err := a.Store.FindUserByEmail(ctx, target.email)
	if err != nil {
		t.Fatalf("find %s, the user of events/%s.json: %v", target.email, rt.Dir(), err)
	}
	if target.setUp != nil {
		p := &domain.Principal{Session: domain.Session{OrgID: admin.OrgID, UserID: admin.ID}, User: admin}
		if _, err := target.setUp(a.Services.People, ctx, p, u.ID); err != nil {
			t.Fatalf("set up %s for events/%s.json: %v", target.email, rt.Dir(), err)
		}
	}
	ev.RawPath = strings.Replace(ev.RawPath, placeholderUserID, u.ID, 1)
	ev.RequestContext.HTTP.Path = ev.RawPath
	ev.PathParameters = map[string]string{"userId": u.ID}
	return ev
}

// withModule gives a {moduleId} route's event a module of its own, made
// for it at revision 1 (the revision events/update-module.json edits), in
// place of the placeholder id.
func withModule(t *testing.T, a *app.App, admin domain.User, rt httpapi.Route, ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPRequest {
	t.Helper()
	p := &domain.Principal{Session: domain.Session{OrgID: admin.OrgID, UserID: admin.ID}, User: admin}
	m, err := a.Services.Modules.Create(context.Background(), p, domain.ModuleInput{
		Name: "Module of events/" + rt.Dir() + ".json", ItemIDs: []string{"course-ccna", "lab-vlans"},
	})
	if err != nil {
		t.Fatalf("make the module of events/%s.json: %v", rt.Dir(), err)
	}
	ev.RawPath = strings.Replace(ev.RawPath, placeholderUserID, m.ID, 1)
	ev.RequestContext.HTTP.Path = ev.RawPath
	ev.PathParameters = map[string]string{"moduleId": m.ID}
	return ev
}

// TestEventShapes checks that each sample event is the request API Gateway
// would send its route: route key, method, path and, where the route needs
// one, the sample session token.
func TestEventShapes(t *testing.T) {
	if got := base64.RawURLEncoding.EncodeToString([]byte{
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
		16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
	}); got != sampleToken || !domain.ValidTokenShape(sampleToken) {
		t.Fatalf("sampleToken is not base64url of the bytes 0x00..0x1f in a session token's shape")
	}
	for _, rt := range httpapi.Routes {
		t.Run(rt.Name, func(t *testing.T) {
			ev := readEvent(t, rt)
			file := "events/" + rt.Dir() + ".json"
			if ev.Version != "2.0" {
				t.Errorf("%s: version = %q, want 2.0 (HTTP API payload format)", file, ev.Version)
			}
			if ev.RouteKey != rt.RouteKey() || ev.RequestContext.RouteKey != rt.RouteKey() {
				t.Errorf("%s: routeKey = %q, requestContext.routeKey = %q, want %q", file, ev.RouteKey, ev.RequestContext.RouteKey, rt.RouteKey())
			}
			if ev.RequestContext.Stage != "$default" {
				t.Errorf("%s: requestContext.stage = %q, want $default", file, ev.RequestContext.Stage)
			}
			method, path := ev.RequestContext.HTTP.Method, ev.RequestContext.HTTP.Path
			if path != ev.RawPath {
				t.Errorf("%s: requestContext.http.path = %q, rawPath = %q; API Gateway sends the same path in both", file, path, ev.RawPath)
			}
			matched, params, _, _ := httpapi.Match(method, ev.RawPath)
			if matched.Name != rt.Name {
				t.Errorf("%s: %s %s is routed to %s, not %s", file, method, ev.RawPath, matched.Name, rt.Name)
			}
			if diff := cmp.Diff(params, ev.PathParameters); diff != "" && len(params)+len(ev.PathParameters) > 0 {
				t.Errorf("%s: pathParameters differ from what the route's path gives (-route +event):\n%s", file, diff)
			}
			if id, ok := params["userId"]; ok && id != placeholderUserID {
				t.Errorf("%s: userId is %q, want the placeholder %s (the tests put a demo user's id in its place)", file, id, placeholderUserID)
			}
			if id, ok := params["moduleId"]; ok && id != placeholderUserID {
				t.Errorf("%s: moduleId is %q, want the placeholder %s (the tests put a module's id in its place)", file, id, placeholderUserID)
			}
			query, err := url.ParseQuery(ev.RawQueryString)
			if err != nil {
				t.Errorf("%s: rawQueryString: %v", file, err)
			}
			var want map[string]string
			for name, values := range query {
				if want == nil {
					want = map[string]string{}
				}
				want[name] = strings.Join(values, ",") // as API Gateway joins repeated names
			}
			if diff := cmp.Diff(want, ev.QueryStringParameters); diff != "" {
				t.Errorf("%s: queryStringParameters differ from rawQueryString (-raw +event):\n%s", file, diff)
			}
			for name := range ev.Headers {
				if name != strings.ToLower(name) {
					t.Errorf("%s: header %q is not lower-case, as API Gateway sends them", file, name)
				}
			}
			auth := ev.Headers["authorization"]
			if rt.Access != httpapi.Public && auth != "Bearer "+sampleToken {
				t.Errorf("%s: route %s needs a session, so its event needs authorization: Bearer %s", file, rt.Name, sampleToken)
			}
		})
	}
}

// readEvent decodes events/<Dir>.json strictly: a misspelt field fails.
func readEvent(t *testing.T, rt httpapi.Route) events.APIGatewayV2HTTPRequest {
	t.Helper()
	file := filepath.Join(repoRoot(t), "events", rt.Dir()+".json")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("route %s has no sample event: %v", rt.Name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var ev events.APIGatewayV2HTTPRequest
	if err := dec.Decode(&ev); err != nil {
		t.Fatalf("events/%s.json is not an API Gateway HTTP API event: %v", rt.Dir(), err)
	}
	return ev
}

// seedDemo creates the demo organization and returns its admin.
func seedDemo(t *testing.T, a *app.App) domain.User {
	t.Helper()
	ctx := context.Background()
	if _, err := a.Operator.SeedDemo(ctx, demoPassword); err != nil {
		t.Fatalf("seed demo organization: %v", err)
	}
	admin, err := a.Store.FindUserByEmail(ctx, domain.DemoAdminEmail)
	if err != nil {
		t.Fatalf("find demo admin: %v", err)
	}
	return admin
}

// signIn makes the sample token a session of user, replacing any session it
// had (Logout's event ends it), last used at lastSeen and ending at expires.
func signIn(t *testing.T, a *app.App, user domain.User, lastSeen, expires time.Time) {
	t.Helper()
	ctx := context.Background()
	hash := domain.HashToken(sampleToken)
	if err := a.Store.DeleteSession(ctx, hash); err != nil {
		t.Fatalf("end the sample session: %v", err)
	}
	err := a.Store.CreateSession(ctx, domain.Session{
		TokenHash: hash, OrgID: user.OrgID, UserID: user.ID, UserVersion: user.SessionVersion,
		CreatedAt: lastSeen, LastSeenAt: lastSeen, ExpiresAt: expires,
	}, nil)
	if err != nil {
		t.Fatalf("store the sample session: %v", err)
	}
}

// invoke runs a route's Lambda handler on an event.
func invoke(t *testing.T, a *app.App, rt httpapi.Route, ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	h, err := a.Handler(rt.Name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := h(context.Background(), ev)
	if err != nil {
		t.Fatalf("handler of %s returned an error: %v", rt.Name, err)
	}
	return res
}

// readJobEvent reads a job's events/<Dir>.json strictly: a field the job's
// event type does not have is an error, not silently dropped.
func readJobEvent(t *testing.T, j worker.Job) worker.ScheduledEvent {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "events", j.Dir()+".json"))
	if err != nil {
		t.Fatalf("read the sample event of %s: %v", j.Name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var ev worker.ScheduledEvent
	if err := dec.Decode(&ev); err != nil {
		t.Fatalf("events/%s.json is not a worker.ScheduledEvent: %v", j.Dir(), err)
	}
	return ev
}

// runJob runs a job's Lambda handler on its sample event and returns its answer.
func runJob(t *testing.T, a *app.App, j worker.Job) json.RawMessage {
	t.Helper()
	w, ok := worker.WorkNamed(j.Name)
	if !ok {
		t.Fatalf("job %s has no Work", j.Name)
	}
	h, err := w.Handler(a.Jobs)
	if err != nil {
		t.Fatal(err)
	}
	scheduled, ok := h.(worker.ScheduledHandler)
	if !ok {
		t.Fatalf("job %s's handler is a %T; this test runs scheduled jobs only", j.Name, h)
	}
	out, err := scheduled(context.Background(), readJobEvent(t, j))
	if err != nil {
		t.Fatalf("events/%s.json: the job failed: %v", j.Dir(), err)
	}
	return out
}

// TestJobEvents runs every job's handler on its events/<Dir>.json, the way
// sam local invoke does, and checks that it did its work.
func TestJobEvents(t *testing.T) {
	a, _ := testenv.NewApp(t, nil)
	admin := seedDemo(t, a)
	for _, j := range worker.Jobs {
		t.Run(j.Name, func(t *testing.T) {
			switch j.Name {
			case "SweepExpired":
				// A session that expired an hour ago, and one still open.
				signIn(t, a, admin, time.Now().Add(-3*time.Hour), time.Now().Add(-time.Hour))
				out := runJob(t, a, j)
				var swept struct{ Deleted int }
				if err := json.Unmarshal(out, &swept); err != nil || swept.Deleted != 1 {
					t.Errorf("events/%s.json answered %s, want 1 deleted", j.Dir(), out)
				}
				if _, err := a.Store.FindSession(context.Background(), domain.HashToken(sampleToken)); domain.ErrorCode(err) != domain.CodeNotFound {
					t.Errorf("the expired session is still there (%v)", err)
				}
				if again := runJob(t, a, j); !strings.Contains(string(again), `"deleted":0`) {
					t.Errorf("a second run answered %s, want nothing more deleted", again)
				}
			default:
				t.Fatalf("job %s has no check of its sample event: add one to TestJobEvents", j.Name)
			}
		})
	}
}
