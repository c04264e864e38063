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

	"proportal/internal/domain"
	"proportal/internal/testenv"
)

func TestReminderKindAtTheLocalHour(t *testing.T) {
	t.Parallel()
	due := time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		zone  string
		local string // the local time of the run
		want  string
	}{
		{"Pacific/Auckland", "2026-03-09T07:59", ""},
		{"Pacific/Auckland", "2026-03-09T08:00", domain.ReminderSoon},
		{"Pacific/Auckland", "2026-03-09T23:30", domain.ReminderSoon},
		{"Pacific/Auckland", "2026-03-10T09:00", ""},
		{"Pacific/Auckland", "2026-03-12T08:10", domain.ReminderDue},
		{"Pacific/Auckland", "2026-03-13T08:00", domain.ReminderOverdue},
		{"Pacific/Auckland", "2026-03-14T08:00", ""},
		{"America/Los_Angeles", "2026-03-09T07:00", ""},
		{"America/Los_Angeles", "2026-03-09T08:00", domain.ReminderSoon},
		{"America/Los_Angeles", "2026-03-12T07:59", ""},
		{"America/Los_Angeles", "2026-03-12T08:00", domain.ReminderDue},
		{"America/Los_Angeles", "2026-03-13T12:00", domain.ReminderOverdue},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.local, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			at, err := time.ParseInLocation("2006-01-02T15:04", tt.local, loc)
			if err != nil {
				t.Fatal(err)
			}
			org := domain.Organization{TimeZone: tt.zone}
			if got := domain.ReminderKind(org, due, at); got != tt.want {
				t.Errorf("ReminderKind at %s (%s UTC) = %q, want %q", tt.local, at.UTC().Format(time.RFC3339), got, tt.want)
			}
		})
	}
}

// mailLog records the mail sent; failFor makes sends to that address fail.
type mailLog struct {
	mu      sync.Mutex
	sent    []domain.Mail
	failFor string
}

func (m *mailLog) Send(_ context.Context, mail domain.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if mail.To == m.failFor {
		return errors.New("MessageRejected: address is on the suppression list")
	}
	m.sent = append(m.sent, mail)
	return nil
}

// to returns the subjects of the mail sent to an address, in order.
func (m *mailLog) to(addr string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, s := range m.sent {
		if s.To == addr {
			out = append(out, s.Subject)
		}
	}
	return out
}

func (m *mailLog) all() []domain.Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.sent)
}

// remindEnv is an organization with a team "Field" (ada, not started; bob,
// part way; cy, completed) and dee, assigned directly, not started.
type remindEnv struct {
	*env
	mail      *mailLog
	queue     *sentQueue
	reminders *domain.Reminders
	team      domain.Team
	people    map[string]domain.User
}

func newRemindEnv(t *testing.T, zone string) *remindEnv {
	t.Helper()
	e := newEnv(t)
	ctx := context.Background()
	if err := e.app.Store.UpdateOrganization(ctx, e.org.ID, domain.OrganizationChange{TimeZone: &zone}, testenv.AnyEntry(domain.AuditOrganizationUpdated)); err != nil {
		t.Fatal(err)
	}
	r := &remindEnv{env: e, mail: &mailLog{}, queue: &sentQueue{}, people: map[string]domain.User{}}
	r.reminders = domain.NewReminders(e.app.Store, r.queue, r.mail,
		domain.Links{Base: e.app.Config.PortalBaseURL, Learning: "https://learn.example"}, e.clock.Now, nil)
	r.team = domain.Team{ID: domain.NewID(), OrgID: e.org.ID, Name: "Field", CreatedAt: start}
	if err := e.app.Store.CreateTeam(ctx, r.team); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ada", "bob", "cy", "dee"} {
		u := domain.User{
			ID: domain.NewID(), OrgID: e.org.ID, FirstName: strings.ToUpper(name[:1]) + name[1:], LastName: "Tester",
			Email: name + "." + e.org.ID[:8] + "@acme.example", Status: domain.StatusActive, Seat: true, CreatedAt: start,
		}
		if name != "dee" {
			u.TeamIDs = []string{r.team.ID}
		}
		if err := e.app.Store.CreateUser(ctx, u, nil); err != nil {
			t.Fatal(err)
		}
		r.people[name] = u
	}
	return r
}

