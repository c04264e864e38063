package dynamo_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
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

func TestCreateSessionGivesBackTheAttempts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	window := int64(1_970_000)
	expires := time.Unix((window+1)*900, 0)
	attempts := []domain.Attempt{
		{Scope: "login", Key: domain.HashToken("login:a@x.com\x00192.0.2.1"), Window: window},
		{Scope: "login-source", Key: domain.HashToken("login-source:192.0.2.1"), Window: window},
	}
	for _, a := range attempts {
		for range 3 {
			if _, err := e.store.Hit(ctx, a.Scope, a.Key, window, expires); err != nil {
				t.Fatal(err)
			}
		}
	}
	s := newSession(e.signedInUser(t), t0)
	if err := e.store.CreateSession(ctx, s, attempts); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	for _, a := range attempts {
		got, err := e.store.Hit(ctx, a.Scope, a.Key, window, expires)
		if err != nil {
			t.Fatal(err)
		}
		if got != 3 {
			t.Errorf("%s: count after 3 hits, a given-back one and another hit = %d, want 3", a.Scope, got)
		}
	}
}

// loseAnswer passes requests on, but loses the answer of the first
// TransactWriteItems after armed: the write is applied, the SDK sees a 500 and
// tries again, as it does when a response is lost on the way.
type loseAnswer struct {
	next  aws.HTTPClient
	armed atomic.Bool
}

func (l *loseAnswer) Do(r *http.Request) (*http.Response, error) {
	res, err := l.next.Do(r)
	if err != nil || !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".TransactWriteItems") || !l.armed.CompareAndSwap(true, false) {
		return res, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	body := `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"the answer was lost"}`
	return &http.Response{
		StatusCode: http.StatusInternalServerError, Status: "500 Internal Server Error",
		Header: http.Header{"Content-Type": {"application/x-amz-json-1.0"}},
		Body:   io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
		Request: r, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}, nil
}

// A sign-in whose first answer was lost is retried by the SDK. DynamoDB makes
// the retry succeed (ClientRequestToken); moto does not, and the retry used to
// fail its own condition and answer "Sign in again." (FuzzInviteUser's flake).
func TestCreateSessionSurvivesALostAnswer(t *testing.T) {
	t.Parallel()
	lossy := &loseAnswer{}
	e := newEnv(t, func(c *aws.Config) { lossy.next = c.HTTPClient; c.HTTPClient = lossy })
	ctx := context.Background()
	key, window := domain.HashToken("login:lost@x.com"), int64(1_970_001)
	expires := time.Unix((window+1)*900, 0)
	for range 3 {
		if _, err := e.store.Hit(ctx, "login", key, window, expires); err != nil {
			t.Fatal(err)
		}
	}
	s := newSession(e.signedInUser(t), t0)
	lossy.armed.Store(true)
	if err := e.store.CreateSession(ctx, s, []domain.Attempt{{Scope: "login", Key: key, Window: window}}); err != nil {
		t.Fatalf("CreateSession with its first answer lost: %v", err)
	}
	if lossy.armed.Load() {
		t.Fatal("no answer was lost: the test did not test anything")
	}
	if e.calls.Count("TransactWriteItems") < 2 {
		t.Errorf("the SDK did not try again (%d TransactWriteItems)", e.calls.Count("TransactWriteItems"))
	}
	if _, err := e.store.FindSession(ctx, s.TokenHash); err != nil {
		t.Errorf("FindSession: %v", err)
	}
	// The attempt was given back once, not twice.
	if got, err := e.store.Hit(ctx, "login", key, window, expires); err != nil || got != 3 {
		t.Errorf("count after 3 hits, a given-back one and another hit = %d (%v), want 3", got, err)
	}

	// Another user's session under the same hash is not taken for ours.
	other := s
	other.UserID, other.CreatedAt = domain.NewID(), t0.Add(time.Minute)
	if err := e.store.CreateSession(ctx, other, nil); domain.ErrorCode(err) != domain.CodeUnauthorized {
		t.Errorf("CreateSession over an existing session of someone else = %v, want unauthorized", err)
	}
}
