package httpapi_test

// The cost of the user actions in an organization of 10,000 users, through the
// HTTP edge with a signed-in admin, on moto_server: time per action and, the
// figure that carries over to AWS, DynamoDB calls per action. Every benchmark
// fails on a Scan and when an action's calls vary from one request to the next;
// TestCallsAreConstantInOrgSize shows the same cheaply in go test.

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/httpapi"
	"proportal/internal/localserver"
	"proportal/internal/password"
	"proportal/internal/testenv"
)

const (
	// benchOrgUsers is the size of the benchmarks' organization.
	benchOrgUsers = 10_000
	// benchOrgSeats leaves room for the seats the invite benchmark takes.
	benchOrgSeats = 12_000
	// benchPassword is the admin's password.
	benchPassword = "bench-admin-password-2026"
	// searchPrefix is a two-letter prefix shared by first names, a last name
	// and email addresses: some 500 of the 10,000 people, whose search entries
	// fit in one response. One response holds 4,569 entries; "ma" starts more
	// (docs/decisions.md, "Search reads one Query").
	searchPrefix = "ka"
	// poolSize is the number of users an action cycles over.
	poolSize = 200
)

// Names the organization's people are made of: 60 first names, 60 last names.
var (
	firstNames = strings.Fields(`Aaliyah Adam Aisha Alejandro Amelia Andrei Anna Arjun Ben Camila Carlos Chen Chloe
		Daniel David Elena Emma Ethan Fatima Felix Grace Hana Hugo Ines Isaac James Jin Julia Kai Karim Laura Leo Lucas
		Maria Mark Marta Mason Mateo Maya Mia Mohammed Nadia Noah Olga Omar Oscar Paula Priya Rafael Ravi Rosa Sam Sara Sofia
		Tariq Theo Valentina Wei Yusuf Zoe`)
	lastNames = strings.Fields(`Abbott Adeyemi Alvarez Andersen Baker Bauer Becker Brown Chen Costa Diaz Dubois
		Evans Fernandez Fischer Garcia Gomez Green Haas Hansen Hughes Ito Jansen Johnson Jones Kaur Khan Kim Klein Kowalski
		Lee Lopez Marchetti Marsh Martin Martinez Mason Matsumoto Meyer Moreau Müller Nakamura Nguyen Novak O'Brien
		Okafor Patel Perez Rossi Santos Schmidt Silva Singh Smith Tanaka Taylor Walker Weber Wilson Yilmaz`)
)

// bigOrg is an organization with many users, an admin signed in to it, and
// the pools of users the actions cycle over.
type bigOrg struct {
	app   *app.App
	calls *testenv.Calls
	orgID string
	token string
	// users are the imported users, in the order they were made.
	users []domain.User
	// teams are the ids of the organization's teams (the demo's three).
	teams []string
	// built is how long making the organization took.
	built time.Duration

	seatPool, adminPool, resetPool, getPool *pool
	// invites numbers the invite benchmark's addresses.
	invites int
	// allCursor is where the next page of the all-users list starts.
	allCursor string
	// moduleID is a module of the organization, of 10 catalog items.
	moduleID string
	// assignment is an open assignment of the organization's first 100
	// active users (or all of them), with mixed progress.
	assignment domain.Assignment
}

// pool is a set of users an action cycles over, with whether each currently
// has what the action gives or takes back (a seat, admin rights).
type pool struct {
	ids  []string
	on   map[string]bool
	next int
}

// newPool picks up to poolSize users that keep accepts, half that have what
// has tells and half that do not, so that giving and taking back can each
// run half a pool's length before a user needs to be put back.
func newPool(users []domain.User, has func(domain.User) bool, keep func(domain.User) bool) *pool {
	p := &pool{on: map[string]bool{}}
	taken := map[bool]int{}
	for _, u := range users {
		h := has(u)
		if !keep(u) || taken[h] == poolSize/2 {
			continue
		}
		taken[h]++
		p.ids = append(p.ids, u.ID)
		p.on[u.ID] = h
	}
	return p
}

