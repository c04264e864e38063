package domain_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
	"proportal/internal/password"
	"proportal/internal/testenv"
)

// userPassword signs in the users these tests store as active. Its argon2id
// hash is made once for the package: hashing costs about 0.1 s.
const userPassword = "correct horse battery staple"

var userPasswordHash = sync.OnceValue(func() string { return password.Hash(userPassword) })

// newPassword is a password a person sets from a link.
const newPassword = "a brand new passphrase"

// inviteTTL is how long the product promises an invite link works.
const inviteTTL = 72 * time.Hour

// mailbox returns an address of its own for one test: the mail recorded in
// sentMail, like moto's SES mailbox, is shared by every test of the package.
func mailbox(name string) string {
	return fmt.Sprintf("%s-%s@users.example", name, domain.NewID()[:8])
}

// newSeats is an application on a fresh table with one organization of seats
// seats whose admin (admin rights and one of the seats) signs in with
// userPassword, and the principal that admin acts as.
func newSeats(t *testing.T, seats int) (*env, *domain.Principal) {
	t.Helper()
	clock := testenv.NewClock(start)
	a, calls := testenv.NewApp(t, clock.Now)
	e := &env{app: a, calls: calls, clock: clock, password: userPassword}
	var admin domain.User
	e.org, admin = e.createOrg(t, "Acme Corp", seats)
	e.email = admin.Email
	e.withPasswordsConfig(a.Config.Passwords)
	calls.Reset()
	return e, principal(admin)
}

// createOrg stores another organization of seats seats on the env's table,
// with an admin who holds a seat and signs in with userPassword.
func (e *env) createOrg(t *testing.T, name string, seats int) (domain.Organization, domain.User) {
	t.Helper()
	org := domain.Organization{ID: domain.NewID(), Name: name, CreatedAt: start}
	sub := domain.Subscription{
		OrgID: org.ID, SeatsTotal: seats, Features: domain.AllFeatures,
		StartsOn: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
	}
	admin := domain.User{
		ID: domain.NewID(), OrgID: org.ID, FirstName: "Grace", LastName: "Hopper", Email: mailbox("admin"),
		Status: domain.StatusActive, Seat: true, Admin: true, PasswordHash: userPasswordHash(), CreatedAt: start,
	}
	if err := e.app.Store.CreateOrganization(context.Background(), org, sub, admin, nil, nil); err != nil {
		t.Fatalf("CreateOrganization %s: %v", name, err)
	}
	admin.Revision = 1
	return org, admin
}

// principal is what Authenticate resolves a session of u to. Tests about
// sessions sign in for real; the others act as the stored user directly.
func principal(u domain.User) *domain.Principal {
	return &domain.Principal{
		Session: domain.Session{OrgID: u.OrgID, UserID: u.ID, UserVersion: u.SessionVersion, CreatedAt: start, LastSeenAt: start, ExpiresAt: start.Add(time.Hour)},
		User:    u,
	}
}

func (e *env) people() *domain.People       { return e.app.Services.People }
func (e *env) passwords() *domain.Passwords { return e.app.Services.Passwords }

// person is a user of orgID in a status, as settle leaves one: active users
// have a password and a seat, invited ones a seat, inactive ones neither.
func person(orgID, first, last, status string) domain.User {
	u := domain.User{
		ID: domain.NewID(), OrgID: orgID, FirstName: first, LastName: last,
		Email: mailbox(strings.ToLower(first)), Status: status, CreatedAt: start,
	}
	switch status {
	case domain.StatusActive:
		u.Seat, u.PasswordHash = true, userPasswordHash()
	case domain.StatusInvited:
		u.Seat = true
	}
	return u
}

// add stores u as it is and returns it as stored.
func (e *env) add(t *testing.T, u domain.User) domain.User {
	t.Helper()
	if err := e.app.Store.CreateUser(context.Background(), u, nil); err != nil {
		t.Fatalf("CreateUser %s: %v", u.Email, err)
	}
	u.Revision = 1
	return u
}