// assign gives the module (a course of two episodes and a lab) to Field's
// ada, bob and cy and to dee, due on due; bob has done the lab, cy all.
func (r *remindEnv) assign(t *testing.T, due time.Time) domain.Assignment {
	t.Helper()
	ctx := context.Background()
	s := r.app.Store
	m := domain.Module{ID: domain.NewID(), OrgID: r.org.ID, Name: "Network <basics>", Revision: 1, CreatedAt: start, Items: []domain.ModuleItem{
		{ID: "course-net", Kind: domain.KindCourse, Title: "Networking"}, {ID: "lab-vlan", Kind: domain.KindLab, Title: "VLANs"},
	}}
	if err := s.CreateModule(ctx, m, testenv.Entry(r.org.ID, domain.AuditModuleCreated)); err != nil {
		t.Fatal(err)
	}
	var pending []domain.PendingAssignee
	var people []domain.Assignee
	for _, name := range []string{"ada", "bob", "cy", "dee"} {
		u := r.people[name]
		team := r.team.ID
		if name == "dee" {
			team = ""
		}
		pending = append(pending, domain.PendingAssignee{UserID: u.ID, TeamID: team})
		people = append(people, domain.Assignee{OrgID: r.org.ID, UserID: u.ID, TeamID: team, SortName: u.SortName(),
			State: domain.ProgressNotStarted, ItemCount: 2, AssignedAt: start})
	}
	a := domain.Assignment{
		ID: domain.NewID(), OrgID: r.org.ID, ModuleID: m.ID, ModuleName: m.Name, ItemCount: 2, DueOn: due,
		Status: domain.AssignmentOpen, Pending: pending, CreatedAt: start, CreatedBy: domain.NewID(),
	}
	c := domain.AssignmentContent{AssignmentID: a.ID, Items: []domain.AssignmentItem{
		{ID: "course-net", Kind: domain.KindCourse, Title: "Networking", EpisodeIDs: []string{"ep-1", "ep-2"}},
		{ID: "lab-vlan", Kind: domain.KindLab, Title: "VLANs"},
	}}
	if err := s.CreateAssignment(ctx, a, c, testenv.AnyEntry(domain.AuditAssignmentCreated)); err != nil {
		t.Fatal(err)
	}
	for i := range people {
		people[i].AssignmentID = a.ID
	}
	if _, err := s.WriteAssignees(ctx, a, people); err != nil {
		t.Fatal(err)
	}
	err := r.app.Services.Assignments.RecordCompleted(ctx, r.org.ID, []domain.Completion{
		{UserID: r.people["bob"].ID, CatalogIDs: []string{"lab-vlan", "ep-1"}, At: start},
		{UserID: r.people["cy"].ID, CatalogIDs: []string{"lab-vlan", "ep-1", "ep-2"}, At: start},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// run sweeps as of at and delivers every message queued (and the pages they
// queue), as the DeliverReminders job would.
func (r *remindEnv) run(t *testing.T, at time.Time) domain.ReminderSweep {
	t.Helper()
	ctx := context.Background()
	before := len(r.queue.messages())
	swept, err := r.reminders.Sweep(ctx, at)
	if err != nil {
		t.Fatalf("Sweep at %s: %v", at, err)
	}
	for i := before; i < len(r.queue.messages()); i++ {
		if _, err := r.reminders.Deliver(ctx, r.queue.messages()[i]); err != nil {
			t.Fatalf("Deliver %s: %v", r.queue.messages()[i], err)
		}
	}
	return swept
}

// localAt is the instant of a local time of day on a day, in zone.
func localAt(t *testing.T, zone string, day time.Time, hour, minute int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, loc)
}

// TestRemindersReachAssigneesOnTheirDays runs the hourly sweep at 07:00 and
// 08:00 (local) of each day around the due date, in two time zones: the
// three reminders go out once each, at 08:00 of their day, to the people
// not completed.
func TestRemindersReachAssigneesOnTheirDays(t *testing.T) {
	t.Parallel()
	for _, zone := range []string{"Pacific/Auckland", "America/Los_Angeles"} {
		t.Run(zone, func(t *testing.T) {
			t.Parallel()
			r := newRemindEnv(t, zone)
			due := time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)
			a := r.assign(t, due)
			type sent struct {
				Day     string
				Queued  int
				Subject []string
			}
			var got []sent
			for d := -4; d <= 2; d++ {
				day := due.AddDate(0, 0, d)
				for _, hour := range []int{7, 8, 9} {
					swept := r.run(t, localAt(t, zone, day, hour, 5))
					if swept.Assignments > 0 || hour == 8 {
						got = append(got, sent{Day: fmt.Sprintf("%+d %02d:05", d, hour), Queued: swept.Assignments, Subject: r.mail.to(r.people["ada"].Email)})
					}
				}
			}
			want := []sent{
				{"-4 08:05", 0, nil},
				{"-3 08:05", 1, []string{"Reminder: “Network <basics>” is due on Thursday 12 March 2026"}},
				{"-2 08:05", 0, []string{"Reminder: “Network <basics>” is due on Thursday 12 March 2026"}},
				{"-1 08:05", 0, []string{"Reminder: “Network <basics>” is due on Thursday 12 March 2026"}},
				{"+0 08:05", 1, []string{"Reminder: “Network <basics>” is due on Thursday 12 March 2026", "“Network <basics>” is due today"}},
				{"+1 08:05", 1, []string{"Reminder: “Network <basics>” is due on Thursday 12 March 2026", "“Network <basics>” is due today", "“Network <basics>” is overdue"}},
				{"+2 08:05", 0, []string{"Reminder: “Network <basics>” is due on Thursday 12 March 2026", "“Network <basics>” is due today", "“Network <basics>” is overdue"}},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("what the hourly runs queued and ada received (-want +got):\n%s", diff)
			}
			for name, n := range map[string]int{"ada": 3, "bob": 3, "dee": 3, "cy": 0} {
				if got := len(r.mail.to(r.people[name].Email)); got != n {
					t.Errorf("%s got %d reminders, want %d", name, got, n)
				}
			}
			// What is left, and the link, escaped once in the HTML part.
			var bobs domain.Mail
			for _, m := range r.mail.all() {
				if m.To == r.people["bob"].Email {
					bobs = m
					break
				}
			}
			for _, want := range []string{"Networking (1 of 2 episodes left)", "What is left (1 of 2 items)", "https://learn.example", "“Network <basics>” is due in 3 days, on Thursday 12 March 2026."} {
				if !strings.Contains(bobs.Text, want) {
					t.Errorf("bob's reminder text lacks %q:\n%s", want, bobs.Text)
				}
			}
			if !strings.Contains(bobs.HTML, "Network &lt;basics&gt;") || strings.Contains(bobs.HTML, "Network <basics>") || strings.Contains(bobs.HTML, "&amp;lt;") {
				t.Errorf("bob's reminder HTML is not escaped exactly once:\n%s", bobs.HTML)
			}
			if strings.Contains(bobs.Text, "VLANs") {
				t.Errorf("bob's reminder lists the lab he did:\n%s", bobs.Text)
			}
			_ = a
		})
	}
}

// TestRemindersSwitchedOffSendNothing: an organization with reminders off
// gets neither reminders nor the digest; turned on again, the day's
// reminders go out.
func TestRemindersSwitchedOffSendNothing(t *testing.T) {
	t.Parallel()
	r := newRemindEnv(t, "UTC")
	ctx := context.Background()
	due := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC) // a Monday
	r.assign(t, due)
	r.assign(t, due.AddDate(0, 0, -7)) // overdue: a digest would be due
	off, on := false, true
	if err := r.app.Store.UpdateOrganization(ctx, r.org.ID, domain.OrganizationChange{Reminders: &off}, testenv.AnyEntry(domain.AuditOrganizationUpdated)); err != nil {
		t.Fatal(err)
	}
	at := due.Add(8 * time.Hour)
	if swept := r.run(t, at); swept.Assignments != 0 || swept.Digests != 0 || len(r.mail.all()) != 0 {
		t.Fatalf("with reminders off: %+v, %d mails", swept, len(r.mail.all()))
	}
	if err := r.app.Store.UpdateOrganization(ctx, r.org.ID, domain.OrganizationChange{Reminders: &on}, testenv.AnyEntry(domain.AuditOrganizationUpdated)); err != nil {
		t.Fatal(err)
	}
	if swept := r.run(t, at.Add(time.Hour)); swept.Assignments != 1 || swept.Digests != 1 {
		t.Errorf("turned on again: %+v, want the due-today reminders and the digest", swept)
	}
}

