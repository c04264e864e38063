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

// expiring is what the sweep deletes, as stored: its key and the expiry keys
// it must carry.
type expiring struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	GSI3PK string `dynamodbav:"gsi3pk"`
	GSI3SK string `dynamodbav:"gsi3sk"`
}

// stored reads pk/sk and its expiry keys from the table; ok is false when the
// item is gone.
func (e *env) stored(t *testing.T, pk, sk string) (expiring, bool) {
	t.Helper()
	item := e.rawItem(t, pk, sk)
	if item == nil {
		return expiring{}, false
	}
	var got expiring
	if err := attributevalue.UnmarshalMap(item, &got); err != nil {
		t.Fatalf("decode %s/%s: %v", pk, sk, err)
	}
	return got, true
}

// link stores an invited user of orgID with an invite link that expires at
// expires, and returns the link's table key.
func (e *env) link(t *testing.T, orgID string, expires time.Time) (pk, sk string) {
	t.Helper()
	u := admin(orgID, domain.NewID()+"@acme.example")
	_, hash := domain.NewToken()
	invite := &domain.OneTimeToken{Hash: hash, Purpose: domain.PurposeInvite, OrgID: orgID, UserID: u.ID, CreatedAt: t0, ExpiresAt: expires}
	if err := e.store.CreateUser(context.Background(), u, invite); err != nil {
		t.Fatalf("CreateUser with an invite: %v", err)
	}
	return "TOKEN#" + hash, "TOKEN"
}

// session stores a session of u that expires at expires, and returns its table key.
func (e *env) session(t *testing.T, u domain.User, expires time.Time) (pk, sk string) {
	t.Helper()
	s := newSession(u, t0)
	s.ExpiresAt = expires
	if err := e.store.CreateSession(context.Background(), s, nil); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return "SESSION#" + s.TokenHash, "SESSION"
}

// window counts one sign-in failure in a rate-limit window that ends at
// ends, and returns the window's table key.
func (e *env) window(t *testing.T, ends time.Time) (pk, sk string) {
	t.Helper()
	key, window := domain.HashToken("login:"+domain.NewID()+"@x.com"), ends.Unix()/900-1
	if _, err := e.store.Hit(context.Background(), domain.LoginScope, key, window, ends); err != nil {
		t.Fatalf("Hit: %v", err)
	}
	return "RATE#LOGIN#" + key, fmt.Sprintf("WINDOW#%d", window)
}

