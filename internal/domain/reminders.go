package domain

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Kinds of due-date reminder an assignee gets, each once per due date.
const (
	// ReminderSoon: the assignment is due in ReminderLeadDays days.
	ReminderSoon = "soon"
	// ReminderDue: it is due today.
	ReminderDue = "due"
	// ReminderOverdue: it was due yesterday (sent once, the day after).
	ReminderOverdue = "overdue"
)

// Reminder timing, in the organization's time zone.
const (
	// ReminderLeadDays is how many days ahead of the due date the first
	// reminder goes out.
	ReminderLeadDays = 3
	// ReminderHour is the local hour from which a day's reminders (and, on
	// Monday, the admins' digest) go out: the first hourly run at or after it.
	ReminderHour = 8
	// RemindersPerMessage is how many assignees one DeliverReminders message
	// reads (one Query page); the next page is its own message.
	RemindersPerMessage = 100
	// DigestNames is how many names of people not done the digest lists
	// per assignment and team (the rest are counted).
	DigestNames = 5
)

// DigestCandidate is an organization that has made assignments, with the
// Monday of the last digest claimed for it (zero when none).
type DigestCandidate struct {
	Org      Organization
	LastWeek time.Time
}

// ReminderStore is what the reminders read and claim.
type ReminderStore interface {
	FindOrganization(ctx context.Context, orgID string) (Organization, error)
	// FindAssignmentsDueOn returns the open assignments of every
	// organization due on day (id, orgId, moduleName, dueOn, status, counts).
	FindAssignmentsDueOn(ctx context.Context, day time.Time) ([]Assignment, error)
	// ClaimAssignmentReminder adds claim to an open assignment due on dueOn,
	// on condition that it is not there; false when it was (or the
	// assignment is not open or due then any more).
	ClaimAssignmentReminder(ctx context.Context, orgID, assignmentID, claim string, dueOn time.Time) (bool, error)
	// ReleaseAssignmentReminder takes claim off again.
	ReleaseAssignmentReminder(ctx context.Context, orgID, assignmentID, claim string) error
	FindAssignment(ctx context.Context, orgID, assignmentID string) (Assignment, error)
	FindAssignmentContent(ctx context.Context, orgID, assignmentID string) (AssignmentContent, error)
	// FindRemindable returns a page of an assignment's people not completed.
	FindRemindable(ctx context.Context, orgID, assignmentID string, limit int, after string) ([]Assignee, string, error)
	FindUsersByID(ctx context.Context, orgID string, ids []string) ([]User, error)
	// ClaimAssigneeReminder adds claim to a person's reminders, on condition
	// that it is not there and they have not completed.
	ClaimAssigneeReminder(ctx context.Context, orgID, assignmentID, userID, claim string) (bool, error)
	// CountReminderFailure counts a reminder that could not be mailed.
	CountReminderFailure(ctx context.Context, orgID, assignmentID string) error
	FindDigestOrganizations(ctx context.Context) ([]DigestCandidate, error)
	// ClaimDigest claims an organization's digest of the week of monday.
	ClaimDigest(ctx context.Context, orgID string, monday time.Time) (bool, error)
	ReleaseDigest(ctx context.Context, orgID string, monday time.Time) error
	// ClaimDigestMail claims the week's digest mail of one admin.
	ClaimDigestMail(ctx context.Context, orgID string, monday time.Time, userID string) (bool, error)
	FindOverdueAssignments(ctx context.Context, orgID string, today time.Time) ([]Assignment, error)
	FindAssignees(ctx context.Context, orgID, assignmentID string, q AssigneeQuery) ([]Assignee, string, error)
	FindTeams(ctx context.Context, orgID string) ([]Team, error)
	FindAdmins(ctx context.Context, orgID string) ([]User, error)
}

// Reminders mails assignees about due dates and admins a weekly digest of
// overdue assignments. An hourly run (Sweep, the SendReminders job) finds
// what is due with a few Queries and claims it; the mailing is queued
// (Deliver, the DeliverReminders job), a page of assignees a message. Every
// mail is claimed by a conditional write before it is sent, so a retried or
// overlapping run never mails anyone twice; a mail that fails is logged and
// counted, and not tried again.
type Reminders struct {
	store  ReminderStore
	queue  Queue
	mailer Mailer
	links  Links
	now    Clock
	log    *slog.Logger
	// pageSize is how many assignees a message reads (RemindersPerMessage).
	pageSize int
}

