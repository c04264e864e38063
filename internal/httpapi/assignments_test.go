package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/dynamo"
	"proportal/internal/testenv"
)

// assignApp is an organization (tenantApp's) with a team of `team` active
// members (and one inactive), two more active users outside it, and a module
// of a course of three episodes and a lab, wired on store (the app's own when nil).
type assignFixture struct {
	a       *app.App
	calls   *testenv.Calls
	ten     tenant
	token   string
	team    domain.Team
	members []domain.User
	others  []domain.User
	idle    domain.User
	module  domain.Module
}

// testCatalog is a course of three episodes and a lab.
var testCatalog = []domain.CatalogItem{
	{ID: "course-net", Kind: domain.KindCourse, Title: "Networking", Seconds: 900, EpisodeIDs: []string{"ep-net-1", "ep-net-2", "ep-net-3"}},
	{ID: "ep-net-1", Kind: domain.KindEpisode, Title: "Addresses", CourseID: "course-net", Position: 1, Seconds: 300},
	{ID: "ep-net-2", Kind: domain.KindEpisode, Title: "Routes", CourseID: "course-net", Position: 2, Seconds: 300},
	{ID: "ep-net-3", Kind: domain.KindEpisode, Title: "Switches", CourseID: "course-net", Position: 3, Seconds: 300},
	{ID: "lab-vlan", Kind: domain.KindLab, Title: "VLANs", Minutes: 30},
}

func newAssignFixture(t testing.TB, now domain.Clock, team int) *assignFixture {
	t.Helper()
	a, calls, ten := tenantApp(t, now)
	ctx := context.Background()
	f := &assignFixture{a: a, calls: calls, ten: ten}
	f.team = domain.Team{ID: domain.NewID(), OrgID: ten.org.ID, Name: "Field", CreatedAt: time.Now()}
	if err := a.Store.CreateTeam(ctx, f.team); err != nil {
		t.Fatal(err)
	}
	var users []domain.User
	for i := range team {
		u := domain.User{
			ID: domain.NewID(), OrgID: ten.org.ID, FirstName: fmt.Sprintf("Member%04d", i), LastName: "Field",
			Email: address(fmt.Sprintf("m%d", i)), Status: domain.StatusActive, Seat: true, PasswordHash: demoHash(), TeamIDs: []string{f.team.ID}, CreatedAt: time.Now(),
		}
		users = append(users, u)
	}
	if team > 10 {
		raise(t, a, ten.org.ID, team+10)
		if err := a.Store.ImportUsers(ctx, ten.org.ID, users, testenv.Entry(ten.org.ID, domain.AuditImportApplied)); err != nil {
			t.Fatal(err)
		}
	} else {
		for _, u := range users {
			if err := a.Store.CreateUser(ctx, u, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.members = users
	f.idle = addUser(t, a, ten.org.ID, "Idle", "Field", domain.StatusInactive, inTeam(f.team.ID))
	f.others = []domain.User{
		addUser(t, a, ten.org.ID, "Olive", "Other", domain.StatusActive),
		addUser(t, a, ten.org.ID, "Ivan", "Invited", domain.StatusInvited),
	}
	if err := a.Store.PutCatalogItems(ctx, testCatalog); err != nil {
		t.Fatalf("PutCatalogItems: %v", err)
	}
	m, err := a.Services.Modules.Create(ctx, principal(ten.admin), domain.ModuleInput{Name: "Network basics", ItemIDs: []string{"course-net", "lab-vlan"}})
	if err != nil {
		t.Fatalf("create module: %v", err)
	}
	f.module = m
	f.token = signIn(t, a, ten.admin.Email)
	calls.Reset()
	return f
}

// wire makes the assignments service use store.
func (f *assignFixture) wire(store *dynamo.Store) {
	f.a.Services.Assignments = domain.NewAssignments(store, domain.NewCursors(f.a.Config.CursorKey), time.Now)
}

// raise gives an organization enough seats for n more people.
func raise(t testing.TB, a *app.App, orgID string, n int) {
	t.Helper()
	_, err := a.Dynamo.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{
		TableName:                 aws.String(a.Config.TableName),
		Key:                       map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "ORG#" + orgID}, "sk": &types.AttributeValueMemberS{Value: "SUBSCRIPTION"}},
		UpdateExpression:          aws.String("ADD seatsTotal :n"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":n": &types.AttributeValueMemberN{Value: fmt.Sprint(n)}},
	})
	if err != nil {
		t.Fatalf("raise seats: %v", err)
	}
}

