package domain

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The schedules service: an admin's report schedules (validation, next run,
// CRUD), their deliveries, "send now", and the dispatcher's sweep of the
// schedules due. The delivery job itself is deliveries.go's.

// Limits of a schedule's fields, and how long deliveries are kept.
const (
	// MaxScheduleName is the longest name of a schedule, in characters.
	MaxScheduleName = 100
	// DeliveryKept is how long a delivery's record is kept (its item's TTL
	// is a week later): the reports bucket keeps scheduled workbooks as long
	// (template.yaml's ReportRetentionDays, whose default this is).
	DeliveryKept = 90 * 24 * time.Hour
	// DeliveryUnderWay is how long a pending or running delivery refuses
	// "send now" (a second click, or a click during a scheduled run): past
	// it, the delivery is taken to have died and a new one may be sent.
	DeliveryUnderWay = 15 * time.Minute
)

// Weekdays are the weekday names of ScheduleInput and the JSON, Sunday first
// as time.Weekday counts them.
var Weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// WeekdayName is the name of a weekday as the API writes it ("monday").
func WeekdayName(d time.Weekday) string { return Weekdays[d%7] }

// ScheduleStore is the persistence the schedules service needs.
type ScheduleStore interface {
	FindOrganization(ctx context.Context, orgID string) (Organization, error)
	FindTeam(ctx context.Context, orgID, teamID string) (Team, error)

	// CreateSchedule writes a new schedule and counts it, on condition that
	// the organization has fewer than max (conflict otherwise), with its
	// audit entry, in one transaction.
	CreateSchedule(ctx context.Context, s Schedule, max int, audit AuditEntry) error
	// FindSchedule returns one schedule of an organization (not_found otherwise).
	FindSchedule(ctx context.Context, orgID, scheduleID string) (Schedule, error)
	// FindSchedules returns every schedule of an organization, in no order.
	FindSchedules(ctx context.Context, orgID string) ([]Schedule, error)
	// UpdateSchedule writes what an admin edits of s (and its next run, its
	// due keys, its bounced addresses) on condition that it is still at
	// revision before: not_found when it was deleted, conflict when saved
	// meanwhile. Its last delivery is left as the deliveries set it. The
	// audit entry is written in the same transaction.
	UpdateSchedule(ctx context.Context, s Schedule, before int, audit AuditEntry) error
	// DeleteSchedule deletes a schedule at revision rev and counts it off
	// (not_found when there is none, conflict when it changed), with its
	// audit entry. Its deliveries expire with their TTL.
	DeleteSchedule(ctx context.Context, orgID, scheduleID string, rev int, audit AuditEntry) error

	// FindDeliveries returns a schedule's latest deliveries, newest first.
	FindDeliveries(ctx context.Context, orgID, scheduleID string, limit int) ([]Delivery, error)
	// CreateDelivery writes a new delivery ("send now") and makes it its
	// schedule's last, with the audit entry, in one transaction; not_found
	// when the schedule is gone.
	CreateDelivery(ctx context.Context, d Delivery, audit AuditEntry) error
	// SaveDelivery writes a delivery's status, figures, recipients and
	// error on condition that its claim is still d.Claim, and its
	// schedule's last delivery when it is still d (one transaction).
	SaveDelivery(ctx context.Context, d Delivery) error

	// FindDueSchedules returns the schedules whose next run falls in the
	// UTC hour of hour and in [from, to] (pattern #21: one Query of the
	// hour's DUE# partition, paged).
	FindDueSchedules(ctx context.Context, hour, from, to time.Time) ([]Schedule, error)
	// ClaimRun claims a scheduled run: one transaction puts the run claim
	// of (s, d.From, d.To) and the delivery d, and moves s to next, on
	// condition that the claim is new and that s is not paused and still
	// due at s.NextRunAt. A claim that exists (the period was delivered)
	// still moves s, without the delivery: RunDelivered. A schedule that
	// moved meanwhile (another run, an edit, a pause or delete): RunMoved.
	ClaimRun(ctx context.Context, s Schedule, d Delivery, next time.Time) (RunClaim, error)
}