// has reports whether the user is in the pool.
func (p *pool) has(id string) bool {
	_, ok := p.on[id]
	return ok
}

// take returns the next user in turn.
func (p *pool) take() string {
	id := p.ids[p.next%len(p.ids)]
	p.next++
	return id
}

// takeWhere returns the next user who has (on) or lacks what the pool is
// about, and false when nobody in the pool does.
func (p *pool) takeWhere(on bool) (string, bool) {
	for range p.ids {
		if id := p.take(); p.on[id] == on {
			return id, true
		}
	}
	return "", false
}

// keepTable is a testing.TB whose Cleanup keeps the table: the organization
// outlives the benchmark that built it, and goes when moto_server stops.
type keepTable struct{ testing.TB }

func (keepTable) Cleanup(func()) {}

var (
	benchOrgOnce sync.Once
	benchOrg     *bigOrg
)

// sharedOrg is the benchmarks' organization of benchOrgUsers users, built once
// per test binary run by the first benchmark that asks.
func sharedOrg(b *testing.B) *bigOrg {
	b.Helper()
	benchOrgOnce.Do(func() {
		benchOrg = newBigOrg(keepTable{b}, benchOrgUsers, benchOrgSeats)
		b.Logf("setup: organization of %d users (%d DynamoDB items) built in %s",
			len(benchOrg.users), itemsOf(benchOrg.users), benchOrg.built.Round(time.Millisecond))
	})
	if benchOrg == nil {
		b.Fatal("the shared organization could not be built (see the first benchmark)")
	}
	return benchOrg
}

// newBigOrg opens an organization (as an operator does), lets its admin set a
// password and sign in, makes the demo teams and imports n generated users.
// The app's clock stands still, so no session is touched along the way (which
// happens once a minute per session) and every request of an action makes the
// same calls.
func newBigOrg(tb testing.TB, n, seats int) *bigOrg {
	tb.Helper()
	start := time.Now()
	ctx := context.Background()
	clock := testenv.NewClock(time.Now())
	a, calls := testenv.NewApp(tb, clock.Now)
	today := clock.Now().UTC()
	opened, err := a.Operator.CreateOrganization(ctx, domain.NewOrganization{
		Name: "Big Company", Seats: seats,
		StartsOn: today.AddDate(0, -1, 0).Format(domain.DateLayout), EndsOn: today.AddDate(1, 0, 0).Format(domain.DateLayout),
		Features: domain.AllFeatures,
		Admin:    domain.NewUser{FirstName: "Dana", LastName: "Admin", Email: "admin@big.test", Access: domain.AccessAdmin},
	})
	if err != nil {
		tb.Fatalf("create organization: %v", err)
	}
	orgID := opened.Organization.ID
	res := edgeCall(tb, a, "POST", "/api/auth/set-password", `{"token":"`+opened.InviteToken+`","password":"`+benchPassword+`"}`, nil)
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("admin sets a password: %d %s", res.StatusCode, res.Body)
	}
	res = edgeCall(tb, a, "POST", "/api/auth/login", `{"email":"admin@big.test","password":"`+benchPassword+`"}`, nil)
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("admin signs in: %d %s", res.StatusCode, res.Body)
	}
	var login struct{ Token string }
	if err := json.Unmarshal([]byte(res.Body), &login); err != nil || login.Token == "" {
		tb.Fatalf("sign-in answer %s: %v", res.Body, err)
	}
	var teams []string
	for _, name := range domain.DemoTeams {
		t := domain.Team{ID: domain.NewID(), OrgID: orgID, Name: name, CreatedAt: clock.Now()}
		if err := a.Store.CreateTeam(ctx, t); err != nil {
			tb.Fatalf("create team %s: %v", name, err)
		}
		teams = append(teams, t.ID)
	}
	users := generateUsers(orgID, n, teams, clock.Now())
	if err := a.Store.ImportUsers(ctx, orgID, users, testenv.Entry(orgID, domain.AuditImportApplied)); err != nil {
		tb.Fatalf("import %d users: %v", n, err)
	}
	withCatalog(tb, a)
	module, err := a.Services.Modules.Create(ctx, principal(opened.Admin), domain.ModuleInput{
		Name: "Network fundamentals", ItemIDs: []string{"course-ccna", "course-ccna-switching", "course-ccna-routing",
			"lab-subnetting", "lab-vlans", "lab-stp", "lab-ospf", "ep-net-services-03", "ep-net-services-05", "exam-ccna"},
	})
	if err != nil {
		tb.Fatalf("create a module: %v", err)
	}

	never := func(domain.User) bool { return false }
	o := &bigOrg{
		app: a, calls: calls, orgID: orgID, token: login.Token, users: users, teams: teams, moduleID: module.ID,
		// Learners are deactivated, and former learners (who have a password,
		// so that activating them sends no invite) activated, in turn.
		seatPool: newPool(users, func(u domain.User) bool { return u.Seat }, func(u domain.User) bool {
			return !u.Admin && u.PasswordHash != "" && (u.Status == domain.StatusActive || u.Status == domain.StatusInactive)
		}),
		// Other active users, from the far end, are made admins and back.
		adminPool: newPool(reversed(users), func(u domain.User) bool { return u.Admin }, func(u domain.User) bool {
			return u.Status == domain.StatusActive && u.Seat
		}),
		getPool: newPool(users, never, func(domain.User) bool { return true }),
	}
	// Resets go to active people no other pool changes: a deactivated one
	// would get no mail, and make the benchmark's calls depend on its order.
	o.resetPool = newPool(users, never, func(u domain.User) bool {
		return u.Status == domain.StatusActive && !o.seatPool.has(u.ID) && !o.adminPool.has(u.ID)
	})
	o.assignment = importAssignment(tb, o)
	o.built = time.Since(start)
	return o
}

