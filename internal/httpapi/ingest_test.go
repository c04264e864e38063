package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/dynamo"
	"proportal/internal/testenv"
)

// ingestFixture is an organization created 30 days ago in Europe/Berlin
// with two teams and learners (the first half in team A, the second half in
// team B, the first one in both), the test catalog, and a learning
// platform's key.
type ingestFixture struct {
	a     *app.App
	calls *testenv.Calls
	org   domain.Organization
	teams []domain.Team
	users []domain.User
	key   string
	clock *testenv.Clock
}

func newIngestFixture(t testing.TB, learners int) *ingestFixture {
	t.Helper()
	clock := testenv.NewClock(time.Now())
	a, calls := testenv.NewApp(t, clock.Now)
	ctx := context.Background()
	f := &ingestFixture{a: a, calls: calls, clock: clock}
	f.org = domain.Organization{ID: domain.NewID(), Name: "Ingest Corp", CreatedAt: clock.Now().AddDate(0, 0, -30), TimeZone: "Europe/Berlin"}
	sub := domain.Subscription{
		OrgID: f.org.ID, SeatsTotal: learners + 10, Features: domain.AllFeatures,
		StartsOn: clock.Now().UTC().Truncate(24*time.Hour).AddDate(0, -1, 0), EndsOn: clock.Now().UTC().Truncate(24*time.Hour).AddDate(1, 0, 0),
	}
	admin := domain.User{
		ID: domain.NewID(), OrgID: f.org.ID, FirstName: "Ida", LastName: "Admin", Email: address("admin"),
		Status: domain.StatusActive, Seat: true, Admin: true, PasswordHash: demoHash(), CreatedAt: f.org.CreatedAt,
	}
	if err := a.Store.CreateOrganization(ctx, f.org, sub, admin, nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Team A", "Team B"} {
		team := domain.Team{ID: domain.NewID(), OrgID: f.org.ID, Name: name, CreatedAt: f.org.CreatedAt}
		if err := a.Store.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		f.teams = append(f.teams, team)
	}
	for i := range learners {
		var opts []func(*domain.User)
		if i < learners/2 || i == learners-1 {
			opts = append(opts, inTeam(f.teams[0].ID))
		}
		if i >= learners/2 {
			opts = append(opts, inTeam(f.teams[1].ID))
		}
		f.users = append(f.users, addUser(t, a, f.org.ID, "Lea", fmt.Sprintf("Learner%03d", i), domain.StatusActive, opts...))
	}
	if err := a.Store.PutCatalogItems(ctx, testCatalog); err != nil {
		t.Fatal(err)
	}
	p, err := a.Services.Platforms.Create(ctx, "Learning platform")
	if err != nil {
		t.Fatal(err)
	}
	f.key = p.Key
	calls.Reset()
	return f
}

// ev is an event as the platform sends it.
type ev struct {
	ID        string `json:"id"`
	OrgID     string `json:"orgId"`
	UserID    string `json:"userId"`
	Kind      string `json:"kind"`
	At        string `json:"at"`
	CourseID  string `json:"courseId,omitempty"`
	EpisodeID string `json:"episodeId,omitempty"`
	Seconds   *int   `json:"seconds,omitempty"`
	Completed bool   `json:"completed,omitempty"`
	LabID     string `json:"labId,omitempty"`
	Status    string `json:"status,omitempty"`
	Score     *int   `json:"score,omitempty"`
}

func ptr(n int) *int { return &n }

// viewing is a viewing of ep-net-{episode} by a learner, hoursAgo.
func (f *ingestFixture) viewing(id string, u domain.User, episode int, seconds int, completed bool, hoursAgo float64) ev {
	return ev{ID: id, OrgID: f.org.ID, UserID: u.ID, Kind: domain.EventViewing, At: f.ago(hoursAgo),
		CourseID: "course-net", EpisodeID: fmt.Sprintf("ep-net-%d", episode), Seconds: ptr(seconds), Completed: completed}
}

func (f *ingestFixture) lab(id string, u domain.User, status string, score int, hoursAgo float64) ev {
	e := ev{ID: id, OrgID: f.org.ID, UserID: u.ID, Kind: domain.EventLab, At: f.ago(hoursAgo), LabID: "lab-vlan", Status: status}
	if status == domain.LabCompleted {
		e.Score = ptr(score)
	}
	return e
}

