package domain_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"proportal/internal/domain"
	"proportal/internal/testenv"
)

// BenchmarkDispatch is one sweep of the dispatcher over 1,000 organizations
// with a weekly schedule each, 100 of them due (at minutes of the last hour),
// the other 900 due over the next week: wall time, and DynamoDB calls, which
// carry over to AWS (docs/decisions.md, "Scheduled reports"). The queue is
// the benchmark's own (no SQS call).
func BenchmarkDispatch(b *testing.B) {
	const orgs, due = 1000, 100
	now := time.Date(2026, 12, 7, 7, 0, 30, 0, time.UTC)
	a, calls := testenv.NewApp(b, func() time.Time { return now })
	q := &deliveryQueue{}
	a.UseSchedules(q)
	ctx := context.Background()
	make1000 := func() []domain.Schedule {
		list := make([]domain.Schedule, orgs)
		for i := range list {
			next := now.Add(time.Duration(i+1) * 10 * time.Minute) // the next week
			if i < due {
				next = now.Add(-time.Duration(i%60) * time.Minute) // the last hour
			}
			list[i] = domain.Schedule{
				ID: domain.NewID(), OrgID: domain.NewID(), Name: fmt.Sprint("Weekly ", i), Kind: domain.ExportViewings,
				Frequency: domain.Weekly, Weekday: time.Monday, Time: "08:00", TimeZone: "Europe/Berlin",
				Period: domain.PeriodWeek, Recipients: []string{"finance@example.com"}, NextRunAt: next,
				CreatedAt: now, UpdatedAt: now, Rev: 1,
			}
		}
		return list
	}
	for b.Loop() {
		b.StopTimer()
		if err := a.Store.ImportSchedules(ctx, make1000()); err != nil {
			b.Fatal(err)
		}
		calls.Reset()
		b.StartTimer()
		start := time.Now()
		got, err := a.Services.Schedules.Dispatch(ctx, now)
		b.StopTimer()
		if err != nil || got.Due != due || got.Claimed != due || got.Failed != 0 {
			b.Fatalf("Dispatch: %+v, %v; want %d due and claimed", got, err, due)
		}
		if n := calls.Count("Scan"); n != 0 {
			b.Fatalf("the sweep made %d Scans", n)
		}
		b.ReportMetric(float64(calls.Count("Query")), "Query/op")
		b.ReportMetric(float64(calls.Count("TransactWriteItems")), "TransactWriteItems/op")
		b.Logf("one sweep of %d organizations, %d due: %s, calls %v", orgs, due, time.Since(start).Round(time.Millisecond), calls.Snapshot())
		// The next iteration imports 1,000 more, 100 due at the same
		// times; these were moved on to next week by their claims.
		b.StartTimer()
	}
}
