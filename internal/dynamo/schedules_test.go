package dynamo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
	"proportal/internal/testenv"
)

// schedule is a weekly schedule of orgID, due at next.
func schedule(orgID string, next time.Time) domain.Schedule {
	return domain.Schedule{
		ID: domain.NewID(), OrgID: orgID, Name: "Weekly viewings", Kind: domain.ExportViewings,
		Frequency: domain.Weekly, Weekday: time.Monday, Time: "08:00", TimeZone: "Europe/Berlin",
		Period: domain.PeriodWeek, Recipients: []string{"finance@example.com", "boss@example.com"},
		NextRunAt: next.UTC(), CreatedBy: domain.NewID(), CreatedAt: t0.UTC(), UpdatedAt: t0.UTC(), Rev: 1,
	}
}

func delivery(sc domain.Schedule, trigger string, from, to time.Time) domain.Delivery {
	return domain.Delivery{
		ID: domain.NewID(), OrgID: sc.OrgID, ScheduleID: sc.ID, Trigger: trigger, From: from, To: to,
		Status: domain.DeliveryPending, CreatedAt: t0.UTC(),
		Recipients: []domain.DeliveryRecipient{{Address: "finance@example.com", Status: domain.RecipientPending}},
	}
}

func day(s string) time.Time {
	d, err := time.Parse(domain.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestScheduleRoundTripAndLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID := domain.NewID()
	sc := schedule(orgID, time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC))
	sc.Bounced = []string{"boss@example.com"}
	if err := e.store.CreateSchedule(ctx, sc, 2, testenv.AnyEntry(domain.AuditScheduleCreated)); err != nil {
		t.Fatal(err)
	}
	got, err := e.store.FindSchedule(ctx, orgID, sc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sc, got); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	if _, err := e.store.FindSchedule(ctx, domain.NewID(), sc.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("another organization's schedule: %v, want not_found", err)
	}
	if err := e.store.CreateSchedule(ctx, schedule(orgID, sc.NextRunAt), 2, testenv.AnyEntry(domain.AuditScheduleCreated)); err != nil {
		t.Fatal(err)
	}
	if err := e.store.CreateSchedule(ctx, schedule(orgID, sc.NextRunAt), 2, testenv.AnyEntry(domain.AuditScheduleCreated)); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("a third of at most 2: %v, want conflict", err)
	}
	list, err := e.store.FindSchedules(ctx, orgID)
	if err != nil || len(list) != 2 {
		t.Fatalf("FindSchedules = %d, %v; want the 2 made", len(list), err)
	}
	if err := e.store.DeleteSchedule(ctx, orgID, sc.ID, 1, testenv.AnyEntry(domain.AuditScheduleDeleted)); err != nil {
		t.Fatal(err)
	}
	if err := e.store.DeleteSchedule(ctx, orgID, sc.ID, 1, testenv.AnyEntry(domain.AuditScheduleDeleted)); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("deleting again: %v, want not_found", err)
	}
	if err := e.store.CreateSchedule(ctx, schedule(orgID, sc.NextRunAt), 2, testenv.AnyEntry(domain.AuditScheduleCreated)); err != nil {
		t.Errorf("after a delete there is room again: %v", err)
	}
}

func TestUpdateScheduleMovesItsDueKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID := domain.NewID()
	at := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
	sc := schedule(orgID, at)
	sc.Bounced = []string{"boss@example.com"}
	if err := e.store.CreateSchedule(ctx, sc, 50, testenv.AnyEntry(domain.AuditScheduleCreated)); err != nil {
		t.Fatal(err)
	}
	due := func(at time.Time) int {
		t.Helper()
		found, err := e.store.FindDueSchedules(ctx, at, at.Add(-time.Hour), at)
		if err != nil {
			t.Fatal(err)
		}
		return len(found)
	}
	if n := due(at); n != 1 {
		t.Fatalf("due at %s: %d, want 1", at, n)
	}
	// Paused: no DUE# keys, so never found.
	paused := sc
	paused.Paused, paused.NextRunAt, paused.Rev, paused.Bounced = true, time.Time{}, 2, nil
	if err := e.store.UpdateSchedule(ctx, paused, 1, testenv.AnyEntry(domain.AuditScheduleUpdated)); err != nil {
		t.Fatal(err)
	}
	if n := due(at); n != 0 {
		t.Errorf("a paused schedule was found due")
	}
	got, _ := e.store.FindSchedule(ctx, orgID, sc.ID)
	if diff := cmp.Diff(paused, got); diff != "" {
		t.Errorf("paused (-want +got):\n%s", diff)
	}
	if err := e.store.UpdateSchedule(ctx, paused, 1, testenv.AnyEntry(domain.AuditScheduleUpdated)); domain.ErrorCode(err) != domain.CodeConflict {
		t.Errorf("a save of an old revision: %v, want conflict", err)
	}
	// Resumed, monthly, at another hour.
	later := at.Add(30 * time.Hour)
	resumed := paused
	resumed.Paused, resumed.NextRunAt, resumed.Rev = false, later, 3
	resumed.Frequency, resumed.Weekday, resumed.DayOfMonth = domain.Monthly, 0, 31
	if err := e.store.UpdateSchedule(ctx, resumed, 2, testenv.AnyEntry(domain.AuditScheduleUpdated)); err != nil {
		t.Fatal(err)
	}
	if due(at) != 0 || due(later) != 1 {
		t.Errorf("resumed: due at %s %d, at %s %d; want 0 and 1", at, due(at), later, due(later))
	}
	got, _ = e.store.FindSchedule(ctx, orgID, sc.ID)
	if diff := cmp.Diff(resumed, got); diff != "" {
		t.Errorf("resumed (-want +got):\n%s", diff)
	}
	gone := resumed
	gone.ID = domain.NewID()
	if err := e.store.UpdateSchedule(ctx, gone, 3, testenv.AnyEntry(domain.AuditScheduleUpdated)); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("an unknown schedule: %v, want not_found", err)
	}
}