// generateUsers makes n users with names from the lists above: 70% active
// with a seat, 10% invited with a seat, 20% inactive (half of them with a
// password, from when they were active); one in 40 an admin (one in 5 of
// those without a seat); spread over the teams, with some in none and some
// in two.
func generateUsers(orgID string, n int, teams []string, now time.Time) []domain.User {
	hash := password.Hash(benchPassword) // one real hash: active users can sign in
	users := make([]domain.User, n)
	for i := range users {
		// Every pair of a first and a last name once, before any pair comes again.
		first, last := firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
		u := domain.User{
			ID: domain.NewID(), OrgID: orgID, FirstName: first, LastName: last,
			Email:     fmt.Sprintf("%s.%s.%d@big.test", asciiLower(first), asciiLower(last), i),
			CreatedAt: now.Add(-time.Duration(i%365) * 24 * time.Hour),
		}
		// r deals out status, rights and teams independently of the first name.
		r := i + i/len(firstNames)
		switch r % 10 {
		case 7:
			u.Status, u.Seat = domain.StatusInvited, true
		case 8: // a former learner
			u.Status, u.PasswordHash = domain.StatusInactive, hash
		case 9: // never took up the invite
			u.Status = domain.StatusInactive
		default:
			u.Status, u.Seat, u.PasswordHash = domain.StatusActive, true, hash
			u.LastLoginAt = now.Add(-time.Duration(i%90) * time.Hour)
		}
		if r%40 == 1 { // active
			u.Admin = true
			if r%200 == 1 {
				u.Seat = false // an admin who does not learn
			}
		}
		switch r % 9 {
		case 0:
		case 1:
			u.TeamIDs = []string{teams[0], teams[1]}
		default:
			u.TeamIDs = []string{teams[r%len(teams)]}
		}
		users[i] = u
	}
	return users
}

func reversed(users []domain.User) []domain.User {
	out := slices.Clone(users)
	slices.Reverse(out)
	return out
}

