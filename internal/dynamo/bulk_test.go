package dynamo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
	"proportal/internal/testenv"
)

// importedUsers are n users of orgID with varied names: every seventh is
// inactive, every fifth (of the rest) invited, the others active; every
// eleventh is an admin; each is in one of teams (if any), in turn.
func importedUsers(orgID string, n int, teams []string) []domain.User {
	firsts := []string{"Ada", "Alan", "Maria", "Mark", "Nina", "Omar", "Priya", "Sven", "Yuki", "Zoe"}
	lasts := []string{"Abbott", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haas", "Ito", "Jones", "Klein"}
	users := make([]domain.User, n)
	for i := range users {
		u := domain.User{
			ID: domain.NewID(), OrgID: orgID, FirstName: firsts[i%len(firsts)], LastName: lasts[(i/len(firsts))%len(lasts)],
			CreatedAt: t0, Seat: true, Admin: i%11 == 0, Status: domain.StatusActive,
			PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		}
		if len(teams) > 0 {
			u.TeamIDs = []string{teams[i%len(teams)]}
		}
		u.Email = fmt.Sprintf("%s.%s.%d@import.example", strings.ToLower(u.FirstName), strings.ToLower(u.LastName), i)
		switch {
		case i%7 == 3:
			u.Status, u.Seat, u.Admin = domain.StatusInactive, false, false
		case i%5 == 1:
			u.Status, u.PasswordHash = domain.StatusInvited, ""
		}
		users[i] = u
	}
	return users
}

// tally counts users the way the subscription's counters do.
func tally(users []domain.User) domain.UserCounts {
	var c domain.UserCounts
	for _, u := range users {
		switch u.Status {
		case domain.StatusActive:
			c.Active++
		case domain.StatusInvited:
			c.Invited++
		case domain.StatusInactive:
			c.Inactive++
		}
		if u.Seat {
			c.SeatsUsed++
		}
		if u.Admin {
			c.Admins++
		}
	}
	return c
}

// allPages reads every page of a user query, limit users at a time.
func allPages(t *testing.T, e *env, orgID string, q domain.UserQuery) []domain.User {
	t.Helper()
	var all []domain.User
	for page := 0; ; page++ {
		if page > 100 {
			t.Fatalf("FindUsers(%+v) has no last page", q)
		}
		users, next, err := e.store.FindUsers(context.Background(), orgID, q)
		if err != nil {
			t.Fatalf("FindUsers(%+v): %v", q, err)
		}
		all = append(all, users...)
		if next == "" {
			return all
		}
		q.After = next
	}
}

func ids(users []domain.User) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}

// byName orders users as the list does: last name, first name, id.
func byName(users []domain.User) []domain.User {
	out := slices.Clone(users)
	slices.SortFunc(out, func(a, b domain.User) int {
		return strings.Compare(a.SortName()+"\x1f"+a.ID, b.SortName()+"\x1f"+b.ID)
	})
	return out
}

