package httpapi_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/testenv"
)

type idleSeatOut struct {
	User         userOut    `json:"user"`
	IdleSince    time.Time  `json:"idleSince"`
	LastActiveAt *time.Time `json:"lastActiveAt"`
	InvitedAt    *time.Time `json:"invitedAt"`
	RemindedAt   *time.Time `json:"remindedAt"`
	KeepSeat     bool       `json:"keepSeat"`
	Teams        []struct {
		ID, Name string
	} `json:"teams"`
}

type idlePageOut struct {
	Items      []idleSeatOut `json:"items"`
	NextCursor string        `json:"nextCursor"`
}

type idleResultsOut struct {
	Results []struct {
		UserID string `json:"userId"`
		OK     bool   `json:"ok"`
		Error  *struct {
			Code string `json:"code"`
		} `json:"error"`
	} `json:"results"`
}

// idleFor makes a user whose seat was given days ago and who was never seen since.
func idleFor(now time.Time, days int) func(*domain.User) {
	return func(u *domain.User) {
		u.CreatedAt = now.AddDate(0, 0, -days-1)
		u.SeatSince = now.AddDate(0, 0, -days).Add(-time.Hour)
	}
}

func idleNames(p idlePageOut) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.User.Email[:strings.IndexByte(it.User.Email, '-')])
	}
	return out
}