// stored reads a user back from the store.
func (e *env) stored(t *testing.T, u domain.User) domain.User {
	t.Helper()
	got, err := e.app.Store.FindUserByID(context.Background(), u.OrgID, u.ID)
	if err != nil {
		t.Fatalf("FindUserByID %s: %v", u.Email, err)
	}
	return got
}

func (e *env) counts(t *testing.T, orgID string) domain.UserCounts {
	t.Helper()
	c, err := e.app.Store.FindUserCounts(context.Background(), orgID)
	if err != nil {
		t.Fatalf("FindUserCounts: %v", err)
	}
	return c
}

// sessionOf signs a user in with userPassword and returns the session token.
func (e *env) sessionOf(t *testing.T, email string) string {
	t.Helper()
	l, err := e.login(email, userPassword)
	if err != nil {
		t.Fatalf("Login as %s: %v", email, err)
	}
	return l.Token
}

// access is what a user holds, for comparing outcomes.
type access struct {
	Status      string
	Seat, Admin bool
}

func accessOf(u domain.User) access { return access{u.Status, u.Seat, u.Admin} }

var linkPattern = regexp.MustCompile(`/set-password#token=([A-Za-z0-9_-]+)`)

// sentMail is the mail the services of these tests had SES accept.
var sentMail testenv.Mailbox

// mailTo returns the mail sent to an address, newest first, failing the test
// unless there are exactly want. Mail is sent before the service returns, so
// there is nothing to wait for.
func mailTo(t *testing.T, to string, want int) []domain.Mail {
	t.Helper()
	got := sentMail.To(to)
	if len(got) != want {
		subjects := make([]string, len(got))
		for i, m := range got {
			subjects[i] = m.Subject
		}
		t.Fatalf("%d mails to %s %q, want %d", len(got), to, subjects, want)
	}
	return got
}

// linkIn returns the token of the set-password link in a mail, failing the
// test unless both parts carry the same one.
func linkIn(t *testing.T, m domain.Mail) string {
	t.Helper()
	text := linkPattern.FindStringSubmatch(m.Text)
	html := linkPattern.FindStringSubmatch(m.HTML)
	if text == nil || html == nil {
		t.Fatalf("mail %q lacks a set-password link in its text or HTML:\n%s", m.Subject, m.Text)
	}
	if text[1] != html[1] {
		t.Fatalf("mail %q: the text links token %q, the HTML %q", m.Subject, text[1], html[1])
	}
	return text[1]
}

// newestLink is the token of the newest of want mails to an address.
func newestLink(t *testing.T, to string, want int) string {
	t.Helper()
	return linkIn(t, mailTo(t, to, want)[0])
}

// withPasswordsConfig rewires the env's services with cfg for the password
// links, and its mail recorded in sentMail.
func (e *env) withPasswordsConfig(cfg domain.PasswordsConfig) {
	c := e.app.Config
	c.Passwords = cfg
	testenv.Rewire(e.app, c, e.clock.Now, e.app.Logger, sentMail.Wrap)
}

// noFloor is the shipped configuration without the forgot-password floor,
// for tests that call ForgotPassword many times and do not time it.
func noFloor() domain.PasswordsConfig {
	cfg := domain.DefaultPasswordsConfig
	cfg.ForgotPasswordFloor = 0
	return cfg
}

// scanFor reads the whole test table (a Scan is fine in a test, never on a
// request path) and returns where any of the secrets appears.
func scanFor(t *testing.T, e *env, secrets ...string) []string {
	t.Helper()
	var found []string
	pages := dynamodb.NewScanPaginator(e.app.Dynamo, &dynamodb.ScanInput{TableName: aws.String(e.app.Config.TableName)})
	for pages.HasMorePages() {
		out, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatalf("Scan: %v", err)
		}
		for _, item := range out.Items {
			for name, v := range item {
				for _, s := range secrets {
					if holds(v, s) {
						found = append(found, fmt.Sprintf("%s/%s attribute %s", str(item["pk"]), str(item["sk"]), name))
					}
				}
			}
		}
	}
	return found
}