// SetPageSize makes each message read n assignees, so that a test sees the
// pages chained without writing hundreds of people.
func (r *Reminders) SetPageSize(n int) { r.pageSize = n }

// NewReminders returns the reminders, handing their mailing to queue (the
// DeliverReminders job's).
func NewReminders(store ReminderStore, queue Queue, mailer Mailer, links Links, now Clock, log *slog.Logger) *Reminders {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Reminders{store: store, queue: queue, mailer: mailer, links: links, now: now, log: log, pageSize: RemindersPerMessage}
}

// Now is the reminders' clock: the time a run goes by unless told another.
func (r *Reminders) Now() time.Time { return r.now() }

// ReminderSweep is what one run of the hourly sweep found and queued.
type ReminderSweep struct {
	At time.Time
	// Assignments are the (assignment, kind) claimed and queued.
	Assignments int
	// Digests are the organizations whose weekly digest was queued.
	Digests int
}

// Sweep finds, as of at, the assignments whose reminders are due and the
// organizations whose digest is due, claims each and queues its mailing. It
// reads the DUEON# partitions of the days that are, somewhere on Earth,
// three days ahead, today or yesterday (seven Queries); a failure with one
// assignment does not stop the others, and is returned with them.
func (r *Reminders) Sweep(ctx context.Context, at time.Time) (ReminderSweep, error) {
	out := ReminderSweep{At: at.UTC()}
	orgs := map[string]*Organization{}
	var errs []error
	utcDay := DayIn(at, time.UTC)
	// Local days run from UTC−12 to UTC+14: today is the UTC day ±1.
	for d := -2; d <= ReminderLeadDays+1; d++ {
		list, err := r.store.FindAssignmentsDueOn(ctx, utcDay.AddDate(0, 0, d))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, a := range list {
			if a.Status != AssignmentOpen || a.Counts.Completed >= a.Counts.Assignees {
				continue
			}
			org, ok := orgs[a.OrgID]
			if !ok {
				found, err := r.store.FindOrganization(ctx, a.OrgID)
				if err != nil && ErrorCode(err) != CodeNotFound {
					errs = append(errs, err)
					continue
				}
				if err == nil {
					org = &found
				}
				orgs[a.OrgID] = org
			}
			if org == nil || !org.Reminders() {
				continue
			}
			kind := ReminderKind(*org, a.DueOn, at)
			if kind == "" {
				continue
			}
			ref := ReminderRef{OrgID: a.OrgID, AssignmentID: a.ID, Kind: kind, DueOn: a.DueOn}
			claimed, err := r.store.ClaimAssignmentReminder(ctx, a.OrgID, a.ID, ref.Claim(), a.DueOn)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !claimed {
				continue
			}
			if err := r.queue.Send(ctx, ref.Message()); err != nil {
				errs = append(errs, fmt.Errorf("queue reminders of %s: %w", a.ID, err),
					r.store.ReleaseAssignmentReminder(ctx, a.OrgID, a.ID, ref.Claim()))
				continue
			}
			out.Assignments++
		}
	}
	if digestMayBeDue(at) {
		n, err := r.sweepDigests(ctx, at)
		out.Digests = n
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// ReminderKind is the reminder an assignee of an assignment due on dueOn
// gets at the instant at in org's time zone: "" before ReminderHour, or on
// a day with none.
func ReminderKind(org Organization, dueOn, at time.Time) string {
	loc := org.Location()
	if at.In(loc).Hour() < ReminderHour {
		return ""
	}
	today := DayIn(at, loc)
	switch {
	case dueOn.Equal(today.AddDate(0, 0, ReminderLeadDays)):
		return ReminderSoon
	case dueOn.Equal(today):
		return ReminderDue
	case dueOn.Equal(today.AddDate(0, 0, -1)):
		return ReminderOverdue
	}
	return ""
}

// digestMayBeDue says whether at is, in some time zone (UTC−12 to UTC+14),
// a Monday at or after ReminderHour: only then is the list of organizations
// read.
func digestMayBeDue(at time.Time) bool {
	for off := -12 * time.Hour; off <= 14*time.Hour; off += 15 * time.Minute {
		t := at.UTC().Add(off)
		if t.Weekday() == time.Monday && t.Hour() >= ReminderHour {
			return true
		}
	}
	return false
}

// sweepDigests claims and queues the digest of each organization with
// reminders on for which it is Monday, ReminderHour or later.
func (r *Reminders) sweepDigests(ctx context.Context, at time.Time) (int, error) {
	cands, err := r.store.FindDigestOrganizations(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, c := range cands {
		org := c.Org
		if org.ID == "" || !org.Reminders() {
			continue
		}
		local := at.In(org.Location())
		if local.Weekday() != time.Monday || local.Hour() < ReminderHour {
			continue
		}
		monday := DayIn(at, org.Location())
		if c.LastWeek.Equal(monday) {
			continue
		}
		claimed, err := r.store.ClaimDigest(ctx, org.ID, monday)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !claimed {
			continue
		}
		if err := r.queue.Send(ctx, DigestRef{OrgID: org.ID, Monday: monday}.Message()); err != nil {
			errs = append(errs, fmt.Errorf("queue digest of %s: %w", org.ID, err), r.store.ReleaseDigest(ctx, org.ID, monday))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// ReminderRef is one page of an assignment's reminders of one kind: the
// message of the DeliverReminders job.
type ReminderRef struct {
	OrgID        string
	AssignmentID string
	Kind         string
	DueOn        time.Time
	// After is where the page starts ("" for the first).
	After string
}

// Claim is what records that the reminders of the kind were sent for this
// due date: "{kind}#{yyyy-mm-dd}". A due date moved later gets its own.
func (r ReminderRef) Claim() string { return r.Kind + "#" + r.DueOn.Format(DateLayout) }

// Message is the queue message: "remind/org/assignment/kind/yyyy-mm-dd[/after]",
// the position base64url-encoded.
func (r ReminderRef) Message() string {
	m := "remind/" + r.OrgID + "/" + r.AssignmentID + "/" + r.Kind + "/" + r.DueOn.Format(DateLayout)
	if r.After != "" {
		m += "/" + base64.RawURLEncoding.EncodeToString([]byte(r.After))
	}
	return m
}

// DigestRef is an organization's digest of overdue assignments of the week
// of Monday: the other message of the DeliverReminders job.
type DigestRef struct {
	OrgID  string
	Monday time.Time
}

// Message is the queue message: "digest/org/yyyy-mm-dd".
func (r DigestRef) Message() string { return "digest/" + r.OrgID + "/" + r.Monday.Format(DateLayout) }

// ParseReminderMessage reads a message made by ReminderRef.Message or
// DigestRef.Message: one of the two is returned, the other nil.
func ParseReminderMessage(message string) (*ReminderRef, *DigestRef, error) {
	bad := Errorf(CodeValidationFailed, "%q is not a reminders message (remind/org/assignment/kind/day[/after] or digest/org/day)", message)
	parts := strings.Split(strings.TrimSpace(message), "/")
	switch {
	case len(parts) == 3 && parts[0] == "digest" && ValidID(parts[1]):
		day, err := time.Parse(DateLayout, parts[2])
		if err != nil {
			return nil, nil, bad
		}
		return nil, &DigestRef{OrgID: parts[1], Monday: day}, nil
	case (len(parts) == 5 || len(parts) == 6) && parts[0] == "remind" && ValidID(parts[1]) && ValidID(parts[2]):
		day, err := time.Parse(DateLayout, parts[4])
		if err != nil || !slices.Contains([]string{ReminderSoon, ReminderDue, ReminderOverdue}, parts[3]) {
			return nil, nil, bad
		}
		ref := &ReminderRef{OrgID: parts[1], AssignmentID: parts[2], Kind: parts[3], DueOn: day}
		if len(parts) == 6 {
			after, err := base64.RawURLEncoding.DecodeString(parts[5])
			if err != nil || len(after) == 0 {
				return nil, nil, bad
			}
			ref.After = string(after)
		}
		return ref, nil, nil
	}
	return nil, nil, bad
}

// ReminderDelivery is what one DeliverReminders message did.
type ReminderDelivery struct {
	// Sent, Skipped (claimed already, completed, deactivated) and Failed
	// (SES refused: logged and counted, not retried) mails.
	Sent    int
	Skipped int
	Failed  int
	// More says that the next page was queued.
	More bool
}

// Deliver mails what one message of the sweep (or of a previous page) asks
// for. Running it again, or twice at once, mails nobody twice.
func (r *Reminders) Deliver(ctx context.Context, message string) (ReminderDelivery, error) {
	remind, digest, err := ParseReminderMessage(message)
	if err != nil {
		return ReminderDelivery{}, err
	}
	if digest != nil {
		return r.sendDigest(ctx, *digest)
	}
	return r.remind(ctx, *remind)
}

// remind mails one page of an assignment's people not completed, and queues
// the next page.
func (r *Reminders) remind(ctx context.Context, ref ReminderRef) (ReminderDelivery, error) {
	var out ReminderDelivery
	org, err := r.store.FindOrganization(ctx, ref.OrgID)
	if ErrorCode(err) == CodeNotFound {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	a, err := r.store.FindAssignment(ctx, ref.OrgID, ref.AssignmentID)
	if ErrorCode(err) == CodeNotFound {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	// Turned off, cancelled or moved since the sweep: nothing to say.
	if !org.Reminders() || a.Status != AssignmentOpen || !a.DueOn.Equal(ref.DueOn) {
		return out, nil
	}
	content, err := r.store.FindAssignmentContent(ctx, ref.OrgID, ref.AssignmentID)
	if err != nil {
		return out, err
	}
	people, next, err := r.store.FindRemindable(ctx, ref.OrgID, ref.AssignmentID, r.pageSize, ref.After)
	if err != nil {
		return out, err
	}
	ids := make([]string, len(people))
	for i, p := range people {
		ids[i] = p.UserID
	}
	users, err := r.store.FindUsersByID(ctx, ref.OrgID, ids)
	if err != nil {
		return out, err
	}
	byID := make(map[string]User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	for _, p := range people {
		u, ok := byID[p.UserID]
		if !ok || u.Status == StatusInactive {
			out.Skipped++
			continue
		}
		claimed, err := r.store.ClaimAssigneeReminder(ctx, ref.OrgID, ref.AssignmentID, p.UserID, ref.Claim())
		if err != nil {
			return out, err
		}
		if !claimed {
			out.Skipped++
			continue
		}
		m := reminderMail(ref.Kind, org, a, content.left(p.Done), u, r.links)
		if err := r.mailer.Send(ctx, m); err != nil {
			out.Failed++
			r.log.WarnContext(ctx, "reminder not sent", "orgId", ref.OrgID, "assignmentId", ref.AssignmentID,
				"userId", p.UserID, "kind", ref.Kind, "error", err)
			if err := r.store.CountReminderFailure(ctx, ref.OrgID, ref.AssignmentID); err != nil {
				r.log.WarnContext(ctx, "reminder failure not counted", "assignmentId", ref.AssignmentID, "error", err)
			}
			continue
		}
		out.Sent++
	}
	if next != "" {
		ref.After = next
		if err := r.queue.Send(ctx, ref.Message()); err != nil {
			return out, fmt.Errorf("queue the next page of reminders of %s: %w", ref.AssignmentID, err)
		}
		out.More = true
	}
	return out, nil
}

// left are the titles of the content's items that done does not complete,
// with what is left of a course part way done.
func (c AssignmentContent) left(done []string) []string {
	var out []string
	for _, it := range c.Items {
		if it.completeBy(done) {
			continue
		}
		title := displayText(it.Title)
		if it.Kind == KindCourse && len(it.EpisodeIDs) > 0 {
			n := 0
			for _, ep := range it.EpisodeIDs {
				if !slices.Contains(done, ep) {
					n++
				}
			}
			if n < len(it.EpisodeIDs) {
				title += fmt.Sprintf(" (%d of %d episodes left)", n, len(it.EpisodeIDs))
			} else {
				title += fmt.Sprintf(" (course, %d episodes)", n)
			}
		} else if it.Kind != "" {
			title += " (" + it.Kind + ")"
		}
		out = append(out, title)
	}
	return out
}

// DigestTeam is the overdue assignments of the people of one team (or of
// those assigned directly: TeamID ""), for the admins' digest.
type DigestTeam struct {
	TeamID string
	Name   string
	Rows   []DigestRow
}

// DigestRow is one overdue assignment within a team: how many of the team's
// people assigned through it have not completed, and the first names.
type DigestRow struct {
	Assignment Assignment
	NotDone    int
	Names      []string
}

// sendDigest mails the week's digest to each admin of the organization,
// when it has overdue assignments and reminders on.
func (r *Reminders) sendDigest(ctx context.Context, ref DigestRef) (ReminderDelivery, error) {
	var out ReminderDelivery
	org, err := r.store.FindOrganization(ctx, ref.OrgID)
	if ErrorCode(err) == CodeNotFound {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	if !org.Reminders() {
		return out, nil
	}
	groups, err := r.Digest(ctx, org, ref.Monday)
	if err != nil || len(groups) == 0 {
		return out, err
	}
	admins, err := r.store.FindAdmins(ctx, ref.OrgID)
	if err != nil {
		return out, err
	}
	for _, admin := range admins {
		if admin.Status != StatusActive {
			out.Skipped++
			continue
		}
		claimed, err := r.store.ClaimDigestMail(ctx, ref.OrgID, ref.Monday, admin.ID)
		if err != nil {
			return out, err
		}
		if !claimed {
			out.Skipped++
			continue
		}
		if err := r.mailer.Send(ctx, digestMail(org, ref.Monday, groups, admin, r.links)); err != nil {
			out.Failed++
			r.log.WarnContext(ctx, "digest not sent", "orgId", ref.OrgID, "userId", admin.ID, "error", err)
			continue
		}
		out.Sent++
	}
	return out, nil
}

// Digest is an organization's overdue assignments on the day today (as of
// its time zone), grouped by the team their people came through: teams by
// name, then the people assigned directly; within a team, soonest due first.
func (r *Reminders) Digest(ctx context.Context, org Organization, today time.Time) ([]DigestTeam, error) {
	overdue, err := r.store.FindOverdueAssignments(ctx, org.ID, today)
	if err != nil || len(overdue) == 0 {
		return nil, err
	}
	teams, err := r.store.FindTeams(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, t := range teams {
		names[t.ID] = t.Name
	}
	byTeam := map[string]*DigestTeam{}
	type nameRef struct {
		team string
		row  int
		user string
	}
	var wanted []nameRef
	for _, a := range overdue {
		people, _, err := r.store.FindAssignees(ctx, org.ID, a.ID, AssigneeQuery{NotCompleted: true, Limit: MaxAssignees + 1})
		if err != nil {
			return nil, err
		}
		rows := map[string]int{}
		for _, p := range people {
			g, ok := byTeam[p.TeamID]
			if !ok {
				g = &DigestTeam{TeamID: p.TeamID, Name: names[p.TeamID]}
				switch {
				case p.TeamID == "":
					g.Name = "Assigned directly"
				case g.Name == "":
					g.Name = "A deleted team"
				}
				byTeam[p.TeamID] = g
			}
			i, ok := rows[p.TeamID]
			if !ok {
				g.Rows = append(g.Rows, DigestRow{Assignment: a})
				i = len(g.Rows) - 1
				rows[p.TeamID] = i
			}
			g.Rows[i].NotDone++
			if g.Rows[i].NotDone <= DigestNames {
				wanted = append(wanted, nameRef{p.TeamID, i, p.UserID})
			}
		}
	}
	ids := make([]string, 0, len(wanted))
	for _, w := range wanted {
		if !slices.Contains(ids, w.user) {
			ids = append(ids, w.user)
		}
	}
	users, err := r.store.FindUsersByID(ctx, org.ID, ids)
	if err != nil {
		return nil, err
	}
	full := map[string]string{}
	for _, u := range users {
		full[u.ID] = displayText(u.FullName())
	}
	for _, w := range wanted {
		if n, ok := full[w.user]; ok {
			row := &byTeam[w.team].Rows[w.row]
			row.Names = append(row.Names, n)
		}
	}
	out := make([]DigestTeam, 0, len(byTeam))
	for _, g := range byTeam {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b DigestTeam) int {
		if (a.TeamID == "") != (b.TeamID == "") {
			if a.TeamID == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out, nil
}
