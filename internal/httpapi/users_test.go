package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/password"
	"proportal/internal/ses"
	"proportal/internal/testenv"
)

// demoHash is demoPassword's argon2id hash, made once for the package:
// hashing costs about 0.1 s.
var demoHash = sync.OnceValue(func() string { return password.Hash(demoPassword) })

// tenant is an organization on a test's table and its admin.
type tenant struct {
	org   domain.Organization
	admin domain.User
}

// addTenant stores an organization of seats seats whose admin holds a seat
// and signs in with demoPassword.
func addTenant(t testing.TB, a *app.App, name string, seats int) tenant {
	t.Helper()
	now := time.Now()
	org := domain.Organization{ID: domain.NewID(), Name: name, CreatedAt: now}
	sub := domain.Subscription{
		OrgID: org.ID, SeatsTotal: seats, Features: domain.AllFeatures,
		StartsOn: now.UTC().Truncate(24*time.Hour).AddDate(0, -1, 0), EndsOn: now.UTC().Truncate(24*time.Hour).AddDate(1, 0, 0),
	}
	admin := domain.User{
		ID: domain.NewID(), OrgID: org.ID, FirstName: "Grace", LastName: "Hopper", Email: address("admin"),
		Status: domain.StatusActive, Seat: true, Admin: true, PasswordHash: demoHash(), CreatedAt: now,
	}
	if err := a.Store.CreateOrganization(context.Background(), org, sub, admin, nil, nil); err != nil {
		t.Fatalf("CreateOrganization %s: %v", name, err)
	}
	return tenant{org: org, admin: admin}
}

// tenantApp is an application on a fresh table with one tenant of 20 seats:
// a lighter start than demoApp. now is its clock (nil for the real one). Its
// mail is recorded in sentMail.
func tenantApp(t testing.TB, now domain.Clock) (*app.App, *testenv.Calls, tenant) {
	t.Helper()
	if now == nil {
		now = time.Now
	}
	a, calls := testenv.NewApp(t, now)
	recordMail(a, now)
	ten := addTenant(t, a, "Acme Corp", 20)
	calls.Reset()
	return a, calls, ten
}

// sentMail is the mail that SES accepted from the apps recordMail rewired.
var sentMail testenv.Mailbox

// recordMail rewires an app on the same parts, but with its mail recorded in
// sentMail.
func recordMail(a *app.App, now domain.Clock) {
	testenv.Rewire(a, a.Config, now, a.Logger, sentMail.Wrap)
}

// address is an email address of its own for one test: moto's mailbox is
// shared by the package's tests.
func address(name string) string {
	return fmt.Sprintf("%s-%s@users.example", name, domain.NewID()[:8])
}

// addUser stores a user of orgID in a status as the domain leaves one:
// active with a seat and demoPassword, invited with a seat, inactive with
// neither; then as the options change it.
func addUser(t testing.TB, a *app.App, orgID, first, last, status string, opts ...func(*domain.User)) domain.User {
	t.Helper()
	u := domain.User{
		ID: domain.NewID(), OrgID: orgID, FirstName: first, LastName: last,
		Email: address(strings.ToLower(first)), Status: status, CreatedAt: time.Now(),
	}
	switch status {
	case domain.StatusActive:
		u.Seat, u.PasswordHash = true, demoHash()
	case domain.StatusInvited:
		u.Seat = true
	}
	for _, o := range opts {
		o(&u)
	}
	if err := a.Store.CreateUser(context.Background(), u, nil); err != nil {
		t.Fatalf("CreateUser %s: %v", u.Email, err)
	}
	u.Revision = 1
	return u
}

// inTeam puts a user in a team.
func inTeam(teamID string) func(*domain.User) {
	return func(u *domain.User) { u.TeamIDs = append(u.TeamIDs, teamID) }
}

// asAdmin gives a user admin rights.
func asAdmin(u *domain.User) { u.Admin = true }

type userOut struct {
	ID     string `json:"id"`
	Email  string `json:"email"`
	Status string `json:"status"`
	Seat   bool   `json:"seat"`
	Admin  bool   `json:"admin"`
}