func str(v types.AttributeValue) string {
	if s, ok := v.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return fmt.Sprint(v)
}

func holds(v types.AttributeValue, s string) bool {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return strings.Contains(v.Value, s)
	case *types.AttributeValueMemberB:
		return bytes.Contains(v.Value, []byte(s))
	case *types.AttributeValueMemberSS:
		for _, x := range v.Value {
			if strings.Contains(x, s) {
				return true
			}
		}
	case *types.AttributeValueMemberL:
		for _, x := range v.Value {
			if holds(x, s) {
				return true
			}
		}
	case *types.AttributeValueMemberM:
		for k, x := range v.Value {
			if strings.Contains(k, s) || holds(x, s) {
				return true
			}
		}
	}
	return false
}

func TestInviteNewLearner(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	email := mailbox("ada")
	before := e.counts(t, e.org.ID)

	got, err := e.people().Invite(ctx, admin, domain.Invite{NewUser: domain.NewUser{
		FirstName: " Ada ", LastName: "Lovelace", Email: "  " + strings.ToUpper(email), Access: domain.AccessSubscription,
	}})
	if err != nil {
		t.Fatalf("Invite: %v", err)
	}
	if !got.Created {
		t.Errorf("Created = false for a new person")
	}
	stored := e.stored(t, got.User)
	want := domain.User{
		ID: got.User.ID, OrgID: e.org.ID, FirstName: "Ada", LastName: "Lovelace", Email: email,
		Status: domain.StatusInvited, Seat: true, CreatedAt: start, InviteTokenHash: stored.InviteTokenHash, Revision: 1,
	}
	if diff := cmp.Diff(want, stored); diff != "" {
		t.Errorf("stored user (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, got.User); diff != "" {
		t.Errorf("returned user (-want +got):\n%s", diff)
	}

	// The seat is taken at once.
	wantCounts := before
	wantCounts.Invited++
	wantCounts.SeatsUsed++
	if diff := cmp.Diff(wantCounts, e.counts(t, e.org.ID)); diff != "" {
		t.Errorf("counts after the invite (-want +got):\n%s", diff)
	}

	m := mailTo(t, email, 1)[0]
	if !strings.Contains(m.Subject, "Grace Hopper invited you to Acme Corp") {
		t.Errorf("subject %q does not say who invited whom where", m.Subject)
	}
	token := linkIn(t, m)
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if len(token) != 43 || err != nil || len(raw) != 32 {
		t.Fatalf("token %q: %d characters, decodes to %d bytes (%v); want 43 characters of base64url, 32 bytes", token, len(token), len(raw), err)
	}
	sum := sha256.Sum256([]byte(token))
	hash := hex.EncodeToString(sum[:])
	if stored.InviteTokenHash != hash {
		t.Errorf("user's invite hash %q, want the SHA-256 of the mailed token %q", stored.InviteTokenHash, hash)
	}
	link, err := e.app.Store.FindToken(ctx, hash)
	if err != nil {
		t.Fatalf("FindToken(sha256 of the mailed token): %v", err)
	}
	wantLink := domain.OneTimeToken{Hash: hash, Purpose: domain.PurposeInvite, OrgID: e.org.ID, UserID: got.User.ID, CreatedAt: start, ExpiresAt: start.Add(inviteTTL)}
	if diff := cmp.Diff(wantLink, link); diff != "" {
		t.Errorf("stored link (-want +got):\n%s", diff)
	}
	if where := scanFor(t, e, token, hex.EncodeToString(raw), base64.StdEncoding.EncodeToString(raw)); len(where) > 0 {
		t.Errorf("the raw invite token is stored: %v", where)
	}
	if where := scanFor(t, e, hash); len(where) == 0 {
		t.Errorf("the token's hash is stored nowhere; the scan cannot be trusted")
	}
}

func TestInviteWithoutAFreeSeat(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 2)
	e.add(t, person(e.org.ID, "Alan", "Turing", domain.StatusActive)) // 2 of 2 seats used
	tests := []struct {
		access   string
		wantCode string
	}{
		{domain.AccessSubscription, domain.CodeSeatLimitReached},
		{domain.AccessBoth, domain.CodeSeatLimitReached},
		// Admin rights alone use no seat.
		{domain.AccessAdmin, ""},
	}
	for _, tt := range tests {
		t.Run(tt.access, func(t *testing.T) {
			email := mailbox(tt.access)
			before := e.counts(t, e.org.ID)
			got, err := e.people().Invite(context.Background(), admin, domain.Invite{NewUser: domain.NewUser{
				FirstName: "Edsger", LastName: "Dijkstra", Email: email, Access: tt.access,
			}})
			if tt.wantCode == "" {
				if err != nil || got.User.Seat || !got.User.Admin || got.User.Status != domain.StatusInvited {
					t.Fatalf("Invite with admin access and no free seat: %+v, %v; want an invited admin without a seat", accessOf(got.User), err)
				}
				return
			}
			e2 := codedError(t, "Invite", err, tt.wantCode)
			if !strings.Contains(e2.Message, "2 of 2") {
				t.Errorf("message %q does not give the figures (2 of 2 seats in use)", e2.Message)
			}
			if _, err := e.app.Store.FindUserByEmail(context.Background(), email); domain.ErrorCode(err) != domain.CodeNotFound {
				t.Errorf("FindUserByEmail after the refusal: %v, want not_found (nothing written)", err)
			}
			if diff := cmp.Diff(before, e.counts(t, e.org.ID)); diff != "" {
				t.Errorf("counts moved (-before +after):\n%s", diff)
			}
			mailTo(t, email, 0)
		})
	}
}