func (f *ingestFixture) login(id string, u domain.User, hoursAgo float64) ev {
	return ev{ID: id, OrgID: f.org.ID, UserID: u.ID, Kind: domain.EventLogin, At: f.ago(hoursAgo)}
}

func (f *ingestFixture) ago(hours float64) string {
	return f.clock.Now().Add(-time.Duration(hours * float64(time.Hour))).UTC().Format(time.RFC3339Nano)
}

type ingestOut struct {
	Accepted   int `json:"accepted"`
	Duplicates int `json:"duplicates"`
	Rejected   []struct {
		Index   int    `json:"index"`
		Code    string `json:"code"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"rejected"`
	Error *struct {
		Code   string            `json:"code"`
		Fields map[string]string `json:"fields"`
	} `json:"error"`
}

func batchBody(t testing.TB, events []ev) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"events": events})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// send posts a batch with the fixture's key and decodes the answer.
func (f *ingestFixture) send(t testing.TB, events []ev) (int, ingestOut) {
	t.Helper()
	res := call(t, f.a, "POST", "/api/ingest/events", batchBody(t, events), bearer(f.key))
	var out ingestOut
	if res.Body != "" {
		if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
			t.Fatalf("answer %q: %v", res.Body, err)
		}
	}
	return res.StatusCode, out
}