// asciiLower lower-cases a name for an email address, keeping only a-z.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r == 'ü':
			return 'u'
		}
		return -1
	}, s)
}

// itemsOf is the number of table items ImportUsers writes for users.
func itemsOf(users []domain.User) int {
	n := 0
	for _, u := range users {
		terms := map[string]bool{strings.ToLower(u.FirstName): true, strings.ToLower(u.LastName): true, u.Email: true}
		n += 2 + len(terms) + len(u.TeamIDs)
	}
	return n
}

// edgeCall sends one request through the route API Gateway would pick, as the
// event API Gateway would build (call, for benchmarks too).
func edgeCall(tb testing.TB, a *app.App, method, path, body string, header http.Header) events.APIGatewayV2HTTPResponse {
	tb.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if method != "GET" && method != "HEAD" {
		// What the portal sends on every request that changes something.
		r.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range header {
		r.Header[k] = vs
	}
	route, params, _, _ := httpapi.Match(method, r.URL.Path)
	// A Lambda's deadline of a minute, not the local 9 s: moto reads a whole
	// partition (or table, for an index) where DynamoDB reads only the keys
	// asked for, so reads of a 10,000-user organization take seconds there.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := route.Handler(a.Services)(ctx, localserver.Event(r, route, params, []byte(body)))
	if err != nil {
		tb.Fatalf("%s %s: handler returned an error: %v", method, path, err)
	}
	return res
}

// action is one request of a benchmark and the status it must answer.
type action struct {
	method, path, body string
	want               int
	// oneQuery says the answer must take no more than one Query.
	oneQuery bool
	// check looks at a successful answer.
	check func(tb testing.TB, body string)
}

// do sends an admin's request and returns the DynamoDB and mail calls it made.
func (o *bigOrg) do(tb testing.TB, act action) map[string]int {
	tb.Helper()
	o.calls.Reset()
	res := edgeCall(tb, o.app, act.method, act.path, act.body, bearer(o.token))
	calls := o.calls.Snapshot()
	if res.StatusCode != act.want {
		tb.Fatalf("%s %s: %d %s, want %d", act.method, act.path, res.StatusCode, res.Body, act.want)
	}
	if act.check != nil {
		act.check(tb, res.Body)
	}
	if n := calls["Scan"]; n > 0 {
		tb.Fatalf("%s %s made %d Scan calls: every request must be answered by GetItem, Query and batches", act.method, act.path, n)
	}
	if n := calls["Query"]; act.oneQuery && n > 1 {
		tb.Fatalf("%s %s made %d Query calls: a page must be one Query", act.method, act.path, n)
	}
	return calls
}

// dynamoOps are the DynamoDB operations a request may make, with the short
// names their per-request metrics have.
var dynamoOps = map[string]string{
	"GetItem": "getitem", "BatchGetItem": "batchget", "Query": "query", "Scan": "scan",
	"PutItem": "put", "UpdateItem": "update", "DeleteItem": "delete", "BatchWriteItem": "batchwrite",
	"TransactWriteItems": "transact", "TransactGetItems": "transactget",
}

// mailOps are the other AWS calls a request may make.
var mailOps = map[string]string{"SendEmail": "mail"}

// dynamoCalls is the number of DynamoDB calls in calls; it fails on a call
// that is neither DynamoDB nor mail, so that nothing goes uncounted.
func dynamoCalls(tb testing.TB, calls map[string]int) int {
	tb.Helper()
	n := 0
	for op, c := range calls {
		switch {
		case dynamoOps[op] != "":
			n += c
		case mailOps[op] == "":
			tb.Fatalf("unexpected AWS call %s: add it to dynamoOps or mailOps", op)
		}
	}
	return n
}

// bench runs next's action once per iteration and reports the DynamoDB calls
// per action, in all ("ddb-calls/op") and by operation ("query/op", ...).
// next runs with the timer stopped: it may put a user in the state the action
// changes. Every action must make exactly the calls the first one made.
func (o *bigOrg) bench(b *testing.B, next func(tb testing.TB) action) {
	b.Helper()
	var first map[string]int
	total := map[string]int{}
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		act := next(b)
		b.StartTimer()
		calls := o.do(b, act)
		b.StopTimer()
		if first == nil {
			first = calls
		} else if !maps.Equal(first, calls) {
			b.Fatalf("%s %s made %v, but the first one made %v: calls per action must be constant", act.method, act.path, calls, first)
		}
		for op, c := range calls {
			total[op] += c
		}
		n++
		b.StartTimer()
	}
	perOp := func(c int) float64 { return float64(c) / float64(n) }
	b.ReportMetric(perOp(dynamoCalls(b, total)), "ddb-calls/op")
	b.ReportMetric(perOp(total["Query"]), "query/op")
	for op, c := range total {
		if name := dynamoOps[op] + mailOps[op]; c > 0 && op != "Query" {
			b.ReportMetric(perOp(c), name+"/op")
		}
	}
}

