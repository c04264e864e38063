package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"proportal/internal/domain"
)

// TestActivityPages opens the dashboard's usage chart, a learner's activity
// page and a team's activity summary on the demo's activity, in a desktop
// window (1280 px) and in a phone's (390 px), with screenshots of each, and
// reads the chart's figures with the keyboard.
func TestActivityPages(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: drives Chromium through the portal; make test runs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	browserPath := chromium(t)
	p := startPortal(t, true)
	learner, team := demoActivity(t, p)
	b := startBrowser(t, ctx, browserPath, p.URL, "activity-")
	usage := role("region", "Usage over the last 12 weeks")
	bars := func() int { return evalJS[int](t, b, `document.querySelectorAll('.weekly-chart rect.chart-bar').length`) }

	sizes := []struct {
		name          string
		width, height int64
		mobile        bool
	}{
		{"1280", 1280, 900, false},
		{"390", phoneWidth, phoneHeight, true},
	}
	for i, size := range sizes {
		steps := []struct {
			name string
			run  func(t *testing.T)
		}{
			{"the dashboard draws 12 weeks of usage", func(t *testing.T) {
				if i == 0 {
					b.step(t, signedOutMe)
					b.resize(t, size.width, size.height, size.mobile)
					b.signIn(t, "admin@demo.test", demoPassword)
				} else {
					b.step(t)
					b.resize(t, size.width, size.height, size.mobile)
					b.open(t, "/")
				}
				b.waitFor(t, role("heading", "Dashboard"))
				b.waitFor(t, roleNamed("img", "Viewings and active learners per week").in(usage))
				if n := bars(); n != 12 {
					t.Errorf("the usage chart has %d bars, want 12", n)
				}
				b.shot(t, "dashboard-"+size.name)
				// The figures, with the keyboard.
				b.press(t, text("Show the figures").in(usage), "\r")
				b.waitFor(t, role("table", "Viewings and active learners per week").in(usage))
				if n := evalJS[int](t, b, `document.querySelectorAll('.weekly-chart-table tbody tr').length`); n != 12 {
					t.Errorf("the figures have %d weeks, want 12", n)
				}
				b.shot(t, "dashboard-figures-"+size.name)
			}},
			{"a learner's activity page shows their history", func(t *testing.T) {
				b.step(t)
				b.open(t, "/users/"+learner.ID)
				b.waitFor(t, role("heading", learner.FirstName+" "+learner.LastName))
				for _, name := range []string{"Summary", "Weekly viewing", "Assignments", "Courses", "Episodes", "Labs", "Sign-ins", "Teams"} {
					b.waitFor(t, role("region", name))
				}
				b.waitFor(t, role("table", "Courses viewed completely"))
				b.waitFor(t, role("table", "Episodes in progress"))
				b.waitFor(t, role("table", "Labs"))
				b.waitFor(t, roleNamed("img", "Minutes watched per week").in(role("region", "Weekly viewing")))
				b.waitFor(t, text("sign-ins in all").in(role("region", "Sign-ins")))
				b.shot(t, "user-"+size.name)
			}},
			{"a team's page shows its summary", func(t *testing.T) {
				b.step(t)
				b.open(t, "/teams/"+team.ID)
				b.waitFor(t, role("heading", team.Name))
				summary := role("region", "Activity, last 12 weeks")
				b.waitFor(t, roleNamed("img", "viewings and active learners per week").in(summary))
				b.waitFor(t, text("Hours watched").in(summary))
				b.shot(t, "team-"+size.name)
			}},
		}
		for _, s := range steps {
			if !t.Run(size.name+" "+s.name, s.run) {
				t.Fatalf("step %q at %s px failed; the steps after it need it", s.name, size.name)
			}
		}
	}
}

