package domain_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

// listEnv is an organization of 20 seats with a cast whose names test the
// order (last name, then first name, in any case), and two teams.
type listEnv struct {
	*env
	admin *domain.Principal
	// blue and green are the teams' ids.
	blue, green string
	// cast is every user of the organization, in the order the list must show
	// them, by full name.
	cast []domain.User
}

// listCast is the cast in list order: by last name, then first name, ignoring
// case. Written out by hand so the expected order does not come from the code
// under test.
var listCast = []struct {
	first, last, email, status string
	seat, admin                bool
	team                       string
}{
	{"Dan", "Admin", "dan.admin@list.example", domain.StatusInvited, false, true, "green"},
	{"Eve", "Alvarez", "eve.alvarez@list.example", domain.StatusInactive, false, false, ""},
	{"Carol", "de Vries", "carol.devries@list.example", domain.StatusActive, false, true, "green"},
	{"Grace", "Hopper", "", domain.StatusActive, true, true, ""}, // the admin newSeats made
	{"Alice", "Jones", "alice.jones@list.example", domain.StatusInvited, true, false, "green"},
	{"Quinn", "Jones", "xyz.contact@list.example", domain.StatusActive, true, false, "blue"},
	{"Ada", "Lovelace", "ada.lovelace@list.example", domain.StatusActive, true, false, "blue"},
	{"Max", "Müller", "max.mueller@list.example", domain.StatusActive, true, false, "green"},
	{"Ana", "Ng", "ana.ng@list.example", domain.StatusActive, true, false, ""},
	{"Ben", "Ng", "ben.ng@list.example", domain.StatusInactive, false, false, "blue"},
	{"Olga", "O'Brien", "olga.obrien@list.example", domain.StatusInvited, true, false, "blue"},
	{"adam", "smith", "adam.smith@list.example", domain.StatusInvited, true, false, "blue"},
	{"Bob", "Smith", "bob.smith@list.example", domain.StatusInactive, false, false, "green"},
	{"Zoe", "Smith", "zoe.smith@list.example", domain.StatusActive, true, false, "green"},
	{"Alan", "Turing", "alan.turing@list.example", domain.StatusActive, true, false, "blue"},
	{"Al", "Zimmer", "al.zimmer@list.example", domain.StatusActive, true, true, "blue"},
}

func newListEnv(t *testing.T) *listEnv {
	t.Helper()
	e, admin := newSeats(t, 20)
	ctx := context.Background()
	l := &listEnv{env: e, admin: admin, blue: domain.NewID(), green: domain.NewID()}
	for id, name := range map[string]string{l.blue: "Blue", l.green: "Green"} {
		if err := e.app.Store.CreateTeam(ctx, domain.Team{ID: id, OrgID: e.org.ID, Name: name, CreatedAt: start}); err != nil {
			t.Fatalf("CreateTeam %s: %v", name, err)
		}
	}
	teams := map[string]string{"blue": l.blue, "green": l.green}
	for _, c := range listCast {
		if c.email == "" {
			l.cast = append(l.cast, admin.User)
			continue
		}
		u := domain.User{
			ID: domain.NewID(), OrgID: e.org.ID, FirstName: c.first, LastName: c.last, Email: c.email,
			Status: c.status, Seat: c.seat, Admin: c.admin, CreatedAt: start,
		}
		if c.status == domain.StatusActive {
			u.PasswordHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA" // never used to sign in
		}
		if c.team != "" {
			u.TeamIDs = []string{teams[c.team]}
		}
		l.cast = append(l.cast, e.add(t, u))
	}
	e.calls.Reset()
	return l
}

// names are the full names of users, in their order.
func names(users []domain.User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.FirstName+" "+u.LastName)
	}
	return out
}

// where are the names of the cast that keep, in list order.
func (l *listEnv) where(keep func(domain.User) bool) []string {
	var out []string
	for _, u := range l.cast {
		if keep(u) {
			out = append(out, u.FirstName+" "+u.LastName)
		}
	}
	return out
}

// all pages through a list with a page size, failing the test on an error,
// a page larger than the limit or a list that does not end.
func (l *listEnv) all(t *testing.T, p *domain.Principal, f domain.UserFilter) (got []domain.User, pages []domain.UserPage) {
	t.Helper()
	for range len(l.cast) + 2 {
		page, err := l.people().List(context.Background(), p, f)
		if err != nil {
			t.Fatalf("List(%+v), page %d: %v", f, len(pages)+1, err)
		}
		if f.Limit > 0 && len(page.Users) > f.Limit {
			t.Fatalf("List(%+v), page %d: %d users, over the limit", f, len(pages)+1, len(page.Users))
		}
		pages = append(pages, page)
		got = append(got, page.Users...)
		if page.NextCursor == "" {
			return got, pages
		}
		f.Cursor = page.NextCursor
	}
	t.Fatalf("List(%+v) did not end after %d pages", f, len(pages))
	return nil, nil
}