func (f *assignFixture) do(t *testing.T, method, path, body string) (int, string) {
	t.Helper()
	res := call(t, f.a, method, path, body, bearer(f.token))
	return res.StatusCode, res.Body
}

type assignmentOut struct {
	ID      string   `json:"id"`
	DueOn   string   `json:"dueOn"`
	Status  string   `json:"status"`
	Overdue bool     `json:"overdue"`
	TeamIDs []string `json:"teamIds"`
	UserIDs []string `json:"userIds"`
	Counts  struct {
		Assignees, Completed, InProgress, NotStarted, Overdue, Pending int
	} `json:"counts"`
}

func decodeAs[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

func day(offset int) string {
	return time.Now().UTC().AddDate(0, 0, offset).Format(domain.DateLayout)
}

func TestAssignAModuleToATeamAndPeople(t *testing.T) {
	t.Parallel()
	f := newAssignFixture(t, nil, 5)
	status, body := f.do(t, "POST", "/api/assignments", fmt.Sprintf(`{"moduleId":%q,"teamIds":[%q],"userIds":[%q,%q],"dueOn":%q}`,
		f.module.ID, f.team.ID, f.others[0].ID, f.members[0].ID, day(14)))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	a := decodeAs[assignmentOut](t, body)
	// 5 active members (the inactive one is left out) and Olive; member 0 comes directly.
	if a.Counts.Assignees != 6 || a.Counts.NotStarted != 6 || a.Counts.Pending != 0 || a.Overdue {
		t.Errorf("created: %+v", a)
	}

	// Progress from activity: a course counts when all its episodes do.
	svc := f.a.Services.Assignments
	ctx := context.Background()
	record := func(u domain.User, ids ...string) {
		t.Helper()
		if err := svc.RecordCompleted(ctx, f.ten.org.ID, []domain.Completion{{UserID: u.ID, CatalogIDs: ids, At: time.Now()}}); err != nil {
			t.Fatalf("RecordCompleted: %v", err)
		}
	}
	record(f.members[1], "ep-net-1", "ep-net-2")
	record(f.members[2], "ep-net-1", "ep-net-2", "ep-net-3", "lab-vlan")
	record(f.members[2], "lab-vlan") // again: nothing changes
	record(f.members[3], "lab-unrelated")
	// Two people at once, in one transaction with one counter update, and one
	// of them twice: member 4 starts, then finishes.
	err := svc.RecordCompleted(ctx, f.ten.org.ID, []domain.Completion{
		{UserID: f.members[4].ID, CatalogIDs: []string{"lab-vlan"}, At: time.Now()},
		{UserID: f.others[0].ID, CatalogIDs: []string{"ep-net-3"}, At: time.Now()},
		{UserID: f.members[4].ID, CatalogIDs: []string{"course-net"}, At: time.Now()},
	})
	if err != nil {
		t.Fatalf("RecordCompleted of two people: %v", err)
	}
	_, body = f.do(t, "GET", "/api/assignments/"+a.ID, "")
	got := decodeAs[assignmentOut](t, body)
	if c := got.Counts; c.Assignees != 6 || c.Completed != 2 || c.InProgress != 2 || c.NotStarted != 2 {
		t.Errorf("after progress: %+v", c)
	}

	type page struct {
		Items []struct {
			User      struct{ ID string }
			TeamID    string `json:"teamId"`
			State     string `json:"state"`
			Percent   int    `json:"percent"`
			ItemsDone int    `json:"itemsDone"`
		} `json:"items"`
		NextCursor string `json:"nextCursor"`
	}
	_, body = f.do(t, "GET", "/api/assignments/"+a.ID+"/assignees?state=completed", "")
	done := decodeAs[page](t, body)
	if len(done.Items) != 2 || done.Items[0].Percent != 100 || done.Items[1].Percent != 100 {
		t.Errorf("completed: %s", body)
	}
	_, body = f.do(t, "GET", "/api/assignments/"+a.ID+"/assignees?team="+f.team.ID, "")
	if team := decodeAs[page](t, body); len(team.Items) != 4 {
		t.Errorf("through the team: %d people, want 4 (member 0 was chosen directly): %s", len(team.Items), body)
	}
	_, body = f.do(t, "GET", "/api/assignments/"+a.ID+"/assignees?limit=4", "")
	first := decodeAs[page](t, body)
	_, body = f.do(t, "GET", "/api/assignments/"+a.ID+"/assignees?limit=4&cursor="+first.NextCursor, "")
	if second := decodeAs[page](t, body); len(first.Items) != 4 || len(second.Items) != 2 || second.NextCursor != "" {
		t.Errorf("pages of 4: %d then %d (next %q)", len(first.Items), len(second.Items), second.NextCursor)
	}

	// Add people later: Ivan (invited) and the team again (nobody new).
	status, body = f.do(t, "POST", "/api/assignments/"+a.ID+"/assignees", fmt.Sprintf(`{"userIds":[%q],"teamIds":[%q]}`, f.others[1].ID, f.team.ID))
	if added := decodeAs[assignmentOut](t, body); status != 200 || added.Counts.Assignees != 7 || added.Counts.NotStarted != 3 {
		t.Errorf("add: %d %s", status, body)
	}

	// The user's and the team's assignments.
	_, body = f.do(t, "GET", "/api/users/"+f.members[2].ID+"/assignments", "")
	if !strings.Contains(body, `"state":"completed"`) || !strings.Contains(body, a.ID) {
		t.Errorf("user's assignments: %s", body)
	}
	_, body = f.do(t, "GET", "/api/teams/"+f.team.ID+"/assignments", "")
	if !strings.Contains(body, a.ID) {
		t.Errorf("team's assignments: %s", body)
	}
	// The teams list: 2 of the 7 people of the one assignment the team was
	// given completed it (28%, rounded down); teams given none show no share.
	_, body = f.do(t, "GET", "/api/teams", "")
	type teamOut struct {
		ID                   string `json:"id"`
		AssignmentCompletion *int   `json:"assignmentCompletion"`
	}
	teams := decodeAs[struct{ Items []teamOut }](t, body)
	for _, team := range teams.Items {
		switch got := team.AssignmentCompletion; {
		case team.ID == f.team.ID && (got == nil || *got != 28):
			t.Errorf("the team's completion in %s: want 28", body)
		case team.ID != f.team.ID && got != nil:
			t.Errorf("team %s was given nothing, yet shows %d%% in %s", team.ID, *got, body)
		}
	}

	// The dashboard counts open assignments; change the due date; cancel.
	_, body = f.do(t, "GET", "/api/dashboard", "")
	if !strings.Contains(body, `"assignments":{"assignments":1,"assignees":7,"completed":2,"inProgress":2,"notStarted":3,"overdue":0}`) {
		t.Errorf("dashboard: %s", body)
	}
	status, body = f.do(t, "PATCH", "/api/assignments/"+a.ID, `{"dueOn":"`+day(30)+`"}`)
	if moved := decodeAs[assignmentOut](t, body); status != 200 || moved.DueOn != day(30) {
		t.Errorf("change due date: %d %s", status, body)
	}
	status, body = f.do(t, "DELETE", "/api/assignments/"+a.ID, "")
	if c := decodeAs[assignmentOut](t, body); status != 200 || c.Status != "cancelled" {
		t.Errorf("cancel: %d %s", status, body)
	}
	_, body = f.do(t, "GET", "/api/dashboard", "")
	if !strings.Contains(body, `"assignments":{"assignments":0,`) {
		t.Errorf("dashboard after cancelling: %s", body)
	}
	_, body = f.do(t, "GET", "/api/assignments?status=cancelled", "")
	if !strings.Contains(body, a.ID) {
		t.Errorf("cancelled list: %s", body)
	}
	if status, body = f.do(t, "PATCH", "/api/assignments/"+a.ID, `{"dueOn":"`+day(40)+`"}`); status != http.StatusConflict {
		t.Errorf("due date of a cancelled assignment: %d %s", status, body)
	}
}

// TestOverdueIsJudgedInTheOrganizationsTimeZone: at 20:00 UTC it is already
// tomorrow in Kiritimati (UTC+14): a due date of today (UTC) is in the past
// there, and an assignment due today (UTC) is overdue there.
func TestOverdueIsJudgedInTheOrganizationsTimeZone(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 20, 0, 0, 0, time.UTC)
	clock := testenv.NewClock(now)
	f := newAssignFixture(t, clock.Now, 2)
	f.a.Services.Assignments = domain.NewAssignments(f.a.Store, domain.NewCursors(f.a.Config.CursorKey), clock.Now)
	create := fmt.Sprintf(`{"moduleId":%q,"teamIds":[%q],"dueOn":"2026-03-10"}`, f.module.ID, f.team.ID)
	status, body := f.do(t, "POST", "/api/assignments", create)
	if status != http.StatusCreated {
		t.Fatalf("create in UTC: %d %s", status, body)
	}
	id := decodeAs[assignmentOut](t, body).ID
	if status, body := f.do(t, "PATCH", "/api/organization", `{"timeZone":"Pacific/Kiritimati"}`); status != 200 || !strings.Contains(body, "Pacific/Kiritimati") {
		t.Fatalf("set time zone: %d %s", status, body)
	}
	if status, body := f.do(t, "POST", "/api/assignments", create); status != 400 || !strings.Contains(body, "dueOn") {
		t.Errorf("due today (UTC), already past in Kiritimati: %d %s", status, body)
	}
	_, body = f.do(t, "GET", "/api/assignments/"+id, "")
	if a := decodeAs[assignmentOut](t, body); !a.Overdue || a.Counts.Overdue != 2 {
		t.Errorf("overdue in Kiritimati: %s", body)
	}
	_, body = f.do(t, "GET", "/api/dashboard", "")
	if !strings.Contains(body, `"overdue":2`) {
		t.Errorf("dashboard: %s", body)
	}
	_, body = f.do(t, "GET", "/api/assignments/"+id+"/assignees?state=overdue", "")
	if strings.Count(body, `"overdue":true`) != 2 {
		t.Errorf("overdue people: %s", body)
	}
}