type pageOut struct {
	Items      []userOut `json:"items"`
	NextCursor string    `json:"nextCursor"`
}

var linkPattern = regexp.MustCompile(`/set-password#token=([A-Za-z0-9_-]+)`)

// linkTo returns the token of the set-password link in the only mail SES
// accepted for an address. Mail is sent before the answer, so nothing is
// awaited.
func linkTo(t *testing.T, email string) string {
	t.Helper()
	mails := sentMail.To(email)
	if len(mails) != 1 {
		t.Fatalf("%d mails to %s, want 1", len(mails), email)
	}
	m := linkPattern.FindStringSubmatch(mails[0].Text)
	if m == nil {
		t.Fatalf("mail %q has no set-password link:\n%s", mails[0].Subject, mails[0].Text)
	}
	return m[1]
}

func TestForgotPasswordAnswersAlike(t *testing.T) {
	t.Parallel()
	a, _, ten := tenantApp(t, nil)
	known := addUser(t, a, ten.org.ID, "Ivy", "Invited", domain.StatusInvited)
	inactive := addUser(t, a, ten.org.ID, "Ina", "Inactive", domain.StatusInactive)
	ask := func(email string) (int, string) {
		res := call(t, a, "POST", "/api/auth/forgot-password", `{"email":"`+email+`"}`, nil)
		return res.StatusCode, res.Body
	}
	knownStatus, knownBody := ask(known.Email)
	if knownStatus != http.StatusAccepted {
		t.Fatalf("forgot-password for a known email: %d %s, want 202", knownStatus, knownBody)
	}
	for name, email := range map[string]string{"unknown": address("nobody"), "inactive": inactive.Email} {
		status, body := ask(email)
		if status != knownStatus || body != knownBody {
			t.Errorf("%s email: %d %q; known email: %d %q; want the same bytes", name, status, body, knownStatus, knownBody)
		}
	}
	// The known address did get a link: the answers match although the paths differ.
	linkTo(t, known.Email)
}

func TestInviteWhenMailFails(t *testing.T) {
	t.Parallel()
	a, _, ten := tenantApp(t, nil)
	token := signIn(t, a, ten.admin.Email)
	from := address("unverified-sender")
	cfg := a.Config
	cfg.MailFrom = from
	var log testenv.Buffer
	unverified := app.NewWith(cfg, a.AWS, time.Now, ses.FromConfig, slog.New(slog.NewJSONHandler(&log, nil)))
	recordMail(unverified, time.Now)

	email := address("mailless")
	res := call(t, unverified, "POST", "/api/users",
		`{"firstName":"Mia","lastName":"Mailless","email":"`+email+`","access":"subscription"}`, bearer(token))
	// Logged once, by the edge, with SES's reason; not again by the service.
	if n := strings.Count(log.String(), "MessageRejected"); n != 1 || strings.Count(log.String(), `"level":"ERROR"`) != 1 {
		t.Errorf("the failed mail was logged %d times (want once, as the request's error):\n%s", n, log.String())
	}

	// Behind forgot-password's uniform answer the service logs it, once.
	log.Reset()
	if res := call(t, unverified, "POST", "/api/auth/forgot-password", `{"email":"`+ten.admin.Email+`"}`, nil); res.StatusCode != http.StatusAccepted {
		t.Fatalf("forgot password: %d %s", res.StatusCode, res.Body)
	}
	if n := strings.Count(log.String(), "MessageRejected"); n != 1 {
		t.Errorf("the failed reset mail was logged %d times, want once:\n%s", n, log.String())
	}
	if res.StatusCode != http.StatusBadGateway {
		t.Fatalf("invite with an unverified sender: %d %s, want 502", res.StatusCode, res.Body)
	}
	if code := decodeError(t, res).Error.Code; code != "mail_failed" {
		t.Errorf("code %q, want mail_failed", code)
	}

	var list pageOut
	getJSON(t, unverified, "/api/users?status=invited", token, &list)
	var invited *userOut
	for i, u := range list.Items {
		if u.Email == email {
			invited = &list.Items[i]
		}
	}
	if invited == nil {
		t.Fatalf("the invited user is not in the invited list: %+v", list.Items)
	}
	if invited.Status != "invited" || !invited.Seat {
		t.Errorf("invited user %+v, want invited with a seat", *invited)
	}

	testenv.VerifySender(t, a.AWS, from)
	res = call(t, unverified, "POST", "/api/users/"+invited.ID+"/resend-invite", "", bearer(token))
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("resend-invite once the sender is verified: %d %s, want 202", res.StatusCode, res.Body)
	}
	link := linkTo(t, email)
	res = call(t, unverified, "POST", "/api/auth/set-password", `{"token":"`+link+`","password":"a brand new passphrase"}`, nil)
	if res.StatusCode != http.StatusOK {
		t.Errorf("set-password with the resent link: %d %s, want 200", res.StatusCode, res.Body)
	}
}