// TestRemindersRunTwiceAtOnceMailEveryoneOnce: two sweeps at once, each
// delivering what it queued, and the same message delivered twice at once:
// each person gets one reminder.
func TestRemindersRunTwiceAtOnceMailEveryoneOnce(t *testing.T) {
	t.Parallel()
	r := newRemindEnv(t, "Europe/Berlin")
	due := time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)
	a := r.assign(t, due)
	at := localAt(t, "Europe/Berlin", due, 8, 30)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	queues := []*sentQueue{{}, {}}
	for _, q := range queues {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rem := domain.NewReminders(r.app.Store, q, r.mail, domain.Links{Base: r.app.Config.PortalBaseURL}, r.clock.Now, nil)
			if _, err := rem.Sweep(ctx, at); err != nil {
				errs <- err
				return
			}
			for _, m := range q.messages() {
				if _, err := rem.Deliver(ctx, m); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	if n := len(queues[0].messages()) + len(queues[1].messages()); n != 1 {
		t.Errorf("the two sweeps queued %d messages, want 1 (the assignment's reminders claimed once)", n)
	}
	// The same message delivered twice at once (SQS delivers at least once).
	msg := domain.ReminderRef{OrgID: r.org.ID, AssignmentID: a.ID, Kind: domain.ReminderDue, DueOn: due}.Message()
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.reminders.Deliver(ctx, msg); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for name, n := range map[string]int{"ada": 1, "bob": 1, "dee": 1, "cy": 0} {
		if got := len(r.mail.to(r.people[name].Email)); got != n {
			t.Errorf("%s got %d reminders, want %d", name, got, n)
		}
	}
}

// TestRemindersPageThroughAssignees: one person a page, each page its own
// message; a failed mail is counted and not tried again; completed,
// cancelled and moved assignments are left alone.
func TestRemindersPageThroughAssignees(t *testing.T) {
	t.Parallel()
	r := newRemindEnv(t, "UTC")
	r.reminders.SetPageSize(1)
	r.mail.failFor = r.people["dee"].Email
	ctx := context.Background()
	due := time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)
	a := r.assign(t, due)
	cancelled := r.assign(t, due)
	if _, err := r.app.Store.CancelAssignment(ctx, r.org.ID, cancelled.ID, cancelled.ModuleID, start, testenv.AnyEntry(domain.AuditAssignmentCancelled)); err != nil {
		t.Fatal(err)
	}
	moved := r.assign(t, due)
	if _, err := r.app.Store.SetAssignmentDue(ctx, r.org.ID, moved.ID, due.AddDate(0, 0, 10), testenv.AnyEntry(domain.AuditAssignmentUpdated)); err != nil {
		t.Fatal(err)
	}
	found, err := r.app.Store.FindAssignmentsDueOn(ctx, due)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].ID != a.ID {
		t.Errorf("due on %s: %v, want only the open, unmoved assignment", due.Format(time.DateOnly), found)
	}
	swept := r.run(t, due.Add(9*time.Hour))
	if swept.Assignments != 1 {
		t.Errorf("queued %d assignments, want 1", swept.Assignments)
	}
	// Four people, one a page: the first message and three more pages (the
	// last ones may be empty of people not completed).
	if n := len(r.queue.messages()); n < 4 {
		t.Errorf("%d messages, want a page a person: %v", n, r.queue.messages())
	}
	for name, n := range map[string]int{"ada": 1, "bob": 1, "dee": 0, "cy": 0} {
		if got := len(r.mail.to(r.people[name].Email)); got != n {
			t.Errorf("%s got %d reminders, want %d", name, got, n)
		}
	}
	// dee's failed mail is not tried again: the message delivered again mails nobody.
	r.mail.failFor = ""
	out, err := r.reminders.Deliver(ctx, domain.ReminderRef{OrgID: r.org.ID, AssignmentID: a.ID, Kind: domain.ReminderDue, DueOn: due}.Message())
	if err != nil || out.Sent != 0 {
		t.Errorf("delivered again: %+v, %v; want nobody mailed", out, err)
	}
}

