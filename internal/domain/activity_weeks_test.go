package domain

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// Weeks start on Monday in the organization's time zone: an instant late on
// a Sunday in UTC is already Monday in Auckland, and an instant early on a
// Monday in UTC is still Sunday in Los Angeles.
func TestMondayOfInTheOrganizationsTimeZone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		give time.Time
		zone string
		want string
	}{
		{"a Wednesday", time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC), "UTC", "2026-03-09"},
		{"Monday midnight", time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), "UTC", "2026-03-09"},
		{"Sunday's last second", time.Date(2026, 3, 8, 23, 59, 59, 0, time.UTC), "UTC", "2026-03-02"},
		{"Sunday in UTC, Monday in Auckland", time.Date(2026, 3, 8, 12, 30, 0, 0, time.UTC), "Pacific/Auckland", "2026-03-09"},
		{"Monday in UTC, Sunday in Los Angeles", time.Date(2026, 3, 9, 5, 0, 0, 0, time.UTC), "America/Los_Angeles", "2026-03-02"},
		{"a week across the new year", time.Date(2027, 1, 1, 8, 0, 0, 0, time.UTC), "Europe/Berlin", "2026-12-28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := MondayOf(tt.give, mustZone(t, tt.zone)).Format(DateLayout); got != tt.want {
				t.Errorf("MondayOf(%s in %s) = %s, want %s", tt.give, tt.zone, got, tt.want)
			}
		})
	}
}

func TestLastWeeksAreZeroFilled(t *testing.T) {
	t.Parallel()
	// A Sunday evening in UTC is Monday in Auckland: the twelve weeks end
	// with the one that starts that Monday.
	from, to := lastWeeks(time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC), mustZone(t, "Pacific/Auckland"), UsageWeeks)
	if from.Format(DateLayout) != "2025-12-22" || to.Format(DateLayout) != "2026-03-09" {
		t.Fatalf("weeks from %s to %s, want 2025-12-22 to 2026-03-09", from.Format(DateLayout), to.Format(DateLayout))
	}
	found := []UsagePeriod{
		{Start: "2025-12-22", Usage: Usage{Viewings: 1}},
		{Start: "2026-01-05", Usage: Usage{Viewings: 2, ActiveLearners: 2}},
		{Start: "2026-03-09", Usage: Usage{Viewings: 3}},
	}
	got := fillWeeks(found, from, UsageWeeks)
	if len(got) != UsageWeeks {
		t.Fatalf("%d weeks, want %d", len(got), UsageWeeks)
	}
	var starts []string
	viewings := map[string]int{}
	for _, w := range got {
		starts = append(starts, w.Start)
		if w.Viewings > 0 {
			viewings[w.Start] = w.Viewings
		}
	}
	want := []string{"2025-12-22", "2025-12-29", "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26",
		"2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23", "2026-03-02", "2026-03-09"}
	if d := cmp.Diff(want, starts); d != "" {
		t.Errorf("weeks (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]int{"2025-12-22": 1, "2026-01-05": 2, "2026-03-09": 3}, viewings); d != "" {
		t.Errorf("viewings (-want +got):\n%s", d)
	}
	if s := sumWeeks(got); s.Viewings != 6 || s.ActiveLearners != 2 {
		t.Errorf("totals %+v, want 6 viewings and 2 active learners at most", s)
	}
}

// A course is complete when every episode the catalog lists for it is; one
// the catalog no longer knows keeps its ids as titles.
func TestCoursesCompleteAndInProgress(t *testing.T) {
	t.Parallel()
	at := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	catalog := map[string]CatalogItem{
		"c-1":  {ID: "c-1", Kind: KindCourse, Title: "One", EpisodeIDs: []string{"e-1a", "e-1b"}},
		"e-1a": {ID: "e-1a", Kind: KindEpisode, Title: "1a", CourseID: "c-1"},
		"e-1b": {ID: "e-1b", Kind: KindEpisode, Title: "1b", CourseID: "c-1"},
		"c-2":  {ID: "c-2", Kind: KindCourse, Title: "Two", EpisodeIDs: []string{"e-2a", "e-2b"}},
		"e-2a": {ID: "e-2a", Kind: KindEpisode, Title: "2a", CourseID: "c-2"},
		"e-2b": {ID: "e-2b", Kind: KindEpisode, Title: "2b", CourseID: "c-2"},
	}
	episodes := []EpisodeProgress{
		{EpisodeID: "e-1a", CourseID: "c-1", Seconds: 100, CompletedAt: at(1), LastAt: at(2)},
		{EpisodeID: "e-1b", CourseID: "c-1", Seconds: 50, CompletedAt: at(4), LastAt: at(4)},
		{EpisodeID: "e-2a", CourseID: "c-2", Seconds: 10, LastAt: at(6)},
		{EpisodeID: "e-2b", CourseID: "c-2", Seconds: 20, CompletedAt: at(3), LastAt: at(3)},
		{EpisodeID: "e-gone", CourseID: "c-gone", Seconds: 5, CompletedAt: at(1), LastAt: at(1)},
	}
	views, courses := episodesAndCourses(episodes, catalog)
	want := []CourseProgress{
		{CourseID: "c-2", Title: "Two", EpisodesCompleted: 1, Episodes: 2, Seconds: 30, LastViewedAt: at(6)},
		{CourseID: "c-1", Title: "One", EpisodesCompleted: 2, Episodes: 2, Seconds: 150, LastViewedAt: at(4), CompletedAt: at(4)},
		{CourseID: "c-gone", Title: "c-gone", Seconds: 5, LastViewedAt: at(1)},
	}
	if d := cmp.Diff(want, courses); d != "" {
		t.Errorf("courses (-want +got):\n%s", d)
	}
	if courses[0].Completed() || !courses[1].Completed() || courses[2].Completed() {
		t.Errorf("complete: %v %v %v, want false true false", courses[0].Completed(), courses[1].Completed(), courses[2].Completed())
	}
	var titles []string
	for _, v := range views {
		titles = append(titles, v.Title+"/"+v.CourseTitle)
	}
	if d := cmp.Diff([]string{"2a/Two", "1b/One", "2b/Two", "1a/One", "e-gone/c-gone"}, titles); d != "" {
		t.Errorf("episodes, most recent first (-want +got):\n%s", d)
	}
}

func TestTogetherReturnsTheFirstError(t *testing.T) {
	t.Parallel()
	first, second := errors.New("first"), errors.New("second")
	ran := make([]bool, 3)
	err := together(
		func() error { ran[0] = true; return nil },
		func() error { ran[1] = true; return first },
		func() error { ran[2] = true; return second },
	)
	if err != first || !ran[0] || !ran[1] || !ran[2] {
		t.Errorf("together = %v, ran %v; want the first error after all ran", err, ran)
	}
}