// RunClaim is what ClaimRun did.
type RunClaim int

const (
	// RunClaimed: the run is this dispatcher's; its delivery is written.
	RunClaimed RunClaim = iota
	// RunDelivered: the period had a run already; the schedule was moved on.
	RunDelivered
	// RunMoved: the schedule was no longer due at that time; nothing written.
	RunMoved
)

// Schedules is what admins do with report schedules, and the dispatcher's sweep.
type Schedules struct {
	store ScheduleStore
	queue Queue
	now   Clock
	log   *slog.Logger
}

// NewSchedules returns the schedules service. queue hands deliveries to the
// RunScheduledReport job.
func NewSchedules(store ScheduleStore, queue Queue, now Clock, log *slog.Logger) *Schedules {
	return &Schedules{store: store, queue: queue, now: now, log: log}
}

var timeOfDay = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// clock is a schedule's time of day.
func (s Schedule) clock() (hour, minute int) {
	hour, _ = strconv.Atoi(s.Time[:2])
	minute, _ = strconv.Atoi(s.Time[3:])
	return hour, minute
}

// Location is the schedule's time zone (UTC when it is unknown).
func (s Schedule) Location() *time.Location {
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil || s.TimeZone == "" {
		return time.UTC
	}
	return loc
}

// validate checks an input and returns it normalized: trimmed name,
// recipients lower-cased and deduplicated. teamId's existence is checked
// by the caller (a missing team is not_found, not a field problem).
func (in ScheduleInput) validate() (ScheduleInput, error) {
	probs := Problems{}
	in.Name = strings.TrimSpace(in.Name)
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		probs.Add("name", "Give the schedule a name.")
	case n > MaxScheduleName:
		probs.Add("name", fmt.Sprintf("must be at most %d characters", MaxScheduleName))
	}
	if !slices.Contains(ScheduleKinds, in.Kind) {
		probs.Add("kind", "Choose one of "+strings.Join(ScheduleKinds, ", ")+".")
	}
	switch {
	case in.Kind == ExportTeamActivity && in.TeamID == "":
		probs.Add("teamId", "Choose the team whose activity to report.")
	case in.Kind != ExportTeamActivity && in.TeamID != "":
		probs.Add("teamId", "Only a "+ExportTeamActivity+" report takes teamId.")
	}
	switch in.Frequency {
	case Weekly:
		if !slices.Contains(Weekdays, in.Weekday) {
			probs.Add("weekday", "Choose a day of the week: monday to sunday.")
		}
		if in.DayOfMonth != 0 {
			probs.Add("dayOfMonth", "Only a monthly schedule takes dayOfMonth.")
		}
	case Monthly:
		if in.DayOfMonth < 1 || in.DayOfMonth > 31 {
			probs.Add("dayOfMonth", "Choose a day of the month from 1 to 31 (past a month's end, its last day).")
		}
		if in.Weekday != "" {
			probs.Add("weekday", "Only a weekly schedule takes weekday.")
		}
	default:
		probs.Add("frequency", "Choose weekly or monthly.")
	}
	if !timeOfDay.MatchString(in.Time) {
		probs.Add("time", "Write the time of day as hh:mm, from 00:00 to 23:59.")
	}
	if in.TimeZone != "" && !validTimeZone(in.TimeZone) {
		probs.Add("timeZone", "Choose a time zone by its IANA name, like Europe/Berlin.")
	}
	if in.Period != PeriodWeek && in.Period != PeriodMonth {
		probs.Add("period", "Choose week (the last full week) or month (the last full month).")
	}
	var recipients []string
	for _, raw := range in.Recipients {
		addr, problem := EmailProblem(raw)
		if problem != "" {
			probs.Add("recipients", fmt.Sprintf("%q %s", strings.TrimSpace(raw), problem))
			continue
		}
		if !slices.Contains(recipients, addr) {
			recipients = append(recipients, addr)
		}
	}
	switch {
	case len(recipients) == 0 && len(in.Recipients) == 0:
		probs.Add("recipients", "Add at least one address to mail the report to.")
	case len(recipients) > MaxRecipients:
		probs.Add("recipients", fmt.Sprintf("A schedule mails at most %d addresses.", MaxRecipients))
	}
	in.Recipients = recipients
	return in, probs.Err()
}

