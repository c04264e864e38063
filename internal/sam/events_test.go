package sam

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"maps"
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

// samplePlatformKey is the learning platform's key in the events of
// Platform routes: ppk_ and base64url of the bytes 0x20..0x3f. The tests
// make it the demo platform's key.
const samplePlatformKey = "ppk_ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8"

// demoPassword is the demo admin's password in events/login.json.
const demoPassword = "demo-admin-password"

// wantStatus is the status each route's sample event gets from a seeded demo
// organization, signed in as its admin.
var wantStatus = map[string]int{
	"Health":               http.StatusOK,
	"GetReady":             http.StatusOK,
	"Login":                http.StatusOK,
	"Logout":               http.StatusNoContent,
	"GetMe":                http.StatusOK,
	"GetSubscription":      http.StatusOK,
	"GetDashboard":         http.StatusOK,
	"ListIdleSeats":        http.StatusOK,
	"SetKeepSeat":          http.StatusOK,
	"RemindIdleSeats":      http.StatusAccepted,
	"DeactivateIdleSeats":  http.StatusOK,
	"GetSeatHistory":       http.StatusOK,
	"ForgotPassword":       http.StatusAccepted,
	"SetPassword":          http.StatusBadRequest,
	"ListUsers":            http.StatusOK,
	"InviteUser":           http.StatusCreated,
	"GetUser":              http.StatusOK,
	"GetUserActivity":      http.StatusOK,
	"DeactivateUser":       http.StatusOK,
	"ActivateUser":         http.StatusOK,
	"GrantAdmin":           http.StatusOK,
	"RevokeAdmin":          http.StatusOK,
	"SendPasswordReset":    http.StatusAccepted,
	"ResendInvite":         http.StatusAccepted,
	"ListTeams":            http.StatusOK,
	"CreateTeam":           http.StatusCreated,
	"GetTeam":              http.StatusOK,
	"RenameTeam":           http.StatusOK,
	"DeleteTeam":           http.StatusOK,
	"AddTeamMembers":       http.StatusOK,
	"RemoveTeamMember":     http.StatusNoContent,
	"GetTeamChange":        http.StatusOK,
	"GetTeamActivity":      http.StatusOK,
	"ListCatalog":          http.StatusOK,
	"ListModules":          http.StatusOK,
	"CreateModule":         http.StatusCreated,
	"GetModule":            http.StatusOK,
	"UpdateModule":         http.StatusOK,
	"DeleteModule":         http.StatusNoContent,
	"DuplicateModule":      http.StatusCreated,
	"CreateAssignment":     http.StatusCreated,
	"GetOrganization":      http.StatusOK,
	"UpdateOrganization":   http.StatusOK,
	"ListAssignments":      http.StatusOK,
	"GetAssignment":        http.StatusOK,
	"UpdateAssignment":     http.StatusOK,
	"CancelAssignment":     http.StatusOK,
	"ListAssignees":        http.StatusOK,
	"AddAssignees":         http.StatusOK,
	"ListUserAssignments":  http.StatusOK,
	"ListTeamAssignments":  http.StatusOK,
	"IngestEvents":         http.StatusOK,
	"ListAudit":            http.StatusOK,
	"ListExports":          http.StatusOK,
	"CreateExport":         http.StatusAccepted,
	"GetExport":            http.StatusOK,
	"ListReportSchedules":  http.StatusOK,
	"CreateReportSchedule": http.StatusCreated,
	"GetReportSchedule":    http.StatusOK,
	"UpdateReportSchedule": http.StatusOK,
	"DeleteReportSchedule": http.StatusNoContent,
	"ListReportDeliveries": http.StatusOK,
	"SendReportNow":        http.StatusAccepted,
	"CreateImport":         http.StatusCreated,
	"GetImport":            http.StatusOK,
	"ApplyImport":          http.StatusAccepted,
	"DownloadReport":       http.StatusOK,
	"Fallback":             http.StatusNotFound,
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
	"SetKeepSeat":       {"learner06@demo.test", nil}, // holds a seat
	"DeactivateUser":    {"learner02@demo.test", (*domain.People).Activate},
	"ActivateUser":      {"learner31@demo.test", (*domain.People).Deactivate}, // seats are free
	"GrantAdmin":        {"learner03@demo.test", (*domain.People).RevokeAdmin},
	"RevokeAdmin":       {"learner04@demo.test", (*domain.People).GrantAdmin}, // then not the last admin
	"SendPasswordReset": {"learner05@demo.test", nil},                         // active
	"ResendInvite":      {"learner29@demo.test", nil},                         // invited
	"AddTeamMembers":    {"learner05@demo.test", nil},                         // active; in the body
	"RemoveTeamMember":  {"learner01@demo.test", nil},                         // in Engineering
	// Added to the demo's open assignment due last (again: nothing changes then).
	"AddAssignees":        {"learner12@demo.test", nil},
	"ListUserAssignments": {"learner01@demo.test", nil},
	// In the body: the activity export of a learner.
	"CreateExport": {"learner01@demo.test", nil},
	// In the body: an idle learner reminded, and one who gets a seat back
	// first so that the selection's deactivation frees it again.
	"RemindIdleSeats":     {"learner07@demo.test", nil},
	"DeactivateIdleSeats": {"learner14@demo.test", (*domain.People).Activate},
}