// demoActivity gives the demo's first learner 12 weeks of activity (a course
// completed, another in progress, two labs, 30 sign-ins) and their first
// team and the organization weekly usage, and returns the learner and team.
// (Written as the items ingestion keeps, until the demo seed records them.)
func demoActivity(t *testing.T, p *portal) (domain.User, domain.Team) {
	t.Helper()
	ctx := context.Background()
	a := p.App
	learner, err := a.Store.FindUserByEmail(ctx, "learner01@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	teams, err := a.Store.FindTeams(ctx, learner.OrgID)
	if err != nil || len(learner.TeamIDs) == 0 {
		t.Fatalf("the demo learner's teams: %v, %v", learner.TeamIDs, err)
	}
	var team domain.Team
	for _, tm := range teams {
		if tm.ID == learner.TeamIDs[0] {
			team = tm
		}
	}
	catalog, err := a.Store.FindCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var courses, labs []domain.CatalogItem
	for _, c := range catalog {
		switch {
		case c.Kind == domain.KindCourse && len(c.EpisodeIDs) >= 3 && !c.Retired:
			courses = append(courses, c)
		case c.Kind == domain.KindLab && !c.Retired:
			labs = append(labs, c)
		}
	}
	if len(courses) < 2 || len(labs) < 2 {
		t.Fatalf("the demo catalog has %d courses of 3 episodes and %d labs", len(courses), len(labs))
	}
	org, user := learner.OrgID, learner.ID
	pk := "ORG#" + org + "#USER#" + user + "#ACTIVITY"
	now := time.Now().UTC()
	ago := func(days int) time.Time { return now.AddDate(0, 0, -days) }
	monday := domain.MondayOf(now, time.UTC)
	week := func(pk string, weeksAgo, learners, viewings int) map[string]any {
		return map[string]any{
			"pk": pk, "sk": "WEEK#" + monday.AddDate(0, 0, -7*weeksAgo).Format(domain.DateLayout),
			"viewings": viewings, "seconds": viewings * 420, "completed": viewings / 3, "labsStarted": learners / 3,
			"labsCompleted": learners / 4, "logins": learners * 2, "activeLearners": learners,
		}
	}
	items := []map[string]any{{
		"pk": pk, "sk": "SUMMARY", "logins": 30, "lastLoginAt": ago(0), "viewings": 40, "seconds": 16800, "episodesCompleted": 4,
		"labsStarted": 3, "labsCompleted": 1, "firstActiveAt": ago(80), "lastActiveAt": ago(1), "rev": 1,
	}}
	episode := func(id, course string, days int, done bool) map[string]any {
		it := map[string]any{"pk": pk, "sk": "EPISODE#" + id, "episodeId": id, "courseId": course, "viewings": 2, "seconds": 600, "lastAt": ago(days), "rev": 1}
		if done {
			it["completedAt"] = ago(days)
		}
		return it
	}
	for i, id := range courses[0].EpisodeIDs {
		items = append(items, episode(id, courses[0].ID, 40-i, true))
	}
	items = append(items, episode(courses[1].EpisodeIDs[0], courses[1].ID, 3, true), episode(courses[1].EpisodeIDs[1], courses[1].ID, 1, false))
	items = append(items,
		map[string]any{"pk": pk, "sk": "LAB#" + labs[0].ID, "labId": labs[0].ID, "attempts": 2, "completions": 1, "completedAt": ago(6), "bestScore": 90, "lastAt": ago(6), "rev": 1},
		map[string]any{"pk": pk, "sk": "LAB#" + labs[1].ID, "labId": labs[1].ID, "attempts": 1, "completions": 0, "bestScore": 0, "lastAt": ago(2), "rev": 1},
	)
	for w := range 12 {
		items = append(items,
			week(pk, w, 1, 2+w%4),
			week("ORG#"+org+"#USAGE", w, 12+(w*7)%9, 60+(w*13)%40),
			week("ORG#"+org+"#TEAM#"+team.ID+"#USAGE", w, 4+w%4, 20+(w*11)%15),
		)
	}
	for i := range 30 {
		at := now.Add(-time.Duration(i*20) * time.Hour)
		id := fmt.Sprintf("e2e-login-%02d", i)
		items = append(items, map[string]any{
			"pk": "ORG#" + org + "#EVENT#" + id, "sk": "EVENT", "type": "event", "id": id, "userId": user, "kind": domain.EventLogin, "at": at,
			"gsi2pk": "ORG#" + org + "#USER#" + user + "#LOGINS", "gsi2sk": at.Format("2006-01-02T15:04:05.000000000Z07:00") + "#" + id,
		})
	}
	for _, it := range items {
		av, err := attributevalue.MarshalMap(it)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Dynamo.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(a.Config.TableName), Item: av}); err != nil {
			t.Fatalf("put %v/%v: %v", it["pk"], it["sk"], err)
		}
	}
	return learner, team
}