// build validates an input into the schedule it makes of base (a new one,
// or the one edited): the team checked, the time zone resolved (empty: the
// organization's), the next run computed from now.
func (s *Schedules) build(ctx context.Context, p *Principal, base Schedule, in ScheduleInput) (Schedule, error) {
	in, err := in.validate()
	if err != nil {
		return Schedule{}, err
	}
	if in.Kind == ExportTeamActivity {
		if !ValidID(in.TeamID) {
			return Schedule{}, NotFound("team")
		}
		if _, err := s.store.FindTeam(ctx, p.OrgID(), in.TeamID); err != nil {
			return Schedule{}, fmt.Errorf("check team %s: %w", in.TeamID, err)
		}
	}
	if in.TimeZone == "" {
		org, err := s.store.FindOrganization(ctx, p.OrgID())
		if err != nil {
			return Schedule{}, fmt.Errorf("read the organization's time zone: %w", err)
		}
		in.TimeZone = org.Zone()
	}
	out := base
	out.Name, out.Kind, out.TeamID = in.Name, in.Kind, in.TeamID
	out.Frequency, out.Weekday, out.DayOfMonth = in.Frequency, 0, 0
	if in.Frequency == Weekly {
		out.Weekday = time.Weekday(slices.Index(Weekdays, in.Weekday))
	} else {
		out.DayOfMonth = in.DayOfMonth
	}
	out.Time, out.TimeZone, out.Period = in.Time, in.TimeZone, in.Period
	out.Recipients, out.Paused = in.Recipients, in.Paused
	// An address listed again is mailed again: saving is how an admin says
	// a bounced address works now. One not listed is no longer a recipient.
	// So a save leaves no address bounced (Bounced stays within Recipients).
	out.Bounced = nil
	now := s.now().UTC()
	out.UpdatedAt, out.NextRunAt = now, time.Time{}
	if !out.Paused {
		out.NextRunAt = NextRun(out, now).UTC()
	}
	return out, nil
}

