package domain

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Idle seats: people holding a seat who have not signed in, watched or
// done a lab for a number of days. Each seat holder's idleSince (User.LastSeen,
// kept by the store) places them in the organization's idle partition, so a
// page of the longest idle is one Query, whatever the organization's size
// (docs/data-model.md, "Idle seats").

// IdleDayChoices are the idle periods the portal offers, in days.
var IdleDayChoices = []int{30, 60, 90}

// Limits of the idle seats.
const (
	// DefaultIdleDays is the period of a list (and of the dashboard's tile)
	// that names none.
	DefaultIdleDays = 30
	// DefaultIdlePage and MaxIdlePage are a page's default and largest size.
	DefaultIdlePage = 50
	MaxIdlePage     = 100
	// MaxIdleSelection is how many people one remind or deactivate takes.
	MaxIdleSelection = 50
)

// IdleFilter is what an admin asks of the idle seats.
type IdleFilter struct {
	// Days is one of IdleDayChoices (0: DefaultIdleDays); ignored with Exceptions.
	Days int
	// Exceptions lists the people on the exception list instead.
	Exceptions bool
	Cursor     string
	Limit      int
}

// IdleQuery is a page of seat holders as the store reads it.
type IdleQuery struct {
	// Before: those idle since before this moment (not with Exceptions).
	Before     time.Time
	Exceptions bool
	Limit      int
	After      string
}

// TeamRef names a team.
type TeamRef struct {
	ID   string
	Name string
}

// IdleSeat is one seat holder in the idle list.
type IdleSeat struct {
	User User
	// IdleSince is when they were last seen (User.LastSeen).
	IdleSince time.Time
	// InvitedAt is, for someone who never set a password, since when their
	// seat waits for them (zero for the others).
	InvitedAt time.Time
	Teams     []TeamRef
}

// IdlePage is a page of idle seats, the longest idle first.
type IdlePage struct {
	Items      []IdleSeat
	NextCursor string
}

// IdleResult is what became of one person of a selection.
type IdleResult struct {
	UserID string
	// Err is nil when it went well.
	Err error
}

// IdleStore is the persistence the idle seats need.
type IdleStore interface {
	// FindIdleSeats returns a page of seat holders by idleSince, oldest first.
	FindIdleSeats(ctx context.Context, orgID string, q IdleQuery) ([]User, string, error)
	// CountIdleSeats counts those idle since before a moment; more says
	// there are more than the count (it stops at one read).
	CountIdleSeats(ctx context.Context, orgID string, before time.Time) (count int, more bool, err error)
	// FindTeamNames returns team names by id (unknown ids left out).
	FindTeamNames(ctx context.Context, orgID string, ids []string) (map[string]string, error)
	FindUsersByID(ctx context.Context, orgID string, ids []string) ([]User, error)
	FindUserByID(ctx context.Context, orgID, userID string) (User, error)
	SaveUser(ctx context.Context, c UserChange) error
	// RecordIdleReminder notes the reminder on the user, with its audit
	// entry, in one transaction (conflict when they hold no seat).
	RecordIdleReminder(ctx context.Context, orgID, userID string, at time.Time, audit AuditEntry) error
	FindOrganization(ctx context.Context, orgID string) (Organization, error)
	FindSubscription(ctx context.Context, orgID string) (Subscription, error)
	FindUserAssignees(ctx context.Context, orgID, userID string) ([]Assignee, error)
	FindAssignmentsByID(ctx context.Context, orgID string, ids []string) ([]Assignment, error)
}

// IdleSeats lists the idle seats and acts on them: keep (the exception
// list), remind, deactivate.
type IdleSeats struct {
	store   IdleStore
	people  *People
	mailer  Mailer
	links   Links
	cursors Cursors
	now     Clock
	log     *slog.Logger
}

// NewIdleSeats returns the idle seats service; people deactivates (so that
// its rules and audit entries hold), mailer sends the reminders.
func NewIdleSeats(store IdleStore, people *People, mailer Mailer, links Links, cursors Cursors, now Clock, log *slog.Logger) *IdleSeats {
	return &IdleSeats{store: store, people: people, mailer: mailer, links: links, cursors: cursors, now: now, log: log}
}

// IdleCutoff is the moment before which someone last seen is idle for days.
func IdleCutoff(now time.Time, days int) time.Time { return now.UTC().AddDate(0, 0, -days) }

