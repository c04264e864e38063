package dynamo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
	"proportal/internal/dynamo"
)

// TestActivityReads puts a learner's aggregates, their organization's and a
// team's weeks, and a neighbour's, and reads each back with one call.
func TestActivityReads(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID, userID, other, teamID := domain.NewID(), domain.NewID(), domain.NewID(), domain.NewID()
	at := func(day int) time.Time { return time.Date(2026, 3, day, 9, 0, 0, 0, time.UTC) }
	week := func(start string, viewings int) domain.UsagePeriod {
		return domain.UsagePeriod{Start: start, Usage: domain.Usage{Viewings: viewings, Seconds: viewings * 60, Completed: 1, LabsStarted: 2, LabsCompleted: 1, Logins: 3, ActiveLearners: 1}}
	}
	var logins []domain.Event
	for i := range 25 {
		logins = append(logins, domain.Event{ID: fmt.Sprintf("login-%02d", i), OrgID: orgID, UserID: userID, Kind: domain.EventLogin, At: at(1).Add(time.Duration(i) * time.Hour)})
	}
	want := dynamo.LearnerActivity{
		Summary: domain.LearnerSummary{Logins: 25, LastLoginAt: at(2), Viewings: 7, Seconds: 420, EpisodesCompleted: 1, LabsStarted: 2, LabsCompleted: 1, FirstActiveAt: at(2), LastActiveAt: at(9)},
		Episodes: []domain.EpisodeProgress{
			{EpisodeID: "ep-a", CourseID: "course-x", Viewings: 2, Seconds: 300, CompletedAt: at(3), LastAt: at(4)},
			{EpisodeID: "ep-b", CourseID: "course-x", Viewings: 1, Seconds: 60, LastAt: at(5)},
		},
		Labs:   []domain.LabProgress{{LabID: "lab-a", Attempts: 2, Completions: 1, CompletedAt: at(6), BestScore: 80, LastAt: at(6)}},
		Weeks:  []domain.UsagePeriod{week("2026-02-23", 1), week("2026-03-02", 4), week("2026-03-09", 2)},
		Logins: logins,
	}
	if err := dynamo.PutLearnerActivity(ctx, e.store, orgID, userID, want); err != nil {
		t.Fatal(err)
	}
	if err := dynamo.PutLearnerActivity(ctx, e.store, orgID, other, dynamo.LearnerActivity{
		Episodes: []domain.EpisodeProgress{{EpisodeID: "ep-z", CourseID: "course-z", LastAt: at(1)}},
		Weeks:    []domain.UsagePeriod{week("2026-03-02", 9)},
	}); err != nil {
		t.Fatal(err)
	}
	orgWeeks := []domain.UsagePeriod{week("2026-02-16", 30), week("2026-03-02", 40), week("2026-03-16", 50)}
	if err := dynamo.PutUsageWeeks(ctx, e.store, orgID, "", orgWeeks); err != nil {
		t.Fatal(err)
	}
	if err := dynamo.PutUsageWeeks(ctx, e.store, orgID, teamID, orgWeeks[1:2]); err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)

	e.calls.Reset()
	summary, err := e.store.FindLearnerSummary(ctx, orgID, userID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want.Summary, summary); d != "" {
		t.Errorf("summary (-want +got):\n%s", d)
	}
	none, err := e.store.FindLearnerSummary(ctx, orgID, domain.NewID())
	if err != nil || none != (domain.LearnerSummary{}) {
		t.Errorf("the summary of a learner without activity: %+v, %v; want zero, nil", none, err)
	}
	episodes, err := e.store.FindLearnerEpisodes(ctx, orgID, userID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want.Episodes, episodes); d != "" {
		t.Errorf("episodes (-want +got):\n%s", d)
	}
	labs, err := e.store.FindLearnerLabs(ctx, orgID, userID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want.Labs, labs); d != "" {
		t.Errorf("labs (-want +got):\n%s", d)
	}
	weeks, err := e.store.FindLearnerWeeks(ctx, orgID, userID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want.Weeks[1:], weeks); d != "" {
		t.Errorf("learner weeks (-want +got):\n%s", d)
	}
	org, err := e.store.FindOrgUsageWeeks(ctx, orgID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(orgWeeks[1:], org); d != "" {
		t.Errorf("organization weeks (-want +got):\n%s", d)
	}
	team, err := e.store.FindTeamUsageWeeks(ctx, orgID, teamID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(orgWeeks[1:2], team); d != "" {
		t.Errorf("team weeks (-want +got):\n%s", d)
	}
	recent, err := e.store.FindRecentLogins(ctx, orgID, userID, 20)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range recent {
		got = append(got, l.ID)
	}
	var wantIDs []string
	for i := 24; i >= 5; i-- {
		wantIDs = append(wantIDs, logins[i].ID)
	}
	if d := cmp.Diff(wantIDs, got); d != "" {
		t.Errorf("recent sign-ins, newest first (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]int{"GetItem": 2, "Query": 6}, e.calls.Snapshot()); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
}

// TestLearnerEpisodesReadEveryPage reads a learner's episodes past one page
// of Query (1 MB on DynamoDB; here items made large enough to need several).
func TestLearnerEpisodesReadEveryPage(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: puts 3,000 items; make test runs it")
	}
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID, userID := domain.NewID(), domain.NewID()
	var episodes []domain.EpisodeProgress
	long := fmt.Sprintf("course-%0400d", 0) // 400 bytes of course id: 3,000 items pass 1 MB
	for i := range 3000 {
		episodes = append(episodes, domain.EpisodeProgress{EpisodeID: fmt.Sprintf("ep-%05d", i), CourseID: long, Viewings: 1, LastAt: t0})
	}
	if err := dynamo.PutLearnerActivity(ctx, e.store, orgID, userID, dynamo.LearnerActivity{Episodes: episodes}); err != nil {
		t.Fatal(err)
	}
	e.calls.Reset()
	got, err := e.store.FindLearnerEpisodes(ctx, orgID, userID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(episodes) || got[len(got)-1].EpisodeID != "ep-02999" {
		t.Errorf("read %d episodes, want %d", len(got), len(episodes))
	}
	if n := e.calls.Count("Query"); n < 2 {
		t.Errorf("made %d Query calls; the test wants more than one page", n)
	}
}
