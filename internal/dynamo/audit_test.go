package dynamo_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
	"proportal/internal/dynamo"
	"proportal/internal/testenv"
)

// entry is an audit entry with a fixed id and time, so a test can put
// something at its key first.
func entry(orgID, kind string, target domain.AuditTarget) domain.AuditEntry {
	return domain.AuditEntry{
		ID: domain.NewID(), OrgID: orgID, At: t0, Kind: kind,
		Actor:  domain.AuditActor{Kind: domain.ActorUser, ID: "actor", Name: "Grace Hopper", Email: "grace@acme.example"},
		Target: target, Source: "203.0.113.7",
	}
}

// block puts an item at the key the entry will be written to: the entry's
// put, and with it the change it records, must then fail.
func (e *env) block(t *testing.T, en domain.AuditEntry) {
	t.Helper()
	pk, sk := dynamo.AuditKey(en.OrgID, en.At, en.ID)
	item, err := attributevalue.MarshalMap(map[string]string{"pk": pk, "sk": sk, "id": "blocker"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(e.table), Item: item}); err != nil {
		t.Fatalf("put the blocker: %v", err)
	}
}

// audited returns the organization's stored entry with the entry's id, and
// how many entries carry that id.
func (e *env) audited(t *testing.T, en domain.AuditEntry) (domain.AuditEntry, int) {
	t.Helper()
	var got domain.AuditEntry
	n := 0
	for _, x := range testenv.AuditEntries(t, e.client, e.table, en.OrgID) {
		if x.ID == en.ID {
			got, n = x, n+1
		}
	}
	return got, n
}

// atomic checks that a change and its entry are one transaction: with the
// entry's key taken the change fails and is not made (made reports whether
// it was), and then it succeeds with a fresh entry, stored once as given.
func (e *env) atomic(t *testing.T, en domain.AuditEntry, change func(domain.AuditEntry) error, made func() bool) {
	t.Helper()
	e.block(t, en)
	if err := change(en); err == nil {
		t.Errorf("the change succeeded though its entry could not be written")
	}
	if made() {
		t.Errorf("the change was made though its entry could not be written")
	}
	fresh := en
	fresh.ID = domain.NewID()
	if err := change(fresh); err != nil {
		t.Fatalf("the change with a free entry: %v", err)
	}
	if !made() {
		t.Errorf("the change with a free entry was not made")
	}
	got, n := e.audited(t, fresh)
	if n != 1 {
		t.Fatalf("%d entries %s, want 1", n, fresh.ID)
	}
	want := fresh
	want.At = t0.UTC()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored entry (-want +got):\n%s", diff)
	}
}

// refused checks that a change its own rules refuse writes no entry.
func (e *env) refused(t *testing.T, en domain.AuditEntry, change func(domain.AuditEntry) error, code string) {
	t.Helper()
	wantCode(t, "the refused change", change(en), code)
	if _, n := e.audited(t, en); n != 0 {
		t.Errorf("a refused change wrote its entry")
	}
}

func TestSaveUserWritesItsEntryInTheSameTransaction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, _ := e.createOrg(t, 1, "grace@acme.example")
	u := user(o.ID, "ada@acme.example", false)
	u.Admin = true
	if err := e.store.CreateUser(ctx, u, nil); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	u.Revision = 1
	after := u
	after.Seat = true
	en := entry(o.ID, domain.AuditUserActivated, domain.UserTarget(u))
	en.Changes, en.SeatDelta = domain.UserChanges(u, after), 1
	save := func(en domain.AuditEntry) error {
		return e.store.SaveUser(ctx, domain.UserChange{Before: u, After: after, Audit: &en})
	}

	t.Run("a stale revision", func(t *testing.T) {
		stale := u
		stale.Revision = 7
		e.refused(t, en, func(en domain.AuditEntry) error {
			return e.store.SaveUser(ctx, domain.UserChange{Before: stale, After: after, Audit: &en})
		}, domain.CodeConflict)
	})
	t.Run("the entry cannot be written", func(t *testing.T) {
		e.atomic(t, en, save, func() bool { return e.seatsUsed(t, o.ID) == 1 })
	})
	t.Run("no seat left", func(t *testing.T) {
		v := user(o.ID, "vera@acme.example", true)
		en := entry(o.ID, domain.AuditUserInvited, domain.UserTarget(v))
		e.refused(t, en, func(en domain.AuditEntry) error {
			return e.store.SaveUser(ctx, domain.UserChange{After: v, Audit: &en})
		}, domain.CodeSeatLimitReached)
	})
}
