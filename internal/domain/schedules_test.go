package domain_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/testenv"
)

// deliveryQueue records delivery messages; it refuses those that contain
// one of refuse.
type deliveryQueue struct {
	mu     sync.Mutex
	sent   []string
	refuse []string
}

func (q *deliveryQueue) Send(_ context.Context, m string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, r := range q.refuse {
		if strings.Contains(m, r) {
			return errors.New("queue refused " + m)
		}
	}
	q.sent = append(q.sent, m)
	return nil
}

func (q *deliveryQueue) messages() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Sorted(slices.Values(q.sent))
}

// scheduleEnv is an application whose schedules queue into q, at clock.
type scheduleEnv struct {
	app   *app.App
	clock *testenv.Clock
	q     *deliveryQueue
	svc   *domain.Schedules
}

// Saturday 5 December 2026, 12:00 UTC.
var scheduleStart = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

func newScheduleEnv(t *testing.T) *scheduleEnv {
	t.Helper()
	clock := testenv.NewClock(scheduleStart)
	a, _ := testenv.NewApp(t, clock.Now)
	q := &deliveryQueue{}
	a.UseSchedules(q)
	return &scheduleEnv{app: a, clock: clock, q: q, svc: a.Services.Schedules}
}

// admin stores an organization and returns its admin as a principal.
func (e *scheduleEnv) admin(t *testing.T) *domain.Principal {
	t.Helper()
	org := domain.Organization{ID: domain.NewID(), Name: "Acme", CreatedAt: scheduleStart}
	sub := domain.Subscription{OrgID: org.ID, SeatsTotal: 5, Features: domain.AllFeatures,
		StartsOn: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)}
	u := domain.User{ID: domain.NewID(), OrgID: org.ID, FirstName: "Grace", LastName: "Hopper",
		Email: org.ID + "@acme.example", Status: domain.StatusActive, Admin: true, CreatedAt: scheduleStart}
	if err := e.app.Store.CreateOrganization(context.Background(), org, sub, u, nil, nil); err != nil {
		t.Fatal(err)
	}
	return &domain.Principal{Session: domain.Session{OrgID: org.ID, UserID: u.ID}, User: u}
}

// weekly makes a schedule of p's organization: Mondays at 08:00 in Berlin.
func (e *scheduleEnv) weekly(t *testing.T, p *domain.Principal, recipients ...string) domain.Schedule {
	t.Helper()
	if len(recipients) == 0 {
		recipients = []string{"finance@example.com"}
	}
	sc, err := e.svc.Create(context.Background(), p, domain.ScheduleInput{
		Name: "Weekly", Kind: domain.ExportViewings, Frequency: domain.Weekly, Weekday: "monday",
		Time: "08:00", TimeZone: "Europe/Berlin", Period: domain.PeriodWeek, Recipients: recipients,
	})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// monday8 is the first run of e.weekly's schedules: Monday 7 December,
// 08:00 in Berlin.
var monday8 = time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)

// setNext moves a schedule's next run (as a late or early one), or pauses
// it, straight in the store.
func (e *scheduleEnv) setNext(t *testing.T, sc domain.Schedule, next time.Time, bounced ...string) domain.Schedule {
	t.Helper()
	cur, err := e.app.Store.FindSchedule(context.Background(), sc.OrgID, sc.ID)
	if err != nil {
		t.Fatal(err)
	}
	moved := cur
	moved.NextRunAt, moved.Rev, moved.Bounced = next.UTC(), cur.Rev+1, bounced
	if err := e.app.Store.UpdateSchedule(context.Background(), moved, cur.Rev, testenv.AnyEntry(domain.AuditScheduleUpdated)); err != nil {
		t.Fatal(err)
	}
	return moved
}

