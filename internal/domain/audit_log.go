package domain

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Page sizes of the audit log.
const (
	DefaultAuditPageSize = 50
	MaxAuditPageSize     = 200
)

// AuditStore is the persistence the audit log reads.
type AuditStore interface {
	FindOrganization(ctx context.Context, orgID string) (Organization, error)
	FindSubscription(ctx context.Context, orgID string) (Subscription, error)
	// FindAuditEntries returns a page of an organization's entries, newest
	// first, and the position after it ("" on the last page): one Query.
	FindAuditEntries(ctx context.Context, orgID string, q AuditQuery) ([]AuditEntry, string, error)
	// FindSeatChanges returns the entries that took or freed a seat at or
	// after since, newest first.
	FindSeatChanges(ctx context.Context, orgID string, since time.Time) ([]AuditEntry, error)
	// AuditRetention is how long the store keeps entries.
	AuditRetention() time.Duration
}

// AuditQuery selects a page of audit entries from the store.
type AuditQuery struct {
	ActorID  string
	TargetID string
	Kind     string
	// From and To bound the entries' times: From included, To not; zero
	// for no bound.
	From, To time.Time
	Limit    int
	// After is the store's opaque position from the previous page.
	After string
}

// AuditFilter is what an admin asks the audit log for. Every field is optional.
type AuditFilter struct {
	ActorID  string
	TargetID string
	Kind     string
	// From and To are days (midnight UTC stands for the day), both included,
	// in the organization's time zone.
	From, To time.Time
	Limit    int
	Cursor   string
}

// AuditPage is one page of the audit log, newest first.
type AuditPage struct {
	Entries []AuditEntry
	// NextCursor continues the list; empty on the last page. A page read
	// with filters may hold fewer than the limit and still go on.
	NextCursor string
}

// SeatDay is the seats used at the end of one day (today: now).
type SeatDay struct {
	// Date is the day in the organization's time zone (midnight UTC stands for it).
	Date time.Time
	Used int
}

// SeatHistory is the seats used per day over the subscription's term.
type SeatHistory struct {
	Days       []SeatDay
	SeatsTotal int
}

// AuditLog reads the organization's audit entries: the Audit page, a
// person's history and the seat history.
type AuditLog struct {
	store   AuditStore
	cursors Cursors
	now     Clock
}

// NewAuditLog returns the audit log service.
func NewAuditLog(store AuditStore, cursors Cursors, now Clock) *AuditLog {
	return &AuditLog{store: store, cursors: cursors, now: now}
}

// validAuditKind says whether kind looks like one ("user.invited",
// "team.members_changed"): lower-case words, one dot. Kinds are not listed
// here, so that a kind added later is found without a change.
func validAuditKind(kind string) bool {
	target, what, ok := strings.Cut(kind, ".")
	if !ok || target == "" || what == "" || len(kind) > 64 {
		return false
	}
	for _, r := range target + what {
		if (r < 'a' || r > 'z') && r != '_' {
			return false
		}
	}
	return true
}

// validAuditActor says whether id can name an actor: a user's or platform's
// id, or the operator tool.
func validAuditActor(id string) bool { return id == ActorOperator || ValidID(id) }

// checkAuditFilters records what is wrong with the actor, target, kind and days.
func checkAuditFilters(p Problems, actorID, targetID, kind string, from, to time.Time) {
	if actorID != "" && !validAuditActor(actorID) {
		p.Add("actorId", "is not a person's id")
	}
	if targetID != "" && !ValidID(targetID) {
		p.Add("targetId", "is not an id")
	}
	if kind != "" && !validAuditKind(kind) {
		p.Add("kind", "is not a kind of entry, like user.invited")
	}
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		p.Add("from", "must not be after to")
	}
}

func (f *AuditFilter) validate() error {
	p := Problems{}
	checkAuditFilters(p, f.ActorID, f.TargetID, f.Kind, f.From, f.To)
	switch {
	case f.Limit == 0:
		f.Limit = DefaultAuditPageSize
	case f.Limit < 1 || f.Limit > MaxAuditPageSize:
		p.Add("limit", fmt.Sprintf("must be between 1 and %d", MaxAuditPageSize))
	}
	return p.Err()
}