// filterCase is a filter of the list and the cast it must show, in order.
type filterCase struct {
	name string
	give domain.UserFilter
	want []string
}

func (l *listEnv) filterCases() []filterCase {
	status := func(s string) func(domain.User) bool { return func(u domain.User) bool { return u.Status == s } }
	admins := func(u domain.User) bool { return u.Admin }
	return []filterCase{
		{"everyone by default", domain.UserFilter{}, l.where(func(domain.User) bool { return true })},
		{"all", domain.UserFilter{Status: domain.FilterAll}, l.where(func(domain.User) bool { return true })},
		{"active", domain.UserFilter{Status: domain.FilterActive}, l.where(status(domain.StatusActive))},
		{"invited", domain.UserFilter{Status: domain.FilterInvited}, l.where(status(domain.StatusInvited))},
		{"inactive", domain.UserFilter{Status: domain.FilterInactive}, l.where(status(domain.StatusInactive))},
		{"admins", domain.UserFilter{Status: domain.FilterAdmins}, l.where(admins)},
		{"team", domain.UserFilter{TeamID: l.blue},
			[]string{"Quinn Jones", "Ada Lovelace", "Ben Ng", "Olga O'Brien", "adam smith", "Alan Turing", "Al Zimmer"}},
		{"team, active", domain.UserFilter{TeamID: l.blue, Status: domain.FilterActive},
			[]string{"Quinn Jones", "Ada Lovelace", "Alan Turing", "Al Zimmer"}},
		{"team, inactive", domain.UserFilter{TeamID: l.blue, Status: domain.FilterInactive}, []string{"Ben Ng"}},
		{"team, invited", domain.UserFilter{TeamID: l.green, Status: domain.FilterInvited}, []string{"Dan Admin", "Alice Jones"}},
		{"team, admins", domain.UserFilter{TeamID: l.green, Status: domain.FilterAdmins}, []string{"Dan Admin", "Carol de Vries"}},
		{"first names", domain.UserFilter{Q: "al"}, []string{"Eve Alvarez", "Alice Jones", "Alan Turing", "Al Zimmer"}},
		{"any case, spaces around", domain.UserFilter{Q: "  AL "}, []string{"Eve Alvarez", "Alice Jones", "Alan Turing", "Al Zimmer"}},
		{"last names", domain.UserFilter{Q: "smi"}, []string{"adam smith", "Bob Smith", "Zoe Smith"}},
		{"last name, lower case in the data", domain.UserFilter{Q: "De V"}, []string{"Carol de Vries"}},
		{"last name shared", domain.UserFilter{Q: "ng"}, []string{"Ana Ng", "Ben Ng"}},
		{"email only", domain.UserFilter{Q: "xyz"}, []string{"Quinn Jones"}},
		{"email beyond the first name", domain.UserFilter{Q: "max.m"}, []string{"Max Müller"}},
		{"non-ASCII", domain.UserFilter{Q: "MÜ"}, []string{"Max Müller"}},
		{"nobody", domain.UserFilter{Q: "zz"}, nil},
		{"full name", domain.UserFilter{Q: "Ada Lovelace"}, []string{"Ada Lovelace"}},
		{"full name, its start", domain.UserFilter{Q: "ada lov"}, []string{"Ada Lovelace"}},
		{"full name, last name first", domain.UserFilter{Q: "lovelace ada"}, []string{"Ada Lovelace"}},
		{"full name, spaces inside", domain.UserFilter{Q: "  ada \t  lovelace "}, []string{"Ada Lovelace"}},
		{"full name, two-word last name", domain.UserFilter{Q: "carol de v"}, []string{"Carol de Vries"}},
		{"full name, shared last name", domain.UserFilter{Q: "smith z"}, []string{"Zoe Smith"}},
		{"the part after @", domain.UserFilter{Q: "list.example"}, l.where(func(u domain.User) bool { return strings.HasSuffix(u.Email, "@list.example") })},
		{"the part after @, its start", domain.UserFilter{Q: "list.ex", Status: domain.FilterInactive},
			l.where(func(u domain.User) bool {
				return u.Status == domain.StatusInactive && strings.HasSuffix(u.Email, "@list.example")
			})},
		{"search, active", domain.UserFilter{Q: "al", Status: domain.FilterActive}, []string{"Alan Turing", "Al Zimmer"}},
		{"search, invited", domain.UserFilter{Q: "jones", Status: domain.FilterInvited}, []string{"Alice Jones"}},
		{"search, admins", domain.UserFilter{Q: "al", Status: domain.FilterAdmins}, []string{"Al Zimmer"}},
		{"search, team", domain.UserFilter{Q: "al", TeamID: l.blue}, []string{"Alan Turing", "Al Zimmer"}},
		{"search, team, inactive", domain.UserFilter{Q: "smi", TeamID: l.green, Status: domain.FilterInactive}, []string{"Bob Smith"}},
	}
}