// userPath is the path of a user's action.
func userPath(id, action string) string {
	if action == "" {
		return "/api/users/" + id
	}
	return "/api/users/" + id + "/" + action
}

// toggle returns the action that gives (give) or takes back what pool is
// about, to a user who lacks it (or has it); when nobody in the pool does, it
// first undoes it for one, untimed.
func (o *bigOrg) toggle(p *pool, give bool, method, path string, undoMethod, undoPath string) func(tb testing.TB) action {
	return func(tb testing.TB) action {
		id, ok := p.takeWhere(!give)
		if !ok {
			id = p.take()
			o.do(tb, action{method: undoMethod, path: userPath(id, undoPath), want: http.StatusOK})
		}
		p.on[id] = give
		return action{method: method, path: userPath(id, path), want: http.StatusOK}
	}
}

type pageJSON struct {
	Items []struct {
		ID        string `json:"id"`
		FirstName string `json:"firstName"`
		LastName  string `json:"lastName"`
		Email     string `json:"email"`
		Status    string `json:"status"`
	} `json:"items"`
	NextCursor string `json:"nextCursor"`
}

func decodePage(tb testing.TB, body string) pageJSON {
	tb.Helper()
	var p pageJSON
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		tb.Fatalf("user page %.200s: %v", body, err)
	}
	return p
}

// fullPage checks that a list answer is a page of 50 users, each passing ok.
func fullPage(ok func(name, email, status string) bool) func(tb testing.TB, body string) {
	return func(tb testing.TB, body string) {
		tb.Helper()
		p := decodePage(tb, body)
		if len(p.Items) != domain.DefaultPageSize || p.NextCursor == "" {
			tb.Fatalf("page of %d users (next cursor %q), want a full page of %d and more to come", len(p.Items), p.NextCursor, domain.DefaultPageSize)
		}
		for _, u := range p.Items {
			if !ok(u.FirstName+" "+u.LastName, u.Email, u.Status) {
				tb.Fatalf("the page holds %s %s <%s> (%s), who does not belong", u.FirstName, u.LastName, u.Email, u.Status)
			}
		}
	}
}

func matchesSearch(name, email, _ string) bool {
	for _, w := range append(strings.Fields(strings.ToLower(name)), email) {
		if strings.HasPrefix(w, searchPrefix) {
			return true
		}
	}
	return false
}

// The actions, as each benchmark and the constancy test run them.

func listPage(*bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/users?status=active&limit=50", want: http.StatusOK, oneQuery: true,
			check: fullPage(func(_, _, status string) bool { return status == domain.StatusActive })}
	}
}

func searchUsers(*bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/users?q=" + searchPrefix + "&limit=50", want: http.StatusOK, oneQuery: true}
	}
}

func inviteUser(o *bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		o.invites++
		body := fmt.Sprintf(`{"firstName":"Nora","lastName":"Newcomer","email":"newcomer%d@big.test","access":"subscription"}`, o.invites)
		return action{method: "POST", path: "/api/users", body: body, want: http.StatusCreated}
	}
}