func TestDispatchRunsWhatIsDueOnce(t *testing.T) {
	t.Parallel()
	e := newScheduleEnv(t)
	ctx := context.Background()
	p, other := e.admin(t), e.admin(t)
	onTime := e.weekly(t, p)
	late := e.setNext(t, e.weekly(t, p), monday8.Add(-23*time.Hour))
	tooLate := e.setNext(t, e.weekly(t, other), monday8.Add(-25*time.Hour))
	notYet := e.setNext(t, e.weekly(t, other), monday8.Add(time.Minute))
	paused := e.weekly(t, other)
	if _, err := e.svc.Update(ctx, p2(paused), paused.ID, domain.ScheduleInput{
		Name: "Paused", Kind: domain.ExportViewings, Frequency: domain.Weekly, Weekday: "monday", Time: "07:59",
		TimeZone: "Europe/Berlin", Period: domain.PeriodWeek, Recipients: []string{"a@example.com"}, Paused: true,
	}); err != nil {
		t.Fatal(err)
	}
	bounced := e.setNext(t, e.weekly(t, other, "ok@example.com", "gone@example.com"), monday8, "gone@example.com")

	got, err := e.svc.Dispatch(ctx, monday8)
	if err != nil {
		t.Fatal(err)
	}
	want := domain.Dispatched{At: monday8, Due: 3, Claimed: 3}
	if diff := cmp.Diff(want, got, ignoreDeliveries); diff != "" {
		t.Errorf("Dispatch at Monday 08:00 (-want +got):\n%s", diff)
	}
	var wantSent []string
	for _, d := range got.Deliveries {
		wantSent = append(wantSent, domain.DeliveryRef{OrgID: d.OrgID, ScheduleID: d.ScheduleID, DeliveryID: d.ID}.Message())
		// The period is the one before the run was due: late's was due on
		// Sunday, so it covers the week before.
		week := "2026-11-30 2026-12-06"
		if d.ScheduleID == late.ID {
			week = "2026-11-23 2026-11-29"
		}
		if got := d.From.Format(domain.DateLayout) + " " + d.To.Format(domain.DateLayout); got != week || d.Trigger != domain.TriggerSchedule {
			t.Errorf("delivery of %s covers %s (%s), want %s", d.ScheduleID, got, d.Trigger, week)
		}
		if d.ScheduleID == bounced.ID && (len(d.Recipients) != 1 || d.Recipients[0].Address != "ok@example.com") {
			t.Errorf("the bounced address was mailed: %+v", d.Recipients)
		}
	}
	if diff := cmp.Diff(slices.Sorted(slices.Values(wantSent)), e.q.messages()); diff != "" {
		t.Errorf("queued (-want +got):\n%s", diff)
	}
	for _, sc := range []domain.Schedule{onTime, late, bounced} {
		now, _ := e.app.Store.FindSchedule(ctx, sc.OrgID, sc.ID)
		if !now.NextRunAt.Equal(monday8.AddDate(0, 0, 7)) || now.LastDeliveryStatus != domain.DeliveryPending {
			t.Errorf("schedule %s after its run: next %s, last %q", sc.Name, now.NextRunAt, now.LastDeliveryStatus)
		}
	}
	for _, sc := range []domain.Schedule{tooLate, notYet} {
		if now, _ := e.app.Store.FindSchedule(ctx, sc.OrgID, sc.ID); now.LastDeliveryID != "" {
			t.Errorf("a schedule not due in the last day ran: next %s", sc.NextRunAt)
		}
	}
	// The same sweep again, and a minute later: nothing more.
	for _, at := range []time.Time{monday8, monday8.Add(time.Minute - time.Nanosecond)} {
		again, err := e.svc.Dispatch(ctx, at)
		if err != nil || again.Due != 0 || len(e.q.messages()) != 3 {
			t.Errorf("a second sweep at %s: %+v, %v; %d queued", at, again, err, len(e.q.messages()))
		}
	}
	// A minute on, the one due then; an operator catching up on tooLate
	// runs the sweep as if it were then.
	if d, _ := e.svc.Dispatch(ctx, monday8.Add(time.Minute)); d.Claimed != 1 {
		t.Errorf("at 08:01: %+v, want 1 claimed", d)
	}
	if d, _ := e.svc.Dispatch(ctx, tooLate.NextRunAt); d.Claimed != 1 {
		t.Errorf("catching up: %+v, want 1 claimed", d)
	}
}

// A run missed by more than a day (the dispatcher was down) is found by the
// hourly deep sweep, late, rather than never.
func TestDispatchDeepSweepFindsRunsMissedForDays(t *testing.T) {
	t.Parallel()
	e := newScheduleEnv(t)
	ctx := context.Background()
	missed := e.setNext(t, e.weekly(t, e.admin(t)), monday8.Add(-3*24*time.Hour))
	at := monday8.Add(time.Minute) // 08:01: the sweep of the last day
	if d, err := e.svc.Dispatch(ctx, at); err != nil || d.Claimed != 0 {
		t.Fatalf("the minute's sweep: %+v, %v; want nothing claimed", d, err)
	}
	deep := monday8.Add(domain.DeepSweepMinute * time.Minute)
	d, err := e.svc.Dispatch(ctx, deep)
	if err != nil || d.Claimed != 1 {
		t.Fatalf("the hour's deep sweep: %+v, %v; want the missed run claimed", d, err)
	}
	now, _ := e.app.Store.FindSchedule(ctx, missed.OrgID, missed.ID)
	if !now.NextRunAt.After(deep) {
		t.Errorf("after its late run the schedule's next run is %s, want after %s", now.NextRunAt, deep)
	}
}