// List returns the organization's schedules by name.
func (s *Schedules) List(ctx context.Context, p *Principal) ([]Schedule, error) {
	list, err := s.store.FindSchedules(ctx, p.OrgID())
	if err != nil {
		return nil, fmt.Errorf("list schedules: %w", err)
	}
	slices.SortFunc(list, func(a, b Schedule) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return list, nil
}

// Get returns one schedule of the principal's organization.
func (s *Schedules) Get(ctx context.Context, p *Principal, scheduleID string) (Schedule, error) {
	if !ValidID(scheduleID) {
		return Schedule{}, NotFound("schedule")
	}
	sc, err := s.store.FindSchedule(ctx, p.OrgID(), scheduleID)
	if err != nil {
		return Schedule{}, fmt.Errorf("get schedule %s: %w", scheduleID, err)
	}
	return sc, nil
}

// Create makes a schedule. Bad input is refused before anything is written;
// more than MaxSchedules schedules is a conflict.
func (s *Schedules) Create(ctx context.Context, p *Principal, in ScheduleInput) (Schedule, error) {
	now := s.now().UTC()
	sc, err := s.build(ctx, p, Schedule{ID: NewID(), OrgID: p.OrgID(), CreatedBy: p.User.ID, CreatedAt: now, Rev: 1}, in)
	if err != nil {
		return Schedule{}, err
	}
	audit := NewAuditEntry(p, AuditScheduleCreated, scheduleTarget(sc), now)
	audit.Changes = ScheduleChanges(Schedule{}, sc)
	if err := s.store.CreateSchedule(ctx, sc, MaxSchedules, audit); err != nil {
		return Schedule{}, fmt.Errorf("create schedule: %w", err)
	}
	return sc, nil
}

// Update replaces what an admin sets of a schedule (pausing and resuming
// too): the next run is computed again from now, and addresses listed again
// are no longer counted as bounced. A schedule saved meanwhile by someone
// else is a conflict.
func (s *Schedules) Update(ctx context.Context, p *Principal, scheduleID string, in ScheduleInput) (Schedule, error) {
	before, err := s.Get(ctx, p, scheduleID)
	if err != nil {
		return Schedule{}, err
	}
	sc, err := s.build(ctx, p, before, in)
	if err != nil {
		return Schedule{}, err
	}
	if onlyPausedChanged(before, sc) {
		// Pausing or resuming is not saving the recipients: bounced
		// addresses stay bounced.
		sc.Bounced = before.Bounced
	}
	sc.Rev = before.Rev + 1
	audit := NewAuditEntry(p, AuditScheduleUpdated, scheduleTarget(before), s.now())
	audit.Changes = ScheduleChanges(before, sc)
	if err := s.store.UpdateSchedule(ctx, sc, before.Rev, audit); err != nil {
		return Schedule{}, fmt.Errorf("update schedule %s: %w", scheduleID, err)
	}
	return sc, nil
}

// scheduleTarget names a schedule as a target.
func scheduleTarget(sc Schedule) AuditTarget {
	return AuditTarget{Kind: TargetSchedule, ID: sc.ID, Name: sc.Name}
}

// ScheduleChanges are the fields an admin sets of a schedule that differ
// between before and after (pausing and resuming too); never the bounced
// addresses or the runs, which the jobs move.
func ScheduleChanges(before, after Schedule) []AuditChange {
	var out []AuditChange
	add := func(field, b, a string) {
		if b != a {
			out = append(out, AuditChange{Field: field, Before: b, After: a})
		}
	}
	weekday := func(sc Schedule) string {
		if sc.Frequency != Weekly {
			return ""
		}
		return strings.ToLower(sc.Weekday.String())
	}
	day := func(sc Schedule) string {
		if sc.DayOfMonth == 0 {
			return ""
		}
		return strconv.Itoa(sc.DayOfMonth)
	}
	add("name", before.Name, after.Name)
	add("kind", before.Kind, after.Kind)
	add("teamId", before.TeamID, after.TeamID)
	add("frequency", before.Frequency, after.Frequency)
	add("weekday", weekday(before), weekday(after))
	add("dayOfMonth", day(before), day(after))
	add("time", before.Time, after.Time)
	add("timeZone", before.TimeZone, after.TimeZone)
	add("period", before.Period, after.Period)
	add("recipients", strings.Join(before.Recipients, ", "), strings.Join(after.Recipients, ", "))
	add("paused", boolText(before.Paused, before.ID != ""), boolText(after.Paused, true))
	return out
}

// onlyPausedChanged reports whether after is before paused or resumed, and
// nothing else an admin sets changed.
func onlyPausedChanged(before, after Schedule) bool {
	return before.Paused != after.Paused && before.Name == after.Name && before.Kind == after.Kind && before.TeamID == after.TeamID &&
		before.Frequency == after.Frequency && before.Weekday == after.Weekday && before.DayOfMonth == after.DayOfMonth &&
		before.Time == after.Time && before.TimeZone == after.TimeZone && before.Period == after.Period &&
		slices.Equal(before.Recipients, after.Recipients)
}

// Delete deletes a schedule. Its deliveries, and their workbooks, are left
// to expire; a delivery under way finishes. It is read first, for the audit
// entry's name, and deleted only as read.
func (s *Schedules) Delete(ctx context.Context, p *Principal, scheduleID string) error {
	sc, err := s.Get(ctx, p, scheduleID)
	if err != nil {
		return err
	}
	audit := NewAuditEntry(p, AuditScheduleDeleted, scheduleTarget(sc), s.now())
	if err := s.store.DeleteSchedule(ctx, p.OrgID(), scheduleID, sc.Rev, audit); err != nil {
		return fmt.Errorf("delete schedule %s: %w", scheduleID, err)
	}
	return nil
}

// ListDeliveries returns a schedule's RecentDeliveries latest deliveries,
// newest first.
func (s *Schedules) ListDeliveries(ctx context.Context, p *Principal, scheduleID string) ([]Delivery, error) {
	if !ValidID(scheduleID) {
		return nil, NotFound("schedule")
	}
	// The schedule's own partition: another organization's id finds nothing,
	// but an unknown schedule must say so rather than list nothing.
	if _, err := s.store.FindSchedule(ctx, p.OrgID(), scheduleID); err != nil {
		return nil, fmt.Errorf("list deliveries of %s: %w", scheduleID, err)
	}
	list, err := s.store.FindDeliveries(ctx, p.OrgID(), scheduleID, RecentDeliveries)
	if err != nil {
		return nil, fmt.Errorf("list deliveries of %s: %w", scheduleID, err)
	}
	return list, nil
}

// SendNow makes a delivery of the schedule at once ("send now"), of the
// period that ends yesterday (the last 7 days, or the month to yesterday)
// in the schedule's time zone, and queues it. It has no run claim: it never
// stops the scheduled run of a period. While the schedule's last delivery is
// under way (DeliveryUnderWay) another is refused (conflict): one click,
// one delivery. A delivery that cannot be queued is marked failed, with a
// reason the admin sees, and the answer is an error.
func (s *Schedules) SendNow(ctx context.Context, p *Principal, scheduleID string) (Delivery, error) {
	sc, err := s.Get(ctx, p, scheduleID)
	if err != nil {
		return Delivery{}, err
	}
	now := s.now().UTC()
	if (sc.LastDeliveryStatus == DeliveryPending || sc.LastDeliveryStatus == DeliveryRunning) &&
		now.Sub(sc.LastDeliveryAt) < DeliveryUnderWay {
		return Delivery{}, Errorf(CodeConflict, "A delivery of this schedule is under way; wait for it to finish.")
	}
	today := DayIn(now, sc.Location())
	from := today.AddDate(0, 0, -7)
	if sc.Period == PeriodMonth {
		from = monthBefore(today)
	}
	d := newDelivery(sc, TriggerManual, from, today.AddDate(0, 0, -1), now)
	audit := NewAuditEntry(p, AuditScheduleSentNow, scheduleTarget(sc), now)
	audit.Detail = fmt.Sprintf("%s to %s", d.From.Format(DateLayout), d.To.Format(DateLayout))
	if err := s.store.CreateDelivery(ctx, d, audit); err != nil {
		return Delivery{}, fmt.Errorf("send schedule %s now: %w", scheduleID, err)
	}
	if d.Status != DeliveryPending {
		return d, nil
	}
	if err := s.send(ctx, d); err != nil {
		return Delivery{}, Errorf(CodeUnavailable, "The report could not be started. Try again in a minute.")
	}
	return d, nil
}

// monthBefore is the day a month before day, on the month's last day when
// it has no such day (March 31 → February 28).
func monthBefore(day time.Time) time.Time {
	y, m, d := day.Date()
	first := time.Date(y, m-1, 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, min(d, daysIn(first))-1)
}

// newDelivery is a pending delivery of sc for the days from..to, to its
// recipients that have not bounced. With none left it is failed at once.
func newDelivery(sc Schedule, trigger string, from, to, now time.Time) Delivery {
	d := Delivery{
		ID: NewID(), OrgID: sc.OrgID, ScheduleID: sc.ID, Trigger: trigger,
		From: from, To: to, Status: DeliveryPending, CreatedAt: now,
	}
	for _, a := range sc.Recipients {
		if !slices.Contains(sc.Bounced, a) {
			d.Recipients = append(d.Recipients, DeliveryRecipient{Address: a, Status: RecipientPending})
		}
	}
	if len(d.Recipients) == 0 {
		d.Status, d.FinishedAt = DeliveryFailed, now
		d.Error = "Every recipient's mail bounced before. Check the addresses and save the schedule to mail them again."
	}
	return d
}

// send queues a delivery for the job; when the queue refuses it, the
// delivery is marked failed with a reason, and the error returned.
func (s *Schedules) send(ctx context.Context, d Delivery) error {
	err := s.queue.Send(ctx, DeliveryRef{OrgID: d.OrgID, ScheduleID: d.ScheduleID, DeliveryID: d.ID}.Message())
	if err == nil {
		return nil
	}
	s.log.ErrorContext(ctx, "schedules: queue a delivery", "orgId", d.OrgID, "scheduleId", d.ScheduleID, "deliveryId", d.ID, "error", err)
	d.Status, d.FinishedAt = DeliveryFailed, s.now().UTC()
	d.Error = "The report could not be started (its queue refused it). Use \"Send now\" to try again."
	if serr := s.store.SaveDelivery(ctx, d); serr != nil {
		s.log.ErrorContext(ctx, "schedules: record a delivery that was not queued", "deliveryId", d.ID, "error", serr)
	}
	return fmt.Errorf("queue delivery %s: %w", d.ID, err)
}

// Dispatched is what one sweep of the due schedules did.
type Dispatched struct {
	// At is the instant the sweep ran as of.
	At time.Time
	// Due counts the due schedules found.
	Due int
	// Claimed counts the runs claimed (a delivery written and, unless it
	// failed, queued).
	Claimed int
	// AlreadyDelivered counts runs whose period was delivered already (a
	// retried or overlapping sweep): the schedule was moved on, nothing sent.
	AlreadyDelivered int
	// Moved counts schedules another sweep or an admin changed meanwhile.
	Moved int
	// Failed counts schedules that could not be claimed or queued, and
	// hours of them that could not be read (the next sweep reads them again).
	Failed int
	// Deliveries are the deliveries claimed, in no particular order.
	Deliveries []Delivery
}

// Dispatch finds the schedules due at now (next run within DueLookback
// before it, or DeepLookback once an hour: pattern #21, one Query per UTC
// hour, 16 at a time; never a Scan)
// and runs each: claims the run of its period (a conditional transaction,
// so overlapping or retried sweeps deliver a period once), sets its next
// run, and queues the delivery for the job. A schedule that fails is
// counted and logged; the others go on.
func (s *Schedules) Dispatch(ctx context.Context, now time.Time) (Dispatched, error) {
	now = now.UTC()
	out := Dispatched{At: now}
	lookback := DueLookback
	if now.Minute() == DeepSweepMinute {
		lookback = DeepLookback
	}
	from := now.Add(-lookback)
	hours := make([]time.Time, 0, int(lookback/time.Hour)+1)
	for h := from.Truncate(time.Hour); !h.After(now); h = h.Add(time.Hour) {
		hours = append(hours, h)
	}
	found := make([][]Schedule, len(hours))
	errs := make([]error, len(hours))
	var wg sync.WaitGroup
	reads := make(chan struct{}, dispatchParallel)
	for i, h := range hours {
		reads <- struct{}{}
		wg.Go(func() {
			defer func() { <-reads }()
			found[i], errs[i] = s.store.FindDueSchedules(ctx, h, from, now)
		})
	}
	wg.Wait()
	var due []Schedule
	for i := range hours {
		if errs[i] != nil {
			// An hour that could not be read is read again by the next sweep.
			s.log.ErrorContext(ctx, "dispatch: read due schedules", "hour", hours[i], "error", errs[i])
			out.Failed++
			continue
		}
		due = append(due, found[i]...)
	}
	out.Due = len(due)

	type result struct {
		claim RunClaim
		d     Delivery
		err   error
	}
	results := make([]result, len(due))
	limit := make(chan struct{}, dispatchParallel)
	for i, sc := range due {
		limit <- struct{}{}
		wg.Go(func() {
			defer func() { <-limit }()
			results[i].claim, results[i].d, results[i].err = s.run(ctx, sc, now)
		})
	}
	wg.Wait()
	for i, r := range results {
		switch {
		case r.err != nil:
			s.log.ErrorContext(ctx, "dispatch: run a schedule", "orgId", due[i].OrgID, "scheduleId", due[i].ID, "error", r.err)
			out.Failed++
		case r.claim == RunClaimed:
			out.Claimed++
			out.Deliveries = append(out.Deliveries, r.d)
		case r.claim == RunDelivered:
			out.AlreadyDelivered++
		default:
			out.Moved++
		}
	}
	return out, nil
}

// DispatchNow is Dispatch at the service's clock's now: the DispatchReports job.
func (s *Schedules) DispatchNow(ctx context.Context) (Dispatched, error) {
	return s.Dispatch(ctx, s.now())
}

// dispatchParallel is how many due schedules one sweep runs at once.
const dispatchParallel = 16

// run claims and queues one due schedule's run.
func (s *Schedules) run(ctx context.Context, sc Schedule, now time.Time) (RunClaim, Delivery, error) {
	from, to := PeriodOf(sc, sc.NextRunAt)
	d := newDelivery(sc, TriggerSchedule, from, to, now)
	d.ScheduledFor = sc.NextRunAt
	claim, err := s.store.ClaimRun(ctx, sc, d, NextRun(sc, now).UTC())
	if err != nil || claim != RunClaimed {
		return claim, Delivery{}, err
	}
	if d.Status != DeliveryPending {
		return claim, d, nil
	}
	if err := s.send(ctx, d); err != nil {
		return claim, Delivery{}, err
	}
	return claim, d, nil
}

// NextRun is the first instant strictly after after that is the schedule's
// weekday (weekly) or day of the month (monthly) at its Time in its
// TimeZone. A day past the month's end runs on its last day. A time of day
// that does not exist that day (the clocks spring forward over it) runs at
// the first instant after the gap; one that exists twice (the clocks fall
// back) runs once, at the first.
func NextRun(s Schedule, after time.Time) time.Time {
	loc := s.Location()
	hh, mm := s.clock()
	local := after.In(loc)
	y, m, d := local.Date()
	if s.Frequency == Monthly {
		for i := range 3 {
			first := time.Date(y, m+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
			day := min(s.DayOfMonth, daysIn(first))
			if t := atLocal(first.Year(), first.Month(), day, hh, mm, loc); t.After(after) {
				return t
			}
		}
		return time.Time{} // unreachable: one of three months has the day after after
	}
	for i := range 8 {
		day := time.Date(y, m, d+i, 0, 0, 0, 0, time.UTC)
		if day.Weekday() != s.Weekday {
			continue
		}
		if t := atLocal(day.Year(), day.Month(), day.Day(), hh, mm, loc); t.After(after) {
			return t
		}
	}
	return time.Time{} // unreachable: a week holds the weekday after after
}

// atLocal is the first instant that is hh:mm on the day in loc; when the
// clocks skipped that time, the instant they skipped to.
func atLocal(y int, m time.Month, d, hh, mm int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, hh, mm, 0, 0, loc)
	if t.Hour() != hh || t.Minute() != mm {
		// In a gap: time.Date moved the time past it or before it; the run
		// is at the transition, the first instant after the gap.
		start, end := t.ZoneBounds()
		want := time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
		got := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
		if got.After(want) {
			return start
		}
		return end
	}
	// Twice on the day (fall back): the earlier one.
	for _, back := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
		if e := t.Add(-back).In(loc); e.Hour() == hh && e.Minute() == mm && e.Day() == d {
			return e
		}
	}
	return t
}

// daysIn is the number of days of the month of t.
func daysIn(t time.Time) int {
	return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// PeriodOf is the days a run at runAt covers, both included (midnight UTC
// stands for the day): the last full week, Monday to Sunday, or the last
// full calendar month, before runAt's day in the schedule's time zone.
func PeriodOf(s Schedule, runAt time.Time) (from, to time.Time) {
	day := DayIn(runAt, s.Location())
	if s.Period == PeriodMonth {
		first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
		return first.AddDate(0, -1, 0), first.AddDate(0, 0, -1)
	}
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, -7), monday.AddDate(0, 0, -1)
}