// TestListFilters pages through every filter with several page sizes: the
// pages, put together, are the filter's users in order, each once; and a page
// with a next cursor is full, so an admin never turns to an empty page, or to
// a short one before the end.
func TestListFilters(t *testing.T) {
	t.Parallel()
	l := newListEnv(t)
	for _, tt := range l.filterCases() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			paged := map[int][]domain.UserPage{}
			for _, limit := range []int{0, 1, 3} {
				f := tt.give
				f.Limit = limit
				got, pages := l.all(t, l.admin, f)
				if diff := cmp.Diff(tt.want, names(got)); diff != "" {
					t.Errorf("limit %d, %d pages (-want +got):\n%s", limit, len(pages), diff)
				}
				paged[limit] = pages
			}
			t.Run("full pages", func(t *testing.T) {
				for _, limit := range []int{1, 3} {
					pages := paged[limit]
					for i, p := range pages {
						last := i == len(pages)-1
						if (!last && len(p.Users) != limit) || (last && len(p.Users) == 0 && len(tt.want) > 0) {
							t.Errorf("limit %d: page %d of %d holds %d users", limit, i+1, len(pages), len(p.Users))
						}
					}
				}
			})
		})
	}
}

func TestListCountsMatchTheList(t *testing.T) {
	t.Parallel()
	l := newListEnv(t)
	ctx := context.Background()
	everyone, pages := l.all(t, l.admin, domain.UserFilter{Limit: 3})
	var derived domain.UserCounts
	for _, u := range everyone {
		switch u.Status {
		case domain.StatusActive:
			derived.Active++
		case domain.StatusInvited:
			derived.Invited++
		case domain.StatusInactive:
			derived.Inactive++
		}
		if u.Admin {
			derived.Admins++
		}
		if u.Seat {
			derived.SeatsUsed++
		}
	}
	derived.SeatsTotal = 20
	want := domain.UserCounts{Active: 9, Invited: 4, Inactive: 3, Admins: 4, SeatsUsed: 11, SeatsTotal: 20}
	if diff := cmp.Diff(want, derived); diff != "" {
		t.Fatalf("the list holds other people than the cast (-want +got):\n%s", diff)
	}
	for i, p := range pages {
		if diff := cmp.Diff(derived, p.Counts); diff != "" {
			t.Errorf("counts of page %d differ from the list (-list +counts):\n%s", i+1, diff)
		}
	}
	for _, status := range []string{domain.FilterActive, domain.FilterInvited, domain.FilterInactive, domain.FilterAdmins} {
		got, _ := l.all(t, l.admin, domain.UserFilter{Status: status})
		n := map[string]int{domain.FilterActive: derived.Active, domain.FilterInvited: derived.Invited,
			domain.FilterInactive: derived.Inactive, domain.FilterAdmins: derived.Admins}[status]
		if len(got) != n {
			t.Errorf("the %s list has %d users, its count says %d", status, len(got), n)
		}
	}
	d, err := l.app.Services.Accounts.Dashboard(ctx, l.admin)
	if err != nil {
		t.Fatalf("Dashboard: %v", err)
	}
	if d.Subscription.SeatsUsed != derived.SeatsUsed || d.Subscription.SeatsTotal != 20 || d.Subscription.SeatsAvailable() != 20-derived.SeatsUsed {
		t.Errorf("dashboard seats %d used of %d, %d available; the list has %d users with a seat of 20",
			d.Subscription.SeatsUsed, d.Subscription.SeatsTotal, d.Subscription.SeatsAvailable(), derived.SeatsUsed)
	}
}