func activateUser(o *bigOrg) func(testing.TB) action {
	return o.toggle(o.seatPool, true, "POST", "activate", "POST", "deactivate")
}

func deactivateUser(o *bigOrg) func(testing.TB) action {
	return o.toggle(o.seatPool, false, "POST", "deactivate", "POST", "activate")
}

func grantAdmin(o *bigOrg) func(testing.TB) action {
	return o.toggle(o.adminPool, true, "POST", "admin", "DELETE", "admin")
}

func revokeAdmin(o *bigOrg) func(testing.TB) action {
	return o.toggle(o.adminPool, false, "DELETE", "admin", "POST", "admin")
}

func sendReset(o *bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		id := o.resetPool.take()
		return action{method: "POST", path: userPath(id, "password-reset"), want: http.StatusAccepted}
	}
}

func getUser(o *bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		id := o.getPool.take()
		return action{method: "GET", path: userPath(id, ""), want: http.StatusOK}
	}
}

func listTeams(*bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/teams", want: http.StatusOK, check: func(tb testing.TB, body string) {
			var out struct {
				Items []struct {
					Members struct{ Total int } `json:"members"`
				} `json:"items"`
			}
			if err := json.Unmarshal([]byte(body), &out); err != nil || len(out.Items) != len(domain.DemoTeams) || out.Items[0].Members.Total == 0 {
				tb.Fatalf("GET /api/teams = %.300s, want the %d teams with their members counted", body, len(domain.DemoTeams))
			}
		}}
	}
}

func getTeam(o *bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/teams/" + o.teams[0], want: http.StatusOK}
	}
}

// orgOfSize is the shared organization of 10,000 users, or the one of 100
// (smallOrg, shared with BenchmarkModuleReads), so that a read's calls can
// be compared across sizes.
func orgOfSize(b *testing.B, size int) *bigOrg {
	b.Helper()
	if size == benchOrgUsers {
		return sharedOrg(b)
	}
	smallOrgOnce.Do(func() { smallOrg = newBigOrg(keepTable{b}, 100, 200) })
	return smallOrg
}

// BenchmarkListTeams and BenchmarkGetTeam read the teams of organizations
// of 100 and 10,000 users: the calls are the same (member counts are kept on
// the team item, not counted).
func BenchmarkListTeams(b *testing.B) {
	for _, size := range []int{100, benchOrgUsers} {
		b.Run(fmt.Sprintf("users=%d", size), func(b *testing.B) { o := orgOfSize(b, size); o.bench(b, listTeams(o)) })
	}
}

func BenchmarkGetTeam(b *testing.B) {
	for _, size := range []int{100, benchOrgUsers} {
		b.Run(fmt.Sprintf("users=%d", size), func(b *testing.B) { o := orgOfSize(b, size); o.bench(b, getTeam(o)) })
	}
}

