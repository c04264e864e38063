// Service tests run the wired application against moto_server. They live in
// package domain_test because internal/testenv imports this package. This file
// holds the test binary's only TestMain: the unit tests of package domain need
// no AWS and share the binary.
package domain_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/password"
	"proportal/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

const demoPassword = "demo-admin-password"

// start is a Tuesday morning; 09:00:00 UTC begins a 15-minute rate-limit window.
var start = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// env is the application on a fresh table, the clock its services read, and
// one organization with an admin who can sign in.
type env struct {
	app   *app.App
	calls *testenv.Calls
	clock *testenv.Clock
	org   domain.Organization
	// email and password sign the organization's admin in.
	email, password string
}

// newDemo seeds the demo organization (50 seats, 31 used; admin@demo.test).
// Seeding costs about 0.7 s on moto, so tests that need no more than someone
// who can sign in use newEnv.
func newDemo(t *testing.T) *env {
	t.Helper()
	clock := testenv.NewClock(start)
	a, calls := testenv.NewApp(t, clock.Now)
	d, err := a.Operator.SeedDemo(context.Background(), demoPassword)
	if err != nil {
		t.Fatalf("SeedDemo: %v", err)
	}
	calls.Reset()
	return &env{app: a, calls: calls, clock: clock, org: d.Organization, email: domain.DemoAdminEmail, password: demoPassword}
}

// newEnv stores an organization whose admin, with a seat, can sign in.
func newEnv(t *testing.T) *env {
	t.Helper()
	clock := testenv.NewClock(start)
	a, calls := testenv.NewApp(t, clock.Now)
	org := domain.Organization{ID: domain.NewID(), Name: "Acme Corp", CreatedAt: start}
	sub := domain.Subscription{
		OrgID: org.ID, SeatsTotal: 10, Features: domain.AllFeatures,
		StartsOn: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
	}
	const email, pw = "grace@acme.example", "grace-password"
	admin := domain.User{
		ID: domain.NewID(), OrgID: org.ID, FirstName: "Grace", LastName: "Hopper", Email: email,
		Status: domain.StatusActive, Seat: true, Admin: true, PasswordHash: password.Hash(pw), CreatedAt: start,
	}
	if err := a.Store.CreateOrganization(context.Background(), org, sub, admin, nil, nil); err != nil {
		t.Fatalf("CreateOrganization: %v", err)
	}
	calls.Reset()
	return &env{app: a, calls: calls, clock: clock, org: org, email: email, password: pw}
}

// here is the source address sign-ins come from in these tests.
const here = "192.0.2.10"

func (e *env) login(email, pw string) (domain.Login, error) {
	return e.loginFrom(here, email, pw)
}

func (e *env) loginFrom(source, email, pw string) (domain.Login, error) {
	return e.app.Services.Auth.Login(context.Background(), domain.Credentials{Email: email, Password: pw, Source: source})
}

// hit counts n failed sign-ins as Login counts them, sparing n password hashes.
func (e *env) hit(t *testing.T, scope, key string, n int) {
	t.Helper()
	window := start.Unix() / int64(domain.DefaultAuthConfig.FailedLoginWindow.Seconds())
	for range n {
		if _, err := e.app.Store.Hit(context.Background(), scope, key, window, start.Add(time.Hour)); err != nil {
			t.Fatalf("Hit: %v", err)
		}
	}
}

// signIn signs the admin in and returns the session token.
func (e *env) signIn(t *testing.T) string {
	t.Helper()
	l, err := e.login(e.email, e.password)
	if err != nil {
		t.Fatalf("Login as the admin: %v", err)
	}
	return l.Token
}

func (e *env) authenticate(token string) (*domain.Principal, error) {
	return e.app.Services.Auth.Authenticate(context.Background(), token)
}

// codedError returns the *domain.Error in err's chain, failing the test when
// there is none or its code is not want.
func codedError(t *testing.T, what string, err error, want string) *domain.Error {
	t.Helper()
	e, ok := errors.AsType[*domain.Error](err)
	if !ok {
		t.Fatalf("%s: error %v, want a *domain.Error with code %q", what, err, want)
	}
	if e.Code != want {
		t.Fatalf("%s: code %q (%v), want %q", what, e.Code, e, want)
	}
	return e
}

