package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// BenchmarkIngestBatch sends one peak-hour batch of 500 events (100
// learners, two teams, a quarter of the viewings completing an episode) per
// iteration, each with new event ids, and reports the DynamoDB calls it made
// and the events per second on moto_server.
func BenchmarkIngestBatch(b *testing.B) {
	f := newIngestFixture(b, 100)
	total := map[string]int{}
	var took time.Duration
	for i := 0; b.Loop(); i++ {
		events := f.batch500(fmt.Sprintf("b%d-", i))
		f.calls.Reset()
		start := time.Now()
		status, out := f.send(b, events)
		took += time.Since(start)
		if status != http.StatusOK || out.Accepted != len(events) {
			b.Fatalf("batch: %d %+v", status, out)
		}
		for op, n := range f.calls.Snapshot() {
			total[op] += n
		}
	}
	runs := float64(b.N)
	calls := 0
	for _, n := range total {
		calls += n
	}
	b.ReportMetric(float64(calls)/runs, "calls/op")
	b.ReportMetric(float64(total["TransactWriteItems"])/runs, "transactions/op")
	b.ReportMetric(float64(total["BatchGetItem"])/runs, "batchgets/op")
	b.ReportMetric(float64(total["Query"])/runs, "queries/op")
	b.ReportMetric(float64(total["GetItem"])/runs, "gets/op")
	b.ReportMetric(500*runs/took.Seconds(), "events/s")
}
