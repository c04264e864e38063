package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/httpapi"
)

// orgState is what an organization holds, for telling whether a request
// changed it.
type orgState struct {
	Users       []domain.User
	Counts      domain.UserCounts
	Teams       []domain.Team
	Modules     []domain.Module
	Org         domain.Organization
	Assignments []domain.Assignment
	Assignees   [][]domain.Assignee
	Schedules   []domain.Schedule
	Deliveries  [][]domain.Delivery
}

func stateOf(t *testing.T, a *app.App, orgID string) orgState {
	t.Helper()
	ctx := context.Background()
	users, next, err := a.Store.FindUsers(ctx, orgID, domain.UserQuery{Status: domain.FilterAll, Limit: domain.MaxPageSize})
	if err != nil || next != "" {
		t.Fatalf("FindUsers of %s: next %q, %v; want everyone at once", orgID, next, err)
	}
	counts, err := a.Store.FindUserCounts(ctx, orgID)
	if err != nil {
		t.Fatalf("FindUserCounts: %v", err)
	}
	teams, err := a.Store.FindTeams(ctx, orgID)
	if err != nil {
		t.Fatalf("FindTeams: %v", err)
	}
	modules, err := a.Store.FindModules(ctx, orgID)
	if err != nil {
		t.Fatalf("FindModules: %v", err)
	}
	slices.SortFunc(modules, func(x, y domain.Module) int { return strings.Compare(x.ID, y.ID) })
	org, err := a.Store.FindOrganization(ctx, orgID)
	if err != nil {
		t.Fatalf("FindOrganization: %v", err)
	}
	st := orgState{Users: users, Counts: counts, Teams: teams, Modules: modules, Org: org}
	for _, status := range []string{domain.AssignmentOpen, domain.AssignmentCancelled} {
		list, _, err := a.Store.FindAssignments(ctx, orgID, status, 100, "")
		if err != nil {
			t.Fatalf("FindAssignments: %v", err)
		}
		st.Assignments = append(st.Assignments, list...)
	}
	for _, as := range st.Assignments {
		people, _, err := a.Store.FindAssignees(ctx, orgID, as.ID, domain.AssigneeQuery{Limit: 200})
		if err != nil {
			t.Fatalf("FindAssignees: %v", err)
		}
		st.Assignees = append(st.Assignees, people)
	}
	if st.Schedules, err = a.Store.FindSchedules(ctx, orgID); err != nil {
		t.Fatalf("FindSchedules: %v", err)
	}
	slices.SortFunc(st.Schedules, func(x, y domain.Schedule) int { return strings.Compare(x.ID, y.ID) })
	for _, sc := range st.Schedules {
		list, err := a.Store.FindDeliveries(ctx, orgID, sc.ID, 100)
		if err != nil {
			t.Fatalf("FindDeliveries: %v", err)
		}
		st.Deliveries = append(st.Deliveries, list)
	}
	return st
}

// pathParam matches the {parameters} of a route path.
var pathParam = regexp.MustCompile(`\{([^}/]+)\}`)

// probe is one request of the isolation test and the answer it must get.
type probe struct {
	path, body string
	wantStatus int
	wantCode   string
	// wantField is the field a 400 must name.
	wantField string
	// sameAs is a request whose answer must be byte for byte the same: the
	// same route with ids that exist nowhere.
	sameAs string
}