var ignoreDeliveries = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Deliveries" }, cmp.Ignore())

// p2 is a principal of the schedule's organization.
func p2(sc domain.Schedule) *domain.Principal {
	return &domain.Principal{Session: domain.Session{OrgID: sc.OrgID, UserID: sc.CreatedBy}, User: domain.User{ID: sc.CreatedBy, OrgID: sc.OrgID}}
}

// TestDispatchIsIdempotentUnderConcurrentSweeps runs overlapping sweeps at
// once: every schedule and period is delivered exactly once.
func TestDispatchIsIdempotentUnderConcurrentSweeps(t *testing.T) {
	t.Parallel()
	e := newScheduleEnv(t)
	ctx := context.Background()
	var all []domain.Schedule
	for range 4 {
		p := e.admin(t)
		for range 5 {
			all = append(all, e.weekly(t, p))
		}
	}
	const sweeps = 3
	results := make([]domain.Dispatched, sweeps)
	errs := make([]error, sweeps)
	var wg sync.WaitGroup
	for i := range sweeps {
		wg.Go(func() { results[i], errs[i] = e.svc.Dispatch(ctx, monday8.Add(time.Duration(i)*time.Second)) })
	}
	wg.Wait()
	claimed, other := 0, 0
	for i, r := range results {
		if errs[i] != nil || r.Failed != 0 {
			t.Fatalf("sweep %d: %+v, %v", i, r, errs[i])
		}
		claimed += r.Claimed
		other += r.AlreadyDelivered + r.Moved
	}
	if claimed != len(all) {
		t.Errorf("%d runs claimed by %d sweeps, want %d (one a schedule); others saw %d", claimed, sweeps, len(all), other)
	}
	if n := len(e.q.messages()); n != len(all) {
		t.Errorf("%d deliveries queued, want %d", n, len(all))
	}
	for _, sc := range all {
		list, err := e.app.Store.FindDeliveries(ctx, sc.OrgID, sc.ID, 10)
		if err != nil || len(list) != 1 {
			t.Errorf("schedule %s has %d deliveries (%v), want 1", sc.ID, len(list), err)
		}
	}
	// A retried sweep that read the schedules before the claims (their
	// next run moved back): the periods are claimed, so nothing is sent.
	e.setNext(t, all[0], monday8)
	again, err := e.svc.Dispatch(ctx, monday8.Add(time.Minute))
	if err != nil || again.AlreadyDelivered != 1 || again.Claimed != 0 || len(e.q.messages()) != len(all) {
		t.Errorf("a retried sweep: %+v, %v; %d queued", again, err, len(e.q.messages()))
	}
	if sc, _ := e.app.Store.FindSchedule(ctx, all[0].OrgID, all[0].ID); !sc.NextRunAt.Equal(monday8.AddDate(0, 0, 7)) {
		t.Errorf("the delivered schedule was not moved on: %s", sc.NextRunAt)
	}
}

// TestDispatchGoesOnPastAFailure: a schedule whose delivery the queue refuses
// is failed, with a reason, and the others are delivered.
func TestDispatchGoesOnPastAFailure(t *testing.T) {
	t.Parallel()
	e := newScheduleEnv(t)
	ctx := context.Background()
	p := e.admin(t)
	bad := e.weekly(t, p)
	var good []domain.Schedule
	for range 3 {
		good = append(good, e.weekly(t, p))
	}
	e.q.refuse = []string{bad.ID}
	got, err := e.svc.Dispatch(ctx, monday8)
	if err != nil {
		t.Fatal(err)
	}
	if got.Due != 4 || got.Claimed != 3 || got.Failed != 1 || len(e.q.messages()) != 3 {
		t.Errorf("Dispatch: %+v, %d queued; want 3 claimed and 1 failed", got, len(e.q.messages()))
	}
	list, err := e.app.Store.FindDeliveries(ctx, p.OrgID(), bad.ID, 10)
	if err != nil || len(list) != 1 || list[0].Status != domain.DeliveryFailed || list[0].Error == "" {
		t.Fatalf("the refused delivery: %+v, %v; want failed with a reason", list, err)
	}
	sc, _ := e.app.Store.FindSchedule(ctx, p.OrgID(), bad.ID)
	if sc.LastDeliveryStatus != domain.DeliveryFailed || !sc.NextRunAt.After(monday8) {
		t.Errorf("the failed schedule: last %q, next %s", sc.LastDeliveryStatus, sc.NextRunAt)
	}
}