func TestLoginAnyEmailCasing(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	for _, email := range []string{"admin@demo.test", "ADMIN@DEMO.TEST", "  Admin@Demo.Test "} {
		t.Run(email, func(t *testing.T) {
			l, err := d.login(email, demoPassword)
			if err != nil {
				t.Fatalf("Login(%q): %v", email, err)
			}
			if len(l.Token) != 43 || !domain.ValidTokenShape(l.Token) {
				t.Errorf("token %q is not a 43-character token", l.Token)
			}
			if l.User.Email != domain.DemoAdminEmail || l.User.OrgID != d.org.ID {
				t.Errorf("signed in as %q of org %q, want %q of the demo org %q", l.User.Email, l.User.OrgID, domain.DemoAdminEmail, d.org.ID)
			}
			if want := start.Add(12 * time.Hour); !l.ExpiresAt.Equal(want) {
				t.Errorf("ExpiresAt = %v, want %v (12 hours after sign-in)", l.ExpiresAt, want)
			}
		})
	}
}

func TestLoginRecordsLastLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clock.Advance(time.Hour)
	l, err := e.login(e.email, e.password)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	stored, err := e.app.Store.FindUserByID(context.Background(), l.User.OrgID, l.User.ID)
	if err != nil {
		t.Fatalf("FindUserByID: %v", err)
	}
	want := start.Add(time.Hour)
	if !l.User.LastLoginAt.Equal(want) || !stored.LastLoginAt.Equal(want) {
		t.Errorf("LastLoginAt: returned %v, stored %v; want %v", l.User.LastLoginAt, stored.LastLoginAt, want)
	}
}

func TestLoginRefusedAlike(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	ctx := context.Background()
	// An inactive user who still has a password: only the status keeps them out.
	inactive := domain.User{
		ID: domain.NewID(), OrgID: d.org.ID, FirstName: "Ida", LastName: "Inactive", Email: "inactive@demo.test",
		Status: domain.StatusInactive, PasswordHash: password.Hash("inactive-password"), CreatedAt: start,
	}
	if err := d.app.Store.CreateUser(ctx, inactive, nil); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	invited, err := d.app.Store.FindUserByEmail(ctx, "learner29@demo.test")
	if err != nil || invited.Status != domain.StatusInvited {
		t.Fatalf("learner29@demo.test: %+v, %v; want the demo's first invited learner", invited, err)
	}

	tests := []struct {
		name     string
		email    string
		password string
	}{
		{"wrong password", domain.DemoAdminEmail, "not-the-password"},
		{"unknown email", "nobody@demo.test", demoPassword},
		{"invited user without a password", invited.Email, demoPassword},
		{"inactive user with the right password", inactive.Email, "inactive-password"},
	}
	var messages []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.login(tt.email, tt.password)
			e := codedError(t, "Login", err, domain.CodeInvalidCredentials)
			if e.Fields != nil {
				t.Errorf("Fields = %v, want none", e.Fields)
			}
			messages = append(messages, e.Message)
		})
	}
	slices.Sort(messages)
	if len(slices.Compact(slices.Clone(messages))) != 1 {
		t.Errorf("refusals carry different messages %q; they must not tell which reason applied", messages)
	}
}

func TestLoginValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name       string
		give       domain.Credentials
		wantFields []string
	}{
		{"both empty", domain.Credentials{}, []string{"email", "password"}},
		{"email empty", domain.Credentials{Password: e.password}, []string{"email"}},
		{"password empty", domain.Credentials{Email: e.email}, []string{"password"}},
		{"email malformed", domain.Credentials{Email: "Grace <" + e.email + ">", Password: e.password}, []string{"email"}},
		{"password too long", domain.Credentials{Email: e.email, Password: strings.Repeat("p", 257)}, []string{"password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.calls.Reset()
			_, err := e.app.Services.Auth.Login(context.Background(), tt.give)
			got := codedError(t, "Login", err, domain.CodeValidationFailed)
			if diff := cmp.Diff(tt.wantFields, slices.Sorted(maps.Keys(got.Fields))); diff != "" {
				t.Errorf("fields at fault (-want +got):\n%s", diff)
			}
			if n := e.calls.Total(); n != 0 {
				t.Errorf("invalid input made %d AWS calls, want none", n)
			}
		})
	}
}

func TestLoginRateLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := range 10 {
		// The limit is per address, whatever its casing.
		email := e.email
		if i%2 == 1 {
			email = strings.ToUpper(email)
		}
		_, err := e.login(email, "wrong-password")
		codedError(t, fmt.Sprintf("failed sign-in %d", i+1), err, domain.CodeInvalidCredentials)
	}

	_, err := e.login(e.email, e.password)
	codedError(t, "sign-in with the right password after 10 failures", err, domain.CodeRateLimited)

	e.clock.Advance(15 * time.Minute)
	if _, err := e.login(e.email, e.password); err != nil {
		t.Errorf("sign-in in the next 15-minute window: %v, want success", err)
	}
}

func TestLoginRateLimitIsPerEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.hit(t, domain.LoginScope, domain.LoginLimitKey(e.email, here), domain.DefaultAuthConfig.MaxFailedLogins)
	_, err := e.login(e.email, e.password)
	codedError(t, "sign-in of the limited address", err, domain.CodeRateLimited)
	_, err = e.login("someone.else@acme.example", "wrong-password")
	codedError(t, "sign-in of another address", err, domain.CodeInvalidCredentials)
}

// TestLoginRateLimitCannotLockTheOwnerOut: an attacker's failures from one
// address do not stop the owner signing in from another.
func TestLoginRateLimitCannotLockTheOwnerOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const attacker, owner = "203.0.113.66", "198.51.100.7"
	for i := range domain.DefaultAuthConfig.MaxFailedLogins + 1 {
		_, err := e.loginFrom(attacker, e.email, "wrong-password")
		if i < domain.DefaultAuthConfig.MaxFailedLogins {
			codedError(t, fmt.Sprintf("attacker's sign-in %d", i+1), err, domain.CodeInvalidCredentials)
		} else {
			codedError(t, "attacker's sign-in past the limit", err, domain.CodeRateLimited)
		}
	}
	if _, err := e.loginFrom(owner, e.email, e.password); err != nil {
		t.Errorf("owner's sign-in from another address: %v, want success", err)
	}
	_, err := e.loginFrom(attacker, e.email, e.password)
	codedError(t, "the right password from the attacker's address", err, domain.CodeRateLimited)
}

// TestLoginCeilingPerEmail: failures from many addresses together reach a
// ceiling per email, far above what one address may make.
func TestLoginCeilingPerEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.hit(t, domain.LoginAccountScope, domain.HashToken("login:"+e.email), domain.DefaultAuthConfig.MaxFailedLoginsPerAccount)
	_, err := e.loginFrom("198.51.100.200", e.email, e.password)
	codedError(t, "sign-in of an email past its ceiling", err, domain.CodeRateLimited)
	if _, err := e.loginFrom("198.51.100.200", "someone.else@acme.example", "wrong-password"); domain.ErrorCode(err) != domain.CodeInvalidCredentials {
		t.Errorf("another email from that address: %v, want invalid_credentials", err)
	}
}

// TestLoginRateLimitPerSource: one address fails across several emails, each
// under its own limit, until the address's limit.
func TestLoginRateLimitPerSource(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const sprayer = "203.0.113.99"
	max := domain.DefaultAuthConfig.MaxFailedLoginsPerSource
	// The first max-1 failures are counted as Login counts them, sparing hashes.
	e.hit(t, domain.LoginSourceScope, domain.HashToken("login-source:"+sprayer), max-1)
	_, err := e.loginFrom(sprayer, "someone@acme.example", "wrong-password")
	codedError(t, fmt.Sprintf("failure %d from one address", max), err, domain.CodeInvalidCredentials)
	_, err = e.loginFrom(sprayer, e.email, e.password)
	codedError(t, "the right password from the address past its limit", err, domain.CodeRateLimited)
	if _, err := e.loginFrom("198.51.100.7", e.email, e.password); err != nil {
		t.Errorf("sign-in from another address: %v, want success", err)
	}
}

func TestLoginRateLimitHoldsUnderConcurrency(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.hit(t, domain.LoginScope, domain.LoginLimitKey(e.email, here), domain.DefaultAuthConfig.MaxFailedLogins-1)
	// One attempt is left in the window; five arrive at once.
	const racers = 5
	errs := make([]error, racers)
	begin := make(chan struct{})
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			<-begin
			_, errs[i] = e.login(e.email, "wrong-password")
		})
	}
	close(begin)
	wg.Wait()

	codes := map[string]int{}
	for _, err := range errs {
		codes[domain.ErrorCode(err)]++
	}
	want := map[string]int{domain.CodeInvalidCredentials: 1, domain.CodeRateLimited: racers - 1}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("outcomes of %d concurrent attempts with one left (-want +got):\n%s", racers, diff)
	}
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	token := e.signIn(t)
	p, err := e.authenticate(token)
	if err != nil {
		t.Fatalf("Authenticate with a fresh token: %v", err)
	}
	if p.OrgID() != e.org.ID || p.User.Email != e.email || p.Session.TokenHash != domain.HashToken(token) {
		t.Errorf("principal: org %q, user %q, session %q; want org %q, user %q, the token's hash",
			p.OrgID(), p.User.Email, p.Session.TokenHash, e.org.ID, e.email)
	}
}

