package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

// signedInUser stores an organization with an active, seated user who may sign in.
func (e *env) signedInUser(t *testing.T) domain.User {
	t.Helper()
	o, _, _ := e.createOrg(t, 10, "grace@acme.example")
	u := user(o.ID, "ada@acme.example", true)
	if err := e.store.CreateUser(context.Background(), u, nil); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
}

func newSession(u domain.User, at time.Time) domain.Session {
	_, hash := domain.NewToken()
	return domain.Session{
		TokenHash: hash, OrgID: u.OrgID, UserID: u.ID, UserVersion: u.SessionVersion,
		CreatedAt: at, LastSeenAt: at, ExpiresAt: at.Add(12 * time.Hour),
	}
}

func TestCreateSessionRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signedInUser(t)
	s := newSession(u, t0.Add(time.Hour))
	if err := e.store.CreateSession(ctx, s, nil); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	got, err := e.store.FindSession(ctx, s.TokenHash)
	if err != nil {
		t.Fatalf("FindSession: %v", err)
	}
	if diff := cmp.Diff(s, got); diff != "" {
		t.Errorf("FindSession mismatch (-want +got):\n%s", diff)
	}
}

func TestCreateSessionRecordsSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signedInUser(t)
	s := newSession(u, t0.Add(time.Hour))
	if err := e.store.CreateSession(ctx, s, nil); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	got, err := e.store.FindUserByID(ctx, u.OrgID, u.ID)
	if err != nil {
		t.Fatalf("FindUserByID: %v", err)
	}
	if !got.LastLoginAt.Equal(s.CreatedAt) {
		t.Errorf("LastLoginAt = %v, want the session's start %v", got.LastLoginAt, s.CreatedAt)
	}
}

func TestCreateSessionWithStaleUserVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signedInUser(t)
	s := newSession(u, t0.Add(time.Hour))
	s.UserVersion = u.SessionVersion - 1 // the user's sessions were ended after this sign-in began

	wantCode(t, "CreateSession with a stale user version", e.store.CreateSession(ctx, s, nil), domain.CodeUnauthorized)
	_, err := e.store.FindSession(ctx, s.TokenHash)
	wantCode(t, "FindSession of the refused session", err, domain.CodeNotFound)
	got, err := e.store.FindUserByID(ctx, u.OrgID, u.ID)
	if err != nil {
		t.Fatalf("FindUserByID: %v", err)
	}
	if !got.LastLoginAt.IsZero() {
		t.Errorf("LastLoginAt = %v after a refused sign-in, want it unchanged (zero)", got.LastLoginAt)
	}
}

func TestTouchSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	s := newSession(e.signedInUser(t), t0)
	if err := e.store.CreateSession(ctx, s, nil); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	later := t0.Add(17 * time.Minute)
	if err := e.store.TouchSession(ctx, s.TokenHash, later); err != nil {
		t.Fatalf("TouchSession: %v", err)
	}
	got, err := e.store.FindSession(ctx, s.TokenHash)
	if err != nil {
		t.Fatalf("FindSession: %v", err)
	}
	want := s
	want.LastSeenAt = later
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("session after TouchSession mismatch (-want +got):\n%s", diff)
	}
}

func TestDeleteSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	s := newSession(e.signedInUser(t), t0)
	if err := e.store.CreateSession(ctx, s, nil); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	if err := e.store.DeleteSession(ctx, s.TokenHash); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	_, err := e.store.FindSession(ctx, s.TokenHash)
	wantCode(t, "FindSession after DeleteSession", err, domain.CodeNotFound)
	if err := e.store.DeleteSession(ctx, s.TokenHash); err != nil {
		t.Errorf("DeleteSession of a deleted session = %v, want nil", err)
	}
	// A touch racing with sign-out must not bring the session back.
	wantCode(t, "TouchSession after DeleteSession", e.store.TouchSession(ctx, s.TokenHash, t0.Add(time.Minute)), domain.CodeUnauthorized)
	if e.rawItem(t, "SESSION#"+s.TokenHash, "SESSION") != nil {
		t.Errorf("TouchSession recreated a deleted session")
	}
}

func TestCreateSessionGivesBackTheAttempt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	key, window := domain.HashToken("login:a@x.com"), int64(1_970_000)
	expires := time.Unix((window+1)*900, 0)
	for range 3 {
		if _, err := e.store.Hit(ctx, "login", key, window, expires); err != nil {
			t.Fatal(err)
		}
	}
	s := newSession(e.signedInUser(t), t0)
	if err := e.store.CreateSession(ctx, s, &domain.Attempt{Scope: "login", Key: key, Window: window}); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	got, err := e.store.Hit(ctx, "login", key, window, expires)
	if err != nil {
		t.Fatal(err)
	}
	if got != 3 {
		t.Errorf("count after 3 hits, a given-back one and another hit = %d, want 3", got)
	}
}