// counters are the numeric attributes of the items under some keys, as
// "pk|sk" → attribute → value; missing items are left out.
func (f *ingestFixture) counters(t testing.TB, keys []string) map[string]map[string]int {
	t.Helper()
	out := map[string]map[string]int{}
	for _, k := range keys {
		pk, sk, _ := strings.Cut(k, "|")
		key, _ := attributevalue.MarshalMap(map[string]string{"pk": pk, "sk": sk})
		res, err := f.a.Dynamo.GetItem(context.Background(), &dynamodb.GetItemInput{
			TableName: aws.String(f.a.Config.TableName), Key: key, ConsistentRead: aws.Bool(true),
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Item == nil {
			continue
		}
		var m map[string]any
		if err := attributevalue.UnmarshalMap(res.Item, &m); err != nil {
			t.Fatal(err)
		}
		nums := map[string]int{}
		for name, v := range m {
			if n, ok := v.(float64); ok && name != "rev" && name != "ttl" {
				nums[name] = int(n)
			}
		}
		out[k] = nums
	}
	return out
}

// expected computes, from the distinct events (by id, the first of each),
// what every aggregate they touch must hold: the test's own model of
// docs/data-model.md "Activity".
func (f *ingestFixture) expected(events []ev) map[string]map[string]int {
	loc, _ := time.LoadLocation(f.org.TimeZone)
	teamsOf := map[string][]string{}
	for _, u := range f.users {
		teamsOf[u.ID] = u.TeamIDs
	}
	want := map[string]map[string]int{}
	bump := func(k, attr string, n int) {
		if want[k] == nil {
			want[k] = map[string]int{}
		}
		want[k][attr] += n
	}
	usage := func(k string) {
		if want[k] == nil {
			want[k] = map[string]int{}
		}
		for _, a := range []string{"viewings", "seconds", "completed", "labsStarted", "labsCompleted", "logins", "activeLearners"} {
			want[k][a] += 0
		}
	}
	seen := map[string]bool{}
	active := map[string]bool{}
	completedEp := map[string]bool{}
	org := "ORG#" + f.org.ID
	for _, e := range events {
		if seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		at, _ := time.Parse(time.RFC3339Nano, e.At)
		day := domain.DayIn(at, loc)
		periods := []string{"DAY#" + day.Format(time.DateOnly), "WEEK#" + domain.WeekOf(day).Format(time.DateOnly)}
		learner := org + "#USER#" + e.UserID + "#ACTIVITY"
		var pks []string
		pks = append(pks, org+"#USAGE")
		for _, team := range teamsOf[e.UserID] {
			pks = append(pks, org+"#TEAM#"+team+"#USAGE")
		}
		var counts map[string]int
		switch e.Kind {
		case domain.EventViewing:
			counts = map[string]int{"viewings": 1, "seconds": *e.Seconds}
			if e.Completed {
				counts["completed"] = 1
			}
			epk := learner + "|EPISODE#" + e.EpisodeID
			bump(epk, "viewings", 1)
			bump(epk, "seconds", *e.Seconds)
			if e.Completed && !completedEp[epk] {
				completedEp[epk] = true
				bump(learner+"|SUMMARY", "episodesCompleted", 1)
			}
		case domain.EventLab:
			lpk := learner + "|LAB#" + e.LabID
			if e.Status == domain.LabCompleted {
				counts = map[string]int{"labsCompleted": 1}
				bump(lpk, "completions", 1)
				bump(lpk, "attempts", 0)
				want[lpk]["bestScore"] = max(want[lpk]["bestScore"], *e.Score)
			} else {
				counts = map[string]int{"labsStarted": 1}
				bump(lpk, "attempts", 1)
				bump(lpk, "completions", 0)
				bump(lpk, "bestScore", 0)
			}
		default:
			counts = map[string]int{"logins": 1}
		}
		sum := learner + "|SUMMARY"
		for _, a := range []string{"viewings", "seconds", "labsStarted", "labsCompleted", "logins", "episodesCompleted"} {
			bump(sum, a, 0)
		}
		for a, n := range counts {
			if a != "completed" {
				bump(sum, a, n)
			}
		}
		for _, p := range periods {
			usage(learner + "|" + p)
			for a, n := range counts {
				bump(learner+"|"+p, a, n)
			}
			isActive := e.Kind != domain.EventLogin
			newlyActive := isActive && !active[learner+p]
			if newlyActive {
				active[learner+p] = true
				bump(learner+"|"+p, "activeLearners", 1)
			}
			for _, pk := range pks {
				usage(pk + "|" + p)
				for a, n := range counts {
					bump(pk+"|"+p, a, n)
				}
				if newlyActive {
					bump(pk+"|"+p, "activeLearners", 1)
				}
			}
		}
	}
	return want
}

// checkAggregates compares every aggregate the events touch with the model.
func (f *ingestFixture) checkAggregates(t *testing.T, sent []ev) {
	t.Helper()
	want := f.expected(sent)
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	if diff := cmp.Diff(want, f.counters(t, keys)); diff != "" {
		t.Errorf("aggregates (-want +got):\n%s", diff)
	}
}

func TestIngestCountsABatchIntoEveryAggregate(t *testing.T) {
	t.Parallel()
	f := newIngestFixture(t, 4)
	ada, bob := f.users[0], f.users[3] // ada in team A; bob, the last, in both
	events := []ev{
		f.viewing("v1", ada, 1, 300, true, 50),
		f.viewing("v2", ada, 2, 120, false, 49),
		f.viewing("v3", ada, 1, 60, true, 2), // the same episode completed again: one distinct completion
		f.lab("l1", ada, domain.LabStarted, 0, 3),
		f.lab("l2", ada, domain.LabCompleted, 80, 2.5),
		f.lab("l3", ada, domain.LabCompleted, 95, 1),
		f.login("g1", ada, 4),
		f.login("g2", bob, 4),
		f.viewing("v4", bob, 3, 200, true, 1),
	}
	status, out := f.send(t, events)
	if status != http.StatusOK || out.Accepted != len(events) || out.Duplicates != 0 || len(out.Rejected) != 0 {
		t.Fatalf("batch: %d %+v, want 200 with %d accepted", status, out, len(events))
	}
	f.checkAggregates(t, events)
	// The learner's summary, episode and lab carry their times.
	sum := f.counters(t, []string{"ORG#" + f.org.ID + "#USER#" + ada.ID + "#ACTIVITY|SUMMARY"})
	if got := sum["ORG#"+f.org.ID+"#USER#"+ada.ID+"#ACTIVITY|SUMMARY"]["episodesCompleted"]; got != 1 {
		t.Errorf("episodesCompleted %d, want 1", got)
	}
}

func TestIngestCountsDuplicatesOnce(t *testing.T) {
	t.Parallel()
	f := newIngestFixture(t, 3)
	u := f.users[0]
	first := []ev{f.viewing("a", u, 1, 100, false, 5), f.viewing("a", u, 1, 100, false, 5), f.login("b", u, 5)}
	status, out := f.send(t, first)
	if status != http.StatusOK || out.Accepted != 2 || out.Duplicates != 1 {
		t.Fatalf("a batch with a repeat: %d %+v, want 2 accepted, 1 duplicate", status, out)
	}
	again := []ev{f.login("b", u, 5), f.viewing("c", u, 1, 50, true, 4)}
	status, out = f.send(t, again)
	if status != http.StatusOK || out.Accepted != 1 || out.Duplicates != 1 {
		t.Fatalf("a batch repeating an earlier event: %d %+v, want 1 accepted, 1 duplicate", status, out)
	}
	status, out = f.send(t, first)
	if status != http.StatusOK || out.Accepted != 0 || out.Duplicates != 3 {
		t.Fatalf("the first batch again: %d %+v, want 3 duplicates", status, out)
	}
	f.checkAggregates(t, append(first, again...))
}

// TestConcurrentBatchesWithRepeatsCountExactly: 20 batches sent at once,
// drawn from one pool of events with repeats within and across batches,
// leave exactly the aggregates of the distinct events.
func TestConcurrentBatchesWithRepeatsCountExactly(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 20 concurrent batches")
	}
	t.Parallel()
	f := newIngestFixture(t, 6)
	r := rand.New(rand.NewPCG(1, 2))
	var pool []ev
	for i := range 150 {
		u := f.users[r.IntN(len(f.users))]
		hours := float64(r.IntN(24 * 9))
		switch r.IntN(4) {
		case 0:
			pool = append(pool, f.login(fmt.Sprintf("p%d", i), u, hours))
		case 1:
			st := domain.LabStarted
			if r.IntN(2) == 0 {
				st = domain.LabCompleted
			}
			pool = append(pool, f.lab(fmt.Sprintf("p%d", i), u, st, r.IntN(101), hours))
		default:
			pool = append(pool, f.viewing(fmt.Sprintf("p%d", i), u, 1+r.IntN(3), r.IntN(400), r.IntN(3) == 0, hours))
		}
	}
	batches := make([][]ev, 20)
	var sent []ev
	for i := range batches {
		for range 30 {
			batches[i] = append(batches[i], pool[r.IntN(len(pool))])
		}
		sent = append(sent, batches[i]...)
	}
	var accepted atomic.Int64
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Go(func() {
			// As the platform does: a batch answered 503 (too many
			// conflicts on the same learners) is sent again.
			for try := 1; ; try++ {
				status, out := f.send(t, b)
				accepted.Add(int64(out.Accepted))
				if status == http.StatusOK {
					return
				}
				if status != http.StatusServiceUnavailable || try == 5 {
					t.Errorf("batch, try %d: %d %+v %+v", try, status, out, out.Error)
					return
				}
			}
		})
	}
	wg.Wait()
	distinct := map[string]bool{}
	for _, e := range sent {
		distinct[e.ID] = true
	}
	if int(accepted.Load()) != len(distinct) {
		t.Errorf("accepted %d in all, want %d (the distinct events)", accepted.Load(), len(distinct))
	}
	f.checkAggregates(t, sent)
}