func TestAssignmentBadInputIsRefusedAndWritesNothing(t *testing.T) {
	t.Parallel()
	f := newAssignFixture(t, nil, 2)
	status, body := f.do(t, "POST", "/api/assignments", fmt.Sprintf(`{"moduleId":%q,"userIds":[%q],"dueOn":%q}`, f.module.ID, f.others[0].ID, day(3)))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	id := decodeAs[assignmentOut](t, body).ID
	empty := domain.Team{ID: domain.NewID(), OrgID: f.ten.org.ID, Name: "Empty", CreatedAt: time.Now()}
	if err := f.a.Store.CreateTeam(context.Background(), empty); err != nil {
		t.Fatal(err)
	}
	tooMany := make([]string, domain.MaxAssignees+1)
	for i := range tooMany {
		tooMany[i] = domain.NewID()
	}
	many, _ := json.Marshal(tooMany)
	create := func(fields string) string {
		return fmt.Sprintf(`{"moduleId":%q,"dueOn":%q,%s}`, f.module.ID, day(3), fields)
	}
	user := fmt.Sprintf(`"userIds":[%q]`, f.others[0].ID)
	tests := []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"no module", "POST", "/api/assignments", fmt.Sprintf(`{"dueOn":%q,%s}`, day(3), user), 400, "validation_failed", "moduleId"},
		{"due in the past", "POST", "/api/assignments", fmt.Sprintf(`{"moduleId":%q,"dueOn":%q,%s}`, f.module.ID, day(-1), user), 400, "validation_failed", "dueOn"},
		{"due not a date", "POST", "/api/assignments", fmt.Sprintf(`{"moduleId":%q,"dueOn":"next friday",%s}`, f.module.ID, user), 400, "validation_failed", "dueOn"},
		{"due far ahead", "POST", "/api/assignments", fmt.Sprintf(`{"moduleId":%q,"dueOn":%q,%s}`, f.module.ID, day(366*6), user), 400, "validation_failed", "dueOn"},
		{"nobody", "POST", "/api/assignments", create(`"userIds":[],"teamIds":[]`), 400, "validation_failed", "userIds"},
		{"a team with no active members", "POST", "/api/assignments", create(`"teamIds":["` + empty.ID + `"]`), 400, "validation_failed", "teamIds"},
		{"too many people", "POST", "/api/assignments", create(`"userIds":` + string(many)), 400, "validation_failed", "userIds"},
		{"an inactive user", "POST", "/api/assignments", create(`"userIds":["` + f.idle.ID + `"]`), 400, "validation_failed", "userIds"},
		{"wrong type", "POST", "/api/assignments", create(`"userIds":"everyone"`), 400, "validation_failed", "userIds"},
		{"unknown module", "POST", "/api/assignments", fmt.Sprintf(`{"moduleId":%q,"dueOn":%q,%s}`, domain.NewID(), day(3), user), 404, "not_found", ""},
		{"not a module id", "POST", "/api/assignments", fmt.Sprintf(`{"moduleId":"x","dueOn":%q,%s}`, day(3), user), 404, "not_found", ""},
		{"unknown user", "POST", "/api/assignments", create(`"userIds":["` + domain.NewID() + `"]`), 404, "not_found", ""},
		{"unknown team", "POST", "/api/assignments", create(`"teamIds":["` + domain.NewID() + `"]`), 404, "not_found", ""},
		{"due date in the past", "PATCH", "/api/assignments/" + id, `{"dueOn":"` + day(-2) + `"}`, 400, "validation_failed", "dueOn"},
		{"due date not a date", "PATCH", "/api/assignments/" + id, `{"dueOn":"2026-02-30"}`, 400, "validation_failed", "dueOn"},
		{"patch unknown assignment", "PATCH", "/api/assignments/" + domain.NewID(), `{"dueOn":"` + day(5) + `"}`, 404, "not_found", ""},
		{"cancel unknown assignment", "DELETE", "/api/assignments/" + domain.NewID(), "", 404, "not_found", ""},
		{"add nobody", "POST", "/api/assignments/" + id + "/assignees", `{}`, 400, "validation_failed", "userIds"},
		{"add too many", "POST", "/api/assignments/" + id + "/assignees", `{"userIds":` + string(many) + `}`, 400, "validation_failed", "userIds"},
		{"add unknown user", "POST", "/api/assignments/" + id + "/assignees", `{"userIds":["` + domain.NewID() + `"]}`, 404, "not_found", ""},
		{"add unknown team", "POST", "/api/assignments/" + id + "/assignees", `{"teamIds":["` + domain.NewID() + `"]}`, 404, "not_found", ""},
		{"add to unknown assignment", "POST", "/api/assignments/" + domain.NewID() + "/assignees", `{"userIds":["` + f.others[1].ID + `"]}`, 404, "not_found", ""},
		{"bad state filter", "GET", "/api/assignments/" + id + "/assignees?state=bored", "", 400, "validation_failed", "state"},
		{"bad status filter", "GET", "/api/assignments?status=maybe", "", 400, "validation_failed", "status"},
		{"unknown user's assignments", "GET", "/api/users/" + domain.NewID() + "/assignments", "", 404, "not_found", ""},
		{"unknown team's assignments", "GET", "/api/teams/" + domain.NewID() + "/assignments", "", 404, "not_found", ""},
		{"bad time zone", "PATCH", "/api/organization", `{"timeZone":"Mars/Olympus_Mons"}`, 400, "validation_failed", "timeZone"},
		{"local time zone", "PATCH", "/api/organization", `{"timeZone":"Local"}`, 400, "validation_failed", "timeZone"},
		{"empty time zone", "PATCH", "/api/organization", `{"timeZone":""}`, 400, "validation_failed", "timeZone"},
		{"reminders not a boolean", "PATCH", "/api/organization", `{"reminders":"no"}`, 400, "validation_failed", "reminders"},
		{"reminders off with a bad time zone", "PATCH", "/api/organization", `{"reminders":false,"timeZone":"Nowhere"}`, 400, "validation_failed", "timeZone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := stateOf(t, f.a, f.ten.org.ID)
			f.calls.Reset()
			res := call(t, f.a, tt.method, tt.path, tt.body, bearer(f.token))
			if res.StatusCode != tt.status {
				t.Fatalf("%d %s, want %d", res.StatusCode, res.Body, tt.status)
			}
			e := decodeError(t, res)
			if e.Error.Code != tt.code || (tt.field != "" && e.Error.Fields[tt.field] == "") {
				t.Errorf("%s, want %s naming %q", res.Body, tt.code, tt.field)
			}
			if n := writes(f.calls); n != 0 {
				t.Errorf("made %d writes: %v", n, f.calls.Snapshot())
			}
			if after := stateOf(t, f.a, f.ten.org.ID); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("the organization changed")
			}
		})
	}
}

