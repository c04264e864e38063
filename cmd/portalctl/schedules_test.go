package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"proportal/internal/devmail"
	"proportal/internal/domain"
	"proportal/internal/localserver"
	"proportal/internal/testenv"
)

func TestParseAt(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		give, want string
		ok         bool
	}{
		{"", "2026-12-06T10:00:00Z", true},
		{"2026-12-07T08:00", "2026-12-07T08:00:00Z", true},
		{"2026-12-07T08:00:00+01:00", "2026-12-07T07:00:00Z", true},
		{"2026-12-07T08:00:00Z", "2026-12-07T08:00:00Z", true},
		{"Monday 08:00", "", false},
		{"2026-12-07", "", false},
	}
	for _, tt := range tests {
		got, err := parseAt(tt.give, now)
		if (err == nil) != tt.ok || (tt.ok && got.Format(time.RFC3339) != tt.want) {
			t.Errorf("parseAt(%q) = %s, %v; want %s (ok %v)", tt.give, got.Format(time.RFC3339), err, tt.want, tt.ok)
		}
	}
}

// recordQueue keeps the messages sent to it.
type recordQueue struct {
	mu   sync.Mutex
	sent []string
}

func (q *recordQueue) Send(_ context.Context, m string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.sent = append(q.sent, m)
	return nil
}

// TestRunSchedulesOnTheLocalServer runs the dispatcher through a local
// server "as if it were Monday 08:00": the schedule due then is queued, and
// a second run finds it delivered.
func TestRunSchedulesOnTheLocalServer(t *testing.T) {
	a, _ := testenv.NewApp(t, nil)
	q := &recordQueue{}
	a.UseSchedules(q)
	monday := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC) // 08:00 in Berlin
	sc := domain.Schedule{
		ID: domain.NewID(), OrgID: domain.NewID(), Name: "Weekly", Kind: domain.ExportViewings,
		Frequency: domain.Weekly, Weekday: time.Monday, Time: "08:00", TimeZone: "Europe/Berlin",
		Period: domain.PeriodWeek, Recipients: []string{"finance@example.com"}, NextRunAt: monday, Rev: 1,
	}
	if err := a.Store.ImportSchedules(context.Background(), []domain.Schedule{sc}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(localserver.New(a.Services, devmail.NewMailbox(10), fstest.MapFS{}, a.Logger).WithJobs(a.Jobs))
	defer srv.Close()
	t.Setenv("TABLE_NAME", "")

	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"run-schedules", "-at", "2026-12-07T08:00:00+01:00", "-url", srv.URL}, &out, &errOut); err != nil {
		t.Fatalf("run-schedules: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"As of 2026-12-07T07:00:00Z: 1 schedules due, 1 deliveries queued", "of schedule " + sc.ID, "2026-11-30 to 2026-12-06, 1 recipients"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
	if len(q.sent) != 1 || !strings.HasPrefix(q.sent[0], sc.OrgID+"/"+sc.ID+"/") {
		t.Errorf("queued %v, want the schedule's delivery", q.sent)
	}
	out.Reset()
	if err := run(context.Background(), []string{"run-schedules", "-at", "2026-12-07T07:00", "-url", srv.URL}, &out, &errOut); err != nil {
		t.Fatalf("run-schedules again: %v", err)
	}
	if !strings.Contains(out.String(), "0 schedules due") {
		t.Errorf("a second run: %s, want nothing due", out.String())
	}
}