// TestIngestFailingHalfWayIsFinishedByARetry: the second transaction of a
// batch fails; the batch is answered 500 and the first transaction's events
// stay counted. Sending the same batch again counts the rest and only the
// rest: exact totals, assignment progress included.
func TestIngestFailingHalfWayIsFinishedByARetry(t *testing.T) {
	t.Parallel()
	f := newIngestFixture(t, 30)
	var events []ev
	for i, u := range f.users {
		events = append(events, f.viewing(fmt.Sprintf("h%d-1", i), u, 1, 300, true, 3), f.viewing(fmt.Sprintf("h%d-2", i), u, 2, 200, false, 2), f.login(fmt.Sprintf("h%d-3", i), u, 2))
	}
	var n atomic.Int32
	cfg := f.a.AWS.Copy()
	cfg.APIOptions = append(cfg.APIOptions, failNth(2, &n))
	failing := dynamo.New(dynamodb.NewFromConfig(cfg), f.a.Config.TableName)
	services := *f.a.Services
	services.Ingest = domain.NewIngest(failing, domain.NewAssignments(failing, domain.Cursors{}, f.clock.Now), f.clock.Now, f.a.Logger)
	broken := *f.a
	broken.Services = &services

	res := call(t, &broken, "POST", "/api/ingest/events", batchBody(t, events), bearer(f.key))
	if res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("batch with a failure half way: %d %s, want 500", res.StatusCode, res.Body)
	}
	status, out := f.send(t, events)
	if status != http.StatusOK || out.Accepted+out.Duplicates != len(events) || out.Duplicates == 0 || out.Accepted == 0 {
		t.Fatalf("the retry: %d %+v, want some counted before and the rest now (%d in all)", status, out, len(events))
	}
	f.checkAggregates(t, events)
}