func TestInviteEmailOfAnotherOrganization(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	_, other := e.createOrg(t, "Globex", 5)
	for _, access := range []string{domain.AccessSubscription, domain.AccessAdmin, domain.AccessBoth} {
		t.Run(access, func(t *testing.T) {
			before := e.counts(t, e.org.ID)
			_, err := e.people().Invite(context.Background(), admin, domain.Invite{NewUser: domain.NewUser{
				FirstName: "Someone", LastName: "Else", Email: strings.ToUpper(other.Email), Access: access,
			}})
			codedError(t, "Invite of another organization's user", err, domain.CodeEmailInUse)
			if diff := cmp.Diff(other, e.stored(t, other)); diff != "" {
				t.Errorf("the other organization's user changed (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(before, e.counts(t, e.org.ID)); diff != "" {
				t.Errorf("counts moved (-before +after):\n%s", diff)
			}
		})
	}
}

func TestInviteSomeoneAlreadyInTheOrganization(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 10)
	withoutPassword := person(e.org.ID, "Ida", "Inactive", domain.StatusInactive)
	withPassword := person(e.org.ID, "Paula", "Inactive", domain.StatusInactive)
	withPassword.PasswordHash = userPasswordHash()
	tests := []struct {
		name   string
		give   domain.User
		access string
		want   access
		// wantSeats and wantAdmins are the moves of the counters.
		wantSeats, wantAdmins int
		wantInvite            bool
	}{
		{"learner gets admin rights", person(e.org.ID, "Lea", "Learner", domain.StatusActive), domain.AccessAdmin,
			access{domain.StatusActive, true, true}, 0, 1, false},
		{"admin gets a seat", func() domain.User {
			u := person(e.org.ID, "Adam", "Admin", domain.StatusActive)
			u.Seat, u.Admin = false, true
			return u
		}(), domain.AccessSubscription, access{domain.StatusActive, true, true}, 1, 0, false},
		{"learner asked for a seat again", person(e.org.ID, "Sam", "Same", domain.StatusActive), domain.AccessSubscription,
			access{domain.StatusActive, true, false}, 0, 0, false},
		{"invited learner gets both", person(e.org.ID, "Ivy", "Invited", domain.StatusInvited), domain.AccessBoth,
			access{domain.StatusInvited, true, true}, 0, 1, false},
		{"inactive with a password gets a seat", withPassword, domain.AccessSubscription,
			access{domain.StatusActive, true, false}, 1, 0, false},
		{"inactive without a password is invited again", withoutPassword, domain.AccessAdmin,
			access{domain.StatusInvited, false, true}, 0, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := e.add(t, tt.give)
			before := e.counts(t, e.org.ID)
			// Addresses are compared in any case.
			got, err := e.people().Invite(context.Background(), admin, domain.Invite{NewUser: domain.NewUser{
				FirstName: "Other", LastName: "Name", Email: " " + strings.ToUpper(u.Email) + " ", Access: tt.access,
			}})
			if err != nil {
				t.Fatalf("Invite: %v", err)
			}
			if got.Created {
				t.Errorf("Created = true for someone already in the organization")
			}
			if got.User.ID != u.ID || got.User.FirstName != u.FirstName {
				t.Errorf("Invite returned %s %s (%s), want the existing user %s %s unchanged in name", got.User.FirstName, got.User.LastName, got.User.ID, u.FirstName, u.LastName)
			}
			if diff := cmp.Diff(tt.want, accessOf(e.stored(t, u))); diff != "" {
				t.Errorf("stored access (-want +got):\n%s", diff)
			}
			after := e.counts(t, e.org.ID)
			if got := after.SeatsUsed - before.SeatsUsed; got != tt.wantSeats {
				t.Errorf("seats used moved by %d, want %d", got, tt.wantSeats)
			}
			if got := after.Admins - before.Admins; got != tt.wantAdmins {
				t.Errorf("admins moved by %d, want %d", got, tt.wantAdmins)
			}
			mails := 0
			if tt.wantInvite {
				mails = 1
			}
			mailTo(t, u.Email, mails)
		})
	}
}