// failNth makes the nth TransactWriteItems (from 1) fail once, before it reaches DynamoDB.
func failNth(nth int32, n *atomic.Int32) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("failNth",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				if middleware.GetOperationName(ctx) == "TransactWriteItems" && n.Add(1) == nth {
					return middleware.InitializeOutput{}, middleware.Metadata{}, errors.New("injected failure")
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	}
}

// TestAssigningATeamFailingHalfWayIsFinishedByARetry: assigning a team of 35
// writes the assignment (transaction 1), then people (10 a transaction here,
// 99 in production: moto's transactions slow down with their size); the third
// transaction fails. The assignment then counts exactly the 10 written and
// holds 25 pending; POSTing its assignees again (with nobody new) finishes
// it, with exact counts on the assignment and the dashboard.
func TestAssigningATeamFailingHalfWayIsFinishedByARetry(t *testing.T) {
	t.Parallel()
	f := newAssignFixture(t, nil, 35)
	var n atomic.Int32
	cfg := f.a.AWS.Copy()
	cfg.APIOptions = append(cfg.APIOptions, failNth(3, &n))
	store := dynamo.New(dynamodb.NewFromConfig(cfg), f.a.Config.TableName)
	store.SetAssigneesPerTransaction(10)
	f.wire(store)

	status, body := f.do(t, "POST", "/api/assignments", fmt.Sprintf(`{"moduleId":%q,"teamIds":[%q],"dueOn":%q}`, f.module.ID, f.team.ID, day(7)))
	if status != http.StatusInternalServerError {
		t.Fatalf("create with a failure half way: %d %s, want 500", status, body)
	}
	_, body = f.do(t, "GET", "/api/assignments", "")
	list := decodeAs[struct{ Items []assignmentOut }](t, body)
	if len(list.Items) != 1 {
		t.Fatalf("assignments after the failure: %s", body)
	}
	half := list.Items[0]
	if c := half.Counts; c.Assignees != 10 || c.NotStarted != 10 || c.Pending != 25 {
		t.Errorf("after the failure: %+v, want 10 assigned and 25 pending", c)
	}
	status, body = f.do(t, "POST", "/api/assignments/"+half.ID+"/assignees", `{}`)
	done := decodeAs[assignmentOut](t, body)
	if c := done.Counts; status != 200 || c.Assignees != 35 || c.NotStarted != 35 || c.Pending != 0 {
		t.Errorf("after the retry: %d %+v, want 35 assigned", status, c)
	}
	// Again, with the whole team: nobody is counted twice.
	_, body = f.do(t, "POST", "/api/assignments/"+half.ID+"/assignees", `{"teamIds":["`+f.team.ID+`"]}`)
	if c := decodeAs[assignmentOut](t, body).Counts; c.Assignees != 35 {
		t.Errorf("after adding the team again: %+v", c)
	}
	_, body = f.do(t, "GET", "/api/dashboard", "")
	if !strings.Contains(body, `"assignees":35,"completed":0,"inProgress":0,"notStarted":35`) {
		t.Errorf("dashboard: %s", body)
	}
	_, body = f.do(t, "GET", "/api/assignments/"+half.ID+"/assignees?limit=200", "")
	if got := strings.Count(body, `"state":"not_started"`); got != 35 {
		t.Errorf("the list has %d people, want 35", got)
	}
}