// TestTenantIsolation calls every route that needs a session, as organization
// A's admin, with organization B's ids: each answers 404 not_found, exactly as
// for ids that exist nowhere, shows nothing of B and changes nothing in B. The
// routes come from httpapi.Routes, so a new route joins by itself; one whose
// path has a parameter this test cannot fill fails it until B's ids for that
// parameter are added below.
func TestTenantIsolation(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: calls every route against a second organization; make test runs it")
	}
	t.Parallel()
	a, _ := demoApp(t)
	a.UseSchedules(&sentQueue{}) // deliveries are queued, not made
	ctx := context.Background()
	demoAdmin, err := a.Store.FindUserByEmail(ctx, domain.DemoAdminEmail)
	if err != nil {
		t.Fatalf("FindUserByEmail of the demo admin: %v", err)
	}
	aTeams, err := a.Store.FindTeams(ctx, demoAdmin.OrgID)
	if err != nil || len(aTeams) == 0 {
		t.Fatalf("FindTeams of the demo: %d teams, %v", len(aTeams), err)
	}
	aAdmin := signIn(t, a, domain.DemoAdminEmail)
	aLearner := signIn(t, a, "learner01@demo.test")

	// Organization B: opened by the operator, with a team, people in every
	// status and an admin who can sign in.
	opened, err := a.Operator.CreateOrganization(ctx, domain.NewOrganization{
		Name: "Globex", Seats: 10, StartsOn: "2026-01-01", EndsOn: "2030-12-31",
		Admin: domain.NewUser{FirstName: "Hank", LastName: "Scorpio", Email: address("hank")},
	})
	if err != nil {
		t.Fatalf("CreateOrganization B: %v", err)
	}
	bOrg := opened.Organization.ID
	bTeam := domain.Team{ID: domain.NewID(), OrgID: bOrg, Name: "Doomsday", CreatedAt: opened.Organization.CreatedAt}
	if err := a.Store.CreateTeam(ctx, bTeam); err != nil {
		t.Fatalf("CreateTeam B: %v", err)
	}
	bUsers := []domain.User{
		opened.Admin,
		addUser(t, a, bOrg, "Homer", "Simpson", domain.StatusActive, inTeam(bTeam.ID)),
		addUser(t, a, bOrg, "Frank", "Grimes", domain.StatusInvited, inTeam(bTeam.ID)),
		addUser(t, a, bOrg, "Mindy", "Simmons", domain.StatusInactive),
		addUser(t, a, bOrg, "Boss", "Globex", domain.StatusActive, asAdmin),
	}
	bBoss := bUsers[len(bUsers)-1]
	bChange, err := a.Services.Teams.AddMembers(ctx, principal(bBoss), bTeam.ID, []string{bBoss.ID})
	if err != nil {
		t.Fatalf("a team change in B: %v", err)
	}
	aChange, err := a.Services.Teams.AddMembers(ctx, principal(demoAdmin), aTeams[0].ID, []string{demoAdmin.ID})
	if err != nil {
		t.Fatalf("a team change in A: %v", err)
	}
	bModule, err := a.Services.Modules.Create(ctx, principal(bBoss), domain.ModuleInput{
		Name: "Doomsday device training", Description: "Globex only", ItemIDs: []string{"course-ccna", "lab-vlans"},
	})
	if err != nil {
		t.Fatalf("create B's module: %v", err)
	}
	aModules, err := a.Store.FindModules(ctx, demoAdmin.OrgID)
	if err != nil || len(aModules) == 0 {
		t.Fatalf("FindModules of the demo: %d modules, %v", len(aModules), err)
	}

	bAssignment, err := a.Services.Assignments.Create(ctx, principal(bBoss), domain.NewAssignment{
		ModuleID: bModule.ID, UserIDs: []string{bUsers[1].ID}, DueOn: "2030-01-31",
	})
	if err != nil {
		t.Fatalf("B's assignment: %v", err)
	}
	aOpen, _, err := a.Store.FindAssignments(ctx, demoAdmin.OrgID, domain.AssignmentOpen, 1, "")
	if err != nil || len(aOpen) == 0 {
		t.Fatalf("the demo's assignments: %d, %v", len(aOpen), err)
	}

	// An export of each: B's finished, so that it has a file A must not get.
	bExport, err := a.Services.Exports.Create(ctx, principal(bBoss), domain.ExportRequest{Kind: domain.ExportUserActivity, UserID: bUsers[1].ID})
	if err != nil {
		t.Fatalf("B's export: %v", err)
	}
	aExport, err := a.Services.Exports.Create(ctx, principal(demoAdmin), domain.ExportRequest{Kind: domain.ExportLogins})
	if err != nil {
		t.Fatalf("A's export: %v", err)
	}

	// A report schedule of each, B's with a delivery.
	scheduleOf := func(p *domain.Principal, name, teamID string) domain.Schedule {
		kind := domain.ExportViewings
		if teamID != "" {
			kind = domain.ExportTeamActivity
		}
		sc, err := a.Services.Schedules.Create(ctx, p, domain.ScheduleInput{
			Name: name, Kind: kind, TeamID: teamID, Frequency: domain.Weekly, Weekday: "monday", Time: "08:00",
			Period: domain.PeriodWeek, Recipients: []string{"finance@example.com"},
		})
		if err != nil {
			t.Fatalf("schedule %s: %v", name, err)
		}
		return sc
	}
	bSchedule := scheduleOf(principal(bBoss), "Doomsday digest", bTeam.ID)
	if _, err := a.Services.Schedules.SendNow(ctx, principal(bBoss), bSchedule.ID); err != nil {
		t.Fatalf("B's delivery: %v", err)
	}
	aSchedule := scheduleOf(principal(demoAdmin), "Weekly viewings", "")

	// A dry run of each: B's applied and done, so that it has a file.
	importOf := func(p *domain.Principal, csv string) domain.Import {
		page, err := a.Services.Imports.Create(ctx, p, "people.csv", []byte(csv))
		if err != nil {
			t.Fatalf("dry run: %v", err)
		}
		return page.Import
	}
	bImport := importOf(principal(bBoss), "email,team\n"+bUsers[1].Email+",Doomsday\n")
	if _, err := a.Jobs.Imports.Apply(ctx, principal(bBoss), bImport.ID); err != nil {
		t.Fatalf("apply B's import: %v", err)
	}
	aImport := importOf(principal(demoAdmin), "email,team\nlearner01@demo.test,Engineering\n")

	// B's ids for every parameter, and A's own (for routes with several).
	bIDs := map[string][]string{"importId": {bImport.ID}, "userId": nil, "teamId": {bTeam.ID}, "moduleId": {bModule.ID}, "changeId": {bChange.ID}, "assignmentId": {bAssignment.Assignment.ID}, "exportId": {bExport.ID}, "scheduleId": {bSchedule.ID}}
	for _, u := range bUsers {
		bIDs["userId"] = append(bIDs["userId"], u.ID)
	}
	aIDs := map[string]string{"importId": aImport.ID, "userId": demoAdmin.ID, "teamId": aTeams[0].ID, "moduleId": aModules[0].ID, "changeId": aChange.ID, "assignmentId": aOpen[0].ID, "exportId": aExport.ID, "scheduleId": aSchedule.ID}
	// What of B must never show in an answer to A.
	secrets := []string{bOrg, "198.51.100.23", bTeam.ID, bTeam.Name, bChange.ID, "Globex", "Simpson", "Scorpio", bModule.ID, bModule.Name, bAssignment.Assignment.ID, bExport.ID, bSchedule.ID, bSchedule.Name, bImport.ID}
	for _, u := range bUsers {
		secrets = append(secrets, u.ID, u.Email)
	}

	// A cursor of B's list, which A must not be able to use.
	var bPage pageOut
	getJSON(t, a, "/api/users?limit=1", signIn(t, a, bBoss.Email), &bPage)
	if bPage.NextCursor == "" {
		t.Fatalf("B's first page of 1 has no next cursor")
	}

	// Audit entries of B, and a cursor of B's audit log.
	bEntry := func(kind string) domain.AuditEntry {
		p := principal(bBoss)
		p.Source = "198.51.100.23"
		return domain.NewAuditEntry(p, kind, domain.UserTarget(bUsers[1]), time.Now())
	}
	recordAudit(t, a, bBoss, bEntry(domain.AuditAdminGranted), bEntry(domain.AuditAdminRemoved))
	var bAudit pageOut
	getJSON(t, a, "/api/audit?limit=1", signIn(t, a, bBoss.Email), &bAudit)
	if bAudit.NextCursor == "" {
		t.Fatalf("B's first audit page of 1 has no next cursor")
	}

	var bCatalog struct{ NextCursor string }
	getJSON(t, a, "/api/catalog?limit=1", signIn(t, a, bBoss.Email), &bCatalog)
	if bCatalog.NextCursor == "" {
		t.Fatalf("B's first catalog page of 1 has no next cursor")
	}

	// Probes of the routes without parameters that take B's ids elsewhere.
	special := map[string][]probe{
		"ListCatalog": {
			{path: "/api/catalog?limit=1&cursor=" + bCatalog.NextCursor, wantStatus: 400, wantCode: "validation_failed", wantField: "cursor"},
			{path: "/api/catalog?q=ccna", wantStatus: 200},
		},
		"ListModules": {{path: "/api/modules", wantStatus: 200}},
		// An audit filter by B's ids finds nothing, as one by ids of nobody:
		// entries outlive what they name, so an unknown id is no 404 here.
		"ListAudit": {
			{path: "/api/audit?targetId=" + bUsers[1].ID, wantStatus: 200, sameAs: "/api/audit?targetId=" + domain.NewID()},
			{path: "/api/audit?actorId=" + bBoss.ID, wantStatus: 200, sameAs: "/api/audit?actorId=" + domain.NewID()},
			{path: "/api/audit?actorId=" + bBoss.ID + "&targetId=" + bUsers[1].ID + "&kind=user.admin_granted", wantStatus: 200,
				sameAs: "/api/audit?actorId=" + domain.NewID() + "&targetId=" + domain.NewID() + "&kind=user.admin_granted"},
			{path: "/api/audit?limit=1&cursor=" + bAudit.NextCursor, wantStatus: 400, wantCode: "validation_failed", wantField: "cursor"},
			{path: "/api/audit?limit=200", wantStatus: 200},
		},
		"ListExports":         {{path: "/api/exports", wantStatus: 200}},
		"ListReportSchedules": {{path: "/api/report-schedules", wantStatus: 200}},
		"CreateReportSchedule": {
			{path: "/api/report-schedules", body: scheduleBody(bTeam.ID), wantStatus: 404, wantCode: "not_found", sameAs: scheduleBody(domain.NewID())},
		},
		"CreateExport": {
			{path: "/api/exports", body: `{"kind":"user-activity","userId":"` + bUsers[1].ID + `"}`, wantStatus: 404, wantCode: "not_found",
				sameAs: `{"kind":"user-activity","userId":"` + domain.NewID() + `"}`},
			{path: "/api/exports", body: `{"kind":"team-activity","teamId":"` + bTeam.ID + `"}`, wantStatus: 404, wantCode: "not_found",
				sameAs: `{"kind":"team-activity","teamId":"` + domain.NewID() + `"}`},
			{path: "/api/exports", body: `{"kind":"assignment-activity","assignmentId":"` + bAssignment.Assignment.ID + `"}`, wantStatus: 404, wantCode: "not_found",
				sameAs: `{"kind":"assignment-activity","assignmentId":"` + domain.NewID() + `"}`},
			{path: "/api/exports", body: `{"kind":"viewings"}`, wantStatus: 202},
		},
		"CreateImport": {{path: "/api/imports?fileName=ours.csv", body: "email,first name,last name\n" + address("ivy") + ",Ivy,New\n", wantStatus: 201}},
		"CreateModule": {
			{path: "/api/modules", body: `{"name":"Ours","items":["lab-vlans"]}`, wantStatus: 201},
		},
		"ListUsers": {
			{path: "/api/users?teamId=" + bTeam.ID, wantStatus: 404, wantCode: "not_found", sameAs: "/api/users?teamId=" + domain.NewID()},
			{path: "/api/users?teamId=" + bTeam.ID + "&status=active", wantStatus: 404, wantCode: "not_found"},
			{path: "/api/users?cursor=" + bPage.NextCursor, wantStatus: 400, wantCode: "validation_failed", wantField: "cursor"},
			{path: "/api/users?q=simpson", wantStatus: 200},
			{path: "/api/users?q=" + bBoss.Email, wantStatus: 200},
			{path: "/api/users?status=all&limit=200", wantStatus: 200},
		},
		"CreateAssignment": {
			{path: "/api/assignments", body: `{"moduleId":"` + bModule.ID + `","userIds":["` + demoAdmin.ID + `"],"dueOn":"2030-01-31"}`,
				wantStatus: 404, wantCode: "not_found",
				sameAs: `{"moduleId":"` + domain.NewID() + `","userIds":["` + demoAdmin.ID + `"],"dueOn":"2030-01-31"}`},
			{path: "/api/assignments", body: `{"moduleId":"` + aOpen[0].ModuleID + `","userIds":["` + bUsers[1].ID + `"],"dueOn":"2030-01-31"}`,
				wantStatus: 404, wantCode: "not_found",
				sameAs: `{"moduleId":"` + aOpen[0].ModuleID + `","userIds":["` + domain.NewID() + `"],"dueOn":"2030-01-31"}`},
			{path: "/api/assignments", body: `{"moduleId":"` + aOpen[0].ModuleID + `","teamIds":["` + bTeam.ID + `"],"dueOn":"2030-01-31"}`,
				wantStatus: 404, wantCode: "not_found",
				sameAs: `{"moduleId":"` + aOpen[0].ModuleID + `","teamIds":["` + domain.NewID() + `"],"dueOn":"2030-01-31"}`},
		},
		"AddAssignees": {
			{path: "/api/assignments/" + aOpen[0].ID + "/assignees", body: `{"userIds":["` + bUsers[1].ID + `"]}`,
				wantStatus: 404, wantCode: "not_found", sameAs: `{"userIds":["` + domain.NewID() + `"]}`},
			{path: "/api/assignments/" + aOpen[0].ID + "/assignees", body: `{"teamIds":["` + bTeam.ID + `"]}`,
				wantStatus: 404, wantCode: "not_found", sameAs: `{"teamIds":["` + domain.NewID() + `"]}`},
		},
		"ListAssignees": {
			{path: "/api/assignments/" + aOpen[0].ID + "/assignees?team=" + bTeam.ID, wantStatus: 404, wantCode: "not_found",
				sameAs: "/api/assignments/" + aOpen[0].ID + "/assignees?team=" + domain.NewID()},
		},
		"InviteUser": {
			{path: "/api/users", body: `{"firstName":"Nia","lastName":"New","email":"` + address("nia") + `","access":"subscription","teamId":"` + bTeam.ID + `"}`,
				wantStatus: 404, wantCode: "not_found",
				sameAs: `{"firstName":"Nia","lastName":"New","email":"` + address("nia") + `","access":"subscription","teamId":"` + domain.NewID() + `"}`},
		},
	}

	// Valid bodies of routes with ids that check their body before the ids;
	// the others get "{}" (or nothing, for GET and DELETE).
	bodies := map[string]string{
		"RenameTeam":           `{"name":"Taken Over"}`,
		"AddTeamMembers":       `{"userIds":["` + demoAdmin.ID + `"]}`,
		"UpdateAssignment":     `{"dueOn":"2030-01-31"}`,
		"AddAssignees":         `{"userIds":["` + demoAdmin.ID + `"]}`,
		"UpdateReportSchedule": scheduleBody(""),
		"SetKeepSeat":          `{"keep":true}`,
	}
	// A's team given B's people, and a new team with B's people.
	special["AddTeamMembers"] = []probe{{path: "/api/teams/" + aTeams[0].ID + "/members", body: `{"userIds":["` + bUsers[1].ID + `"]}`,
		wantStatus: 404, wantCode: "not_found", sameAs: `{"userIds":["` + domain.NewID() + `"]}`}}
	special["CreateTeam"] = []probe{{path: "/api/teams", body: `{"name":"Poached","userIds":["` + bUsers[1].ID + `"]}`,
		wantStatus: 404, wantCode: "not_found", sameAs: `{"name":"Poached","userIds":["` + domain.NewID() + `"]}`}}

	for _, rt := range httpapi.Routes {
		if rt.Access == httpapi.Public || rt.Path == httpapi.DefaultPath {
			continue
		}
		t.Run(rt.Name, func(t *testing.T) {
			params := pathParam.FindAllStringSubmatch(rt.Path, -1)
			for _, p := range params {
				if _, ok := bIDs[p[1]]; !ok {
					t.Fatalf("%s has the path parameter {%s}, which TestTenantIsolation cannot fill: add organization B's ids for it to bIDs and A's to aIDs", rt.RouteKey(), p[1])
				}
			}
			probes := special[rt.Name]
			switch {
			case len(params) > 0:
				body, ok := bodies[rt.Name]
				if !ok && rt.Method != http.MethodGet && rt.Method != http.MethodDelete {
					body = "{}"
				}
				for _, path := range foreignPaths(rt.Path, params, bIDs, aIDs) {
					probes = append(probes, probe{path: path, body: body, wantStatus: 404, wantCode: "not_found", sameAs: nowherePath(rt.Path, params)})
				}
			case len(probes) == 0:
				// A route that takes no ids at all: it answers, and shows nothing of B.
				probes = []probe{{path: rt.Path, body: map[bool]string{true: "", false: "{}"}[rt.Method == http.MethodGet], wantStatus: -1}}
			}

			before := stateOf(t, a, bOrg)
			for _, p := range probes {
				res := call(t, a, rt.Method, p.path, p.body, bearer(aAdmin))
				switch {
				case p.wantStatus == -1 && res.StatusCode >= 500:
					t.Errorf("%s %s: %d %s", rt.Method, p.path, res.StatusCode, res.Body)
				case p.wantStatus != -1 && res.StatusCode != p.wantStatus:
					t.Errorf("%s %s %s: %d %s, want %d", rt.Method, p.path, p.body, res.StatusCode, res.Body, p.wantStatus)
					continue
				}
				if p.wantCode != "" {
					e := decodeError(t, res)
					if e.Error.Code != p.wantCode || (p.wantField != "" && e.Error.Fields[p.wantField] == "") {
						t.Errorf("%s %s: %s, want code %s naming %q", rt.Method, p.path, res.Body, p.wantCode, p.wantField)
					}
				}
				for _, s := range secrets {
					if strings.Contains(strings.ToLower(res.Body), strings.ToLower(s)) {
						t.Errorf("%s %s: the answer shows %q of organization B: %s", rt.Method, p.path, s, res.Body)
					}
				}
				if p.sameAs != "" {
					path, body := p.path, p.body
					if strings.HasPrefix(p.sameAs, "/") {
						path = p.sameAs
					} else {
						body = p.sameAs
					}
					nowhere := call(t, a, rt.Method, path, body, bearer(aAdmin))
					if nowhere.StatusCode != res.StatusCode || nowhere.Body != res.Body {
						t.Errorf("%s %s: B's ids answer %d %s, ids of nobody %d %s; want the same bytes",
							rt.Method, p.path, res.StatusCode, res.Body, nowhere.StatusCode, nowhere.Body)
					}
				}
			}
			if diff := cmp.Diff(before, stateOf(t, a, bOrg)); diff != "" {
				t.Errorf("organization B changed (-before +after):\n%s", diff)
			}

			// Rights are checked before anything is looked up.
			path := probes[0].path
			if res := call(t, a, rt.Method, path, probes[0].body, nil); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s without a session: %d, want 401", rt.Method, path, res.StatusCode)
			}
			if rt.Access == httpapi.Admin {
				if res := call(t, a, rt.Method, path, probes[0].body, bearer(aLearner)); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s as a learner: %d, want 403", rt.Method, path, res.StatusCode)
				}
			}
		})
	}
}