// BenchmarkAddTeamMembers adds 500 people to a new team with one POST
// /api/teams/{id}/members (202: up to 10 join in the request) and waits until
// the ContinueTeamChange job, run in-process as make run runs it, has added
// the rest: calls and wall time of request and job together. The calls are
// linear and exact (docs/data-model.md): one TransactWriteItems per person,
// plus the change's start and end, and a few reads. The organization is its
// own, so that the people it adds are active.
func BenchmarkAddTeamMembers(b *testing.B) {
	const n = 500
	o := newBigOrg(keepTable{b}, 800, 1000)
	queue := testenv.UseLocalQueue(o.app)
	var ids []string
	for _, u := range o.users {
		if u.Status == domain.StatusActive && len(ids) < n {
			ids = append(ids, u.ID)
		}
	}
	body, _ := json.Marshal(map[string][]string{"userIds": ids})
	total := map[string]int{}
	runs := 0
	for b.Loop() {
		b.StopTimer()
		team := domain.Team{ID: domain.NewID(), OrgID: o.orgID, Name: fmt.Sprintf("Bench %d", runs), CreatedAt: time.Now()}
		if err := o.app.Store.CreateTeam(context.Background(), team); err != nil {
			b.Fatal(err)
		}
		o.calls.Reset()
		b.StartTimer()
		res := edgeCall(b, o.app, "POST", "/api/teams/"+team.ID+"/members", string(body), bearer(o.token))
		queue.Wait()
		b.StopTimer()
		calls := o.calls.Snapshot()
		if res.StatusCode != http.StatusAccepted {
			b.Fatalf("POST members: %d %s, want 202", res.StatusCode, res.Body)
		}
		got, err := o.app.Store.FindTeam(context.Background(), o.orgID, team.ID)
		if err != nil || got.Members.Active != n {
			b.Fatalf("after the job the team has %+v (%v), want %d active", got.Members, err, n)
		}
		for op, c := range calls {
			total[op] += c
		}
		runs++
		b.StartTimer()
	}
	b.ReportMetric(float64(dynamoCalls(b, total))/float64(runs), "ddb-calls/op")
	for op, c := range total {
		if name := dynamoOps[op]; name != "" && c > 0 {
			b.ReportMetric(float64(c)/float64(runs), name+"/op")
		}
	}
	b.ReportMetric(float64(total["TransactWriteItems"])/float64(runs*n), "transact/person")
}

func BenchmarkListUsersPage(b *testing.B) {
	o := sharedOrg(b)
	o.bench(b, listPage(o))
}

// BenchmarkListUsersAll reads the list of everyone a page at a time, each
// request continuing from the last one's cursor, from the start again after
// the last page: deep pages cost what the first one does.
func BenchmarkListUsersAll(b *testing.B) {
	o := sharedOrg(b)
	o.bench(b, func(testing.TB) action {
		path := "/api/users?" + url.Values{"status": {"all"}, "limit": {"50"}, "cursor": {o.allCursor}}.Encode()
		return action{method: "GET", path: path, want: http.StatusOK, oneQuery: true, check: func(tb testing.TB, body string) {
			o.allCursor = decodePage(tb, body).NextCursor
		}}
	})
}

func BenchmarkSearchUsers(b *testing.B) {
	o := sharedOrg(b)
	var want []string // the first page: the matching users by name
	for _, u := range byName(o.users) {
		if matchesSearch(u.FirstName+" "+u.LastName, u.Email, u.Status) && len(want) < domain.DefaultPageSize {
			want = append(want, u.ID)
		}
	}
	search := searchUsers(o)
	o.bench(b, func(tb testing.TB) action {
		act := search(tb)
		full := fullPage(matchesSearch)
		act.check = func(tb testing.TB, body string) {
			full(tb, body)
			var got []string
			for _, u := range decodePage(tb, body).Items {
				got = append(got, u.ID)
			}
			if !slices.Equal(got, want) {
				tb.Errorf("q=%s answered a page of matching users, but not the first %d by name", searchPrefix, len(want))
			}
		}
		return act
	})
}

// byName orders users as the list does: last name, first name, id.
func byName(users []domain.User) []domain.User {
	out := slices.Clone(users)
	slices.SortFunc(out, func(a, b domain.User) int {
		return strings.Compare(a.SortName()+"\x1f"+a.ID, b.SortName()+"\x1f"+b.ID)
	})
	return out
}

func listCatalog(*bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/catalog?q=config&type=all&limit=25", want: http.StatusOK, oneQuery: true}
	}
}

func listModules(*bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/modules", want: http.StatusOK, oneQuery: true}
	}
}

func getModule(o *bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/modules/" + o.moduleID, want: http.StatusOK}
	}
}

var (
	smallOrgOnce sync.Once
	smallOrg     *bigOrg
)