func TestIngestNeedsThePlatformsKey(t *testing.T) {
	t.Parallel()
	f := newIngestFixture(t, 2)
	ctx := context.Background()
	body := func(id string) string { return batchBody(t, []ev{f.login(id, f.users[0], 1)}) }
	session := signIn(t, f.a, f.users[0].Email)
	tests := []struct {
		name   string
		header http.Header
	}{
		{"no key", nil},
		{"a wrong key", bearer("ppk_" + strings.Repeat("A", 43))},
		{"a session token", bearer(session)},
		{"a session cookie", http.Header{"Cookie": {"pp_session=" + session}}},
		{"a key in the cookie", http.Header{"Cookie": {"pp_session=" + f.key}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.calls.Reset()
			res := call(t, f.a, "POST", "/api/ingest/events", body("k-"+tt.name), tt.header)
			if res.StatusCode != http.StatusUnauthorized || decodeError(t, res).Error.Code != domain.CodeUnauthorized {
				t.Errorf("%d %s, want 401 unauthorized", res.StatusCode, res.Body)
			}
			if n := writes(f.calls); n != 0 {
				t.Errorf("%d writes", n)
			}
		})
	}

	// A rotated-out key works for a day, then stops; the key before that
	// stops at once.
	first := f.key
	p, _, err := f.a.Store.FindPlatformByKey(ctx, domain.HashPlatformKey(first))
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.a.Services.Platforms.Rotate(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{first, second.Key} {
		if res := call(t, f.a, "POST", "/api/ingest/events", body("r-"+k[:8]), bearer(k)); res.StatusCode != http.StatusOK {
			t.Errorf("key %s… after one rotation: %d %s, want 200", k[:8], res.StatusCode, res.Body)
		}
	}
	f.clock.Advance(domain.KeyOverlap + time.Minute)
	if res := call(t, f.a, "POST", "/api/ingest/events", body("x1"), bearer(first)); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a rotated-out key a day later: %d %s, want 401", res.StatusCode, res.Body)
	}
	third, err := f.a.Services.Platforms.Rotate(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if res := call(t, f.a, "POST", "/api/ingest/events", body("x2"), bearer(first)); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the key before the previous one: %d %s, want 401", res.StatusCode, res.Body)
	}
	for _, k := range []string{second.Key, third.Key} {
		if res := call(t, f.a, "POST", "/api/ingest/events", body("y-"+k[:8]), bearer(k)); res.StatusCode != http.StatusOK {
			t.Errorf("key %s… after two rotations: %d %s, want 200", k[:8], res.StatusCode, res.Body)
		}
	}
}