// foreignPaths fills a route path with B's ids for every parameter, and, for
// paths with several, with A's ids for all but one, so that an id of A never
// lends its rights to one of B.
func foreignPaths(pattern string, params [][]string, bIDs map[string][]string, aIDs map[string]string) []string {
	paths := []string{pattern}
	for _, p := range params {
		var next []string
		for _, path := range paths {
			for _, id := range bIDs[p[1]] {
				next = append(next, strings.Replace(path, p[0], id, 1))
			}
		}
		paths = next
	}
	if len(params) > 1 {
		for i := range params {
			path := pattern
			for j, p := range params {
				id := aIDs[p[1]]
				if i == j {
					id = bIDs[p[1]][0]
				}
				path = strings.Replace(path, p[0], id, 1)
			}
			paths = append(paths, path)
		}
	}
	return paths
}

// nowherePath fills a route path with ids that exist nowhere.
func nowherePath(pattern string, params [][]string) string {
	for _, p := range params {
		pattern = strings.Replace(pattern, p[0], domain.NewID(), 1)
	}
	return pattern
}

// TestRevokedAdminIsRefusedAtOnce: a session whose user loses admin rights is
// refused the admin routes with its next request.
func TestRevokedAdminIsRefusedAtOnce(t *testing.T) {
	t.Parallel()
	a, _, ten := tenantApp(t, nil)
	bo := addUser(t, a, ten.org.ID, "Bo", "Both", domain.StatusActive, asAdmin)
	boSession := signIn(t, a, bo.Email)
	if res := call(t, a, "GET", "/api/users", "", bearer(boSession)); res.StatusCode != http.StatusOK {
		t.Fatalf("list as an admin: %d %s", res.StatusCode, res.Body)
	}
	res := call(t, a, "DELETE", "/api/users/"+bo.ID+"/admin", "", bearer(signIn(t, a, ten.admin.Email)))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %d %s", res.StatusCode, res.Body)
	}
	var u userOut
	json.Unmarshal([]byte(res.Body), &u)
	if u.Admin || !u.Seat || u.Status != "active" {
		t.Errorf("after the revoke: %+v, want an active learner", u)
	}
	if res := call(t, a, "GET", "/api/users", "", bearer(boSession)); res.StatusCode != http.StatusForbidden {
		t.Errorf("list with the open session after the revoke: %d, want 403", res.StatusCode)
	}
	if res := call(t, a, "GET", "/api/me", "", bearer(boSession)); res.StatusCode != http.StatusOK {
		t.Errorf("GET /api/me with the open session after the revoke: %d, want 200 (still a learner)", res.StatusCode)
	}
}

// principal is what a session of u resolves to, for setting up through a
// service directly.
func principal(u domain.User) *domain.Principal {
	return &domain.Principal{Session: domain.Session{OrgID: u.OrgID, UserID: u.ID}, User: u}
}

// scheduleBody is a valid report schedule to create or save: the activity of
// the team teamID, or the organization's viewings when it is "".
func scheduleBody(teamID string) string {
	if teamID == "" {
		return `{"name":"Viewings","kind":"viewings","frequency":"weekly","weekday":"monday","time":"08:00","period":"week","recipients":["finance@example.com"]}`
	}
	return `{"name":"Team","kind":"team-activity","teamId":"` + teamID + `","frequency":"weekly","weekday":"monday","time":"08:00","period":"week","recipients":["finance@example.com"]}`
}