// List returns a page of the people idle for f.Days days or more, the
// longest idle first, or of the exception list: one Query (the page, from
// gsi4) and one BatchGetItem (the names of the page's teams).
func (s *IdleSeats) List(ctx context.Context, p *Principal, f IdleFilter) (IdlePage, error) {
	probs := Problems{}
	if f.Days == 0 {
		f.Days = DefaultIdleDays
	}
	if !slices.Contains(IdleDayChoices, f.Days) {
		probs.Add("days", "must be 30, 60 or 90")
	}
	if f.Limit == 0 {
		f.Limit = DefaultIdlePage
	}
	if f.Limit < 1 || f.Limit > MaxIdlePage {
		probs.Add("limit", "must be between 1 and "+strconv.Itoa(MaxIdlePage))
	}
	if err := probs.Err(); err != nil {
		return IdlePage{}, err
	}
	query := "idle\x00" + strconv.Itoa(f.Days)
	if f.Exceptions {
		query = "keep"
	}
	after, err := s.cursors.Open(p.OrgID(), query, f.Cursor)
	if err != nil {
		return IdlePage{}, err
	}
	users, next, err := s.store.FindIdleSeats(ctx, p.OrgID(), IdleQuery{
		Before: IdleCutoff(s.now(), f.Days), Exceptions: f.Exceptions, Limit: f.Limit, After: after,
	})
	if err != nil {
		return IdlePage{}, fmt.Errorf("list idle seats: %w", err)
	}
	var teamIDs []string
	for _, u := range users {
		for _, t := range u.TeamIDs {
			if !slices.Contains(teamIDs, t) {
				teamIDs = append(teamIDs, t)
			}
		}
	}
	names := map[string]string{}
	if len(teamIDs) > 0 {
		if names, err = s.store.FindTeamNames(ctx, p.OrgID(), teamIDs); err != nil {
			return IdlePage{}, fmt.Errorf("list idle seats: %w", err)
		}
	}
	page := IdlePage{Items: make([]IdleSeat, 0, len(users)), NextCursor: s.cursors.Seal(p.OrgID(), query, next)}
	for _, u := range users {
		page.Items = append(page.Items, toIdleSeat(u, names))
	}
	return page, nil
}

func toIdleSeat(u User, names map[string]string) IdleSeat {
	seat := IdleSeat{User: u, IdleSince: u.LastSeen()}
	if u.Status == StatusInvited {
		seat.InvitedAt = u.SeatSince
		if seat.InvitedAt.IsZero() {
			seat.InvitedAt = u.CreatedAt
		}
	}
	for _, id := range u.TeamIDs {
		if name, ok := names[id]; ok {
			seat.Teams = append(seat.Teams, TeamRef{ID: id, Name: name})
		}
	}
	slices.SortFunc(seat.Teams, func(a, b TeamRef) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return seat
}

// Count is the dashboard's figure: seat holders idle for days or more (not
// those on the exception list), one Query; more when it stopped counting.
func (s *IdleSeats) Count(ctx context.Context, orgID string, days int) (int, bool, error) {
	return s.store.CountIdleSeats(ctx, orgID, IdleCutoff(s.now(), days))
}

// Keep puts a seat holder on the exception list (keep true) or takes them
// off it, with its audit entry (user.seat_kept / user.seat_released) in the
// same transaction. Someone without a seat is a conflict; asking for what
// is already so changes nothing.
func (s *IdleSeats) Keep(ctx context.Context, p *Principal, userID string, keep bool) (User, error) {
	u, err := findUser(ctx, s.store, p, userID)
	if err != nil {
		return User{}, err
	}
	if u.KeepSeat == keep {
		return u, nil
	}
	if keep && !u.Seat {
		return User{}, Errorf(CodeConflict, "%s holds no seat: only seat holders go on the exception list.", displayText(u.FullName()))
	}
	after := u
	after.KeepSeat = keep
	kind := AuditSeatKept
	if !keep {
		kind = AuditSeatReleased
	}
	entry := NewAuditEntry(p, kind, UserTarget(u), s.now())
	entry.Changes = []AuditChange{{Field: "keepSeat", Before: strconv.FormatBool(u.KeepSeat), After: strconv.FormatBool(keep)}}
	saved, err := saveUser(ctx, s.store, UserChange{Before: u, After: after, Audit: &entry})
	if err != nil {
		return User{}, fmt.Errorf("keep seat: %w", err)
	}
	return saved, nil
}

// selection checks a selection of people: 1 to MaxIdleSelection ids, no
// repeats (they are dropped).
func selection(ids []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	switch {
	case len(out) == 0:
		return nil, Problems{"userIds": "choose at least one person"}.Err()
	case len(out) > MaxIdleSelection:
		return nil, Problems{"userIds": "choose at most " + strconv.Itoa(MaxIdleSelection) + " people at a time"}.Err()
	}
	return out, nil
}

// Remind mails each selected seat holder what their seat gives them (the
// catalog, until the subscription ends, and their open assignments) and
// where to learn, recording the reminder and its audit entry
// (user.idle_reminded) first, in one transaction per person. Reads: 2
// GetItem (organization, subscription), 1 BatchGetItem (the people), and
// per person 1 Query (their assignments) + 1 BatchGetItem (the open ones).
func (s *IdleSeats) Remind(ctx context.Context, p *Principal, userIDs []string) ([]IdleResult, error) {
	ids, err := selection(userIDs)
	if err != nil {
		return nil, err
	}
	org, err := s.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return nil, fmt.Errorf("remind: %w", err)
	}
	sub, err := s.store.FindSubscription(ctx, p.OrgID())
	if err != nil {
		return nil, fmt.Errorf("remind: %w", err)
	}
	valid := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !ValidID(id) })
	users, err := s.store.FindUsersByID(ctx, p.OrgID(), valid)
	if err != nil {
		return nil, fmt.Errorf("remind: %w", err)
	}
	byID := map[string]User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	results := make([]IdleResult, 0, len(ids))
	for _, id := range ids {
		u, ok := byID[id]
		var err error
		switch {
		case !ok:
			err = NotFound("user")
		case !u.Seat:
			err = Errorf(CodeConflict, "%s holds no seat.", displayText(u.FullName()))
		default:
			err = s.remind(ctx, p, org, sub, u)
		}
		results = append(results, IdleResult{UserID: id, Err: err})
	}
	return results, nil
}