// TestCallsPerUserAction pins the AWS calls of each action on users: a
// constant, whatever the size of the organization, and never a Scan.
func TestCallsPerUserAction(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now()) // stopped: no session is old enough to be touched
	a, calls, ten := tenantApp(t, clock.Now)
	ctx := context.Background()
	team := domain.Team{ID: domain.NewID(), OrgID: ten.org.ID, Name: "Blue", CreatedAt: clock.Now()}
	if err := a.Store.CreateTeam(ctx, team); err != nil {
		t.Fatalf("CreateTeam: %v", err)
	}
	for i := range 5 {
		addUser(t, a, ten.org.ID, "Tim", fmt.Sprintf("Member%d", i), domain.StatusActive, inTeam(team.ID))
	}
	lea := addUser(t, a, ten.org.ID, "Lea", "Learner", domain.StatusActive)
	ivy := addUser(t, a, ten.org.ID, "Ivy", "Invited", domain.StatusInvited)
	token := signIn(t, a, ten.admin.Email)
	auth := bearer(token)
	user := "/api/users/" + lea.ID
	invite := `{"firstName":"Nia","lastName":"New","email":"` + address("new") + `","access":"subscription"}`

	tests := []struct {
		name, method, path, body string
		wantStatus               int
		want                     map[string]int
	}{
		// Every action reads the session and its user: 2 GetItem.
		{"list page", "GET", "/api/users?status=active&limit=3", "", 200, map[string]int{"GetItem": 3, "Query": 1}},
		{"list everyone", "GET", "/api/users", "", 200, map[string]int{"GetItem": 3, "Query": 1}},
		{"list admins", "GET", "/api/users?status=admins", "", 200, map[string]int{"GetItem": 3, "Query": 1}},
		{"search", "GET", "/api/users?q=tim", "", 200, map[string]int{"GetItem": 3, "Query": 1, "BatchGetItem": 1}},
		{"team", "GET", "/api/users?teamId=" + team.ID, "", 200, map[string]int{"GetItem": 4, "Query": 1, "BatchGetItem": 1}},
		{"get", "GET", user, "", 200, map[string]int{"GetItem": 3}},
		{"invite", "POST", "/api/users", invite, 201, map[string]int{"GetItem": 4, "TransactWriteItems": 1, "SendEmail": 1}},
		{"deactivate", "POST", user + "/deactivate", "", 200, map[string]int{"GetItem": 3, "TransactWriteItems": 1}},
		{"activate", "POST", user + "/activate", "", 200, map[string]int{"GetItem": 3, "TransactWriteItems": 1}},
		// Granting admin rights mails the person (the organization's name: 1 GetItem).
		{"grant", "POST", user + "/admin", "", 200, map[string]int{"GetItem": 4, "TransactWriteItems": 1, "SendEmail": 1}},
		{"revoke", "DELETE", user + "/admin", "", 200, map[string]int{"GetItem": 3, "TransactWriteItems": 1}},
		{"reset", "POST", user + "/password-reset", "", 202, map[string]int{"GetItem": 4, "TransactWriteItems": 1, "SendEmail": 1}},
		{"resend", "POST", "/api/users/" + ivy.ID + "/resend-invite", "", 202, map[string]int{"GetItem": 4, "TransactWriteItems": 1, "SendEmail": 1}},
		{"teams", "GET", "/api/teams", "", 200, map[string]int{"GetItem": 2, "Query": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls.Reset()
			res := call(t, a, tt.method, tt.path, tt.body, auth)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("%s %s: %d %s, want %d", tt.method, tt.path, res.StatusCode, res.Body, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.want, calls.Snapshot()); diff != "" {
				t.Errorf("%s %s: AWS calls (-want +got):\n%s", tt.method, tt.path, diff)
			}
		})
	}
	if n := calls.Count("Scan"); n != 0 {
		t.Errorf("%d Scan calls; every request must be served by GetItem, Query or BatchGetItem", n)
	}
}