func TestIngestBadInputIsCodedAndWritesNothing(t *testing.T) {
	t.Parallel()
	f := newIngestFixture(t, 2)
	ctx := context.Background()
	u := f.users[0]
	stranger := domain.User{ID: domain.NewID(), OrgID: f.org.ID, FirstName: "Sam", LastName: "Stranger", Email: address("stranger"), Status: domain.StatusActive, Seat: true, CreatedAt: f.org.CreatedAt}
	otherOrg := domain.Organization{ID: domain.NewID(), Name: "Other", CreatedAt: f.org.CreatedAt}
	if err := f.a.Store.CreateOrganization(ctx, otherOrg, domain.Subscription{OrgID: otherOrg.ID, SeatsTotal: 5, Features: domain.AllFeatures,
		StartsOn: f.org.CreatedAt.UTC().Truncate(24 * time.Hour), EndsOn: f.org.CreatedAt.UTC().Truncate(24*time.Hour).AddDate(1, 0, 0)},
		domain.User{ID: stranger.ID, OrgID: otherOrg.ID, FirstName: "Sam", LastName: "Stranger", Email: stranger.Email, Status: domain.StatusActive, Seat: true, Admin: true, CreatedAt: f.org.CreatedAt}, nil, nil); err != nil {
		t.Fatal(err)
	}
	good := f.viewing("ok", u, 1, 10, false, 1)
	with := func(change func(*ev)) ev {
		e := good
		e.ID = "bad-" + domain.NewID()[:6]
		change(&e)
		return e
	}
	tests := []struct {
		name        string
		event       ev
		code, field string
	}{
		{"unknown organization", with(func(e *ev) { e.OrgID = domain.NewID() }), domain.RejectUnknownOrganization, "orgId"},
		{"malformed organization", with(func(e *ev) { e.OrgID = "acme" }), domain.RejectInvalid, "orgId"},
		{"unknown user", with(func(e *ev) { e.UserID = domain.NewID() }), domain.RejectUnknownUser, "userId"},
		{"another organization's user", with(func(e *ev) { e.UserID = stranger.ID }), domain.RejectUnknownUser, "userId"},
		{"unknown course", with(func(e *ev) { e.CourseID = "course-nope" }), domain.RejectUnknownItem, "courseId"},
		{"episode of another course", with(func(e *ev) { e.CourseID = "lab-vlan" }), domain.RejectUnknownItem, "courseId"},
		{"unknown episode", with(func(e *ev) { e.EpisodeID = "ep-net-9" }), domain.RejectUnknownItem, "episodeId"},
		{"unknown lab", func() ev { e := f.lab("bad-lab", u, domain.LabStarted, 0, 1); e.LabID = "lab-nope"; return e }(), domain.RejectUnknownItem, "labId"},
		{"an episode as a lab", func() ev { e := f.lab("bad-lab2", u, domain.LabStarted, 0, 1); e.LabID = "ep-net-1"; return e }(), domain.RejectUnknownItem, "labId"},
		{"in the future", with(func(e *ev) { e.At = f.clock.Now().Add(domain.MaxClockSkew + time.Minute).Format(time.RFC3339) }), domain.RejectInFuture, "at"},
		{"before the organization", with(func(e *ev) { e.At = f.org.CreatedAt.Add(-time.Hour).Format(time.RFC3339) }), domain.RejectBeforeOrganization, "at"},
		{"no time", with(func(e *ev) { e.At = "" }), domain.RejectInvalid, "at"},
		{"a time without zone", with(func(e *ev) { e.At = "2026-03-10 09:00:00" }), domain.RejectInvalid, "at"},
		{"negative seconds", with(func(e *ev) { e.Seconds = ptr(-1) }), domain.RejectInvalid, "seconds"},
		{"too many seconds", with(func(e *ev) { e.Seconds = ptr(domain.MaxViewingSeconds + 1) }), domain.RejectInvalid, "seconds"},
		{"no seconds", with(func(e *ev) { e.Seconds = nil }), domain.RejectInvalid, "seconds"},
		{"unknown kind", with(func(e *ev) { e.Kind = "exam" }), domain.RejectInvalid, "kind"},
		{"no id", with(func(e *ev) { e.ID = "" }), domain.RejectInvalid, "id"},
		{"an id with a hash", with(func(e *ev) { e.ID = "a#b" }), domain.RejectInvalid, "id"},
		{"a long id", with(func(e *ev) { e.ID = strings.Repeat("x", 129) }), domain.RejectInvalid, "id"},
		{"lab status", func() ev { e := f.lab("bad-st", u, "done", 0, 1); return e }(), domain.RejectInvalid, "status"},
		{"lab score", func() ev { e := f.lab("bad-sc", u, domain.LabCompleted, 101, 1); return e }(), domain.RejectInvalid, "score"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.calls.Reset()
			status, out := f.send(t, []ev{tt.event})
			if status != http.StatusBadRequest || out.Error == nil || out.Error.Code != domain.CodeValidationFailed {
				t.Fatalf("%d %+v, want 400 validation_failed", status, out)
			}
			if len(out.Rejected) != 1 || out.Rejected[0].Index != 0 || out.Rejected[0].Code != tt.code || out.Rejected[0].Field != tt.field {
				t.Errorf("rejected %+v, want index 0, %s, %s", out.Rejected, tt.code, tt.field)
			}
			if out.Error.Fields["events[0]."+tt.field] == "" {
				t.Errorf("error fields %v do not name events[0].%s", out.Error.Fields, tt.field)
			}
			if n := writes(f.calls); n != 0 {
				t.Errorf("%d writes: %v", n, f.calls.Snapshot())
			}
		})
	}

	// A bad event among good ones: the good ones are kept.
	status, out := f.send(t, []ev{good, tests[0].event, f.login("ok2", u, 1)})
	if status != http.StatusOK || out.Accepted != 2 || len(out.Rejected) != 1 || out.Rejected[0].Index != 1 {
		t.Errorf("a mixed batch: %d %+v, want 2 accepted and event 1 rejected", status, out)
	}
	f.checkAggregates(t, []ev{good, f.login("ok2", u, 1)})
	// Nothing of the stranger's organization moved.
	if got := f.counters(t, []string{"ORG#" + otherOrg.ID + "#USER#" + stranger.ID + "#ACTIVITY|SUMMARY"}); len(got) != 0 {
		t.Errorf("another organization's learner has aggregates: %v", got)
	}

	// Whole-request errors.
	many := make([]ev, domain.MaxIngestBatch+1)
	for i := range many {
		many[i] = f.login(fmt.Sprintf("m%d", i), u, 1)
	}
	wholes := []struct {
		name, body string
		status     int
		code       string
	}{
		{"more than 500 events", batchBody(t, many), http.StatusRequestEntityTooLarge, domain.CodePayloadTooLarge},
		{"not JSON", `{"events":[`, http.StatusBadRequest, domain.CodeInvalidJSON},
		{"no events", `{}`, http.StatusBadRequest, domain.CodeValidationFailed},
		{"an empty batch", `{"events":[]}`, http.StatusBadRequest, domain.CodeValidationFailed},
		{"events not a list", `{"events":{}}`, http.StatusBadRequest, domain.CodeValidationFailed},
		{"a body over 1 MiB", `{"events":[],"pad":"` + strings.Repeat("x", 1<<20) + `"}`, http.StatusRequestEntityTooLarge, domain.CodePayloadTooLarge},
	}
	for _, tt := range wholes {
		t.Run(tt.name, func(t *testing.T) {
			f.calls.Reset()
			res := call(t, f.a, "POST", "/api/ingest/events", tt.body, bearer(f.key))
			if res.StatusCode != tt.status || decodeError(t, res).Error.Code != tt.code {
				t.Errorf("%d %.200s, want %d %s", res.StatusCode, res.Body, tt.status, tt.code)
			}
			if n := writes(f.calls); n != 0 {
				t.Errorf("%d writes", n)
			}
		})
	}
	// An event of the wrong JSON type is rejected alone.
	res := call(t, f.a, "POST", "/api/ingest/events", `{"events":[5,{"id":"w","orgId":"`+f.org.ID+`","userId":"`+u.ID+`","kind":"viewing","at":"`+f.ago(1)+`","courseId":"course-net","episodeId":"ep-net-1","seconds":"ten"}]}`, bearer(f.key))
	var mixed ingestOut
	json.Unmarshal([]byte(res.Body), &mixed)
	if res.StatusCode != http.StatusBadRequest || len(mixed.Rejected) != 2 || mixed.Rejected[0].Field != "event" || mixed.Rejected[1].Field != "seconds" {
		t.Errorf("events of the wrong type: %d %s, want both rejected (event, seconds)", res.StatusCode, res.Body)
	}
}