func TestDeleteExpired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signedInUser(t)
	// The hour is given in another zone: its bucket is the UTC hour 09:00.
	hour := time.Date(2026, 3, 10, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	at := func(hh, mm int) time.Time { return time.Date(2026, 3, 10, hh, mm, 0, 0, time.UTC) }
	now := at(9, 40)

	type item struct {
		name    string
		pk, sk  string
		expires time.Time
		deleted bool
	}
	var items []item
	add := func(name string, expires time.Time, deleted bool, store func(*testing.T, time.Time) (string, string)) {
		pk, sk := store(t, expires)
		items = append(items, item{name, pk, sk, expires, deleted})
	}
	// A link is swept ExpiredLinksKept after it expires: one indexed at
	// "at" expired that long before.
	link := func(t *testing.T, at time.Time) (string, string) {
		return e.link(t, u.OrgID, at.Add(-dynamo.ExpiredLinksKept))
	}
	justExpiredLink := func(t *testing.T, at time.Time) (string, string) {
		pk, sk := e.link(t, u.OrgID, at)
		got, _ := e.stored(t, pk, sk)
		if want := "EXPIRES#" + at.Add(dynamo.ExpiredLinksKept).UTC().Format("2006-01-02T15"); got.GSI3PK != want {
			t.Errorf("a link expiring at %v is swept from %s, want %s", at, got.GSI3PK, want)
		}
		return pk, sk
	}
	session := func(t *testing.T, at time.Time) (string, string) { return e.session(t, u, at) }
	add("expired link", at(9, 10), true, link)
	add("expired rate window", at(9, 15), true, e.window)
	add("expired session", at(9, 20), true, session)
	add("session expired a nanosecond ago", now.Add(-time.Nanosecond), true, session)
	add("link expiring now", now, false, link)
	add("link expiring later in the hour", at(9, 50), false, link)
	add("rate window ending later in the hour", at(9, 45), false, e.window)
	add("session expiring later in the hour", at(9, 59), false, session)
	add("link expired in the hour before", at(8, 30), false, link)
	add("rate window ended in the hour before", at(8, 45), false, e.window)
	add("session expiring in the next hour", at(10, 5), false, session)
	var kept []item // checked only for being kept: indexed elsewhere
	pk, sk := justExpiredLink(t, at(9, 5))
	kept = append(kept, item{"link that expired in the hour (kept a week to say it expired)", pk, sk, at(9, 5), false})

	for _, it := range items {
		got, ok := e.stored(t, it.pk, it.sk)
		if !ok {
			t.Fatalf("%s: not stored", it.name)
		}
		want := expiring{
			PK: it.pk, SK: it.sk,
			GSI3PK: "EXPIRES#" + it.expires.UTC().Format("2006-01-02T15"),
			GSI3SK: it.expires.UTC().Format("2006-01-02T15:04:05.000000000Z") + "#" + it.pk,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: expiry keys (-want +got):\n%s", it.name, diff)
		}
	}

	n, err := e.store.DeleteExpired(ctx, hour, now)
	if err != nil {
		t.Fatalf("DeleteExpired: %v", err)
	}
	if n != 4 {
		t.Errorf("DeleteExpired = %d, want 4", n)
	}
	for _, it := range items {
		if _, kept := e.stored(t, it.pk, it.sk); kept == it.deleted {
			t.Errorf("%s: kept = %v after DeleteExpired, want %v", it.name, kept, !it.deleted)
		}
	}

	for _, it := range kept {
		if _, ok := e.stored(t, it.pk, it.sk); !ok {
			t.Errorf("%s: deleted", it.name)
		}
	}

	n, err = e.store.DeleteExpired(ctx, hour, now)
	if err != nil || n != 0 {
		t.Errorf("DeleteExpired again = %d, %v; want 0, nil", n, err)
	}

	// The admins on GSI3 are a partition of their own.
	admins, _, err := e.store.FindUsers(ctx, u.OrgID, domain.UserQuery{Status: domain.FilterAdmins, Limit: 50})
	if err != nil {
		t.Fatalf("FindUsers admins: %v", err)
	}
	if len(admins) != 6 { // the organization's first admin and the five invited with a link
		t.Errorf("FindUsers admins after DeleteExpired = %d users, want 6", len(admins))
	}
}

func TestDeleteExpiredPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	dynamo.SetExpiryPageSize(e.store, 7)
	hour := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	var keys [][2]string
	for i := range 30 {
		pk, sk := e.window(t, hour.Add(time.Duration(i)*time.Second))
		keys = append(keys, [2]string{pk, sk})
	}
	e.calls.Reset()
	n, err := e.store.DeleteExpired(ctx, hour, hour.Add(time.Hour))
	if err != nil {
		t.Fatalf("DeleteExpired: %v", err)
	}
	if n != 30 {
		t.Errorf("DeleteExpired = %d, want 30", n)
	}
	// 30 entries, 7 a page: at least 5 pages, each deleted in one BatchWriteItem.
	if q, b := e.calls.Count("Query"), e.calls.Count("BatchWriteItem"); q < 5 || b < 5 {
		t.Errorf("DeleteExpired made %d Query and %d BatchWriteItem calls, want at least 5 of each (7 entries a page)", q, b)
	}
	for _, k := range keys {
		if _, kept := e.stored(t, k[0], k[1]); kept {
			t.Errorf("%s/%s kept after DeleteExpired", k[0], k[1])
		}
	}
}