// TestUpdateClearsBounced: saving a schedule with a bounced address mails it again.
func TestUpdateClearsBounced(t *testing.T) {
	t.Parallel()
	e := newScheduleEnv(t)
	ctx := context.Background()
	p := e.admin(t)
	sc := e.setNext(t, e.weekly(t, p, "ok@example.com", "gone@example.com"), monday8, "gone@example.com")
	got, err := e.svc.Get(ctx, p, sc.ID)
	if err != nil || fmt.Sprint(got.Bounced) != "[gone@example.com]" {
		t.Fatalf("bounced: %v, %v", got.Bounced, err)
	}
	in := domain.ScheduleInput{Name: "Weekly", Kind: domain.ExportViewings, Frequency: domain.Weekly, Weekday: "monday",
		Time: "08:00", TimeZone: "Europe/Berlin", Period: domain.PeriodWeek, Recipients: []string{"ok@example.com", "GONE@example.com"}}
	// Pausing and resuming is not a save of the recipients: the bounce stays.
	for _, paused := range []bool{true, false} {
		in.Paused = paused
		if _, err := e.svc.Update(ctx, p, sc.ID, in); err != nil {
			t.Fatal(err)
		}
		if got, _ = e.svc.Get(ctx, p, sc.ID); fmt.Sprint(got.Bounced) != "[gone@example.com]" || got.Paused != paused {
			t.Errorf("paused %v: bounced %v, want the bounce kept", got.Paused, got.Bounced)
		}
	}
	if _, err := e.svc.Update(ctx, p, sc.ID, in); err != nil {
		t.Fatal(err)
	}
	got, _ = e.svc.Get(ctx, p, sc.ID)
	if len(got.Bounced) != 0 || len(got.Recipients) != 2 {
		t.Errorf("after the save: recipients %v, bounced %v", got.Recipients, got.Bounced)
	}
	d, err := e.svc.SendNow(ctx, p, sc.ID)
	if err != nil || len(d.Recipients) != 2 {
		t.Errorf("send now after the save: %+v, %v; want both mailed", d.Recipients, err)
	}
	// Every recipient bounced: the delivery fails at once, saying why, and
	// nothing is queued.
	sent := len(e.q.messages())
	e.clock.Advance(domain.DeliveryUnderWay)
	e.setNext(t, sc, monday8, "ok@example.com", "gone@example.com")
	d, err = e.svc.SendNow(ctx, p, sc.ID)
	if err != nil || d.Status != domain.DeliveryFailed || d.Error == "" || len(e.q.messages()) != sent {
		t.Errorf("all bounced: %+v, %v", d, err)
	}
}

// TestScheduleServiceRefusesOtherOrganizations: another organization's
// schedule is not found by any method.
func TestScheduleServiceRefusesOtherOrganizations(t *testing.T) {
	t.Parallel()
	e := newScheduleEnv(t)
	ctx := context.Background()
	mine, theirs := e.admin(t), e.admin(t)
	sc := e.weekly(t, theirs)
	_, getErr := e.svc.Get(ctx, mine, sc.ID)
	_, listErr := e.svc.ListDeliveries(ctx, mine, sc.ID)
	_, sendErr := e.svc.SendNow(ctx, mine, sc.ID)
	delErr := e.svc.Delete(ctx, mine, sc.ID)
	for name, err := range map[string]error{"Get": getErr, "ListDeliveries": listErr, "SendNow": sendErr, "Delete": delErr} {
		if domain.ErrorCode(err) != domain.CodeNotFound {
			t.Errorf("%s of another organization's schedule: %v, want not_found", name, err)
		}
	}
	if len(e.q.messages()) != 0 {
		t.Errorf("something was queued: %v", e.q.messages())
	}
}