func TestAddedAdminRightsReachAnOpenSession(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	lea := e.add(t, person(e.org.ID, "Lea", "Learner", domain.StatusActive))
	token := e.sessionOf(t, lea.Email)
	if _, err := e.people().Invite(context.Background(), admin, domain.Invite{NewUser: domain.NewUser{
		FirstName: "Lea", LastName: "Learner", Email: lea.Email, Access: domain.AccessAdmin,
	}}); err != nil {
		t.Fatalf("Invite: %v", err)
	}
	p, err := e.authenticate(token)
	if err != nil {
		t.Fatalf("Authenticate with the session opened before: %v, want it to go on", err)
	}
	if !p.User.Admin {
		t.Errorf("the open session has User.Admin = false; the new rights must apply without signing in again")
	}
}

func TestDeactivate(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 10)
	ctx := context.Background()
	both := person(e.org.ID, "Bo", "Both", domain.StatusActive)
	both.Admin = true
	tests := []struct {
		name         string
		give         domain.User
		want         access
		wantSessions bool
	}{
		{"learner", person(e.org.ID, "Lea", "Learner", domain.StatusActive), access{domain.StatusInactive, false, false}, false},
		{"admin with a seat keeps the admin rights", both, access{domain.StatusActive, false, true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := e.add(t, tt.give)
			session := e.sessionOf(t, u.Email)
			before := e.counts(t, e.org.ID)
			got, err := e.people().Deactivate(ctx, admin, u.ID)
			if err != nil {
				t.Fatalf("Deactivate: %v", err)
			}
			if diff := cmp.Diff(tt.want, accessOf(got)); diff != "" {
				t.Errorf("returned access (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, accessOf(e.stored(t, u))); diff != "" {
				t.Errorf("stored access (-want +got):\n%s", diff)
			}
			if got := e.counts(t, e.org.ID).SeatsUsed; got != before.SeatsUsed-1 {
				t.Errorf("seats used %d, want %d (one freed)", got, before.SeatsUsed-1)
			}
			p, err := e.authenticate(session)
			switch {
			case tt.wantSessions && err != nil:
				t.Errorf("Authenticate after Deactivate: %v, want the session to go on", err)
			case tt.wantSessions && !p.User.Admin:
				t.Errorf("the session lost the admin rights")
			case !tt.wantSessions:
				codedError(t, "Authenticate after Deactivate", err, domain.CodeUnauthorized)
			}

			// Again: nothing changes and nothing is written.
			stored := e.stored(t, u)
			e.calls.Reset()
			again, err := e.people().Deactivate(ctx, admin, u.ID)
			if err != nil {
				t.Fatalf("second Deactivate: %v", err)
			}
			if diff := cmp.Diff(stored, again); diff != "" {
				t.Errorf("second Deactivate returned another user (-stored +returned):\n%s", diff)
			}
			if n := e.calls.Count("TransactWriteItems"); n != 0 {
				t.Errorf("second Deactivate wrote %d transactions, want none", n)
			}
		})
	}
}

