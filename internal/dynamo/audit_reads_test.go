package dynamo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
	"proportal/internal/dynamo"
)

// auditEntry is an entry of orgID at at: actor acted on target.
func auditEntry(orgID string, at time.Time, kind, actorID, targetID string, seatDelta int) domain.AuditEntry {
	return domain.AuditEntry{
		ID: domain.NewID(), OrgID: orgID, At: at.UTC(), Kind: kind,
		Actor:     domain.AuditActor{Kind: domain.ActorUser, ID: actorID, Name: "Grace Hopper", Email: "grace@example.com"},
		Target:    domain.AuditTarget{Kind: domain.TargetUser, ID: targetID, Name: "Ada Lovelace", Email: "ada@example.com"},
		Changes:   []domain.AuditChange{{Field: "seat", Before: "false", After: "true"}},
		Source:    "203.0.113.7",
		SeatDelta: seatDelta,
	}
}

func putAudit(t *testing.T, s *dynamo.Store, entries ...domain.AuditEntry) {
	t.Helper()
	for _, e := range entries {
		if err := dynamo.PutAuditEntry(context.Background(), s, e); err != nil {
			t.Fatalf("PutAuditEntry: %v", err)
		}
	}
}

func entryIDs(entries []domain.AuditEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.ID
	}
	return out
}