// placeholderExportID is the {exportId} of events/get-export.json and the
// export of events/run-export.json's message: the tests put an export of
// the demo's (made, and for GetExport finished, first) in its place.
const placeholderExportID = "ffffffffffffffffffffffffff"

// demoExport asks for an export of learner01's activity, as the demo
// admin, and returns it (finished when run is set).
func demoExport(t *testing.T, a *app.App, admin domain.User, run bool) domain.Export {
	t.Helper()
	ctx := context.Background()
	p := &domain.Principal{Session: domain.Session{OrgID: admin.OrgID, UserID: admin.ID}, User: admin}
	u, err := a.Store.FindUserByEmail(ctx, "learner01@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	e, err := domain.NewExports(a.Store, nilQueue{}, nil, nil, time.Now, a.Logger).Create(ctx, p, domain.ExportRequest{Kind: domain.ExportUserActivity, UserID: u.ID})
	if err != nil {
		t.Fatalf("ask for the demo export: %v", err)
	}
	if run {
		if e, err = a.Jobs.Exports.Run(ctx, domain.ExportRef{OrgID: e.OrgID, ExportID: e.ID}); err != nil || e.Status != domain.ExportDone {
			t.Fatalf("make the demo export: %+v, %v", e, err)
		}
	}
	return e
}

// placeholderScheduleID is the {scheduleId} of the sample events: the tests
// put a report schedule made for the event (demoSchedule) in its place.
const placeholderScheduleID = "gggggggggggggggggggggggggg"

// demoSchedule makes a weekly report schedule of the demo's viewings, due
// next Monday at 08:00 in Berlin.
func demoSchedule(t *testing.T, a *app.App, p *domain.Principal) domain.Schedule {
	t.Helper()
	sc, err := a.Services.Schedules.Create(context.Background(), p, domain.ScheduleInput{
		Name: "Weekly viewings", Kind: domain.ExportViewings, Frequency: domain.Weekly, Weekday: "monday",
		Time: "08:00", TimeZone: "Europe/Berlin", Period: domain.PeriodWeek, Recipients: []string{"finance@example.com"},
	})
	if err != nil {
		t.Fatalf("make a report schedule: %v", err)
	}
	return sc
}

// Placeholders of the scheduled reports' sample events: the token of
// events/download-report.json, and the schedule and delivery of the queued
// jobs' messages (events/run-scheduled-report.json, record-mail-events.json).
const (
	placeholderDownloadToken = "REPORT-DOWNLOAD-TOKEN"
	placeholderScheduleRef   = "ssssssssssssssssssssssssss"
	placeholderDeliveryID    = "dddddddddddddddddddddddddd"
)

// demoDelivery stores a delivery of a new demo schedule (demoSchedule) of
// last week, to finance@example.com, pending; run makes and mails it (its
// workbook is then stored, for a download).
func demoDelivery(t *testing.T, a *app.App, admin domain.User, run bool) domain.DeliveryRef {
	t.Helper()
	ctx := context.Background()
	p := &domain.Principal{Session: domain.Session{OrgID: admin.OrgID, UserID: admin.ID}, User: admin}
	sc := demoSchedule(t, a, p)
	now := time.Now().UTC()
	d := domain.Delivery{
		ID: domain.NewID(), OrgID: sc.OrgID, ScheduleID: sc.ID, Trigger: domain.TriggerManual,
		From: domain.DayIn(now.AddDate(0, 0, -7), time.UTC), To: domain.DayIn(now.AddDate(0, 0, -1), time.UTC),
		Status: domain.DeliveryPending, CreatedAt: now,
		Recipients: []domain.DeliveryRecipient{{Address: "finance@example.com", Status: domain.RecipientPending}},
	}
	if err := a.Store.CreateDelivery(ctx, d, testenv.AnyEntry(domain.AuditScheduleSentNow)); err != nil {
		t.Fatalf("store a delivery of the demo schedule: %v", err)
	}
	ref := domain.DeliveryRef{OrgID: d.OrgID, ScheduleID: d.ScheduleID, DeliveryID: d.ID}
	if run {
		if got, err := a.Jobs.Deliveries.Run(ctx, ref); err != nil || got.Status != domain.DeliveryDelivered {
			t.Fatalf("make and mail the demo delivery: %s, %v", got.Status, err)
		}
	}
	return ref
}

// placeholderImportID is the {importId} of events/get-import.json and
// apply-import.json and the import of events/run-import.json's message: the
// tests put an import of the demo's in its place (a dry run for
// ApplyImport, applying for RunImport, done for GetImport).
const placeholderImportID = "iiiiiiiiiiiiiiiiiiiiiiiiii"

// demoImport uploads a CSV moving two demo learners into Support and
// inviting someone new (an address of its own each time, so that the job
// mails an invite), and brings its import to status (dry_run, applying or
// done).
func demoImport(t *testing.T, a *app.App, admin domain.User, status string) domain.Import {
	t.Helper()
	ctx := context.Background()
	p := &domain.Principal{Session: domain.Session{OrgID: admin.OrgID, UserID: admin.ID}, User: admin}
	imports := domain.NewImports(a.Store, a.Services.Passwords, nilQueue{}, nil, domain.NewCursors(a.Config.CursorKey), time.Now, a.Logger)
	csv := "email;team;first name;last name\nlearner10@demo.test;Support;;\nlearner11@demo.test;Support;;\n" +
		"new." + domain.NewID()[:8] + "@demo.test;;Nora;Newhire\n"
	page, err := imports.Create(ctx, p, "moves.csv", []byte(csv))
	if err != nil {
		t.Fatalf("demo import: %v", err)
	}
	imp := page.Import
	if status == domain.ImportDryRun {
		return imp
	}
	if imp, err = imports.Apply(ctx, p, imp.ID); err != nil {
		t.Fatalf("demo import: apply: %v", err)
	}
	if status == domain.ImportDone {
		if imp, err = a.Jobs.Imports.Run(ctx, domain.ImportRef{OrgID: imp.OrgID, ImportID: imp.ID}); err != nil || imp.Status != domain.ImportDone {
			t.Fatalf("demo import: run: %+v, %v", imp, err)
		}
	}
	return imp
}

// nilQueue takes messages and hands them to nobody: the test runs the job.
type nilQueue struct{}

func (nilQueue) Send(context.Context, string) error { return nil }

// placeholderTeamID and placeholderChangeID are the {teamId} and {changeId}
// of the sample events, as placeholderUserID is the {userId}: eventTeams
// says which team (and change) the tests put in their place.
const (
	placeholderTeamID   = "bbbbbbbbbbbbbbbbbbbbbbbbbb"
	placeholderChangeID = "cccccccccccccccccccccccccc"
)

// placeholderModuleID (in a body) and placeholderAssignmentID ({assignmentId})
// stand for the demo's open assignment due last and its module: the events
// change it (PATCH moves its due date, DELETE cancels it, POST …/assignees
// adds someone), and a cancelled one makes the next event use another.
const (
	placeholderModuleID     = "dddddddddddddddddddddddddd"
	placeholderAssignmentID = "eeeeeeeeeeeeeeeeeeeeeeeeee"
)

// demoAssignment is the demo's open assignment due last.
func demoAssignment(t *testing.T, a *app.App, orgID string) domain.Assignment {
	t.Helper()
	open, _, err := a.Store.FindAssignments(context.Background(), orgID, domain.AssignmentOpen, 100, "")
	if err != nil || len(open) == 0 {
		t.Fatalf("the demo's open assignments: %d, %v", len(open), err)
	}
	return open[len(open)-1]
}

// eventTeams gives a {teamId} route's event its demo team (and change): the
// demo's Engineering unless a route needs another.
var eventTeams = map[string]func(t *testing.T, a *app.App, p *domain.Principal) (teamID, changeID string){
	// Sales becomes "Sales and Marketing" (and is Sales again first).
	"RenameTeam": func(t *testing.T, a *app.App, p *domain.Principal) (string, string) {
		t.Helper()
		teams, _ := a.Services.Teams.List(context.Background(), p)
		for _, team := range teams {
			if team.Name == "Sales and Marketing" {
				if _, err := a.Services.Teams.Rename(context.Background(), p, team.ID, "Sales"); err != nil {
					t.Fatal(err)
				}
			}
		}
		return demoTeam(t, a, p, "Sales"), ""
	},
	// A team of one, made for the event to delete.
	"DeleteTeam": func(t *testing.T, a *app.App, p *domain.Principal) (string, string) {
		t.Helper()
		u, err := a.Store.FindUserByEmail(context.Background(), "learner06@demo.test")
		if err != nil {
			t.Fatal(err)
		}
		created, err := a.Services.Teams.Create(context.Background(), p, domain.NewTeam{Name: "Temporary " + domain.NewID()[:6], UserIDs: []string{u.ID}})
		if err != nil {
			t.Fatalf("create the team events/delete-team.json deletes: %v", err)
		}
		return created.Team.ID, ""
	},
	// learner07 joins Engineering: the change the event reads.
	"GetTeamChange": func(t *testing.T, a *app.App, p *domain.Principal) (string, string) {
		t.Helper()
		team := demoTeam(t, a, p, "Engineering")
		u, err := a.Store.FindUserByEmail(context.Background(), "learner07@demo.test")
		if err != nil {
			t.Fatal(err)
		}
		c, err := a.Services.Teams.AddMembers(context.Background(), p, team, []string{u.ID})
		if err != nil {
			t.Fatalf("add learner07 to Engineering for events/get-team-change.json: %v", err)
		}
		return team, c.ID
	},
}

// demoTeam is the id of the demo team of that name.
func demoTeam(t *testing.T, a *app.App, p *domain.Principal, name string) string {
	t.Helper()
	teams, err := a.Store.FindTeams(context.Background(), p.OrgID())
	if err != nil {
		t.Fatalf("list the demo teams: %v", err)
	}
	for _, team := range teams {
		if team.Name == name {
			return team.ID
		}
	}
	t.Fatalf("the demo has no team %s", name)
	return ""
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
	// The idle learner in the body is reminded.
	"RemindIdleSeats": true,
}

// TestEvents invokes every route's handler with its events/<Dir>.json against
// the seeded demo organization, signed in with the sample token, and checks
// the answer and the mail it sends.
func TestEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: invokes every events/*.json on a seeded demo; make test runs it")
	}
	a, calls := testenv.NewApp(t, nil)
	a.UseSchedules(nilQueue{}) // SendReportNow's delivery goes nowhere
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
// event with the ids of the route's demo user, team and change in place of
// the placeholders.
func prepare(t *testing.T, a *app.App, admin domain.User, rt httpapi.Route, ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPRequest {
	t.Helper()
	if strings.Contains(rt.Path, "{moduleId}") {
		return withModule(t, a, admin, rt, ev)
	}
	ctx := context.Background()
	p := &domain.Principal{Session: domain.Session{OrgID: admin.OrgID, UserID: admin.ID}, User: admin}
	replace := func(param, placeholder, id string) {
		ev.RawPath = strings.Replace(ev.RawPath, placeholder, id, 1)
		ev.RequestContext.HTTP.Path = ev.RawPath
		ev.Body = strings.ReplaceAll(ev.Body, placeholder, id)
		if _, ok := ev.PathParameters[param]; ok {
			ev.PathParameters[param] = id
		}
	}
	ev.PathParameters = maps.Clone(ev.PathParameters)
	if target, ok := eventUsers[rt.Name]; ok {
		u, err := a.Store.FindUserByEmail(ctx, target.email)
		if err != nil {
			t.Fatalf("find %s, the user of events/%s.json: %v", target.email, rt.Dir(), err)
		}
		if target.setUp != nil {
			if _, err := target.setUp(a.Services.People, ctx, p, u.ID); err != nil {
				t.Fatalf("set up %s for events/%s.json: %v", target.email, rt.Dir(), err)
			}
		}
		replace("userId", placeholderUserID, u.ID)
	} else if strings.Contains(rt.Path, "{userId}") {
		t.Fatalf("route %s has a {userId}, but no demo user to act on: add one to eventUsers in internal/sam/events_test.go", rt.Name)
	}
	if strings.Contains(rt.Path, "{teamId}") {
		team, change := "", ""
		if setUp, ok := eventTeams[rt.Name]; ok {
			team, change = setUp(t, a, p)
		} else {
			team = demoTeam(t, a, p, "Engineering")
		}
		replace("teamId", placeholderTeamID, team)
		if strings.Contains(rt.Path, "{changeId}") {
			replace("changeId", placeholderChangeID, change)
		}
	}
	if rt.Access == httpapi.Platform {
		// The sample key is the demo platform's; the events are learner01's
		// in the demo organization, yesterday (the sample's day is a
		// placeholder: an event before the organization existed is refused).
		if _, err := a.Services.Platforms.SeedDemoPlatform(ctx, samplePlatformKey); err != nil {
			t.Fatalf("make the sample key the demo platform's: %v", err)
		}
		u, err := a.Store.FindUserByEmail(ctx, "learner01@demo.test")
		if err != nil {
			t.Fatal(err)
		}
		ev.Body = strings.ReplaceAll(ev.Body, placeholderOrgID, admin.OrgID)
		ev.Body = strings.ReplaceAll(ev.Body, placeholderUserID, u.ID)
		ev.Body = strings.ReplaceAll(ev.Body, sampleEventDay+"T", time.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02T"))
	}
	if rt.Name == "DownloadReport" {
		// The token of a mailed link to a delivered report of the demo's.
		ref := demoDelivery(t, a, admin, true)
		token := domain.NewDownloadTokens(a.Config.DownloadKey).Sign(ref, time.Now().Add(domain.DeliveryLinkTTL))
		ev.Body = strings.ReplaceAll(ev.Body, placeholderDownloadToken, token)
	}
	if strings.Contains(rt.Path, "{scheduleId}") {
		replace("scheduleId", placeholderScheduleID, demoSchedule(t, a, p).ID)
	}
	if strings.Contains(rt.Path, "{exportId}") {
		replace("exportId", placeholderExportID, demoExport(t, a, admin, true).ID)
	}
	if strings.Contains(rt.Path, "{importId}") {
		status := domain.ImportDone
		if rt.Name == "ApplyImport" {
			status = domain.ImportDryRun
		}
		replace("importId", placeholderImportID, demoImport(t, a, admin, status).ID)
	}
	if strings.Contains(rt.Path, "{assignmentId}") || strings.Contains(ev.Body, placeholderModuleID) {
		as := demoAssignment(t, a, admin.OrgID)
		replace("assignmentId", placeholderAssignmentID, as.ID)
		replace("moduleId", placeholderModuleID, as.ModuleID)
		replace("teamId", placeholderTeamID, demoTeam(t, a, p, "Engineering"))
	}
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
			for param, placeholder := range map[string]string{"userId": placeholderUserID, "teamId": placeholderTeamID, "changeId": placeholderChangeID, "assignmentId": placeholderAssignmentID, "exportId": placeholderExportID, "importId": placeholderImportID} {
				if id, ok := params[param]; ok && id != placeholder {
					t.Errorf("%s: %s is %q, want the placeholder %s (the tests put a demo id in its place)", file, param, id, placeholder)
				}
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
			if rt.Access == httpapi.Platform {
				if auth != "Bearer "+samplePlatformKey {
					t.Errorf("%s: route %s needs the platform's key, so its event needs authorization: Bearer %s", file, rt.Name, samplePlatformKey)
				}
			} else if rt.Access != httpapi.Public && auth != "Bearer "+sampleToken {
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

// readJobEvent reads a job's events/<Dir>.json strictly, as the event its
// trigger sends (a worker.ScheduledEvent or an SQS event): a field the
// event's type does not have is an error, not silently dropped.
func readJobEvent[E any](t *testing.T, j worker.Job) E {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "events", j.Dir()+".json"))
	if err != nil {
		t.Fatalf("read the sample event of %s: %v", j.Name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var ev E
	if err := dec.Decode(&ev); err != nil {
		t.Fatalf("events/%s.json is not a %T: %v", j.Dir(), ev, err)
	}
	return ev
}

// sampleEventDay is the day of the sample activity events, replaced by
// yesterday's in the tests.
const sampleEventDay = "2026-03-10"

// placeholderOrgID is the organization of the sample team change's message
// and of the sample activity events.
const placeholderOrgID = "oooooooooooooooooooooooooo"

// sampleDigestDay is the Monday of events/deliver-reminders.json, made today.
const sampleDigestDay = "2026-12-07"

// runJob runs a job's Lambda handler on its sample event and returns its
// answer. A queued job's message is made to name a team change of the demo
// that is under way: learner08 and learner09 joining Support.
// beforeRun, when given, is called once the job's work is prepared, right
// before the handler runs (the policies test starts recording there).
func runJob(t *testing.T, a *app.App, admin domain.User, j worker.Job, beforeRun ...func()) json.RawMessage {
	t.Helper()
	ready := func() {
		for _, f := range beforeRun {
			f()
		}
	}
	w, ok := worker.WorkNamed(j.Name)
	if !ok {
		t.Fatalf("job %s has no Work", j.Name)
	}
	h, err := w.Handler(a.Jobs)
	if err != nil {
		t.Fatal(err)
	}
	switch h := h.(type) {
	case worker.ScheduledHandler:
		ready()
		out, err := h(context.Background(), readJobEvent[worker.ScheduledEvent](t, j))
		if err != nil {
			t.Fatalf("events/%s.json: the job failed: %v", j.Dir(), err)
		}
		return out
	case worker.QueueHandler:
		ev := readJobEvent[events.SQSEvent](t, j)
		if j.Name == "RunScheduledReport" || j.Name == "RecordMailEvents" {
			// A delivery of a demo schedule to finance@example.com: pending
			// for the job that makes and mails it, delivered for the one
			// that records its bounce.
			ref := demoDelivery(t, a, admin, j.Name == "RecordMailEvents")
			for i := range ev.Records {
				body := strings.ReplaceAll(ev.Records[i].Body, placeholderOrgID, ref.OrgID)
				body = strings.ReplaceAll(body, placeholderScheduleRef, ref.ScheduleID)
				ev.Records[i].Body = strings.ReplaceAll(body, placeholderDeliveryID, ref.DeliveryID)
			}
			ready()
			res, err := h(context.Background(), ev)
			if err != nil || len(res.BatchItemFailures) > 0 {
				t.Fatalf("events/%s.json: the job failed: %+v, %v", j.Dir(), res, err)
			}
			d, err := a.Store.FindDelivery(context.Background(), ref.OrgID, ref.ScheduleID, ref.DeliveryID)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := a.Store.FindSchedule(context.Background(), ref.OrgID, ref.ScheduleID)
			if err != nil {
				t.Fatal(err)
			}
			out, _ := json.Marshal(map[string]any{"status": d.Status, "recipients": d.Recipients, "bounced": sc.Bounced})
			return out
		}
		if j.Name == "RunImport" {
			imp := demoImport(t, a, admin, domain.ImportApplying)
			for i := range ev.Records {
				body := strings.Replace(ev.Records[i].Body, placeholderOrgID, imp.OrgID, 1)
				ev.Records[i].Body = strings.Replace(body, placeholderImportID, imp.ID, 1)
			}
			ready()
			res, err := h(context.Background(), ev)
			if err != nil || len(res.BatchItemFailures) > 0 {
				t.Fatalf("events/%s.json: the job failed: %+v, %v", j.Dir(), res, err)
			}
			got, err := a.Store.FindImport(context.Background(), imp.OrgID, imp.ID)
			if err != nil {
				t.Fatal(err)
			}
			out, _ := json.Marshal(map[string]any{"status": got.Status, "done": got.Done})
			return out
		}
		if j.Name == "RunExport" {
			e := demoExport(t, a, admin, false)
			for i := range ev.Records {
				body := strings.Replace(ev.Records[i].Body, placeholderOrgID, e.OrgID, 1)
				ev.Records[i].Body = strings.Replace(body, placeholderExportID, e.ID, 1)
			}
			ready()
			res, err := h(context.Background(), ev)
			if err != nil || len(res.BatchItemFailures) > 0 {
				t.Fatalf("events/%s.json: the job failed: %+v, %v", j.Dir(), res, err)
			}
			got, err := a.Store.FindExport(context.Background(), e.OrgID, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			out, _ := json.Marshal(map[string]any{"status": got.Status})
			return out
		}
		if j.Name == "DeliverReminders" {
			// The demo organization's digest, as of today: it has overdue
			// assignments, and its admin is mailed.
			today := time.Now().UTC().Format(domain.DateLayout)
			for i := range ev.Records {
				body := strings.Replace(ev.Records[i].Body, placeholderOrgID, admin.OrgID, 1)
				ev.Records[i].Body = strings.Replace(body, sampleDigestDay, today, 1)
			}
			ready()
			res, err := h(context.Background(), ev)
			if err != nil || len(res.BatchItemFailures) > 0 {
				t.Fatalf("events/%s.json: the job failed: %+v, %v", j.Dir(), res, err)
			}
			n := 0
			for _, m := range testenv.MailTo(t, admin.Email) {
				if strings.Contains(m.Subject, "overdue assignment") {
					n++
				}
			}
			out, _ := json.Marshal(map[string]any{"digests": n})
			return out
		}
		ref := underwayChange(t, a, admin)
		for i := range ev.Records {
			body := strings.Replace(ev.Records[i].Body, placeholderOrgID, ref.OrgID, 1)
			body = strings.Replace(body, placeholderTeamID, ref.TeamID, 1)
			ev.Records[i].Body = strings.Replace(body, placeholderChangeID, ref.ChangeID, 1)
		}
		ready()
		res, err := h(context.Background(), ev)
		if err != nil || len(res.BatchItemFailures) > 0 {
			t.Fatalf("events/%s.json: the job failed: %+v, %v", j.Dir(), res, err)
		}
		c, err := a.Store.FindTeamChange(context.Background(), ref.OrgID, ref.TeamID, ref.ChangeID)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(map[string]any{"status": c.Status, "done": c.Done})
		return out
	default:
		t.Fatalf("job %s's handler is a %T", j.Name, h)
		return nil
	}
}

// underwayChange stores a change of the demo's Support team that no request
// has begun: learner08 and learner09 are to join.
func underwayChange(t *testing.T, a *app.App, admin domain.User) domain.ChangeRef {
	t.Helper()
	ctx := context.Background()
	p := &domain.Principal{Session: domain.Session{OrgID: admin.OrgID, UserID: admin.ID}, User: admin}
	team := demoTeam(t, a, p, "Support")
	var ids []string
	for _, email := range []string{"learner08@demo.test", "learner09@demo.test"} {
		u, err := a.Store.FindUserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Services.Teams.RemoveMember(ctx, p, team, u.ID); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	now := time.Now()
	c := domain.TeamChange{ID: domain.NewID(), OrgID: admin.OrgID, TeamID: team, Kind: domain.ChangeAdd, UserIDs: ids,
		Total: len(ids), Status: domain.ChangeRunning, CreatedAt: now, UpdatedAt: now,
		By: domain.UserActor(admin), TeamName: "Support"}
	audit := domain.NewAuditEntry(p, domain.AuditTeamMembersChanged, domain.AuditTarget{Kind: domain.TargetTeam, ID: team, Name: "Support"}, now)
	if err := a.Store.StartTeamChange(ctx, c, audit); err != nil {
		t.Fatalf("store a team change under way: %v", err)
	}
	return domain.ChangeRef{OrgID: c.OrgID, TeamID: c.TeamID, ChangeID: c.ID}
}

// TestJobEvents runs every job's handler on its events/<Dir>.json, the way
// sam local invoke does, and checks that it did its work.
func TestJobEvents(t *testing.T) {
	a, _ := testenv.NewApp(t, nil)
	a.UseSchedules(nilQueue{})
	admin := seedDemo(t, a)
	for _, j := range worker.Jobs {
		t.Run(j.Name, func(t *testing.T) {
			switch j.Name {
			case "SweepExpired":
				// A session that expired an hour ago, and one still open.
				signIn(t, a, admin, time.Now().Add(-3*time.Hour), time.Now().Add(-time.Hour))
				out := runJob(t, a, admin, j)
				var swept struct{ Deleted int }
				if err := json.Unmarshal(out, &swept); err != nil || swept.Deleted != 1 {
					t.Errorf("events/%s.json answered %s, want 1 deleted", j.Dir(), out)
				}
				if _, err := a.Store.FindSession(context.Background(), domain.HashToken(sampleToken)); domain.ErrorCode(err) != domain.CodeNotFound {
					t.Errorf("the expired session is still there (%v)", err)
				}
				if again := runJob(t, a, admin, j); !strings.Contains(string(again), `"deleted":0`) {
					t.Errorf("a second run answered %s, want nothing more deleted", again)
				}
			case "ContinueTeamChange":
				// Two people to join a team: the job adds both and ends the change.
				out := runJob(t, a, admin, j)
				if string(out) != `{"done":2,"status":"done"}` {
					t.Errorf("events/%s.json left the change at %s, want done with 2", j.Dir(), out)
				}
			case "DispatchReports":
				// A schedule due a minute ago: the job claims its run and
				// queues the delivery; a second run finds nothing due.
				p := &domain.Principal{Session: domain.Session{OrgID: admin.OrgID, UserID: admin.ID}, User: admin}
				sc := demoSchedule(t, a, p)
				dueNow(t, a, sc, time.Now().Add(-time.Minute))
				out := runJob(t, a, admin, j)
				var d struct{ Due, Claimed int }
				if err := json.Unmarshal(out, &d); err != nil || d.Due != 1 || d.Claimed != 1 {
					t.Errorf("events/%s.json answered %s, want 1 due and claimed", j.Dir(), out)
				}
				if got, err := a.Store.FindSchedule(context.Background(), sc.OrgID, sc.ID); err != nil || got.LastDeliveryID == "" || !got.NextRunAt.After(time.Now()) {
					t.Errorf("after the run the schedule is %+v (%v), want a delivery and a next run", got, err)
				}
				if again := runJob(t, a, admin, j); !strings.Contains(string(again), `"due":0`) {
					t.Errorf("a second run answered %s, want nothing due", again)
				}
			case "RunScheduledReport":
				// A pending delivery of a demo schedule: the job makes the
				// workbook and mails it to the one recipient.
				out := runJob(t, a, admin, j)
				var got struct {
					Status     string
					Recipients []domain.DeliveryRecipient
				}
				if err := json.Unmarshal(out, &got); err != nil || got.Status != domain.DeliveryDelivered ||
					len(got.Recipients) != 1 || got.Recipients[0].Status != domain.RecipientSent {
					t.Errorf("events/%s.json left the delivery at %s, want delivered to its recipient", j.Dir(), out)
				}
			case "RecordMailEvents":
				// SES's permanent bounce of finance@example.com: marked on the
				// delivery, and the schedule stops mailing the address.
				out := runJob(t, a, admin, j)
				var got struct {
					Recipients []domain.DeliveryRecipient
					Bounced    []string
				}
				if err := json.Unmarshal(out, &got); err != nil || len(got.Recipients) != 1 ||
					got.Recipients[0].Status != domain.RecipientBounced || got.Recipients[0].Reason != "smtp; 550 5.1.1 user unknown" ||
					len(got.Bounced) != 1 || got.Bounced[0] != "finance@example.com" {
					t.Errorf("events/%s.json left %s, want the recipient bounced and the schedule's bounced listing it", j.Dir(), out)
				}
			case "RunExport":
				// learner01's activity export is asked for; the job makes it.
				if out := runJob(t, a, admin, j); string(out) != `{"status":"done"}` {
					t.Errorf("events/%s.json left the export at %s, want done", j.Dir(), out)
				}
			case "RunImport":
				// Two demo learners moved into Support and one invited by an applied upload.
				if out := runJob(t, a, admin, j); string(out) != `{"done":3,"status":"done"}` {
					t.Errorf("events/%s.json left the import at %s, want done with 3 rows", j.Dir(), out)
				}
			case "SendReminders":
				// Nothing of the demo is due in 3 days, today or yesterday:
				// the sweep reads the due days and queues nothing for them.
				out := runJob(t, a, admin, j)
				var swept struct{ Assignments *int }
				if err := json.Unmarshal(out, &swept); err != nil || swept.Assignments == nil || *swept.Assignments != 0 {
					t.Errorf("events/%s.json answered %s, want 0 assignments queued", j.Dir(), out)
				}
			case "DeliverReminders":
				// The digest of the demo's overdue assignments, to its admin.
				if out := runJob(t, a, admin, j); string(out) != `{"digests":1}` {
					t.Errorf("events/%s.json answered %s, want the digest mailed to the admin once", j.Dir(), out)
				}
			default:
				t.Fatalf("job %s has no check of its sample event: add one to TestJobEvents", j.Name)
			}
		})
	}
}

// dueNow makes a schedule due at at, as the dispatcher will find it: its
// next run moved back (an admin cannot set one in the past).
func dueNow(t *testing.T, a *app.App, sc domain.Schedule, at time.Time) {
	t.Helper()
	moved := sc
	moved.NextRunAt, moved.Rev = at.UTC(), sc.Rev+1
	if err := a.Store.UpdateSchedule(context.Background(), moved, sc.Rev, testenv.AnyEntry(domain.AuditScheduleUpdated)); err != nil {
		t.Fatalf("make the schedule due: %v", err)
	}
}