// TestIngestCallsPerBatch pins the DynamoDB calls of a batch of 500 events
// of one organization: bounded by the batch, never by the organization.
func TestIngestCallsPerBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: a batch of 500 events")
	}
	t.Parallel()
	f := newIngestFixture(t, 100)
	events := f.batch500("c")
	status, out := f.send(t, events)
	if status != http.StatusOK || out.Accepted != len(events) {
		t.Fatalf("batch: %d %+v %+v", status, out, out.Error)
	}
	got := f.calls.Snapshot()
	t.Logf("calls for 500 events of 100 learners: %v", got)
	if got["Scan"] != 0 {
		t.Errorf("%d Scan calls", got["Scan"])
	}
	// 1 GetItem (the key), 1 GetItem (the organization), 1 GetItem (the
	// catalog's version) + 1 Query (the catalog, first read); 1 BatchGetItem
	// (users); per transaction 1 BatchGetItem and 1 TransactWriteItems;
	// assignment progress: 1 Query per learner with completions (no
	// assignments here, so nothing more).
	tx := got["TransactWriteItems"]
	if tx > 40 || got["BatchGetItem"] != tx+1 || got["GetItem"] != 3 || got["Query"] != 1+completers(events) {
		t.Errorf("calls %v, want %d transactions at most, a BatchGetItem each and one for the users, 3 GetItem, 1 Query + 1 per learner who completed something", got, 40)
	}
}

