package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

// activityOut is the part of GET /api/users/{id}/activity the tests read.
type activityOut struct {
	User    struct{ Status string }
	Teams   []struct{ Name string }
	Summary struct {
		Logins, Viewings, Seconds, EpisodesCompleted, LabsCompleted int
		LastLoginAt                                                 *time.Time
	}
	Logins           []struct{ At time.Time }
	ViewedCompletely viewedOut
	InProgress       viewedOut
	Labs             []struct {
		ID, Title           string
		Attempts            int
		Completed           bool
		BestScore           *int
		CompletedAt, LastAt *time.Time
	}
	Assignments struct {
		Items []struct {
			Assignment struct{ ModuleName string }
			Progress   struct{ State string }
		}
	}
	Weeks []weekOut
}

type viewedOut struct {
	Courses []struct {
		ID, Title                   string
		EpisodesCompleted, Episodes int
	}
	Episodes []struct {
		ID, Title, CourseTitle string
		Seconds                int
	}
}

type weekOut struct {
	WeekStart                                    string
	ActiveLearners, Viewings, Seconds, Completed int
}

// activityCatalog adds a second course to testCatalog, so that one course
// can be complete and another in progress.
var activityCatalog = []domain.CatalogItem{
	{ID: "course-sec", Kind: domain.KindCourse, Title: "Security", Seconds: 600, EpisodeIDs: []string{"ep-sec-1", "ep-sec-2"}},
	{ID: "ep-sec-1", Kind: domain.KindEpisode, Title: "Threats", CourseID: "course-sec", Position: 1, Seconds: 300},
	{ID: "ep-sec-2", Kind: domain.KindEpisode, Title: "Defences", CourseID: "course-sec", Position: 2, Seconds: 300},
	{ID: "lab-acl", Kind: domain.KindLab, Title: "Access lists", Minutes: 20},
}

// activityFixture is assignFixture's organization (opened 120 days ago),
// whose first member watched all of Networking and half of Security, did two
// labs (completing one), signed in 25 times, and has an assignment of the
// Networking module: all sent through ingestion.
type activityFixture struct {
	*assignFixture
	learner domain.User
	monday  time.Time
	// weeks are the learner's last 12 weeks as the events sent make them
	// (also the organization's and the team's: they are its only learner).
	weeks []weekOut
}

func newActivityFixture(t *testing.T) *activityFixture {
	t.Helper()
	f := &activityFixture{assignFixture: newAssignFixture(t, nil, 3)}
	ctx := context.Background()
	if err := f.a.Store.PutCatalogItems(ctx, activityCatalog); err != nil {
		t.Fatal(err)
	}
	if status, body := f.do(t, "POST", "/api/assignments", fmt.Sprintf(`{"moduleId":%q,"teamIds":[%q],"dueOn":%q}`, f.module.ID, f.team.ID, day(7))); status != http.StatusCreated {
		t.Fatalf("assign: %d %s", status, body)
	}
	f.learner = f.members[0]
	f.monday = domain.MondayOf(time.Now(), time.UTC)
	f.record(t)
	f.calls.Reset()
	return f
}

// record opens the organization 120 days ago and sends the learner's events
// through ingestion, the way the learning platform does.
func (f *activityFixture) record(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	opened := time.Now().AddDate(0, 0, -120).UTC()
	key, err := attributevalue.MarshalMap(map[string]string{"pk": "ORG#" + f.ten.org.ID, "sk": "ORG"})
	if err != nil {
		t.Fatal(err)
	}
	when, err := attributevalue.Marshal(opened)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Dynamo.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(f.a.Config.TableName), Key: key, UpdateExpression: aws.String("SET createdAt = :t"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": when},
	}); err != nil {
		t.Fatalf("open the organization earlier: %v", err)
	}

	now := time.Now().UTC()
	// at is a moment `weeks` weeks ago, less some minutes, so that the
	// events of a week keep their order.
	at := func(weeks, minutes int) time.Time {
		return now.AddDate(0, 0, -7*weeks).Add(-time.Duration(minutes) * time.Minute)
	}
	var in []domain.EventInput
	add := func(e domain.EventInput, when time.Time) {
		e.Index, e.ID, e.OrgID, e.UserID, e.At = len(in), fmt.Sprintf("e-%03d", len(in)), f.ten.org.ID, f.learner.ID, when.Format(time.RFC3339Nano)
		in = append(in, e)
	}
	number := func(n int) *int { return &n }
	view := func(episode, course string, secs int, done bool, when time.Time) {
		add(domain.EventInput{Kind: domain.EventViewing, CourseID: course, EpisodeID: episode, Seconds: number(secs), Completed: done}, when)
	}
	for i := range 9 { // 12 weeks ago: not among the 12 shown
		view("ep-net-1", "course-net", 10, false, at(12, 60+i))
	}
	view("ep-net-1", "course-net", 300, true, at(11, 30))
	view("ep-net-2", "course-net", 300, true, at(11, 20))
	view("ep-net-3", "course-net", 300, true, at(11, 10))
	view("ep-sec-1", "course-sec", 300, true, at(3, 10))
	add(domain.EventInput{Kind: domain.EventLab, LabID: "lab-vlan", Status: domain.LabStarted}, at(1, 30))
	add(domain.EventInput{Kind: domain.EventLab, LabID: "lab-vlan", Status: domain.LabStarted}, at(1, 20))
	add(domain.EventInput{Kind: domain.EventLab, LabID: "lab-vlan", Status: domain.LabCompleted, Score: number(85)}, at(1, 10))
	add(domain.EventInput{Kind: domain.EventLab, LabID: "lab-acl", Status: domain.LabStarted}, at(0, 30))
	view("ep-sec-2", "course-sec", 60, false, at(0, 20))
	view("ep-sec-2", "course-sec", 60, false, at(0, 10))
	for i := range 25 {
		add(domain.EventInput{Kind: domain.EventLogin}, at(0, 60*i+1))
	}
	res, err := f.a.Services.Ingest.Ingest(ctx, domain.Platform{}, in)
	if err != nil || res.Accepted != len(in) {
		t.Fatalf("ingest %d events: %d accepted, rejected %+v, %v", len(in), res.Accepted, res.Rejected, err)
	}

	// The weeks the events make, in UTC (the organization's time zone).
	byWeek := map[string]*weekOut{}
	f.weeks = make([]weekOut, 12)
	for i := range f.weeks {
		f.weeks[i].WeekStart = f.monday.AddDate(0, 0, -7*(11-i)).Format(domain.DateLayout)
		byWeek[f.weeks[i].WeekStart] = &f.weeks[i]
	}
	for _, e := range in {
		when, _ := time.Parse(time.RFC3339Nano, e.At)
		w := byWeek[domain.MondayOf(when, time.UTC).Format(domain.DateLayout)]
		if w == nil || e.Kind == domain.EventLogin {
			continue
		}
		w.ActiveLearners = 1
		if e.Kind == domain.EventViewing {
			w.Viewings++
			w.Seconds += *e.Seconds
			if e.Completed {
				w.Completed++
			}
		}
	}
}

