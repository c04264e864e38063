package domain_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

// record writes entries as the store writes them: each in the transaction
// of a change (here a change of nothing to the organization's admin).
func (e *env) record(t *testing.T, adminID string, entries ...domain.AuditEntry) {
	t.Helper()
	ctx := context.Background()
	for _, en := range entries {
		u, err := e.app.Store.FindUserByID(ctx, e.org.ID, adminID)
		if err != nil {
			t.Fatalf("FindUserByID: %v", err)
		}
		if err := e.app.Store.SaveUser(ctx, domain.UserChange{Before: u, After: u, Audit: &en}); err != nil {
			t.Fatalf("SaveUser with entry %s: %v", en.Kind, err)
		}
	}
}

// entryBy is an entry of the principal's organization at at, by actor about target.
func entryBy(p *domain.Principal, actor domain.AuditActor, kind string, target domain.User, at time.Time, seatDelta int) domain.AuditEntry {
	en := domain.NewAuditEntry(p, kind, domain.UserTarget(target), at)
	en.Actor, en.SeatDelta = actor, seatDelta
	return en
}

func auditIDs(entries []domain.AuditEntry) []string {
	out := []string{}
	for _, en := range entries {
		out = append(out, en.ID)
	}
	return out
}

func day(s string) time.Time {
	d, err := time.Parse(domain.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestAuditLogList(t *testing.T) {
	e, admin := newSeats(t, 20)
	ctx := context.Background()
	log := e.app.Services.AuditLog
	ada := e.add(t, person(e.org.ID, "Ada", "Lovelace", domain.StatusActive))
	// An actor of the test's own, so that entries other code writes do not count.
	actor := domain.AuditActor{Kind: domain.ActorUser, ID: domain.NewID(), Name: "Grace Hopper", Email: "grace@example.com"}
	tz := "Pacific/Auckland" // UTC+13 in March
	if _, err := e.app.Services.Accounts.UpdateOrganization(ctx, admin, domain.OrganizationChange{TimeZone: &tz}); err != nil {
		t.Fatalf("UpdateOrganization: %v", err)
	}
	now := e.clock.Now() // 2026-03-10 09:00 UTC, 22:00 in Auckland
	entries := []domain.AuditEntry{
		entryBy(admin, actor, domain.AuditUserInvited, ada, now.Add(-401*24*time.Hour), 1),                        // older than the retention
		entryBy(admin, actor, domain.AuditUserInvited, ada, time.Date(2026, 3, 8, 10, 59, 0, 0, time.UTC), 1),     // Mar 8 23:59 there
		entryBy(admin, actor, domain.AuditAdminGranted, ada, time.Date(2026, 3, 8, 11, 0, 0, 0, time.UTC), 0),     // Mar 9 00:00 there
		entryBy(admin, actor, domain.AuditUserDeactivated, ada, time.Date(2026, 3, 9, 11, 0, 0, 0, time.UTC), -1), // Mar 10 there
	}
	e.record(t, admin.User.ID, entries...)
	id := func(i ...int) []string {
		out := []string{}
		for _, n := range i {
			out = append(out, entries[n].ID)
		}
		return out
	}

	tests := []struct {
		name string
		give domain.AuditFilter
		want []string
	}{
		{"newest first, none past the retention", domain.AuditFilter{ActorID: actor.ID}, id(3, 2, 1)},
		{"a day in the organization's time zone", domain.AuditFilter{ActorID: actor.ID, From: day("2026-03-09"), To: day("2026-03-09")}, id(2)},
		{"from a day", domain.AuditFilter{ActorID: actor.ID, From: day("2026-03-09")}, id(3, 2)},
		{"to a day", domain.AuditFilter{ActorID: actor.ID, To: day("2026-03-08")}, id(1)},
		{"by target and kind", domain.AuditFilter{TargetID: ada.ID, Kind: domain.AuditUserDeactivated}, id(3)},
		{"a kind nobody did", domain.AuditFilter{ActorID: actor.ID, Kind: domain.AuditTeamCreated}, id()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := log.List(ctx, admin, tt.give)
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			if diff := cmp.Diff(tt.want, auditIDs(page.Entries)); diff != "" || page.NextCursor != "" {
				t.Errorf("List(%+v): next %q, ids (-want +got):\n%s", tt.give, page.NextCursor, diff)
			}
		})
	}

	t.Run("an entry as written", func(t *testing.T) {
		page, err := log.List(ctx, admin, domain.AuditFilter{ActorID: actor.ID, Limit: 1})
		if err != nil || len(page.Entries) != 1 {
			t.Fatalf("List: %d entries, %v", len(page.Entries), err)
		}
		if diff := cmp.Diff(entries[3], page.Entries[0]); diff != "" {
			t.Errorf("entry (-written +listed):\n%s", diff)
		}
	})

	t.Run("pages, each one Query", func(t *testing.T) {
		var got []string
		cursor := ""
		for page := 0; page == 0 || cursor != ""; page++ {
			e.calls.Reset()
			p, err := log.List(ctx, admin, domain.AuditFilter{ActorID: actor.ID, Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatalf("page %d: %v", page, err)
			}
			if q, all := e.calls.Count("Query"), e.calls.Total(); q != 1 || all != 1 {
				t.Errorf("page %d: %d calls (%d Query), want 1 Query", page, all, q)
			}
			got, cursor = append(got, auditIDs(p.Entries)...), p.NextCursor
		}
		if diff := cmp.Diff(id(3, 2, 1), got); diff != "" {
			t.Errorf("paged (-want +got):\n%s", diff)
		}
	})

	t.Run("refused", func(t *testing.T) {
		first, err := log.List(ctx, admin, domain.AuditFilter{ActorID: actor.ID, Limit: 1})
		if err != nil || first.NextCursor == "" {
			t.Fatalf("List: %v, next %q", err, first.NextCursor)
		}
		_, stranger := e.createOrg(t, "Other Corp", 5)
		tests := []struct {
			name  string
			p     *domain.Principal
			give  domain.AuditFilter
			field string
		}{
			{"a malformed actor", admin, domain.AuditFilter{ActorID: "../x"}, "actorId"},
			{"a malformed target", admin, domain.AuditFilter{TargetID: "nobody"}, "targetId"},
			{"a malformed kind", admin, domain.AuditFilter{Kind: "Invited!"}, "kind"},
			{"from after to", admin, domain.AuditFilter{From: day("2026-03-09"), To: day("2026-03-08")}, "from"},
			{"a limit too large", admin, domain.AuditFilter{Limit: 201}, "limit"},
			{"a cursor of another filter", admin, domain.AuditFilter{Cursor: first.NextCursor}, "cursor"},
			{"a cursor of another organization", principal(stranger), domain.AuditFilter{ActorID: actor.ID, Limit: 1, Cursor: first.NextCursor}, "cursor"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := log.List(ctx, tt.p, tt.give)
				if got := codedError(t, "List", err, domain.CodeValidationFailed); got.Fields[tt.field] == "" {
					t.Errorf("fields %v, want one for %s", got.Fields, tt.field)
				}
			})
		}
		// Another organization's list shows none of these.
		page, err := log.List(ctx, principal(stranger), domain.AuditFilter{ActorID: actor.ID})
		if err != nil || len(page.Entries) != 0 {
			t.Errorf("another organization's list: %d entries, %v", len(page.Entries), err)
		}
	})
}

func TestSeatHistory(t *testing.T) {
	e, admin := newSeats(t, 20)
	ctx := context.Background()
	ada := e.add(t, person(e.org.ID, "Ada", "Lovelace", domain.StatusActive))
	sub, err := e.app.Store.FindSubscription(ctx, e.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	used := sub.SeatsUsed
	actor := domain.UserActor(admin.User)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Now is 2026-03-10 09:00 UTC; the term began 2026-01-01.
	e.record(t, admin.User.ID,
		entryBy(admin, actor, domain.AuditUserDeactivated, ada, at("2026-03-08T10:00:00Z"), -1),
		entryBy(admin, actor, domain.AuditUserActivated, ada, at("2026-03-09T10:00:00Z"), 1),
		entryBy(admin, actor, domain.AuditUserInvited, ada, at("2026-03-09T11:00:00Z"), 1),
		entryBy(admin, actor, domain.AuditUserDeactivated, ada, at("2026-03-10T08:00:00Z"), -1),
		entryBy(admin, actor, domain.AuditAdminGranted, ada, at("2026-03-10T08:30:00Z"), 0),
	)
	e.calls.Reset()
	h, err := e.app.Services.AuditLog.SeatHistory(ctx, admin)
	if err != nil {
		t.Fatalf("SeatHistory: %v", err)
	}
	if got := e.calls.Snapshot(); got["GetItem"] != 2 || got["Query"] != 1 || e.calls.Total() != 3 {
		t.Errorf("SeatHistory made %v, want 2 GetItem and 1 Query", got)
	}
	if h.SeatsTotal != 20 || len(h.Days) != 69 {
		t.Fatalf("SeatHistory: %d seats, %d days; want 20 seats, 69 days (Jan 1 to Mar 10)", h.SeatsTotal, len(h.Days))
	}
	// Walked back from the seats used now: a day's end less the next day's changes.
	want := map[string]int{
		"2026-01-01": used,
		"2026-03-07": used,
		"2026-03-08": used - 1,
		"2026-03-09": used + 1,
		"2026-03-10": used,
	}
	got := map[string]int{}
	for _, d := range h.Days {
		if _, ok := want[d.Date.Format(domain.DateLayout)]; ok {
			got[d.Date.Format(domain.DateLayout)] = d.Used
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("seats used (-want +got):\n%s\nall: %v", diff, fmt.Sprint(h.Days))
	}
}

func TestExportOfAuditLog(t *testing.T) {
	x := newExportsEnv(t)
	ctx := context.Background()
	actor := domain.AuditActor{Kind: domain.ActorUser, ID: domain.NewID(), Name: "Grace Hopper", Email: "grace@example.com"}
	now := x.clock.Now()
	granted := entryBy(x.admin, actor, domain.AuditAdminGranted, x.ada, now.Add(-2*time.Hour), 0)
	granted.Changes = []domain.AuditChange{{Field: "admin", Before: "false", After: "true"}}
	granted.Source = "203.0.113.7"
	x.record(t, x.admin.User.ID,
		entryBy(x.admin, actor, domain.AuditUserInvited, x.ada, now.Add(-40*24*time.Hour), 1), // before the range
		granted,
		entryBy(x.admin, actor, domain.AuditUserDeactivated, x.bob, now.Add(-time.Hour), -1), // another target
	)

	t.Run("refused", func(t *testing.T) {
		for _, tt := range []struct {
			give  domain.ExportRequest
			field string
		}{
			{domain.ExportRequest{Kind: domain.ExportAudit, AuditKind: "Everything"}, "auditKind"},
			{domain.ExportRequest{Kind: domain.ExportAudit, TargetID: "../x"}, "targetId"},
			{domain.ExportRequest{Kind: domain.ExportAudit, UserID: x.ada.ID}, "userId"},
			{domain.ExportRequest{Kind: domain.ExportViewings, ActorID: actor.ID}, "actorId"},
		} {
			_, err := x.exports.Create(ctx, x.admin, tt.give)
			if e := codedError(t, fmt.Sprintf("Create(%+v)", tt.give), err, domain.CodeValidationFailed); e.Fields[tt.field] == "" {
				t.Errorf("Create(%+v): fields %v, want one for %s", tt.give, e.Fields, tt.field)
			}
		}
	})

	e, err := x.exports.Create(ctx, x.admin, domain.ExportRequest{Kind: domain.ExportAudit, ActorID: actor.ID, TargetID: x.ada.ID, From: "2026-02-10"})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if got, want := e.From.Format(domain.DateLayout)+" "+e.To.Format(domain.DateLayout), "2026-02-10 2026-03-10"; got != want {
		t.Errorf("days %s, want %s", got, want)
	}
	if e, err = x.run(t, e); err != nil || e.Status != domain.ExportDone {
		t.Fatalf("Run: %s %q, %v", e.Status, e.Error, err)
	}
	want := [][]any{{granted.At, "Grace Hopper", "grace@example.com", "Admin rights granted", "Ada Lovelace", x.ada.Email, "admin: false → true", "203.0.113.7"}}
	if diff := cmp.Diff(want, x.writer.rows["Audit log"]); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}

	// Without days: the last MaxExportDays days.
	all, err := x.exports.Create(ctx, x.admin, domain.ExportRequest{Kind: domain.ExportAudit, ActorID: actor.ID})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if got, want := all.From.Format(domain.DateLayout), "2025-03-10"; got != want {
		t.Errorf("an audit export without days starts %s, want %s", got, want)
	}
	if _, err = x.run(t, all); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := len(x.writer.rows["Audit log"]); got != 3 {
		t.Errorf("the whole log has %d rows, want 3", got)
	}
}
