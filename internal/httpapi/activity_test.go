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
	"github.com/google/go-cmp/cmp"

	"proportal/internal/app"
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
		Items []struct{ Assignment struct{ ModuleName string } }
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

// activityFixture is assignFixture's organization, whose first member watched
// all of Networking and half of Security, did two labs (completing one),
// signed in 25 times, and has an assignment of the Networking module.
type activityFixture struct {
	*assignFixture
	learner domain.User
	monday  time.Time
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

// record stores the learner's activity, the organization's and the team's.
// (Until ingestion lands, as the items it keeps; see docs/data-model.md.)
func (f *activityFixture) record(t *testing.T) {
	t.Helper()
	org, user := f.ten.org.ID, f.learner.ID
	learner := "ORG#" + org + "#USER#" + user + "#ACTIVITY"
	now := time.Now().UTC()
	ago := func(d int) time.Time { return now.AddDate(0, 0, -d) }
	week := func(pk string, weeksAgo, viewings int) map[string]any {
		return map[string]any{
			"pk": pk, "sk": "WEEK#" + f.monday.AddDate(0, 0, -7*weeksAgo).Format(domain.DateLayout),
			"viewings": viewings, "seconds": viewings * 100, "completed": 1, "labsStarted": 0, "labsCompleted": 0, "logins": 0, "activeLearners": 1,
		}
	}
	episode := func(id, course string, seconds int, completed time.Time, last time.Time) map[string]any {
		it := map[string]any{"pk": learner, "sk": "EPISODE#" + id, "episodeId": id, "courseId": course, "viewings": 1, "seconds": seconds, "lastAt": last, "rev": 1}
		if !completed.IsZero() {
			it["completedAt"] = completed
		}
		return it
	}
	items := []map[string]any{
		{"pk": learner, "sk": "SUMMARY", "logins": 25, "lastLoginAt": ago(0), "viewings": 6, "seconds": 1500, "episodesCompleted": 4,
			"labsStarted": 3, "labsCompleted": 1, "firstActiveAt": ago(60), "lastActiveAt": ago(1), "rev": 1},
		episode("ep-net-1", "course-net", 300, ago(40), ago(40)),
		episode("ep-net-2", "course-net", 300, ago(30), ago(30)),
		episode("ep-net-3", "course-net", 300, ago(20), ago(20)),
		episode("ep-sec-1", "course-sec", 300, ago(10), ago(10)),
		episode("ep-sec-2", "course-sec", 120, time.Time{}, ago(1)),
		{"pk": learner, "sk": "LAB#lab-vlan", "labId": "lab-vlan", "attempts": 2, "completions": 1, "completedAt": ago(5), "bestScore": 85, "lastAt": ago(5), "rev": 1},
		{"pk": learner, "sk": "LAB#lab-acl", "labId": "lab-acl", "attempts": 1, "completions": 0, "bestScore": 0, "lastAt": ago(2), "rev": 1},
		week(learner, 0, 2), week(learner, 3, 1), week(learner, 11, 3), week(learner, 12, 9), // the last is 13 weeks ago: not shown
		week("ORG#"+org+"#USAGE", 0, 20), week("ORG#"+org+"#USAGE", 5, 50),
		week("ORG#"+org+"#TEAM#"+f.team.ID+"#USAGE", 1, 7), week("ORG#"+org+"#TEAM#"+f.team.ID+"#USAGE", 2, 8),
	}
	for i := range 25 {
		at := now.Add(-time.Duration(i) * time.Hour)
		id := fmt.Sprintf("login-%02d", i)
		items = append(items, map[string]any{
			"pk": "ORG#" + org + "#EVENT#" + id, "sk": "EVENT", "type": "event", "id": id, "userId": user, "kind": domain.EventLogin, "at": at,
			"gsi2pk": "ORG#" + org + "#USER#" + user + "#LOGINS", "gsi2sk": at.Format("2006-01-02T15:04:05.000000000Z07:00") + "#" + id,
		})
	}
	putRaw(t, f.a, items)
}

func putRaw(t *testing.T, a *app.App, items []map[string]any) {
	t.Helper()
	for _, it := range items {
		av, err := attributevalue.MarshalMap(it)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Dynamo.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(a.Config.TableName), Item: av}); err != nil {
			t.Fatalf("put %v/%v: %v", it["pk"], it["sk"], err)
		}
	}
}

// weeksWith is 12 zero weeks ending with this one, and the viewings given
// (by weeks ago), each with seconds and a completion as record writes them.
func weeksWith(monday time.Time, learners int, viewings map[int]int) []weekOut {
	out := make([]weekOut, 12)
	for i := range out {
		ago := 11 - i
		out[i] = weekOut{WeekStart: monday.AddDate(0, 0, -7*ago).Format(domain.DateLayout)}
		if v, ok := viewings[ago]; ok {
			out[i].ActiveLearners, out[i].Viewings, out[i].Seconds, out[i].Completed = learners, v, v*100, 1
		}
	}
	return out
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
	if d := cmp.Diff(weeksWith(f.monday, 1, map[int]int{0: 2, 3: 1, 11: 3}), got.Weeks); d != "" {
		t.Errorf("weeks (-want +got):\n%s", d)
	}
	if len(got.Teams) != 1 || got.Teams[0].Name != "Field" || len(got.Assignments.Items) != 1 || got.Assignments.Items[0].Assignment.ModuleName != "Network basics" {
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
	if d := cmp.Diff(weeksWith(f.monday, 1, map[int]int{1: 7, 2: 8}), team.Weeks); d != "" {
		t.Errorf("team weeks (-want +got):\n%s", d)
	}
	want := weekOut{WeekStart: f.monday.AddDate(0, 0, -77).Format(domain.DateLayout), ActiveLearners: 1, Viewings: 15, Seconds: 1500, Completed: 2}
	if team.Team.Name != "Field" || team.Totals != want {
		t.Errorf("team %q, totals %+v, want %+v", team.Team.Name, team.Totals, want)
	}

	_, body = f.do(t, "GET", "/api/dashboard", "")
	dash := decodeAs[struct{ Usage []weekOut }](t, body)
	if d := cmp.Diff(weeksWith(f.monday, 1, map[int]int{0: 20, 5: 50}), dash.Usage); d != "" {
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