// batch500 is a peak-hour batch: 500 events of the fixture's learners in
// the last hour, mostly viewings, some labs and sign-ins.
func (f *ingestFixture) batch500(prefix string) []ev {
	r := rand.New(rand.NewPCG(7, 8))
	var events []ev
	for i := range 500 {
		u := f.users[i%len(f.users)]
		id := fmt.Sprintf("%s%d", prefix, i)
		mins := float64(r.IntN(60)) / 60
		switch {
		case i%10 == 0:
			events = append(events, f.login(id, u, mins))
		case i%10 == 1:
			events = append(events, f.lab(id, u, domain.LabStarted, 0, mins))
		default:
			events = append(events, f.viewing(id, u, 1+r.IntN(3), 60+r.IntN(240), r.IntN(4) == 0, mins))
		}
	}
	return events
}

// completers counts the learners with a completed viewing or lab.
func completers(events []ev) int {
	who := map[string]bool{}
	for _, e := range events {
		if e.Completed || e.Status == domain.LabCompleted {
			who[e.UserID] = true
		}
	}
	return len(who)
}

// TestSignInsAreLoginEvents: each sign-in is one login event of its learner
// (on the summary and the day's usage); when recording it fails, the sign-in
// still succeeds and the failure is logged once.
func TestSignInsAreLoginEvents(t *testing.T) {
	t.Parallel()
	f := newIngestFixture(t, 1)
	u := f.users[0]
	signIn(t, f.a, u.Email)
	signIn(t, f.a, u.Email)
	learner := "ORG#" + f.org.ID + "#USER#" + u.ID + "#ACTIVITY"
	day := domain.DayIn(f.clock.Now(), mustZone(t, f.org.TimeZone)).Format(time.DateOnly)
	got := f.counters(t, []string{learner + "|SUMMARY", "ORG#" + f.org.ID + "#USAGE|DAY#" + day})
	if got[learner+"|SUMMARY"]["logins"] != 2 || got["ORG#"+f.org.ID+"#USAGE|DAY#"+day]["logins"] != 2 {
		t.Errorf("after two sign-ins: %v, want 2 logins on the summary and the day", got)
	}

	var n atomic.Int32
	cfg := f.a.AWS.Copy()
	cfg.APIOptions = append(cfg.APIOptions, failNth(2, &n)) // the session is the 1st transaction, the event the 2nd
	failing := dynamo.New(dynamodb.NewFromConfig(cfg), f.a.Config.TableName)
	var logged strings.Builder
	log := app.NewLogger(&logged)
	auth := domain.NewAuth(failing, f.a.Config.Auth, f.clock.Now, log)
	auth.RecordLogins(domain.NewIngest(failing, nil, f.clock.Now, log))
	services := *f.a.Services
	services.Auth = auth
	broken := *f.a
	broken.Services = &services
	signIn(t, &broken, u.Email)
	if c := strings.Count(logged.String(), "sign-in not recorded as activity"); c != 1 {
		t.Errorf("the failure was logged %d times, want once:\n%s", c, logged.String())
	}
	if strings.Contains(logged.String(), u.Email) {
		t.Errorf("the log names the learner's email:\n%s", logged.String())
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
