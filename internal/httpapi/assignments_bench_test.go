package httpapi_test

// Assignments at scale: assigning a module to a team of 1,000 (DynamoDB calls
// and wall time on moto_server), and the assignment reads at organizations of
// 100 and 10,000 users, which must make the same calls.

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"proportal/internal/domain"
	"proportal/internal/httpapi"
	"proportal/internal/localserver"
)

// importAssignment gives an organization's first 100 active users (fewer in
// a smaller one) an open assignment due in a week, with mixed progress,
// written in batches (moto's transactions crawl on tables this size).
func importAssignment(tb testing.TB, o *bigOrg) domain.Assignment {
	tb.Helper()
	now := time.Now()
	a := domain.Assignment{
		ID: domain.NewID(), OrgID: o.orgID, ModuleID: domain.NewID(), ModuleName: "Network basics", ItemCount: 2,
		DueOn: domain.DayIn(now, time.UTC).AddDate(0, 0, 7), Status: domain.AssignmentOpen, CreatedAt: now,
	}
	c := domain.AssignmentContent{Items: []domain.AssignmentItem{
		{ID: "course-net", Kind: domain.KindCourse, Title: "Networking", EpisodeIDs: []string{"ep-1", "ep-2"}},
		{ID: "lab-vlan", Kind: domain.KindLab, Title: "VLANs"},
	}}
	var people []domain.Assignee
	states := []string{domain.ProgressNotStarted, domain.ProgressInProgress, domain.ProgressCompleted}
	for _, u := range o.users {
		if u.Status != domain.StatusActive || len(people) == 100 {
			continue
		}
		p := domain.Assignee{
			AssignmentID: a.ID, OrgID: o.orgID, UserID: u.ID, SortName: u.SortName(), ItemCount: 2,
			State: states[len(people)%3], AssignedAt: now,
		}
		if len(u.TeamIDs) > 0 {
			p.TeamID = u.TeamIDs[0]
		}
		people = append(people, p)
	}
	a.UserIDs = make([]string, len(people))
	for i, p := range people {
		a.UserIDs[i] = p.UserID
	}
	if err := o.app.Store.ImportAssignment(context.Background(), a, c, people); err != nil {
		tb.Fatalf("import assignment: %v", err)
	}
	return a
}

func listAssignments(*bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/assignments", want: http.StatusOK, oneQuery: true}
	}
}

func getAssignment(o *bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/assignments/" + o.assignment.ID, want: http.StatusOK}
	}
}

func listAssignees(o *bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/assignments/" + o.assignment.ID + "/assignees?limit=50", want: http.StatusOK, oneQuery: true}
	}
}

func listAssigneesByState(o *bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/assignments/" + o.assignment.ID + "/assignees?state=in_progress", want: http.StatusOK, oneQuery: true}
	}
}

func userAssignments(o *bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/users/" + o.assignment.UserIDs[0] + "/assignments", want: http.StatusOK, oneQuery: true}
	}
}

func dashboard(*bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		// Two Queries: the open assignments and the 12 weeks of usage.
		return action{method: "GET", path: "/api/dashboard", want: http.StatusOK}
	}
}

// BenchmarkAssignmentReads makes each assignment read in an organization of
// 100 users and in the shared one of 10,000, and fails unless both make the
// same DynamoDB calls.
func BenchmarkAssignmentReads(b *testing.B) {
	large := sharedOrg(b)
	smallOrgOnce.Do(func() { smallOrg = newBigOrg(keepTable{b}, 100, 200) })
	reads := []struct {
		name string
		make func(*bigOrg) func(testing.TB) action
	}{
		{"ListAssignments", listAssignments}, {"GetAssignment", getAssignment},
		{"ListAssignees", listAssignees}, {"ListAssigneesByState", listAssigneesByState},
		{"ListUserAssignments", userAssignments}, {"GetDashboard", dashboard},
	}
	for _, r := range reads {
		b.Run(r.name, func(b *testing.B) {
			small := smallOrg.do(b, r.make(smallOrg)(b))
			got := large.do(b, r.make(large)(b))
			if !maps.Equal(small, got) {
				b.Fatalf("%s: 100 users made %v, 10,000 made %v", r.name, small, got)
			}
			b.Logf("%s: %v at 100 and at 10,000 users", r.name, got)
			large.bench(b, r.make(large))
		})
	}
}

// BenchmarkAssignTeamOf1000 assigns a module to a team of 1,000 active users
// through the HTTP edge: 11 TransactWriteItems of people (99 each) after the
// reads and the assignment's own transaction. Wall time is moto's, whose
// transactions copy the table once per item; DynamoDB takes some 20-30 ms a
// transaction.
func BenchmarkAssignTeamOf1000(b *testing.B) {
	f := newAssignFixture(b, nil, 1000)
	body := fmt.Sprintf(`{"moduleId":%q,"teamIds":[%q],"dueOn":%q}`, f.module.ID, f.team.ID, day(7))
	handler := func() (int, string, map[string]int) {
		f.calls.Reset()
		r := httptest.NewRequest("POST", "/api/assignments", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+f.token)
		route, params, _, _ := httpapi.Match("POST", "/api/assignments")
		// A deadline of minutes for moto, which takes seconds here.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		res, err := route.Handler(f.a.Services)(ctx, localserver.Event(r, route, params, []byte(body)))
		if err != nil {
			b.Fatal(err)
		}
		return res.StatusCode, res.Body, f.calls.Snapshot()
	}
	for b.Loop() {
		start := time.Now()
		status, res, calls := handler()
		if status != http.StatusCreated || !strings.Contains(res, `"assignees":1000,`) {
			b.Fatalf("assign: %d %s", status, res)
		}
		b.ReportMetric(float64(dynamoCalls(b, calls)), "dynamodb-calls/op")
		b.ReportMetric(float64(calls["TransactWriteItems"]), "transactions/op")
		b.Logf("assigned 1,000 in %s with %v", time.Since(start).Round(time.Millisecond), calls)
	}
}