func TestActivate(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 3) // the admin holds 1
	ctx := context.Background()
	withPassword := person(e.org.ID, "Paula", "Password", domain.StatusInactive)
	withPassword.PasswordHash = userPasswordHash()
	tests := []struct {
		name string
		give domain.User
		want access
	}{
		{"with a password", withPassword, access{domain.StatusActive, true, false}},
		{"without a password", person(e.org.ID, "Nina", "Nopass", domain.StatusInactive), access{domain.StatusInvited, true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := e.add(t, tt.give)
			before := e.counts(t, e.org.ID)
			got, err := e.people().Activate(ctx, admin, u.ID)
			if err != nil {
				t.Fatalf("Activate: %v", err)
			}
			if diff := cmp.Diff(tt.want, accessOf(e.stored(t, u))); diff != "" {
				t.Errorf("stored access (-want +got):\n%s", diff)
			}
			if got := e.counts(t, e.org.ID).SeatsUsed; got != before.SeatsUsed+1 {
				t.Errorf("seats used %d, want %d", got, before.SeatsUsed+1)
			}
			e.calls.Reset()
			again, err := e.people().Activate(ctx, admin, u.ID)
			if err != nil || again.Revision != got.Revision {
				t.Errorf("second Activate: revision %d, %v; want revision %d unchanged", again.Revision, err, got.Revision)
			}
			if n := e.calls.Count("TransactWriteItems"); n != 0 {
				t.Errorf("second Activate wrote %d transactions, want none", n)
			}
		})
	}
	t.Run("no free seat", func(t *testing.T) {
		u := e.add(t, person(e.org.ID, "Walt", "Waiting", domain.StatusInactive))
		before := e.counts(t, e.org.ID)
		_, err := e.people().Activate(ctx, admin, u.ID)
		got := codedError(t, "Activate with 3 of 3 seats used", err, domain.CodeSeatLimitReached)
		if !strings.Contains(got.Message, "3 of 3") {
			t.Errorf("message %q does not give the figures (3 of 3)", got.Message)
		}
		if diff := cmp.Diff(u, e.stored(t, u)); diff != "" {
			t.Errorf("the user changed (-before +after):\n%s", diff)
		}
		if diff := cmp.Diff(before, e.counts(t, e.org.ID)); diff != "" {
			t.Errorf("counts moved (-before +after):\n%s", diff)
		}
	})
}

func TestReactivationDoesNotRestoreEndedSessions(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	lea := e.add(t, person(e.org.ID, "Lea", "Learner", domain.StatusActive))
	session := e.sessionOf(t, lea.Email)
	if _, err := e.people().Deactivate(ctx, admin, lea.ID); err != nil {
		t.Fatalf("Deactivate: %v", err)
	}
	if _, err := e.people().Activate(ctx, admin, lea.ID); err != nil {
		t.Fatalf("Activate: %v", err)
	}
	_, err := e.authenticate(session)
	codedError(t, "Authenticate with a session ended by deactivation", err, domain.CodeUnauthorized)
	e.sessionOf(t, lea.Email)
}