func TestUserListPageIsOneQuery(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now())
	a, calls, ten := tenantApp(t, clock.Now)
	const people = 53
	for range people {
		// One name for all keeps the table small: moto copies all of it for
		// every item of every transaction.
		addUser(t, a, ten.org.ID, "Pat", "Pat", domain.StatusInactive)
	}
	token := signIn(t, a, ten.admin.Email)

	path := "/api/users?status=inactive&limit=50"
	var seen []string
	for page := 1; path != ""; page++ {
		calls.Reset()
		res := call(t, a, "GET", path, "", bearer(token))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("page %d: %d %s", page, res.StatusCode, res.Body)
		}
		if n := calls.Count("Query"); n != 1 || calls.Count("Scan") != 0 || calls.Count("BatchGetItem") != 0 {
			t.Errorf("page %d made %v, want exactly one Query", page, calls.Snapshot())
		}
		var out pageOut
		if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		wantLen := 50
		if page == 2 {
			wantLen = people - 50
		}
		if len(out.Items) != wantLen {
			t.Errorf("page %d holds %d users, want %d", page, len(out.Items), wantLen)
		}
		for _, u := range out.Items {
			seen = append(seen, u.ID)
		}
		path = ""
		if out.NextCursor != "" {
			if page == 2 {
				t.Fatalf("page 2 of %d users in pages of 50 has a next cursor", people)
			}
			path = "/api/users?status=inactive&limit=50&cursor=" + out.NextCursor
		}
	}
	if len(seen) != people {
		t.Errorf("the pages hold %d users, want %d", len(seen), people)
	}
}

func TestInviteAnswers(t *testing.T) {
	t.Parallel()
	a, _, ten := tenantApp(t, nil)
	lea := addUser(t, a, ten.org.ID, "Lea", "Learner", domain.StatusActive)
	auth := bearer(signIn(t, a, ten.admin.Email))
	newcomer := address("newcomer")
	tests := []struct {
		name, body  string
		wantStatus  int
		wantOutcome string
		want        userOut
	}{
		{"a new person", `{"firstName":"Nia","lastName":"New","email":"` + strings.ToUpper(newcomer) + `","access":"both"}`,
			http.StatusCreated, "created", userOut{Email: newcomer, Status: "invited", Seat: true, Admin: true}},
		{"someone already in the organization", `{"firstName":"Lea","lastName":"Learner","email":"` + lea.Email + `","access":"admin"}`,
			http.StatusOK, "added", userOut{ID: lea.ID, Email: lea.Email, Status: "active", Seat: true, Admin: true}},
		{"someone who already has that access", `{"firstName":"Lea","lastName":"Learner","email":"` + lea.Email + `","access":"both"}`,
			http.StatusOK, "unchanged", userOut{ID: lea.ID, Email: lea.Email, Status: "active", Seat: true, Admin: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := call(t, a, "POST", "/api/users", tt.body, auth)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("invite: %d %s, want %d", res.StatusCode, res.Body, tt.wantStatus)
			}
			if got := res.Headers["Invite-Outcome"]; got != tt.wantOutcome {
				t.Errorf("Invite-Outcome %q, want %q", got, tt.wantOutcome)
			}
			var got userOut
			if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
				t.Fatalf("invite answer %q: %v", res.Body, err)
			}
			if tt.want.ID == "" {
				tt.want.ID = got.ID
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("invited user (-want +got):\n%s", diff)
			}
		})
	}
}