func TestUserActivity(t *testing.T) {
	t.Parallel()
	f := newActivityFixture(t)
	path := "/api/users/" + f.learner.ID + "/activity"
	status, body := f.do(t, "GET", path, "")
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	got := decodeAs[activityOut](t, body)
	if got.Summary.Logins != 25 || len(got.Logins) != domain.RecentLogins || !got.Logins[0].At.After(got.Logins[1].At) {
		t.Errorf("sign-ins: %d counted, %d listed (%v), want 25 and the last 20, newest first", got.Summary.Logins, len(got.Logins), got.Logins)
	}
	var done, going []string
	for _, c := range got.ViewedCompletely.Courses {
		done = append(done, fmt.Sprintf("%s %d/%d", c.Title, c.EpisodesCompleted, c.Episodes))
	}
	for _, c := range got.InProgress.Courses {
		going = append(going, fmt.Sprintf("%s %d/%d", c.Title, c.EpisodesCompleted, c.Episodes))
	}
	for _, e := range got.ViewedCompletely.Episodes {
		done = append(done, e.Title+" ("+e.CourseTitle+")")
	}
	for _, e := range got.InProgress.Episodes {
		going = append(going, fmt.Sprintf("%s (%s) %ds", e.Title, e.CourseTitle, e.Seconds))
	}
	if d := cmp.Diff([]string{"Networking 3/3", "Threats (Security)", "Switches (Networking)", "Routes (Networking)", "Addresses (Networking)"}, done); d != "" {
		t.Errorf("viewed completely, most recent first (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"Security 1/2", "Defences (Security) 120s"}, going); d != "" {
		t.Errorf("in progress (-want +got):\n%s", d)
	}
	if len(got.Labs) != 2 || got.Labs[0].Title != "Access lists" || got.Labs[0].Completed || got.Labs[0].BestScore != nil ||
		got.Labs[1].Title != "VLANs" || !got.Labs[1].Completed || got.Labs[1].BestScore == nil || *got.Labs[1].BestScore != 85 || got.Labs[1].Attempts != 2 {
		t.Errorf("labs: %+v", got.Labs)
	}
	if d := cmp.Diff(f.weeks, got.Weeks); d != "" {
		t.Errorf("weeks (-want +got):\n%s", d)
	}
	// Networking and the VLANs lab are the module: ingestion completed the assignment.
	if len(got.Teams) != 1 || got.Teams[0].Name != "Field" || len(got.Assignments.Items) != 1 ||
		got.Assignments.Items[0].Assignment.ModuleName != "Network basics" || got.Assignments.Items[0].Progress.State != "completed" {
		t.Errorf("teams %+v, assignments %+v", got.Teams, got.Assignments)
	}

	// Deactivated, the learner keeps their history.
	if status, body := f.do(t, "POST", "/api/users/"+f.learner.ID+"/deactivate", ""); status != http.StatusOK {
		t.Fatalf("deactivate: %d %s", status, body)
	}
	_, body = f.do(t, "GET", path, "")
	after := decodeAs[activityOut](t, body)
	if after.User.Status != domain.StatusInactive || after.Summary.Logins != 25 || len(after.ViewedCompletely.Courses) != 1 || len(after.Labs) != 2 ||
		!cmp.Equal(after.Weeks, got.Weeks) || len(after.Assignments.Items) != 1 {
		t.Errorf("after deactivation: %s", body)
	}
}

// TestActivityOfAnotherOrganization answers 404 for another organization's
// user and team, and for ids that are no ids.
func TestActivityOfAnotherOrganization(t *testing.T) {
	t.Parallel()
	f := newActivityFixture(t)
	other := addTenant(t, f.a, "Other Corp", 5)
	token := signIn(t, f.a, other.admin.Email)
	for _, path := range []string{
		"/api/users/" + f.learner.ID + "/activity", "/api/teams/" + f.team.ID + "/activity",
		"/api/users/nope/activity", "/api/teams/nope/activity",
	} {
		res := call(t, f.a, "GET", path, "", bearer(token))
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s from another organization: %d %s, want 404", path, res.StatusCode, res.Body)
		}
	}
}