func TestAdminRightsAndSeatAreIndependent(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 10)
	ctx := context.Background()
	inactive := person(e.org.ID, "Ina", "Inactive", domain.StatusInactive)
	inactive.PasswordHash = userPasswordHash()
	tests := []struct {
		name                  string
		give                  domain.User
		wantGranted, wantBack access
	}{
		{"learner", person(e.org.ID, "Lea", "Learner", domain.StatusActive),
			access{domain.StatusActive, true, true}, access{domain.StatusActive, true, false}},
		{"invited learner", person(e.org.ID, "Ivy", "Invited", domain.StatusInvited),
			access{domain.StatusInvited, true, true}, access{domain.StatusInvited, true, false}},
		{"inactive", inactive,
			access{domain.StatusActive, false, true}, access{domain.StatusInactive, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := e.add(t, tt.give)
			before := e.counts(t, e.org.ID)
			for range 2 { // the second grant changes nothing
				if _, err := e.people().GrantAdmin(ctx, admin, u.ID); err != nil {
					t.Fatalf("GrantAdmin: %v", err)
				}
			}
			if diff := cmp.Diff(tt.wantGranted, accessOf(e.stored(t, u))); diff != "" {
				t.Errorf("after GrantAdmin (-want +got):\n%s", diff)
			}
			granted := e.counts(t, e.org.ID)
			if granted.SeatsUsed != before.SeatsUsed || granted.Admins != before.Admins+1 {
				t.Errorf("GrantAdmin: seats used %d→%d, admins %d→%d; want seats unchanged, one more admin",
					before.SeatsUsed, granted.SeatsUsed, before.Admins, granted.Admins)
			}
			for range 2 {
				if _, err := e.people().RevokeAdmin(ctx, admin, u.ID); err != nil {
					t.Fatalf("RevokeAdmin: %v", err)
				}
			}
			if diff := cmp.Diff(tt.wantBack, accessOf(e.stored(t, u))); diff != "" {
				t.Errorf("after RevokeAdmin (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, e.counts(t, e.org.ID)); diff != "" {
				t.Errorf("counts after grant and revoke (-before +after):\n%s", diff)
			}
		})
	}
}

func TestLastAdminKeepsTheRights(t *testing.T) {
	t.Parallel()
	e, grace := newSeats(t, 5)
	ctx := context.Background()

	_, err := e.people().RevokeAdmin(ctx, grace, grace.User.ID)
	codedError(t, "RevokeAdmin of yourself, the only admin", err, domain.CodeLastAdmin)

	adminOnly := person(e.org.ID, "Otto", "Only", domain.StatusActive)
	adminOnly.Seat, adminOnly.Admin = false, true
	otto := e.add(t, adminOnly)
	if _, err := e.people().RevokeAdmin(ctx, grace, grace.User.ID); err != nil {
		t.Fatalf("RevokeAdmin of yourself beside another admin: %v", err)
	}
	_, err = e.people().RevokeAdmin(ctx, principal(otto), otto.ID)
	codedError(t, "RevokeAdmin of the last admin, who has no seat", err, domain.CodeLastAdmin)
	if got := e.stored(t, otto); !got.Admin || got.Status != domain.StatusActive {
		t.Errorf("the last admin is now %+v, want an active admin", accessOf(got))
	}
	if c := e.counts(t, e.org.ID); c.Admins != 1 {
		t.Errorf("admins %d, want 1", c.Admins)
	}
}

