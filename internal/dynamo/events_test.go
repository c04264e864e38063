package dynamo_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"proportal/internal/domain"
	"proportal/internal/dynamo"
	"proportal/internal/testenv"
)

// viewingsOf makes n viewings of orgID by users in turn, a minute apart from
// start, with ids that spread over every shard.
func viewingsOf(orgID string, users []string, start time.Time, n int) []domain.Event {
	evs := make([]domain.Event, n)
	for i := range evs {
		evs[i] = domain.Event{
			ID: domain.NewID(), OrgID: orgID, UserID: users[i%len(users)], Kind: domain.EventViewing,
			At: start.Add(time.Duration(i) * time.Minute), CourseID: "course-ccna", EpisodeID: "ep-ccna-01", Seconds: 60 + i%900,
		}
	}
	return evs
}

// An organization's events of a kind come back in time order across the
// shards, within [from, to), and none of another organization's or kind's.
func TestEachOrgEventMergesTheShardsInTimeOrder(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ours := viewingsOf("org-a", []string{"u1", "u2", "u3"}, start, 600)
	theirs := viewingsOf("org-b", []string{"x1"}, start, 50)
	login := domain.Event{ID: domain.NewID(), OrgID: "org-a", UserID: "u1", Kind: domain.EventLogin, At: start.Add(time.Hour)}
	if err := e.store.ImportEvents(ctx, append(append(ours, theirs...), login), start); err != nil {
		t.Fatal(err)
	}
	from, to := start.Add(100*time.Minute), start.Add(500*time.Minute)
	e.calls.Reset()
	var got []domain.Event
	err := e.store.EachOrgEvent(ctx, "org-a", domain.EventViewing, from, to, func(ev domain.Event) error {
		got = append(got, ev)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 400 {
		t.Fatalf("read %d events, want the 400 in [from, to)", len(got))
	}
	for i, ev := range got {
		if want := ours[100+i]; ev.ID != want.ID || !ev.At.Equal(want.At) || ev.OrgID != "org-a" || ev.Kind != domain.EventViewing {
			t.Fatalf("event %d is %+v, want %+v", i, ev, want)
		}
	}
	if q := e.calls.Count("Query"); q != domain.ActivityShards {
		t.Errorf("made %d Queries, want one a shard (%d)", q, domain.ActivityShards)
	}

	// A learner's own, through their partition.
	var mine int
	err = e.store.EachUserEvent(ctx, "org-a", "u2", domain.EventViewing, from, to, func(ev domain.Event) error {
		if ev.UserID != "u2" {
			t.Errorf("u2's events hold %s's", ev.UserID)
		}
		mine++
		return nil
	})
	if err != nil || mine != 134 {
		t.Errorf("u2 has %d events in the range (%v), want 134", mine, err)
	}
	// A callback's error stops the reading and is returned.
	stop := fmt.Errorf("enough")
	n := 0
	if err := e.store.EachOrgEvent(ctx, "org-a", domain.EventViewing, from, to, func(domain.Event) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	}); err != stop || n != 10 {
		t.Errorf("stopped after %d events with %v, want 10 and the callback's error", n, err)
	}
}

// BenchmarkReadViewings reads an organization-wide viewings export's rows,
// 100,000 events, the way the RunExport job does (pattern #19: eight shards
// queried at once, merged by time): Queries per export, rows per second, and
// the memory the reading holds. moto 5.2 reads its whole table on every
// Query, so the figure there is far below DynamoDB's.
func BenchmarkReadViewings(b *testing.B) {
	const rows = 100_000
	cfg, calls := testenv.AWSConfig(b)
	client := dynamodb.NewFromConfig(cfg)
	store := dynamo.New(client, testenv.NewTable(b, client))
	ctx := context.Background()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	users := make([]string, 500)
	for i := range users {
		users[i] = domain.NewID()
	}
	built := time.Now()
	if err := store.ImportEvents(ctx, viewingsOf("bench-org", users, start, rows), start); err != nil {
		b.Fatal(err)
	}
	b.Logf("stored %d viewings in %s (BatchWriteItem, %d calls)", rows, time.Since(built).Round(time.Millisecond), calls.Count("BatchWriteItem"))
	var peak uint64
	b.ResetTimer()
	for b.Loop() {
		calls.Reset()
		n := 0
		var last time.Time
		err := store.EachOrgEvent(ctx, "bench-org", domain.EventViewing, start, start.AddDate(1, 0, 0), func(ev domain.Event) error {
			if ev.At.Before(last) {
				return fmt.Errorf("event %d is out of order", n)
			}
			last = ev.At
			n++
			if n%10_000 == 0 {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
			return nil
		})
		if err != nil || n != rows {
			b.Fatalf("read %d of %d rows: %v", n, rows, err)
		}
		if s := calls.Count("Scan"); s != 0 {
			b.Fatalf("made %d Scans", s)
		}
	}
	b.StopTimer()
	per := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(calls.Count("Query")), "queries/export")
	b.ReportMetric(rows/per, "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
	b.ReportMetric(0, "ns/op")
}