func TestImportUsers(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: imports 300 users with their search and team items; make test runs it")
	}
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, first := e.createOrg(t, 400, "owner@import.example")
	var teams []string
	for _, name := range []string{"Engineering", "Sales"} {
		team := domain.Team{ID: domain.NewID(), OrgID: o.ID, Name: name, CreatedAt: t0}
		if err := e.store.CreateTeam(ctx, team); err != nil {
			t.Fatalf("CreateTeam: %v", err)
		}
		teams = append(teams, team.ID)
	}
	users := importedUsers(o.ID, 300, teams)
	e.calls.Reset()
	if err := e.store.ImportUsers(ctx, o.ID, users, testenv.Entry(o.ID, domain.AuditImportApplied)); err != nil {
		t.Fatalf("ImportUsers: %v", err)
	}
	// Each user is 1 user item, 1 email item, 6 search entries (first, last
	// and full name both ways, email, email domain) and 1 team entry.
	if got, want := e.calls.Count("BatchWriteItem"), 300*9/25; got != want {
		t.Errorf("ImportUsers made %d BatchWriteItem calls, want %d (25 items each)", got, want)
	}
	if got := e.calls.Count("UpdateItem"); got != len(teams) {
		t.Errorf("ImportUsers made %d UpdateItem calls, want 1 for each team's counts", got)
	}
	if got := e.calls.Count("TransactWriteItems"); got != 1 {
		t.Errorf("ImportUsers made %d TransactWriteItems, want 1 (the counters with the audit entry)", got)
	}
	for _, id := range teams {
		team, err := e.store.FindTeam(ctx, o.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		want := domain.MemberCounts{}
		for _, u := range users {
			if slices.Contains(u.TeamIDs, id) {
				switch u.Status {
				case domain.StatusActive:
					want.Active++
				case domain.StatusInvited:
					want.Invited++
				default:
					want.Inactive++
				}
			}
		}
		if team.Members != want {
			t.Errorf("team %s counts %+v, want %+v", team.Name, team.Members, want)
		}
	}

	everyone := append([]domain.User{first}, users...)
	want := tally(everyone)
	want.SeatsTotal = 400
	counts, err := e.store.FindUserCounts(ctx, o.ID)
	if err != nil {
		t.Fatalf("FindUserCounts: %v", err)
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("counters mismatch (-want +got):\n%s", diff)
	}

	keep := func(users []domain.User, f func(domain.User) bool) []domain.User {
		var out []domain.User
		for _, u := range users {
			if f(u) {
				out = append(out, u)
			}
		}
		return out
	}
	tests := []struct {
		name string
		give domain.UserQuery
		want []domain.User
	}{
		{"active", domain.UserQuery{Status: domain.StatusActive, Limit: 50},
			keep(everyone, func(u domain.User) bool { return u.Status == domain.StatusActive })},
		{"invited", domain.UserQuery{Status: domain.StatusInvited, Limit: 50},
			keep(everyone, func(u domain.User) bool { return u.Status == domain.StatusInvited })},
		{"admins", domain.UserQuery{Status: domain.FilterAdmins, Limit: 50},
			keep(everyone, func(u domain.User) bool { return u.Admin })},
		{"all", domain.UserQuery{Status: domain.FilterAll, Limit: 200}, everyone},
		{"team", domain.UserQuery{Status: domain.FilterAll, TeamID: teams[1], Limit: 50},
			keep(users, func(u domain.User) bool { return u.InTeam(teams[1]) })},
		{"search by first name", domain.UserQuery{Status: domain.FilterAll, Prefix: "mar", Limit: 200},
			keep(users, func(u domain.User) bool { return strings.HasPrefix(u.FirstName, "Mar") })},
		{"search by last name, inactive", domain.UserQuery{Status: domain.StatusInactive, Prefix: "gar", Limit: 200},
			keep(users, func(u domain.User) bool { return u.LastName == "Garcia" && u.Status == domain.StatusInactive })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.want) == 0 {
				t.Fatal("the test data has no such users")
			}
			got := allPages(t, e, o.ID, tt.give)
			if diff := cmp.Diff(ids(byName(tt.want)), ids(got)); diff != "" {
				t.Errorf("FindUsers(%+v) mismatch (-want +got):\n%s", tt.give, diff)
			}
		})
	}

	u := users[42]
	byEmail, err := e.store.FindUserByEmail(ctx, u.Email)
	if err != nil {
		t.Fatalf("FindUserByEmail: %v", err)
	}
	u.Revision = 1 // as if created
	if diff := cmp.Diff(u, byEmail); diff != "" {
		t.Errorf("imported user mismatch (-want +got):\n%s", diff)
	}
}

func TestImportUsersRefusesWritingNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, first := e.createOrg(t, 10, "owner@refuse.example")
	valid := func() []domain.User { return importedUsers(o.ID, 14, nil) }
	tests := []struct {
		name string
		give []domain.User
		want string
	}{
		{"more seats than free", valid(), domain.CodeSeatLimitReached},
		{"an address with an account", func() []domain.User {
			users := valid()[:3]
			users[1].Email = first.Email
			return users
		}(), domain.CodeEmailInUse},
		{"an address twice", func() []domain.User {
			users := valid()[:3]
			users[2].Email = users[0].Email
			return users
		}(), domain.CodeEmailInUse},
		{"an unknown team", func() []domain.User {
			users := valid()[:3]
			users[0].TeamIDs = []string{domain.NewID()}
			return users
		}(), domain.CodeNotFound},
		{"an inactive user with a seat", func() []domain.User {
			users := valid()[:3]
			users[0].Status, users[0].Seat = domain.StatusInactive, true
			return users
		}(), domain.CodeValidationFailed},
		{"another organization's user", func() []domain.User {
			users := valid()[:3]
			users[0].OrgID = domain.NewID()
			return users
		}(), domain.CodeValidationFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.calls.Reset()
			wantCode(t, "ImportUsers", e.store.ImportUsers(ctx, o.ID, tt.give, testenv.Entry(o.ID, domain.AuditImportApplied)), tt.want)
			if n := e.calls.Count("BatchWriteItem") + e.calls.Count("UpdateItem") + e.calls.Count("TransactWriteItems"); n != 0 {
				t.Errorf("a refused import made %d writes", n)
			}
		})
	}
	counts, err := e.store.FindUserCounts(ctx, o.ID)
	if err != nil {
		t.Fatalf("FindUserCounts: %v", err)
	}
	if want := (domain.UserCounts{Invited: 1, Admins: 1, SeatsTotal: 10}); counts != want {
		t.Errorf("counters after refused imports = %+v, want %+v", counts, want)
	}
}