func TestRevokedAdminSessionLosesThePowersAtOnce(t *testing.T) {
	t.Parallel()
	e, grace := newSeats(t, 5)
	ctx := context.Background()
	both := person(e.org.ID, "Bo", "Both", domain.StatusActive)
	both.Admin = true
	bo := e.add(t, both)
	adminOnly := person(e.org.ID, "Otto", "Only", domain.StatusActive)
	adminOnly.Seat, adminOnly.Admin = false, true
	otto := e.add(t, adminOnly)
	boSession, ottoSession := e.sessionOf(t, bo.Email), e.sessionOf(t, otto.Email)

	for _, u := range []domain.User{bo, otto} {
		if _, err := e.people().RevokeAdmin(ctx, grace, u.ID); err != nil {
			t.Fatalf("RevokeAdmin %s: %v", u.FirstName, err)
		}
	}
	p, err := e.authenticate(boSession)
	if err != nil {
		t.Fatalf("Authenticate as the learner whose admin rights were revoked: %v, want a learner session", err)
	}
	if p.User.Admin {
		t.Errorf("the open session still has admin rights")
	}
	_, err = e.authenticate(ottoSession)
	codedError(t, "Authenticate as the admin without a seat whose rights were revoked", err, domain.CodeUnauthorized)
}

func TestActionsOnUnknownUsers(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	_, stranger := e.createOrg(t, "Globex", 5)
	u, pw := e.people(), e.passwords()
	actions := map[string]func(string) error{
		"Get":          func(id string) error { _, err := u.Get(ctx, admin, id); return err },
		"Deactivate":   func(id string) error { _, err := u.Deactivate(ctx, admin, id); return err },
		"Activate":     func(id string) error { _, err := u.Activate(ctx, admin, id); return err },
		"GrantAdmin":   func(id string) error { _, err := u.GrantAdmin(ctx, admin, id); return err },
		"RevokeAdmin":  func(id string) error { _, err := u.RevokeAdmin(ctx, admin, id); return err },
		"SendReset":    func(id string) error { return pw.SendReset(ctx, admin, id) },
		"ResendInvite": func(id string) error { return pw.ResendInvite(ctx, admin, id) },
		"Activity":     func(id string) error { _, err := e.app.Services.Activity.ForUser(ctx, admin, id); return err },
	}
	for name, act := range actions {
		for _, id := range []string{stranger.ID, domain.NewID(), "not-an-id", ""} {
			codedError(t, fmt.Sprintf("%s(%q)", name, id), act(id), domain.CodeNotFound)
		}
	}
	if diff := cmp.Diff(stranger, e.stored(t, stranger)); diff != "" {
		t.Errorf("the other organization's admin changed (-before +after):\n%s", diff)
	}
	mailTo(t, stranger.Email, 0)
}

func TestInviteIntoATeam(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	team := domain.Team{ID: domain.NewID(), OrgID: e.org.ID, Name: "Blue", CreatedAt: start}
	if err := e.app.Store.CreateTeam(ctx, team); err != nil {
		t.Fatalf("CreateTeam: %v", err)
	}
	lea := e.add(t, person(e.org.ID, "Lea", "Learner", domain.StatusActive))
	newcomer := mailbox("newcomer")
	for _, email := range []string{newcomer, lea.Email} {
		got, err := e.people().Invite(ctx, admin, domain.Invite{
			NewUser: domain.NewUser{FirstName: "Nia", LastName: "Newcomer", Email: email, Access: domain.AccessSubscription},
			TeamID:  team.ID,
		})
		if err != nil {
			t.Fatalf("Invite %s into a team: %v", email, err)
		}
		if diff := cmp.Diff([]string{team.ID}, e.stored(t, got.User).TeamIDs); diff != "" {
			t.Errorf("%s: stored teams (-want +got):\n%s", email, diff)
		}
	}
	page, err := e.people().List(ctx, admin, domain.UserFilter{TeamID: team.ID})
	if err != nil {
		t.Fatalf("List the team: %v", err)
	}
	if diff := cmp.Diff([]string{"Lea Learner", "Nia Newcomer"}, names(page.Users)); diff != "" {
		t.Errorf("the team's members (-want +got):\n%s", diff)
	}
}