// TestDigestOfOverdueAssignmentsByTeam: on Monday from 08:00 (local) each
// admin gets the week's digest once: overdue assignments grouped by team,
// with the people not done.
func TestDigestOfOverdueAssignmentsByTeam(t *testing.T) {
	t.Parallel()
	const zone = "America/New_York"
	r := newRemindEnv(t, zone)
	ctx := context.Background()
	monday := time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)
	old := r.assign(t, monday.AddDate(0, 0, -10))
	recent := r.assign(t, monday.AddDate(0, 0, -1))
	r.assign(t, monday) // due today: not overdue
	groups, err := r.reminders.Digest(ctx, domain.Organization{ID: r.org.ID, TimeZone: zone}, monday)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Team, Module string
		NotDone      int
		Names        []string
	}
	var got []row
	for _, g := range groups {
		for _, rw := range g.Rows {
			got = append(got, row{g.Name, rw.Assignment.ID, rw.NotDone, rw.Names})
		}
	}
	want := []row{
		{"Field", old.ID, 2, []string{"Ada Tester", "Bob Tester"}},
		{"Field", recent.ID, 2, []string{"Ada Tester", "Bob Tester"}},
		{"Assigned directly", old.ID, 1, []string{"Dee Tester"}},
		{"Assigned directly", recent.ID, 1, []string{"Dee Tester"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("digest (-want +got):\n%s", diff)
	}
	admin := r.email
	tests := []struct {
		name    string
		at      time.Time
		digests int
	}{
		{"Sunday evening", localAt(t, zone, monday.AddDate(0, 0, -1), 20, 0), 0},
		{"Monday 07:00", localAt(t, zone, monday, 7, 0), 0},
		{"Monday 08:00", localAt(t, zone, monday, 8, 0), 1},
		{"Monday 09:00, again", localAt(t, zone, monday, 9, 0), 0},
		{"Tuesday 08:00", localAt(t, zone, monday.AddDate(0, 0, 1), 8, 0), 0},
	}
	for _, tt := range tests {
		if swept := r.run(t, tt.at); swept.Digests != tt.digests {
			t.Errorf("%s: %d digests queued, want %d", tt.name, swept.Digests, tt.digests)
		}
	}
	var digests []domain.Mail
	for _, m := range r.mail.all() {
		if m.To == admin {
			digests = append(digests, m)
		}
	}
	if len(digests) != 1 {
		t.Fatalf("the admin got %d digests, want 1", len(digests))
	}
	d := digests[0]
	if d.Subject != "2 overdue assignments at Acme Corp this week" {
		t.Errorf("subject %q", d.Subject)
	}
	field, direct := strings.Index(d.Text, "\nField\n"), strings.Index(d.Text, "\nAssigned directly\n")
	if field < 0 || direct < field || !strings.Contains(d.Text, "2 people not done (Ada Tester, Bob Tester)") ||
		!strings.Contains(d.Text, "/assignments/"+old.ID) || !strings.Contains(d.Text, "due Friday 6 March 2026") {
		t.Errorf("digest text:\n%s", d.Text)
	}
	if !strings.Contains(d.HTML, "Network &lt;basics&gt;") || strings.Contains(d.HTML, "&amp;lt;") {
		t.Errorf("digest HTML is not escaped exactly once:\n%s", d.HTML)
	}
}
