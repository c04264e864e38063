package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

// A batch whose transaction was applied but whose answer was lost is tried
// again by the SDK; the repeat finds the batch's own claims. DynamoDB makes
// the repeat succeed (ClientRequestToken); moto does not, and the events used
// to be answered as duplicates though nobody had sent them before
// (TestConcurrentBatchesWithRepeatsCountExactly's flake: one event short).
func TestRecordActivitySurvivesALostAnswer(t *testing.T) {
	t.Parallel()
	lossy := &loseAnswer{}
	e := newEnv(t, func(c *aws.Config) { lossy.next = c.HTTPClient; c.HTTPClient = lossy })
	org, _, admin := e.createOrg(t, 5, "lost-ingest@x.com")
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	login := domain.ActivityEvent{
		Event: domain.Event{ID: "lost-1", OrgID: org.ID, UserID: admin.ID, Kind: domain.EventLogin, At: at},
		Day:   "2026-11-30", Week: "2026-W49",
	}
	ctx := context.Background()
	lossy.armed.Store(true)
	got, err := e.store.RecordActivity(ctx, org.ID, []domain.ActivityEvent{login})
	if err != nil {
		t.Fatalf("RecordActivity with its first answer lost: %v", err)
	}
	if lossy.armed.Load() {
		t.Fatal("no answer was lost: the test did not test anything")
	}
	if diff := cmp.Diff(domain.Recorded{Accepted: []int{0}}, got); diff != "" {
		t.Errorf("the batch whose answer was lost (-want +got):\n%s", diff)
	}
	again, err := e.store.RecordActivity(ctx, org.ID, []domain.ActivityEvent{login})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(domain.Recorded{Duplicates: []int{0}}, again); diff != "" {
		t.Errorf("the same batch sent again (-want +got):\n%s", diff)
	}
}