// BenchmarkModuleReads measures the catalog and module reads in an
// organization of 100 users and in one of 10,000, and fails unless both make
// the same DynamoDB calls: the catalog is the platform's, the same size for
// everyone, and a module's reads do not look at users.
func BenchmarkModuleReads(b *testing.B) {
	reads := []struct {
		name string
		make func(*bigOrg) func(testing.TB) action
	}{{"catalog", listCatalog}, {"modules", listModules}, {"module", getModule}}
	smallOrgOnce.Do(func() { smallOrg = newBigOrg(keepTable{b}, 100, 200) })
	orgs := []*bigOrg{smallOrg, sharedOrg(b)}
	for _, r := range reads {
		small, large := orgs[0].do(b, r.make(orgs[0])(b)), orgs[1].do(b, r.make(orgs[1])(b))
		if !maps.Equal(small, large) {
			b.Fatalf("%s: %d users made %v, %d users made %v", r.name, len(orgs[0].users), small, len(orgs[1].users), large)
		}
		for _, o := range orgs {
			b.Run(fmt.Sprintf("%s/users=%d", r.name, len(o.users)), func(b *testing.B) { o.bench(b, r.make(o)) })
		}
	}
}

func BenchmarkInviteUser(b *testing.B)        { o := sharedOrg(b); o.bench(b, inviteUser(o)) }
func BenchmarkActivateUser(b *testing.B)      { o := sharedOrg(b); o.bench(b, activateUser(o)) }
func BenchmarkDeactivateUser(b *testing.B)    { o := sharedOrg(b); o.bench(b, deactivateUser(o)) }
func BenchmarkGrantAdmin(b *testing.B)        { o := sharedOrg(b); o.bench(b, grantAdmin(o)) }
func BenchmarkRevokeAdmin(b *testing.B)       { o := sharedOrg(b); o.bench(b, revokeAdmin(o)) }
func BenchmarkSendPasswordReset(b *testing.B) { o := sharedOrg(b); o.bench(b, sendReset(o)) }
func BenchmarkGetUser(b *testing.B)           { o := sharedOrg(b); o.bench(b, getUser(o)) }

// TestCallsAreConstantInOrgSize runs each action in an organization of 60
// users and in one of 600, and wants the same DynamoDB calls, call for call:
// what an action costs does not grow with the organization.
func TestCallsAreConstantInOrgSize(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: fills organizations of 60 and 600 users; make test runs it")
	}
	t.Parallel()
	actions := []struct {
		name string
		make func(*bigOrg) func(testing.TB) action
	}{
		{"list a page", listPage}, {"search", searchUsers}, {"invite", inviteUser},
		{"activate", activateUser}, {"deactivate", deactivateUser},
		{"grant admin", grantAdmin}, {"revoke admin", revokeAdmin},
		{"send password reset", sendReset}, {"get a user", getUser},
		{"list teams", listTeams}, {"get a team", getTeam},
		{"catalog page", listCatalog}, {"list modules", listModules}, {"get a module", getModule},
		{"list assignments", listAssignments}, {"get an assignment", getAssignment},
		{"a page of an assignment's people", listAssignees}, {"an assignment's people by state", listAssigneesByState},
		{"a user's assignments", userAssignments}, {"dashboard", dashboard},
		{"a user's activity", userActivity}, {"a team's activity", teamActivity},
	}
	sizes := []int{60, 600}
	got := make([]map[string]map[string]int, len(sizes))
	t.Run("sizes", func(t *testing.T) {
		for i, size := range sizes {
			t.Run(fmt.Sprint(size), func(t *testing.T) {
				t.Parallel()
				o := newBigOrg(t, size, size*2)
				got[i] = map[string]map[string]int{}
				for _, a := range actions {
					act := a.make(o)(t)
					act.check = nil // the small organization has no full pages
					got[i][a.name] = o.do(t, act)
				}
			})
		}
	})
	if t.Failed() {
		return
	}
	for _, a := range actions {
		small, large := got[0][a.name], got[1][a.name]
		if !maps.Equal(small, large) {
			t.Errorf("%s: %d users made %v, %d users made %v", a.name, sizes[0], small, sizes[1], large)
		}
		t.Logf("%s: %v", a.name, large)
	}
}