// TestFindDueSchedules reads one DUE# hour: only the schedules due in
// [from, to] of that hour, of every organization, and none paused.
func TestFindDueSchedules(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	hour := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
	var want []string
	for i, at := range []time.Time{hour, hour.Add(15 * time.Minute), hour.Add(59*time.Minute + 59*time.Second), hour.Add(time.Hour), hour.Add(-time.Second)} {
		sc := schedule(domain.NewID(), at)
		sc.Name = fmt.Sprint(i)
		if err := e.store.CreateSchedule(ctx, sc, 50, testenv.AnyEntry(domain.AuditScheduleCreated)); err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			want = append(want, sc.Name)
		}
	}
	e.calls.Reset()
	found, err := e.store.FindDueSchedules(ctx, hour, hour.Add(-time.Hour), hour.Add(15*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sc := range found {
		got = append(got, sc.Name)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("due by 07:15 (-want +got):\n%s", diff)
	}
	if n := e.calls.Count("Query"); n != 1 {
		t.Errorf("%d Queries, want 1", n)
	}
}

func TestClaimRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID := domain.NewID()
	at := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
	next := at.Add(7 * 24 * time.Hour)
	sc := schedule(orgID, at)
	if err := e.store.CreateSchedule(ctx, sc, 50, testenv.AnyEntry(domain.AuditScheduleCreated)); err != nil {
		t.Fatal(err)
	}
	d := delivery(sc, domain.TriggerSchedule, day("2026-11-30"), day("2026-12-06"))
	d.ScheduledFor = at
	claim, err := e.store.ClaimRun(ctx, sc, d, next)
	if err != nil || claim != domain.RunClaimed {
		t.Fatalf("ClaimRun = %v, %v; want claimed", claim, err)
	}
	got, err := e.store.FindSchedule(ctx, orgID, sc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.NextRunAt.Equal(next) || got.LastDeliveryID != d.ID || got.LastDeliveryStatus != domain.DeliveryPending {
		t.Errorf("after the claim: next %s, last %s %s", got.NextRunAt, got.LastDeliveryID, got.LastDeliveryStatus)
	}
	stored, err := e.store.FindDelivery(ctx, orgID, sc.ID, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, stored); diff != "" {
		t.Errorf("the delivery (-want +got):\n%s", diff)
	}
	// The same sweep again (it read the schedule before the claim): moved.
	if claim, err := e.store.ClaimRun(ctx, sc, delivery(sc, domain.TriggerSchedule, d.From, d.To), next); err != nil || claim != domain.RunMoved {
		t.Errorf("a second claim of the same run = %v, %v; want moved", claim, err)
	}
	// The schedule due again for the same period (an admin edited it back):
	// the claim exists, so it is moved on without a delivery.
	again := got
	again.Rev = got.Rev + 1
	again.NextRunAt = at.Add(time.Hour)
	if err := e.store.UpdateSchedule(ctx, again, got.Rev, testenv.AnyEntry(domain.AuditScheduleUpdated)); err != nil {
		t.Fatal(err)
	}
	second := delivery(sc, domain.TriggerSchedule, d.From, d.To)
	if claim, err := e.store.ClaimRun(ctx, again, second, next); err != nil || claim != domain.RunDelivered {
		t.Errorf("a claim of a delivered period = %v, %v; want delivered", claim, err)
	}
	if _, err := e.store.FindDelivery(ctx, orgID, sc.ID, second.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("the period's second delivery was written (%v)", err)
	}
	got, _ = e.store.FindSchedule(ctx, orgID, sc.ID)
	if !got.NextRunAt.Equal(next) || got.LastDeliveryID != d.ID {
		t.Errorf("after a delivered period: next %s (want %s), last %s (want %s)", got.NextRunAt, next, got.LastDeliveryID, d.ID)
	}
	// Paused: moved, nothing written.
	paused := got
	paused.Paused, paused.NextRunAt, paused.Rev = true, time.Time{}, got.Rev+1
	if err := e.store.UpdateSchedule(ctx, paused, got.Rev, testenv.AnyEntry(domain.AuditScheduleUpdated)); err != nil {
		t.Fatal(err)
	}
	if claim, err := e.store.ClaimRun(ctx, got, delivery(sc, domain.TriggerSchedule, day("2026-12-07"), day("2026-12-13")), next.Add(7*24*time.Hour)); err != nil || claim != domain.RunMoved {
		t.Errorf("a claim of a paused schedule = %v, %v; want moved", claim, err)
	}
}

func TestDeliveriesClaimAndSave(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID := domain.NewID()
	sc := schedule(orgID, time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC))
	if err := e.store.CreateSchedule(ctx, sc, 50, testenv.AnyEntry(domain.AuditScheduleCreated)); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 3 {
		d := delivery(sc, domain.TriggerManual, day("2026-11-29"), day("2026-12-05"))
		d.CreatedAt = t0.Add(time.Duration(i) * time.Minute).UTC()
		if err := e.store.CreateDelivery(ctx, d, testenv.AnyEntry(domain.AuditScheduleSentNow)); err != nil {
			t.Fatal(err)
		}
		ids = append([]string{d.ID}, ids...)
	}
	list, err := e.store.FindDeliveries(ctx, orgID, sc.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != ids[0] || list[1].ID != ids[1] {
		t.Errorf("FindDeliveries(limit 2) = %v, want the newest two %v", list, ids[:2])
	}
	if other, _ := e.store.FindDeliveries(ctx, domain.NewID(), sc.ID, 20); len(other) != 0 {
		t.Errorf("another organization sees %d deliveries", len(other))
	}
	gone := delivery(sc, domain.TriggerManual, day("2026-11-29"), day("2026-12-05"))
	gone.ScheduleID = domain.NewID()
	if err := e.store.CreateDelivery(ctx, gone, testenv.AnyEntry(domain.AuditScheduleSentNow)); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("a delivery of no schedule: %v, want not_found", err)
	}

	// The job's side: claim the newest, save it done; the schedule shows it.
	d, err := e.store.FindDelivery(ctx, orgID, sc.ID, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	now := t0.Add(time.Hour).UTC()
	mine := d
	mine.Claim, mine.HeartbeatAt, mine.StartedAt = "claim-1", now, now
	claimed, err := e.store.ClaimDelivery(ctx, mine, now.Add(-2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if claimed.Status != domain.DeliveryRunning || claimed.Attempts != 1 || claimed.Claim != "claim-1" {
		t.Errorf("claimed: %+v", claimed)
	}
	theirs := d
	theirs.Claim, theirs.HeartbeatAt = "claim-2", now
	if _, err := e.store.ClaimDelivery(ctx, theirs, now.Add(-2*time.Minute)); domain.ErrorCode(err) != domain.CodeConflict {
		t.Errorf("a second claim of a running delivery: %v, want conflict", err)
	}
	if _, err := e.store.ClaimDelivery(ctx, theirs, now.Add(time.Second)); err != nil {
		t.Errorf("taking over a stale run: %v", err)
	}
	if err := e.store.SaveDelivery(ctx, claimed); domain.ErrorCode(err) != domain.CodeConflict {
		t.Errorf("a save by the run taken over: %v, want conflict", err)
	}
	done := claimed
	done.Claim = "claim-2"
	done.Status, done.Rows, done.Bytes, done.Attached, done.FinishedAt = domain.DeliveryPartial, 42, 12345, true, now
	done.Recipients = []domain.DeliveryRecipient{{Address: "finance@example.com", Status: domain.RecipientFailed, Reason: "SES refused it"}}
	done.Error = "1 of 1 recipients failed."
	if err := e.store.SaveDelivery(ctx, done); err != nil {
		t.Fatal(err)
	}
	stored, _ := e.store.FindDelivery(ctx, orgID, sc.ID, d.ID)
	done.Attempts = 2
	if diff := cmp.Diff(done, stored); diff != "" {
		t.Errorf("saved (-want +got):\n%s", diff)
	}
	got, _ := e.store.FindSchedule(ctx, orgID, sc.ID)
	if got.LastDeliveryID != d.ID || got.LastDeliveryStatus != domain.DeliveryPartial {
		t.Errorf("the schedule's last delivery: %s %s", got.LastDeliveryID, got.LastDeliveryStatus)
	}
	// An older delivery's save leaves the schedule's last delivery alone.
	older, _ := e.store.FindDelivery(ctx, orgID, sc.ID, ids[2])
	older.Status, older.Error, older.FinishedAt = domain.DeliveryFailed, "Not queued.", now
	if err := e.store.SaveDelivery(ctx, older); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.store.FindSchedule(ctx, orgID, sc.ID); got.LastDeliveryID != d.ID || got.LastDeliveryStatus != domain.DeliveryPartial {
		t.Errorf("an older delivery's save changed the schedule's last: %s %s", got.LastDeliveryID, got.LastDeliveryStatus)
	}
	if stored, _ := e.store.FindDelivery(ctx, orgID, sc.ID, older.ID); stored.Status != domain.DeliveryFailed {
		t.Errorf("the older delivery was not saved: %s", stored.Status)
	}
}
