package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"proportal/internal/domain"
)

// TestActivityPages opens the dashboard's usage chart, a learner's activity
// page and a team's activity summary on the demo's seeded activity, in a desktop
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
	bars := func() int {
		return evalJS[int](t, b, `document.querySelectorAll('.weekly-chart rect.chart-bar').length`)
	}

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

// demoActivity adds to the demo seed's 90 days of activity (everyone's) a
// history of the first learner that has every part of their page: through
// ingestion, as the learning platform would send it, they complete a
// course, are half way through another, do two labs (completing one) and
// sign in 30 times. It returns the learner and their first team.
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
	if len(courses) < 4 || len(labs) < 2 {
		t.Fatalf("the demo catalog has %d courses of 3 episodes and %d labs", len(courses), len(labs))
	}

	now := time.Now().UTC()
	at := func(weeks, minutes int) string {
		return now.AddDate(0, 0, -7*weeks).Add(-time.Duration(minutes) * time.Minute).Format(time.RFC3339Nano)
	}
	var in []domain.EventInput
	add := func(u domain.User, e domain.EventInput, when string) {
		e.ID, e.OrgID, e.UserID, e.At = fmt.Sprintf("e2e-%05d", len(in)), u.OrgID, u.ID, when
		in = append(in, e)
	}
	number := func(n int) *int { return &n }
	view := func(u domain.User, c domain.CatalogItem, episode int, secs int, done bool, when string) {
		add(u, domain.EventInput{Kind: domain.EventViewing, CourseID: c.ID, EpisodeID: c.EpisodeIDs[episode], Seconds: number(secs), Completed: done}, when)
	}
	// The first learner.
	for i := range courses[0].EpisodeIDs {
		view(learner, courses[0], i, 480, true, at(10-i%10, 10+i))
	}
	view(learner, courses[1], 0, 420, true, at(2, 30))
	view(learner, courses[1], 1, 200, false, at(0, 30))
	add(learner, domain.EventInput{Kind: domain.EventLab, LabID: labs[0].ID, Status: domain.LabStarted}, at(1, 50))
	add(learner, domain.EventInput{Kind: domain.EventLab, LabID: labs[0].ID, Status: domain.LabCompleted, Score: number(90)}, at(1, 40))
	add(learner, domain.EventInput{Kind: domain.EventLab, LabID: labs[1].ID, Status: domain.LabStarted}, at(0, 50))
	for i := range 30 {
		add(learner, domain.EventInput{Kind: domain.EventLogin}, at(i/3, 60*(i%3)+5))
	}
	for start := 0; start < len(in); start += domain.MaxIngestBatch {
		batch := in[start:min(start+domain.MaxIngestBatch, len(in))]
		for i := range batch {
			batch[i].Index = i
		}
		res, err := a.Services.Ingest.Ingest(ctx, domain.Platform{}, batch)
		if err != nil || res.Accepted != len(batch) {
			t.Fatalf("ingest %d events: %d accepted, rejected %+v, %v", len(batch), res.Accepted, res.Rejected, err)
		}
	}
	return learner, team
}
