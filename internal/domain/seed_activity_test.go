package domain_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/catalog"
	"proportal/internal/domain"
	"proportal/internal/testenv"
)

// TestGeneratedActivityIsDeterministicAndMixed: the same plan gives the same
// events; the learners have different habits (some never start); every event
// lies in the period and in the catalog.
func TestGeneratedActivityIsDeterministicAndMixed(t *testing.T) {
	items, err := domain.ParseCatalog(catalog.Demo)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	var learners []domain.User
	for range 30 {
		learners = append(learners, domain.User{ID: domain.NewID(), Status: domain.StatusActive})
	}
	plan := domain.ActivityPlan{OrgID: domain.NewID(), Learners: learners, Catalog: items, Days: 90, Now: now, Seed: 3}
	first, again := domain.GenerateActivity(plan), domain.GenerateActivity(plan)
	if diff := cmp.Diff(first, again); diff != "" {
		t.Fatalf("the same plan gave other events (-first +again):\n%s", diff)
	}
	plan.Seed = 4
	if other := domain.GenerateActivity(plan); cmp.Equal(first, other) {
		t.Errorf("another seed gave the same events")
	}
	byID := map[string]domain.CatalogItem{}
	for _, c := range items {
		byID[c.ID] = c
	}
	viewings := map[string]int{}
	ids := map[string]bool{}
	for _, e := range first {
		if e.At.Before(now.AddDate(0, 0, -91)) || e.At.After(now) {
			t.Errorf("event %s at %v, outside the 90 days", e.ID, e.At)
		}
		if ids[e.ID] {
			t.Errorf("id %s twice", e.ID)
		}
		ids[e.ID] = true
		switch e.Kind {
		case domain.EventViewing:
			viewings[e.UserID]++
			if ep := byID[e.EpisodeID]; ep.CourseID != e.CourseID || e.Seconds > ep.Seconds {
				t.Errorf("viewing %+v does not fit episode %+v", e, ep)
			}
		case domain.EventLab:
			if byID[e.LabID].Kind != domain.KindLab {
				t.Errorf("lab event of %s", e.LabID)
			}
		}
	}
	counts := make([]int, 0, len(learners))
	for _, u := range learners {
		counts = append(counts, viewings[u.ID])
	}
	slices.Sort(counts)
	if counts[0] != 0 || counts[len(counts)-1] < 60 {
		t.Errorf("viewings per learner %v: want some who never started and some daily learners", counts)
	}
	t.Logf("%d events; viewings per learner %v", len(first), counts)
}

// TestTheDemoHasActivity: the seeded demo has 90 days of activity, through
// the ingestion, on every week's usage; learners who went through the
// security module finished the assignment of it. The seed's time is logged.
func TestTheDemoHasActivity(t *testing.T) {
	t.Parallel()
	a, calls := testenv.NewApp(t, nil)
	ctx := context.Background()
	started := time.Now()
	demo, err := a.Operator.SeedDemo(ctx, "a demo password of ours")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("SeedDemo took %v (%d AWS calls: %v)", time.Since(started), calls.Total(), calls.Snapshot())
	usage, err := a.Store.FindIngestedUsage(ctx, demo.Organization.ID, "WEEK#", 13)
	if err != nil {
		t.Fatal(err)
	}
	if len(usage) < 13 {
		t.Fatalf("usage of %d weeks, want 13 (90 days)", len(usage))
	}
	events := 0
	for _, u := range usage {
		events += u.Viewings + u.Logins + u.LabsStarted + u.LabsCompleted
	}
	t.Logf("the demo's activity: %d events over %d weeks", events, len(usage))
	for _, u := range usage[len(usage)-12:] {
		if u.Viewings == 0 || u.ActiveLearners == 0 || u.Logins == 0 {
			t.Errorf("week %s: %+v, want viewings, active learners and sign-ins", u.Start, u.Usage)
		}
	}
	open, _, err := a.Store.FindAssignments(ctx, demo.Organization.ID, domain.AssignmentOpen, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, as := range open {
		if as.ModuleName == "New hire security basics" && as.Counts.Completed < 3 {
			t.Errorf("%s: %d completed, want the seeded finishers among them", as.ModuleName, as.Counts.Completed)
		}
	}
}