func TestListRefusesForeignCursors(t *testing.T) {
	t.Parallel()
	l := newListEnv(t)
	ctx := context.Background()
	_, otherAdmin := l.createOrg(t, "Globex", 5)
	other := principal(otherAdmin)
	cursorOf := func(f domain.UserFilter) string {
		t.Helper()
		f.Limit = 1
		page, err := l.people().List(ctx, l.admin, f)
		if err != nil || page.NextCursor == "" {
			t.Fatalf("List(%+v): cursor %q, %v; want a next page", f, page.NextCursor, err)
		}
		return page.NextCursor
	}
	active := cursorOf(domain.UserFilter{Status: domain.FilterActive})
	search := cursorOf(domain.UserFilter{Q: "al"})
	blue := cursorOf(domain.UserFilter{TeamID: l.blue})
	all := cursorOf(domain.UserFilter{})
	tests := []struct {
		name string
		as   *domain.Principal
		give domain.UserFilter
	}{
		{"another status", l.admin, domain.UserFilter{Status: domain.FilterInvited, Cursor: active}},
		{"all instead of active", l.admin, domain.UserFilter{Cursor: active}},
		{"another search", l.admin, domain.UserFilter{Q: "smi", Cursor: search}},
		{"a search cursor without the search", l.admin, domain.UserFilter{Cursor: search}},
		{"another team", l.admin, domain.UserFilter{TeamID: l.green, Cursor: blue}},
		{"another organization", other, domain.UserFilter{Cursor: all}},
		{"another organization, search", other, domain.UserFilter{Q: "al", Cursor: search}},
		{"tampered", l.admin, domain.UserFilter{Cursor: "x" + all}},
		{"truncated", l.admin, domain.UserFilter{Cursor: all[:len(all)-1]}},
		{"made up", l.admin, domain.UserFilter{Cursor: "eyJwayI6Ik9SRyMifQ.c2lnbmF0dXJl"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.people().List(ctx, tt.as, tt.give)
			got := codedError(t, "List", err, domain.CodeValidationFailed)
			if diff := cmp.Diff([]string{"cursor"}, slices.Sorted(maps.Keys(got.Fields))); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	// The same cursor goes on with another page size, and in any case of the search.
	f := domain.UserFilter{Q: "AL", Cursor: search, Limit: 10}
	if page, err := l.people().List(ctx, l.admin, f); err != nil || len(page.Users) != 3 {
		t.Errorf("List(%+v): %d users, %v; want the 3 after the first", f, len(page.Users), err)
	}
}

func TestListValidation(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	_, otherAdmin := e.createOrg(t, "Globex", 5)
	otherTeam := domain.Team{ID: domain.NewID(), OrgID: otherAdmin.OrgID, Name: "Theirs", CreatedAt: start}
	if err := e.app.Store.CreateTeam(context.Background(), otherTeam); err != nil {
		t.Fatalf("CreateTeam: %v", err)
	}
	tests := []struct {
		name      string
		give      domain.UserFilter
		wantCode  string
		wantField string
	}{
		{"unknown status", domain.UserFilter{Status: "deleted"}, domain.CodeValidationFailed, "status"},
		{"status in capitals", domain.UserFilter{Status: "ACTIVE"}, domain.CodeValidationFailed, "status"},
		{"negative limit", domain.UserFilter{Limit: -1}, domain.CodeValidationFailed, "limit"},
		{"limit over 200", domain.UserFilter{Limit: 201}, domain.CodeValidationFailed, "limit"},
		{"malformed team id", domain.UserFilter{TeamID: "blue"}, domain.CodeValidationFailed, "teamId"},
		{"search too long", domain.UserFilter{Q: strings.Repeat("a", 255)}, domain.CodeValidationFailed, "q"},
		{"unknown team", domain.UserFilter{TeamID: domain.NewID()}, domain.CodeNotFound, ""},
		{"another organization's team", domain.UserFilter{TeamID: otherTeam.ID}, domain.CodeNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.people().List(context.Background(), admin, tt.give)
			got := codedError(t, fmt.Sprintf("List(%+v)", tt.give), err, tt.wantCode)
			if tt.wantField != "" && got.Fields[tt.wantField] == "" {
				t.Errorf("fields %v do not name %q", got.Fields, tt.wantField)
			}
		})
	}
	if page, err := e.people().List(context.Background(), admin, domain.UserFilter{Limit: 200}); err != nil || len(page.Users) != 1 {
		t.Errorf("List with limit 200: %d users, %v; want the admin", len(page.Users), err)
	}
}