func TestTeamActivityAndDashboardUsage(t *testing.T) {
	t.Parallel()
	f := newActivityFixture(t)
	status, body := f.do(t, "GET", "/api/teams/"+f.team.ID+"/activity", "")
	if status != http.StatusOK {
		t.Fatalf("team activity: %d %s", status, body)
	}
	team := decodeAs[struct {
		Team   struct{ Name string }
		Weeks  []weekOut
		Totals weekOut
	}](t, body)
	if d := cmp.Diff(f.weeks, team.Weeks); d != "" {
		t.Errorf("team weeks (-want +got):\n%s", d)
	}
	want := weekOut{WeekStart: f.weeks[0].WeekStart}
	for _, w := range f.weeks {
		want.ActiveLearners = max(want.ActiveLearners, w.ActiveLearners)
		want.Viewings += w.Viewings
		want.Seconds += w.Seconds
		want.Completed += w.Completed
	}
	if team.Team.Name != "Field" || team.Totals != want {
		t.Errorf("team %q, totals %+v, want %+v", team.Team.Name, team.Totals, want)
	}

	_, body = f.do(t, "GET", "/api/dashboard", "")
	dash := decodeAs[struct{ Usage []weekOut }](t, body)
	if d := cmp.Diff(f.weeks, dash.Usage); d != "" {
		t.Errorf("dashboard usage (-want +got):\n%s", d)
	}
}

// TestActivityCallsPerAction pins the activity reads' DynamoDB calls.
func TestActivityCallsPerAction(t *testing.T) {
	t.Parallel()
	f := newActivityFixture(t)
	tests := []struct {
		path string
		want map[string]int
	}{
		// Session (2); the user, organization, catalog version and summary;
		// the teams, episodes, labs, sign-ins, weeks and assignment entries;
		// the assignments.
		{"/api/users/" + f.learner.ID + "/activity", map[string]int{"GetItem": 6, "Query": 6, "BatchGetItem": 1}},
		// Session (2); the team and organization; the weeks.
		{"/api/teams/" + f.team.ID + "/activity", map[string]int{"GetItem": 4, "Query": 1}},
	}
	for _, tt := range tests {
		f.do(t, "GET", tt.path, "") // the catalog is read once a process
		f.calls.Reset()
		if status, body := f.do(t, "GET", tt.path, ""); status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", tt.path, status, body)
		}
		if d := cmp.Diff(tt.want, f.calls.Snapshot()); d != "" {
			t.Errorf("GET %s calls (-want +got):\n%s", tt.path, d)
		}
	}
}

// TestWeeksAreTheOrganizations pins the 12 weeks to the organization's time
// zone: late on a Sunday in UTC it is Monday in Auckland, so there the
// current week is the next one.
func TestWeeksAreTheOrganizations(t *testing.T) {
	t.Parallel()
	sunday := time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC)
	a, _, ten := tenantApp(t, func() time.Time { return sunday })
	token := signIn(t, a, ten.admin.Email)
	lastWeek := func() (first, last string) {
		t.Helper()
		res := call(t, a, "GET", "/api/dashboard", "", bearer(token))
		dash := decodeAs[struct{ Usage []weekOut }](t, res.Body)
		if len(dash.Usage) != 12 {
			t.Fatalf("dashboard usage has %d weeks, want 12: %s", len(dash.Usage), res.Body)
		}
		return dash.Usage[0].WeekStart, dash.Usage[11].WeekStart
	}
	if first, last := lastWeek(); first != "2025-12-15" || last != "2026-03-02" {
		t.Errorf("in UTC the weeks run from %s to %s, want 2025-12-15 to 2026-03-02", first, last)
	}
	if res := call(t, a, "PATCH", "/api/organization", `{"timeZone":"Pacific/Auckland"}`, bearer(token)); res.StatusCode != http.StatusOK {
		t.Fatalf("set the time zone: %d %s", res.StatusCode, res.Body)
	}
	if first, last := lastWeek(); first != "2025-12-22" || last != "2026-03-09" {
		t.Errorf("in Auckland the weeks run from %s to %s, want 2025-12-22 to 2026-03-09", first, last)
	}
}