func TestAuthenticateRefuses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	unknown, _ := domain.NewToken()
	tests := []struct {
		name string
		give string
	}{
		{"empty", ""},
		{"too short", "abc"},
		{"wrong alphabet", strings.Repeat("!", 43)},
		{"a hash, not a token", domain.HashToken(unknown)},
		{"unknown token", unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.authenticate(tt.give)
			codedError(t, "Authenticate", err, domain.CodeUnauthorized)
		})
	}
}

func TestSessionIdleExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	token := e.signIn(t)

	e.clock.Advance(29 * time.Minute)
	if _, err := e.authenticate(token); err != nil {
		t.Fatalf("Authenticate after 29 idle minutes: %v, want success", err)
	}
	e.clock.Advance(29 * time.Minute)
	if _, err := e.authenticate(token); err != nil {
		t.Fatalf("Authenticate 29 minutes after the last use: %v, want success (use extends the session)", err)
	}
	e.clock.Advance(31 * time.Minute)
	_, err := e.authenticate(token)
	codedError(t, "Authenticate 31 minutes after the last use", err, domain.CodeUnauthorized)

	_, err = e.app.Store.FindSession(context.Background(), domain.HashToken(token))
	if domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("FindSession of the expired session: %v, want not_found (deleted)", err)
	}
}

func TestSessionIdleExpiryIsExactlyThirtyMinutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// Two sessions begun at once: using one would extend it.
	early, onTime := e.signIn(t), e.signIn(t)
	e.clock.Advance(30*time.Minute - time.Nanosecond)
	if _, err := e.authenticate(early); err != nil {
		t.Fatalf("Authenticate a nanosecond before 30 idle minutes: %v, want success", err)
	}
	e.clock.Advance(time.Nanosecond)
	_, err := e.authenticate(onTime)
	codedError(t, "Authenticate 30 idle minutes after sign-in", err, domain.CodeUnauthorized)
}

func TestSessionUseWithinAMinuteDoesNotExtend(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	token := e.signIn(t)

	// Last-seen is written at most once a minute, so this use is not recorded...
	e.clock.Advance(59 * time.Second)
	if _, err := e.authenticate(token); err != nil {
		t.Fatalf("Authenticate after 59 seconds: %v", err)
	}
	s, err := e.app.Store.FindSession(context.Background(), domain.HashToken(token))
	if err != nil {
		t.Fatalf("FindSession: %v", err)
	}
	if !s.LastSeenAt.Equal(start) {
		t.Errorf("LastSeenAt = %v after a use within the first minute, want it left at sign-in %v", s.LastSeenAt, start)
	}
	// ...and the idle timeout still counts from sign-in.
	e.clock.Advance(30*time.Minute - 59*time.Second)
	_, err = e.authenticate(token)
	codedError(t, "Authenticate 30 minutes after sign-in", err, domain.CodeUnauthorized)
}

func TestSessionAbsoluteExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	token := e.signIn(t)
	const absolute = 12 * time.Hour
	for elapsed := 20 * time.Minute; elapsed < absolute; elapsed += 20 * time.Minute {
		e.clock.Advance(20 * time.Minute)
		if _, err := e.authenticate(token); err != nil {
			t.Fatalf("Authenticate %v after sign-in, used every 20 minutes: %v, want success", elapsed, err)
		}
	}
	e.clock.Advance(20 * time.Minute) // 12 hours after sign-in
	_, err := e.authenticate(token)
	codedError(t, "Authenticate 12 hours after sign-in", err, domain.CodeUnauthorized)
}

func TestLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	token := e.signIn(t)
	if err := e.app.Services.Auth.Logout(ctx, token); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err := e.authenticate(token)
	codedError(t, "Authenticate after Logout", err, domain.CodeUnauthorized)

	for _, give := range []string{token, "", "malformed"} {
		if err := e.app.Services.Auth.Logout(ctx, give); err != nil {
			t.Errorf("Logout(%q) of a session already gone = %v, want nil", give, err)
		}
	}
}