func TestFindAuditEntries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	org, other := domain.NewID(), domain.NewID()
	grace, linus, ada, bob := domain.NewID(), domain.NewID(), domain.NewID(), domain.NewID()
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	// e0 oldest ... e5 newest.
	all := []domain.AuditEntry{
		auditEntry(org, base, domain.AuditUserInvited, grace, ada, 1),
		auditEntry(org, base.Add(time.Hour), domain.AuditUserInvited, grace, bob, 1),
		auditEntry(org, base.Add(24*time.Hour), domain.AuditAdminGranted, linus, ada, 0),
		auditEntry(org, base.Add(48*time.Hour), domain.AuditUserDeactivated, grace, ada, -1),
		auditEntry(org, base.Add(49*time.Hour), domain.AuditUserDeactivated, linus, bob, -1),
		auditEntry(org, base.Add(72*time.Hour), domain.AuditUserActivated, linus, ada, 1),
	}
	putAudit(t, e.store, all...)
	putAudit(t, e.store, auditEntry(other, base.Add(time.Minute), domain.AuditUserInvited, grace, ada, 1))
	id := func(i ...int) []string {
		out := make([]string, len(i))
		for j, n := range i {
			out[j] = all[n].ID
		}
		return out
	}

	tests := []struct {
		name string
		give domain.AuditQuery
		want []string
	}{
		{"everything, newest first", domain.AuditQuery{}, id(5, 4, 3, 2, 1, 0)},
		{"by target", domain.AuditQuery{TargetID: ada}, id(5, 3, 2, 0)},
		{"by actor", domain.AuditQuery{ActorID: linus}, id(5, 4, 2)},
		{"by kind", domain.AuditQuery{Kind: domain.AuditUserDeactivated}, id(4, 3)},
		{"target and actor", domain.AuditQuery{TargetID: ada, ActorID: grace}, id(3, 0)},
		{"target, actor and kind", domain.AuditQuery{TargetID: ada, ActorID: grace, Kind: domain.AuditUserInvited}, id(0)},
		{"actor and kind", domain.AuditQuery{ActorID: linus, Kind: domain.AuditUserDeactivated}, id(4)},
		{"from", domain.AuditQuery{From: base.Add(24 * time.Hour)}, id(5, 4, 3, 2)},
		{"to, not included", domain.AuditQuery{To: base.Add(24 * time.Hour)}, id(1, 0)},
		{"from and to", domain.AuditQuery{From: base.Add(time.Hour), To: base.Add(49 * time.Hour)}, id(3, 2, 1)},
		{"target in a range", domain.AuditQuery{TargetID: ada, From: base.Add(time.Minute), To: base.Add(60 * time.Hour)}, id(3, 2)},
		{"nobody's", domain.AuditQuery{TargetID: domain.NewID()}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.give
			q.Limit = 50
			got, next, err := e.store.FindAuditEntries(ctx, org, q)
			if err != nil {
				t.Fatalf("FindAuditEntries: %v", err)
			}
			if diff := cmp.Diff(tt.want, entryIDs(got)); diff != "" || next != "" {
				t.Errorf("FindAuditEntries(%+v): next %q, ids (-want +got):\n%s", tt.give, next, diff)
			}
		})
	}

	t.Run("an entry reads back as written", func(t *testing.T) {
		got, _, err := e.store.FindAuditEntries(ctx, org, domain.AuditQuery{Kind: domain.AuditUserActivated, Limit: 1})
		if err != nil || len(got) != 1 {
			t.Fatalf("FindAuditEntries: %d entries, %v", len(got), err)
		}
		if diff := cmp.Diff(all[5], got[0]); diff != "" {
			t.Errorf("entry (-written +read):\n%s", diff)
		}
	})

	t.Run("pages, one Query each", func(t *testing.T) {
		for _, q := range []domain.AuditQuery{{Limit: 2}, {TargetID: ada, ActorID: linus, Limit: 1}} {
			var got []string
			pages := 0
			for after := ""; pages == 0 || after != ""; pages++ {
				if pages > 10 {
					t.Fatalf("%+v: more than 10 pages", q)
				}
				q.After = after
				e.calls.Reset()
				page, next, err := e.store.FindAuditEntries(ctx, org, q)
				if err != nil {
					t.Fatalf("page %d: %v", pages, err)
				}
				if n := e.calls.Total(); n != 1 {
					t.Errorf("page %d made %d calls, want 1 Query", pages, n)
				}
				if len(page) > q.Limit {
					t.Errorf("page %d has %d entries, limit %d", pages, len(page), q.Limit)
				}
				got, after = append(got, entryIDs(page)...), next
			}
			want := id(5, 4, 3, 2, 1, 0)
			if q.TargetID != "" {
				want = id(5, 2)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%+v paged (-want +got):\n%s", q, diff)
			}
		}
	})

	t.Run("seat changes", func(t *testing.T) {
		got, err := e.store.FindSeatChanges(ctx, org, base.Add(30*time.Minute))
		if err != nil {
			t.Fatalf("FindSeatChanges: %v", err)
		}
		var deltas []string
		for _, c := range got {
			deltas = append(deltas, fmt.Sprintf("%s %+d", c.ID, c.SeatDelta))
		}
		want := []string{all[5].ID + " +1", all[4].ID + " -1", all[3].ID + " -1", all[1].ID + " +1"}
		if diff := cmp.Diff(want, deltas); diff != "" {
			t.Errorf("seat changes (-want +got):\n%s", diff)
		}
	})
}

func TestAuditEntryExpiresAfterRetention(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.store.SetAuditRetention(30 * 24 * time.Hour)
	if got := e.store.AuditRetention(); got != 30*24*time.Hour {
		t.Errorf("AuditRetention = %v, want 720h", got)
	}
	entry := auditEntry(domain.NewID(), t0, domain.AuditUserInvited, domain.NewID(), domain.NewID(), 0)
	putAudit(t, e.store, entry)
	got, _, err := e.store.FindAuditEntries(context.Background(), entry.OrgID, domain.AuditQuery{Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("FindAuditEntries: %d, %v", len(got), err)
	}
	sk := entry.At.UTC().Format("2006-01-02T15:04:05.000000000Z07:00") + "#" + entry.ID
	item := e.rawItem(t, "ORG#"+entry.OrgID+"#AUDIT", sk)
	var ttl int64
	if err := attributevalue.Unmarshal(item["ttl"], &ttl); err != nil {
		t.Fatalf("the entry's ttl: %v (item %v)", err, item)
	}
	if want := entry.At.Add(30 * 24 * time.Hour).Unix(); ttl != want {
		t.Errorf("ttl = %d, want at + 30 days = %d", ttl, want)
	}
}