// List returns a page of the organization's audit entries, newest first,
// none older than the retention period. It makes one Query, and one GetItem
// (the organization's time zone) when a date range is given.
func (l *AuditLog) List(ctx context.Context, p *Principal, f AuditFilter) (AuditPage, error) {
	if err := f.validate(); err != nil {
		return AuditPage{}, err
	}
	query := strings.Join([]string{f.ActorID, f.TargetID, f.Kind, dayText(f.From), dayText(f.To)}, "\x00")
	after, err := l.cursors.Open(p.OrgID(), query, f.Cursor)
	if err != nil {
		return AuditPage{}, err
	}
	loc := time.UTC
	if !f.From.IsZero() || !f.To.IsZero() {
		org, err := l.store.FindOrganization(ctx, p.OrgID())
		if err != nil {
			return AuditPage{}, fmt.Errorf("audit log: %w", err)
		}
		loc = org.Location()
	}
	from, to := auditRange(f.From, f.To, loc, l.now().Add(-l.store.AuditRetention()))
	entries, next, err := l.store.FindAuditEntries(ctx, p.OrgID(), AuditQuery{
		ActorID: f.ActorID, TargetID: f.TargetID, Kind: f.Kind, From: from, To: to, Limit: f.Limit, After: after,
	})
	if err != nil {
		return AuditPage{}, fmt.Errorf("audit log: %w", err)
	}
	return AuditPage{Entries: entries, NextCursor: l.cursors.Seal(p.OrgID(), query, next)}, nil
}

// auditRange turns days in loc into instants: from the first day's midnight
// (never before floor, the oldest an entry may be) to the midnight after the
// last day (zero: now and on).
func auditRange(fromDay, toDay time.Time, loc *time.Location, floor time.Time) (from, to time.Time) {
	from = floor
	if !fromDay.IsZero() {
		if start := time.Date(fromDay.Year(), fromDay.Month(), fromDay.Day(), 0, 0, 0, 0, loc); start.After(from) {
			from = start
		}
	}
	if !toDay.IsZero() {
		to = time.Date(toDay.Year(), toDay.Month(), toDay.Day()+1, 0, 0, 0, 0, loc)
	}
	return from, to
}

func dayText(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return d.Format(DateLayout)
}

// SeatHistory returns the seats used at the end of each day of the
// subscription's term, from its first day (or the oldest day the retention
// keeps entries of, if later) to today or its last day, in the
// organization's time zone. It walks back from the seats used now through
// the entries that took or freed a seat: two GetItem (the subscription and
// the organization) and one Query of gsi4 per 1 MB of such entries (about
// 2,000; one Query for a year of a few hundred seats).
func (l *AuditLog) SeatHistory(ctx context.Context, p *Principal) (SeatHistory, error) {
	sub, err := l.store.FindSubscription(ctx, p.OrgID())
	if err != nil {
		return SeatHistory{}, fmt.Errorf("seat history: %w", err)
	}
	org, err := l.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return SeatHistory{}, fmt.Errorf("seat history: %w", err)
	}
	loc, now := org.Location(), l.now()
	today := DayIn(now, loc)
	first := sub.StartsOn
	if oldest := DayIn(now.Add(-l.store.AuditRetention()), loc); oldest.After(first) {
		first = oldest
	}
	last := today
	if sub.EndsOn.Before(last) {
		last = sub.EndsOn
	}
	out := SeatHistory{SeatsTotal: sub.SeatsTotal, Days: []SeatDay{}}
	if last.Before(first) {
		return out, nil
	}
	since := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, loc)
	changes, err := l.store.FindSeatChanges(ctx, p.OrgID(), since)
	if err != nil {
		return SeatHistory{}, fmt.Errorf("seat history: %w", err)
	}
	out.Days = seatDays(sub.SeatsUsed, changes, first, last, today, loc)
	return out, nil
}

// seatDays walks back from used (the seats used now) through changes
// (newest first): the seats used at the end of a day are those of the next
// day's end less what that next day took. Days first..last, oldest first;
// today is the last day that can have changes.
func seatDays(used int, changes []AuditEntry, first, last, today time.Time, loc *time.Location) []SeatDay {
	days := make([]SeatDay, 0, int(last.Sub(first).Hours()/24)+1)
	i := 0
	for day := today; !day.Before(first); day = day.AddDate(0, 0, -1) {
		if !day.After(last) {
			days = append(days, SeatDay{Date: day, Used: max(used, 0)})
		}
		// Undo the day's changes: what was used at the end of the day before.
		for ; i < len(changes) && !DayIn(changes[i].At, loc).Before(day); i++ {
			used -= changes[i].SeatDelta
		}
	}
	for l, r := 0, len(days)-1; l < r; l, r = l+1, r-1 {
		days[l], days[r] = days[r], days[l]
	}
	return days
}