func (s *IdleSeats) remind(ctx context.Context, p *Principal, org Organization, sub Subscription, u User) error {
	open, err := s.openAssignments(ctx, u)
	if err != nil {
		return fmt.Errorf("remind %s: %w", u.ID, err)
	}
	now := s.now()
	entry := NewAuditEntry(p, AuditIdleReminded, UserTarget(u), now)
	entry.Detail = "idle since " + u.LastSeen().Format(DateLayout)
	if err := s.store.RecordIdleReminder(ctx, p.OrgID(), u.ID, now, entry); err != nil {
		return fmt.Errorf("remind %s: %w", u.ID, err)
	}
	if err := s.mailer.Send(ctx, idleReminderMail(org, sub, u, open, s.links)); err != nil {
		s.log.ErrorContext(ctx, "idle-seat reminder not sent", "orgId", u.OrgID, "userId", u.ID, "error", err)
		return Errorf(CodeMailFailed, "The reminder to %s could not be sent; try again later.", displayText(u.FullName()))
	}
	return nil
}

// openAssignments are the person's open assignments they have not completed, by due day.
func (s *IdleSeats) openAssignments(ctx context.Context, u User) ([]Assignment, error) {
	progress, err := s.store.FindUserAssignees(ctx, u.OrgID, u.ID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, a := range progress {
		if a.State != ProgressCompleted {
			ids = append(ids, a.AssignmentID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	all, err := s.store.FindAssignmentsByID(ctx, u.OrgID, ids)
	if err != nil {
		return nil, err
	}
	open := slices.DeleteFunc(all, func(a Assignment) bool { return a.Status != AssignmentOpen })
	slices.SortFunc(open, func(a, b Assignment) int { return a.DueOn.Compare(b.DueOn) })
	return open, nil
}

// Deactivate takes back the seats of a selection, one by one through
// People.Deactivate (its seat rules and audit entry hold for each):
// per person 1 GetItem + 1 TransactWriteItems.
func (s *IdleSeats) Deactivate(ctx context.Context, p *Principal, userIDs []string) ([]IdleResult, error) {
	ids, err := selection(userIDs)
	if err != nil {
		return nil, err
	}
	results := make([]IdleResult, 0, len(ids))
	for _, id := range ids {
		_, err := s.people.Deactivate(ctx, p, id)
		results = append(results, IdleResult{UserID: id, Err: err})
	}
	return results, nil
}