// TestAssignmentCallsPerAction pins each assignment action's DynamoDB calls.
func TestAssignmentCallsPerAction(t *testing.T) {
	t.Parallel()
	f := newAssignFixture(t, nil, 5)
	status, body := f.do(t, "POST", "/api/assignments", fmt.Sprintf(`{"moduleId":%q,"teamIds":[%q],"dueOn":%q}`, f.module.ID, f.team.ID, day(7)))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	id := decodeAs[assignmentOut](t, body).ID
	session := map[string]int{"GetItem": 2}
	with := func(m map[string]int) map[string]int {
		out := map[string]int{}
		for k, v := range session {
			out[k] += v
		}
		for k, v := range m {
			out[k] += v
		}
		return out
	}
	tests := []struct {
		method, path, body string
		want               map[string]int
	}{
		{"GET", "/api/assignments", "", with(map[string]int{"GetItem": 1, "Query": 1})},
		{"GET", "/api/assignments/" + id, "", with(map[string]int{"GetItem": 3})},
		{"GET", "/api/assignments/" + id + "/assignees", "", with(map[string]int{"GetItem": 2, "Query": 1, "BatchGetItem": 1})},
		{"GET", "/api/assignments/" + id + "/assignees?team=" + f.team.ID + "&state=not_started", "", with(map[string]int{"GetItem": 3, "Query": 1, "BatchGetItem": 1})},
		{"GET", "/api/users/" + f.members[0].ID + "/assignments", "", with(map[string]int{"GetItem": 2, "Query": 1, "BatchGetItem": 1})},
		{"GET", "/api/teams/" + f.team.ID + "/assignments", "", with(map[string]int{"GetItem": 2, "Query": 1})},
		{"GET", "/api/dashboard", "", with(map[string]int{"GetItem": 2, "Query": 2})},
		{"GET", "/api/organization", "", with(map[string]int{"GetItem": 1})},
		// The settings before (for the audit entry), then them and the entry.
		{"PATCH", "/api/organization", `{"timeZone":"Europe/Berlin"}`, with(map[string]int{"GetItem": 1, "TransactWriteItems": 1})},
		{"PATCH", "/api/organization", `{"reminders":false}`, with(map[string]int{"GetItem": 1, "TransactWriteItems": 1})},
		// The assignment and organization; the due day and its entry; the result.
		{"PATCH", "/api/assignments/" + id, `{"dueOn":"` + day(9) + `"}`, with(map[string]int{"GetItem": 3, "TransactWriteItems": 1})},
		// A team and one more person: the team and its members, who is
		// assigned already, pending, the new person's users, one transaction.
		{"POST", "/api/assignments/" + id + "/assignees", `{"userIds":["` + f.others[0].ID + `"],"teamIds":["` + f.team.ID + `"]}`,
			with(map[string]int{"GetItem": 4, "Query": 1, "BatchGetItem": 3, "TransactWriteItems": 2})},
		// Organization, module, courses, team and members, users; the
		// assignment, one transaction of people, the result.
		{"POST", "/api/assignments", fmt.Sprintf(`{"moduleId":%q,"teamIds":[%q],"dueOn":%q}`, f.module.ID, f.team.ID, day(7)),
			with(map[string]int{"GetItem": 4, "Query": 1, "BatchGetItem": 2, "TransactWriteItems": 2})},
		// The assignment and organization; the assignment and its module's count; the result.
		{"DELETE", "/api/assignments/" + id, "", with(map[string]int{"GetItem": 3, "TransactWriteItems": 1})},
	}
	for _, tt := range tests {
		f.calls.Reset()
		res := call(t, f.a, tt.method, tt.path, tt.body, bearer(f.token))
		if res.StatusCode >= 300 {
			t.Errorf("%s %s: %d %s", tt.method, tt.path, res.StatusCode, res.Body)
			continue
		}
		if got := f.calls.Snapshot(); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s %s made %v, want %v", tt.method, tt.path, got, tt.want)
		}
	}
}