// TestIdleSeats goes through the idle seats as an admin does: the lists of
// 30, 60 and 90 days (the longest idle first, with teams and invite age),
// keeping a seat (the exception list), a reminder, deactivating a
// selection; and what each refuses.
func TestIdleSeats(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now().UTC())
	now := clock.Now()
	a, calls, ten := tenantApp(t, clock.Now)
	ctx := context.Background()
	team := domain.Team{ID: domain.NewID(), OrgID: ten.org.ID, Name: "Blue", CreatedAt: now}
	if err := a.Store.CreateTeam(ctx, team); err != nil {
		t.Fatalf("CreateTeam: %v", err)
	}
	addUser(t, a, ten.org.ID, "fresh", "Learner", domain.StatusActive, idleFor(now, 5))
	d35 := addUser(t, a, ten.org.ID, "d35", "Learner", domain.StatusActive, idleFor(now, 35), inTeam(team.ID))
	d65 := addUser(t, a, ten.org.ID, "d65", "Learner", domain.StatusActive, idleFor(now, 65))
	inv := addUser(t, a, ten.org.ID, "inv95", "Invited", domain.StatusInvited, idleFor(now, 95))
	addUser(t, a, ten.org.ID, "gone", "Learner", domain.StatusInactive, idleFor(now, 200))
	// Someone who got the seat long ago but signed in to the learning
	// platform an hour ago is not idle: the ingestion moved them on.
	seen := addUser(t, a, ten.org.ID, "seen", "Learner", domain.StatusActive, idleFor(now, 120))
	clock.Advance(2 * time.Hour) // past the organization's creation
	signedIn := clock.Now().Add(-time.Hour)
	rec, err := a.Services.Ingest.Replay(ctx, []domain.Event{{
		ID: domain.NewID(), OrgID: ten.org.ID, UserID: seen.ID, Kind: domain.EventLogin, At: signedIn,
	}}, 0)
	if err != nil {
		t.Fatalf("record a sign-in: %v", err)
	}
	if got, _ := a.Store.FindUserByID(ctx, ten.org.ID, seen.ID); !got.LastActiveAt.Equal(signedIn) {
		t.Fatalf("after a sign-in on the platform (%+v), lastActiveAt %v, want an hour ago", rec, got.LastActiveAt)
	}
	token := signIn(t, a, ten.admin.Email)
	auth := bearer(token)

	list := func(t *testing.T, query string) idlePageOut {
		t.Helper()
		calls.Reset()
		res := call(t, a, "GET", "/api/idle-seats"+query, "", auth)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /api/idle-seats%s: %d %s", query, res.StatusCode, res.Body)
		}
		return decodeAs[idlePageOut](t, res.Body)
	}
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"", []string{"inv95", "d65", "d35"}},
		{"?days=30", []string{"inv95", "d65", "d35"}},
		{"?days=60", []string{"inv95", "d65"}},
		{"?days=90", []string{"inv95"}},
	} {
		page := list(t, tt.query)
		if diff := cmp.Diff(tt.want, idleNames(page)); diff != "" {
			t.Errorf("idle seats %q (-want +got):\n%s", tt.query, diff)
		}
		if snap := calls.Snapshot(); snap["Query"] != 1 || snap["Scan"] != 0 {
			t.Errorf("idle seats %q made %v, want one Query", tt.query, snap)
		}
	}
	page := list(t, "?days=30")
	byName := map[string]idleSeatOut{}
	for _, it := range page.Items {
		byName[it.User.ID] = it
	}
	if got := byName[d35.ID]; len(got.Teams) != 1 || got.Teams[0].Name != "Blue" || got.InvitedAt != nil {
		t.Errorf("d35: %+v, want team Blue and no invite age", got)
	}
	if got := byName[inv.ID]; got.InvitedAt == nil || now.Sub(*got.InvitedAt) < 95*24*time.Hour {
		t.Errorf("invited: %+v, want invited 95 days ago", got)
	}

	// The dashboard's tile counts those idle 30 days or more.
	var dash struct {
		IdleSeats struct{ Days, Count int } `json:"idleSeats"`
	}
	getJSON(t, a, "/api/dashboard", token, &dash)
	if dash.IdleSeats.Days != 30 || dash.IdleSeats.Count != 3 {
		t.Errorf("dashboard idle seats %+v, want 3 of 30 days", dash.IdleSeats)
	}

	// Keeping a seat moves d65 to the exception list.
	res := call(t, a, "PUT", "/api/users/"+d65.ID+"/keep-seat", `{"keep":true}`, auth)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("keep seat: %d %s", res.StatusCode, res.Body)
	}
	if diff := cmp.Diff([]string{"inv95", "d35"}, idleNames(list(t, "?days=30"))); diff != "" {
		t.Errorf("idle seats after keeping d65 (-want +got):\n%s", diff)
	}
	exceptions := list(t, "?exceptions=true")
	if diff := cmp.Diff([]string{"d65"}, idleNames(exceptions)); diff != "" || !exceptions.Items[0].KeepSeat {
		t.Errorf("exception list (-want +got):\n%s %+v", diff, exceptions.Items)
	}
	getJSON(t, a, "/api/dashboard", token, &dash)
	if dash.IdleSeats.Count != 2 {
		t.Errorf("dashboard idle seats %+v after keeping one, want 2", dash.IdleSeats)
	}

	// A reminder mails the person what their seat gives them.
	calls.Reset()
	res = call(t, a, "POST", "/api/idle-seats/remind", `{"userIds":["`+d35.ID+`"]}`, auth)
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("remind: %d %s", res.StatusCode, res.Body)
	}
	if out := decodeAs[idleResultsOut](t, res.Body); len(out.Results) != 1 || !out.Results[0].OK {
		t.Errorf("remind results %s", res.Body)
	}
	if n := calls.Count("SendEmail"); n != 1 {
		t.Errorf("remind sent %d mails, want 1", n)
	}
	mail := sentMail.To(d35.Email)
	if len(mail) != 1 || !strings.Contains(mail[0].Text, "training catalog") || !strings.Contains(mail[0].Subject, "seat") {
		t.Errorf("reminder mail %+v", mail)
	}
	reminded := false
	for _, it := range list(t, "?days=30").Items {
		reminded = reminded || it.User.ID == d35.ID && it.RemindedAt != nil
	}
	if !reminded {
		t.Errorf("d35 has no remindedAt after the reminder")
	}

	// Deactivating a selection frees the seats, one result per person; an
	// id of nobody here is not found, and does not stop the others.
	other := addTenant(t, a, "Other Corp", 5)
	res = call(t, a, "POST", "/api/idle-seats/deactivate", `{"userIds":["`+d35.ID+`","`+inv.ID+`","`+other.admin.ID+`"]}`, auth)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("deactivate: %d %s", res.StatusCode, res.Body)
	}
	out := decodeAs[idleResultsOut](t, res.Body)
	var oks []bool
	for _, r := range out.Results {
		oks = append(oks, r.OK)
	}
	if diff := cmp.Diff([]bool{true, true, false}, oks); diff != "" || out.Results[2].Error.Code != "not_found" {
		t.Errorf("deactivate results (-want +got):\n%s%s", diff, res.Body)
	}
	if got := idleNames(list(t, "?days=30")); len(got) != 0 {
		t.Errorf("idle seats after deactivating: %v, want none", got)
	}
	var counts struct{ Counts struct{ SeatsUsed int } }
	getJSON(t, a, "/api/users", token, &counts)
	if counts.Counts.SeatsUsed != 4 { // admin, fresh, d65, seen
		t.Errorf("seats used %d after deactivating 2, want 4", counts.Counts.SeatsUsed)
	}

	// What is refused, naming the field, and writing nothing.
	many := make([]string, domain.MaxIdleSelection+1)
	for i := range many {
		many[i] = `"` + domain.NewID() + `"`
	}
	for _, tt := range []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"GET", "/api/idle-seats?days=45", "", 400, "validation_failed"},
		{"GET", "/api/idle-seats?limit=500", "", 400, "validation_failed"},
		{"GET", "/api/idle-seats?exceptions=maybe", "", 400, "validation_failed"},
		{"GET", "/api/idle-seats?cursor=forged", "", 400, "validation_failed"},
		{"PUT", "/api/users/" + d65.ID + "/keep-seat", `{}`, 400, "validation_failed"},
		{"PUT", "/api/users/" + other.admin.ID + "/keep-seat", `{"keep":true}`, 404, "not_found"},
		{"PUT", "/api/users/" + d35.ID + "/keep-seat", `{"keep":true}`, 409, "conflict"},
		{"POST", "/api/idle-seats/remind", `{"userIds":[]}`, 400, "validation_failed"},
		{"POST", "/api/idle-seats/deactivate", `{"userIds":[` + strings.Join(many, ",") + `]}`, 400, "validation_failed"},
	} {
		res := call(t, a, tt.method, tt.path, tt.body, auth)
		if res.StatusCode != tt.status || decodeError(t, res).Error.Code != tt.code {
			t.Errorf("%s %s %s: %d %s, want %d %s", tt.method, tt.path, tt.body, res.StatusCode, res.Body, tt.status, tt.code)
		}
	}
}