func TestTheDemoHasMixedProgress(t *testing.T) {
	t.Parallel()
	a, _ := demoApp(t)
	token := signIn(t, a, domain.DemoAdminEmail)
	res := call(t, a, "GET", "/api/assignments", "", bearer(token))
	list := decodeAs[struct{ Items []assignmentOut }](t, res.Body)
	if len(list.Items) != 4 {
		t.Fatalf("the demo has %d assignments, want 4: %s", len(list.Items), res.Body)
	}
	var sum, overdue int
	for _, as := range list.Items {
		c := as.Counts
		if c.Assignees == 0 || c.Completed == 0 || c.NotStarted == 0 || c.Completed+c.InProgress+c.NotStarted != c.Assignees {
			t.Errorf("%s: %+v, want everyone counted once, some done, some not started", as.ID, c)
		}
		sum += c.Assignees
		overdue += c.Overdue
	}
	if overdue == 0 {
		t.Errorf("nobody overdue in the demo")
	}
	var dash struct {
		Assignments struct{ Assignees, Overdue int }
	}
	getJSON(t, a, "/api/dashboard", token, &dash)
	if dash.Assignments.Assignees != sum || dash.Assignments.Overdue != overdue {
		t.Errorf("dashboard %+v, want %d assignees, %d overdue", dash.Assignments, sum, overdue)
	}
}