// idleOrg is an organization of n imported users, a third of whom have been
// idle 30, 60 or 90 days or more, and its signed-in admin.
func idleOrg(t *testing.T, n int) (*app.App, *testenv.Calls, string) {
	t.Helper()
	clock := testenv.NewClock(time.Now().UTC())
	now := clock.Now()
	a, calls := testenv.NewApp(t, clock.Now)
	ten := addTenant(t, a, "Idle Corp", n+10)
	ctx := context.Background()
	var teams []string
	for _, name := range domain.DemoTeams {
		team := domain.Team{ID: domain.NewID(), OrgID: ten.org.ID, Name: name, CreatedAt: now}
		if err := a.Store.CreateTeam(ctx, team); err != nil {
			t.Fatalf("CreateTeam: %v", err)
		}
		teams = append(teams, team.ID)
	}
	users := make([]domain.User, n)
	for i := range users {
		users[i] = domain.User{
			ID: domain.NewID(), OrgID: ten.org.ID, FirstName: "Pat", LastName: fmt.Sprintf("Idle%05d", i),
			Email: fmt.Sprintf("pat.%d.%s@idle.test", i, ten.org.ID[:6]), Status: domain.StatusActive, Seat: true,
			PasswordHash: idlePasswordHash, CreatedAt: now.AddDate(0, 0, -200), SeatSince: now.AddDate(0, 0, -91-i%120), // idle 90+ days: full pages at every threshold
			TeamIDs: []string{teams[i%len(teams)]},
		}
	}
	if err := a.Store.ImportUsers(ctx, ten.org.ID, users, testenv.Entry(ten.org.ID, domain.AuditImportApplied)); err != nil {
		t.Fatalf("import %d users: %v", n, err)
	}
	return a, calls, signIn(t, a, ten.admin.Email)
}

// TestIdleSeatsCallsPerPage shows that a page of idle seats costs the same
// calls in an organization of 100 users and of 10,000: one Query of gsi4
// for the page and one BatchGetItem for its teams' names (+ the session's
// reads), whichever page and period.
func TestIdleSeatsCallsPerPage(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: imports 10,000 users; make test runs it")
	}
	t.Parallel()
	sizes := []int{100, 10_000}
	got := make([]map[string]map[string]int, len(sizes))
	for i, n := range sizes {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			a, calls, token := idleOrg(t, n)
			got[i] = map[string]map[string]int{}
			for _, days := range []int{30, 60, 90} {
				path := fmt.Sprintf("/api/idle-seats?days=%d&limit=25", days)
				for page := 1; page <= 2; page++ {
					calls.Reset()
					res := call(t, a, "GET", path, "", bearer(token))
					if res.StatusCode != http.StatusOK {
						t.Fatalf("%s: %d %s", path, res.StatusCode, res.Body)
					}
					got[i][fmt.Sprintf("%d days, page %d", days, page)] = calls.Snapshot()
					out := decodeAs[idlePageOut](t, res.Body)
					if len(out.Items) != 25 || out.NextCursor == "" {
						t.Fatalf("%s: %d items, next %q; want a full page and more", path, len(out.Items), out.NextCursor)
					}
					if !slices.IsSortedFunc(out.Items, func(a, b idleSeatOut) int { return a.IdleSince.Compare(b.IdleSince) }) {
						t.Errorf("%s: not the longest idle first", path)
					}
					path = fmt.Sprintf("/api/idle-seats?days=%d&limit=25&cursor=%s", days, out.NextCursor)
				}
			}
			calls.Reset()
			call(t, a, "GET", "/api/dashboard", "", bearer(token))
			got[i]["dashboard"] = calls.Snapshot()
		})
	}
	if t.Failed() {
		return
	}
	for k, small := range got[0] {
		if large := got[1][k]; !maps.Equal(small, large) {
			t.Errorf("%s: %d users made %v, %d users made %v", k, sizes[0], small, sizes[1], large)
		}
	}
	want := map[string]int{"GetItem": 2, "Query": 1, "BatchGetItem": 1}
	if diff := cmp.Diff(want, got[1]["30 days, page 1"]); diff != "" {
		t.Errorf("a page of idle seats (-want +got):\n%s", diff)
	}
	t.Logf("calls per page: %v; dashboard: %v", got[1]["30 days, page 1"], got[1]["dashboard"])
}

// idlePasswordHash stands for a password: an active person has one (the
// import checks that, not what it is; nobody signs in as them).
const idlePasswordHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
