package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"proportal/internal/domain"
	"proportal/internal/testenv"
)

type scheduleOut struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	Kind         string     `json:"kind"`
	TeamID       string     `json:"teamId"`
	Frequency    string     `json:"frequency"`
	Weekday      string     `json:"weekday"`
	DayOfMonth   int        `json:"dayOfMonth"`
	Time         string     `json:"time"`
	TimeZone     string     `json:"timeZone"`
	Period       string     `json:"period"`
	Recipients   []string   `json:"recipients"`
	Bounced      []string   `json:"bounced"`
	Paused       bool       `json:"paused"`
	NextRunAt    *time.Time `json:"nextRunAt"`
	LastDelivery *struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"lastDelivery"`
}

type deliveryOut struct {
	ID         string `json:"id"`
	ScheduleID string `json:"scheduleId"`
	Trigger    string `json:"trigger"`
	From       string `json:"from"`
	To         string `json:"to"`
	Status     string `json:"status"`
	Error      string `json:"error"`
	Recipients []struct {
		Address string `json:"address"`
		Status  string `json:"status"`
	} `json:"recipients"`
}

// sentQueue records the messages sent to it, or refuses them with fail.
type sentQueue struct {
	mu   sync.Mutex
	sent []string
	fail error
}

func (q *sentQueue) Send(_ context.Context, m string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.fail != nil {
		return q.fail
	}
	q.sent = append(q.sent, m)
	return nil
}

func (q *sentQueue) messages() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]string(nil), q.sent...)
}

// TestReportSchedulesThroughTheAPI creates, reads, edits, pauses, sends and
// deletes a schedule the way the portal does.
func TestReportSchedulesThroughTheAPI(t *testing.T) {
	t.Parallel()
	// Thursday 3 December 2026, 10:00 UTC.
	clock := testenv.NewClock(time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
	a, _, ten := tenantApp(t, clock.Now)
	q := &sentQueue{}
	a.UseSchedules(q)
	token := signIn(t, a, ten.admin.Email)

	res := call(t, a, "POST", "/api/report-schedules", `{"name":" Weekly viewings ","kind":"viewings","frequency":"weekly","weekday":"monday",
		"time":"08:00","timeZone":"Europe/Berlin","period":"week","recipients":["Finance@Example.com","finance@example.com","boss@example.com"]}`, bearer(token))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d %s", res.StatusCode, res.Body)
	}
	created := decodeAs[scheduleOut](t, res.Body)
	next := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC) // Monday 08:00 in Berlin
	want := scheduleOut{
		ID: created.ID, Name: "Weekly viewings", Kind: "viewings", Frequency: "weekly", Weekday: "monday",
		Time: "08:00", TimeZone: "Europe/Berlin", Period: "week",
		Recipients: []string{"finance@example.com", "boss@example.com"}, Bounced: []string{}, NextRunAt: &next,
	}
	if diff := cmp.Diff(want, created); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	got := decodeAs[scheduleOut](t, call(t, a, "GET", "/api/report-schedules/"+created.ID, "", bearer(token)).Body)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GET (-want +got):\n%s", diff)
	}

	// No time zone: the organization's (UTC here); listed by name.
	res = call(t, a, "POST", "/api/report-schedules", `{"name":"A monthly one","kind":"logins","frequency":"monthly","dayOfMonth":31,
		"time":"23:30","period":"month","recipients":["cfo@example.com"]}`, bearer(token))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST monthly: %d %s", res.StatusCode, res.Body)
	}
	monthly := decodeAs[scheduleOut](t, res.Body)
	if monthly.TimeZone != "UTC" || monthly.NextRunAt == nil || !monthly.NextRunAt.Equal(time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)) {
		t.Errorf("monthly: zone %q, next %v", monthly.TimeZone, monthly.NextRunAt)
	}
	list := decodeAs[struct{ Schedules []scheduleOut }](t, call(t, a, "GET", "/api/report-schedules", "", bearer(token)).Body)
	if len(list.Schedules) != 2 || list.Schedules[0].ID != monthly.ID || list.Schedules[1].ID != created.ID {
		t.Errorf("list: %+v, want the monthly one, then the weekly", list.Schedules)
	}

	// Paused: no next run. Resumed on Tuesday: the next Monday after it.
	pause := `{"name":"Weekly viewings","kind":"viewings","frequency":"weekly","weekday":"monday","time":"08:00",
		"timeZone":"Europe/Berlin","period":"week","recipients":["finance@example.com"],"paused":true}`
	got = decodeAs[scheduleOut](t, call(t, a, "PUT", "/api/report-schedules/"+created.ID, pause, bearer(token)).Body)
	if !got.Paused || got.NextRunAt != nil || len(got.Recipients) != 1 {
		t.Errorf("paused: %+v", got)
	}
	clock.Advance(5*24*time.Hour - time.Hour) // Tuesday 8 December, 09:00 UTC
	token = signIn(t, a, ten.admin.Email)
	resume := strings.Replace(pause, `"paused":true`, `"paused":false`, 1)
	got = decodeAs[scheduleOut](t, call(t, a, "PUT", "/api/report-schedules/"+created.ID, resume, bearer(token)).Body)
	if got.Paused || got.NextRunAt == nil || !got.NextRunAt.Equal(next.AddDate(0, 0, 7)) {
		t.Errorf("resumed: paused %v, next %v; want %s", got.Paused, got.NextRunAt, next.AddDate(0, 0, 7))
	}

	// Send now: the 7 days to yesterday (Tuesday 8 December in Berlin), queued.
	res = call(t, a, "POST", "/api/report-schedules/"+created.ID+"/deliveries", "", bearer(token))
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("send now: %d %s", res.StatusCode, res.Body)
	}
	d := decodeAs[deliveryOut](t, res.Body)
	if d.Trigger != "manual" || d.From != "2026-12-01" || d.To != "2026-12-07" || d.Status != "pending" || len(d.Recipients) != 1 {
		t.Errorf("send now: %+v", d)
	}
	if msgs := q.messages(); len(msgs) != 1 || msgs[0] != ten.org.ID+"/"+created.ID+"/"+d.ID {
		t.Errorf("queued %v, want the delivery's org/schedule/delivery", msgs)
	}
	// A second click while it is pending is refused: one click, one delivery.
	if res := call(t, a, "POST", "/api/report-schedules/"+created.ID+"/deliveries", "", bearer(token)); res.StatusCode != http.StatusConflict {
		t.Errorf("send now while one is pending: %d %s, want 409", res.StatusCode, res.Body)
	}
	deliveries := decodeAs[struct{ Deliveries []deliveryOut }](t, call(t, a, "GET", "/api/report-schedules/"+created.ID+"/deliveries", "", bearer(token)).Body)
	if len(deliveries.Deliveries) != 1 || deliveries.Deliveries[0].ID != d.ID {
		t.Errorf("deliveries: %+v", deliveries)
	}
	got = decodeAs[scheduleOut](t, call(t, a, "GET", "/api/report-schedules/"+created.ID, "", bearer(token)).Body)
	if got.LastDelivery == nil || got.LastDelivery.ID != d.ID || got.LastDelivery.Status != "pending" {
		t.Errorf("the schedule's last delivery: %+v", got.LastDelivery)
	}

	// The queue refuses: the delivery says so, and the answer is an error.
	clock.Advance(domain.DeliveryUnderWay)
	q.fail = errors.New("SQS is down")
	res = call(t, a, "POST", "/api/report-schedules/"+created.ID+"/deliveries", "", bearer(token))
	if res.StatusCode != http.StatusServiceUnavailable || decodeError(t, res).Error.Code != domain.CodeUnavailable {
		t.Errorf("send now with the queue down: %d %s, want 503 unavailable", res.StatusCode, res.Body)
	}
	deliveries = decodeAs[struct{ Deliveries []deliveryOut }](t, call(t, a, "GET", "/api/report-schedules/"+created.ID+"/deliveries", "", bearer(token)).Body)
	if len(deliveries.Deliveries) != 2 || deliveries.Deliveries[0].Status != "failed" || deliveries.Deliveries[0].Error == "" {
		t.Errorf("after the queue refused: %+v, want the newest failed with a reason", deliveries.Deliveries)
	}

	// Deleted: gone, and its id is not found.
	if res := call(t, a, "DELETE", "/api/report-schedules/"+created.ID, "", bearer(token)); res.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", res.StatusCode, res.Body)
	}
	for _, path := range []string{"/api/report-schedules/" + created.ID, "/api/report-schedules/" + created.ID + "/deliveries"} {
		if res := call(t, a, "GET", path, "", bearer(token)); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s after DELETE: %d", path, res.StatusCode)
		}
	}
}

// TestReportScheduleValidation checks that bad input gets a 400 naming each
// field, and writes nothing.
func TestReportScheduleValidation(t *testing.T) {
	t.Parallel()
	a, calls, ten := tenantApp(t, nil)
	token := signIn(t, a, ten.admin.Email)
	valid := map[string]string{
		"name": `"Weekly"`, "kind": `"viewings"`, "frequency": `"weekly"`, "weekday": `"monday"`,
		"time": `"08:00"`, "period": `"week"`, "recipients": `["a@example.com"]`,
	}
	body := func(change map[string]string) string {
		var parts []string
		for _, k := range []string{"name", "kind", "teamId", "frequency", "weekday", "dayOfMonth", "time", "timeZone", "period", "recipients"} {
			v, ok := change[k]
			if !ok {
				v, ok = valid[k]
			}
			if ok && v != "" {
				parts = append(parts, fmt.Sprintf("%q:%s", k, v))
			}
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	var twentyOne []string
	for i := range domain.MaxRecipients + 1 {
		twentyOne = append(twentyOne, fmt.Sprintf(`"p%d@example.com"`, i))
	}
	tests := []struct {
		name   string
		change map[string]string
		fields []string
	}{
		{"no name", map[string]string{"name": `"  "`}, []string{"name"}},
		{"a long name", map[string]string{"name": `"` + strings.Repeat("x", 101) + `"`}, []string{"name"}},
		{"an unknown kind", map[string]string{"kind": `"user-activity"`}, []string{"kind"}},
		{"team activity without a team", map[string]string{"kind": `"team-activity"`}, []string{"teamId"}},
		{"a team for the organization's report", map[string]string{"teamId": `"` + domain.NewID() + `"`}, []string{"teamId"}},
		{"no frequency", map[string]string{"frequency": `"daily"`}, []string{"frequency"}},
		{"weekly without a weekday", map[string]string{"weekday": `"someday"`}, []string{"weekday"}},
		{"monthly without a day", map[string]string{"frequency": `"monthly"`, "weekday": ""}, []string{"dayOfMonth"}},
		{"monthly on the 32nd", map[string]string{"frequency": `"monthly"`, "weekday": "", "dayOfMonth": "32"}, []string{"dayOfMonth"}},
		{"24:00", map[string]string{"time": `"24:00"`}, []string{"time"}},
		{"8 o'clock", map[string]string{"time": `"8:00"`}, []string{"time"}},
		{"an unknown zone", map[string]string{"timeZone": `"Mars/Olympus"`}, []string{"timeZone"}},
		{"a daily period", map[string]string{"period": `"day"`}, []string{"period"}},
		{"no recipients", map[string]string{"recipients": `[]`}, []string{"recipients"}},
		{"a display name", map[string]string{"recipients": `["Ada <ada@example.com>"]`}, []string{"recipients"}},
		{"not an address", map[string]string{"recipients": `["finance"]`}, []string{"recipients"}},
		{"21 recipients", map[string]string{"recipients": "[" + strings.Join(twentyOne, ",") + "]"}, []string{"recipients"}},
		{"several at once", map[string]string{"name": `""`, "time": `"noon"`, "period": `"year"`}, []string{"name", "period", "time"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls.Reset()
			res := call(t, a, "POST", "/api/report-schedules", body(tt.change), bearer(token))
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("%s: %d %s, want 400", body(tt.change), res.StatusCode, res.Body)
			}
			e := decodeError(t, res)
			var fields []string
			for f := range e.Error.Fields {
				fields = append(fields, f)
			}
			if diff := cmp.Diff(tt.fields, fields, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" || e.Error.Code != domain.CodeValidationFailed {
				t.Errorf("%s: %s; fields (-want +got):\n%s", body(tt.change), res.Body, diff)
			}
			for _, op := range []string{"PutItem", "UpdateItem", "TransactWriteItems", "DeleteItem"} {
				if n := calls.Count(op); n > 0 && !(op == "UpdateItem" && n == 1) { // the session's last-seen
					t.Errorf("bad input made %d %s", n, op)
				}
			}
		})
	}
	// Another organization's team, and one that does not exist: not found.
	other := addTenant(t, a, "Other Corp", 5)
	theirs := domain.Team{ID: domain.NewID(), OrgID: other.org.ID, Name: "Theirs", CreatedAt: time.Now()}
	if err := a.Store.CreateTeam(context.Background(), theirs); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{theirs.ID, domain.NewID(), "not-an-id"} {
		res := call(t, a, "POST", "/api/report-schedules", body(map[string]string{"kind": `"team-activity"`, "teamId": `"` + id + `"`}), bearer(token))
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("team %s: %d %s, want 404", id, res.StatusCode, res.Body)
		}
	}
	if list, err := a.Store.FindSchedules(context.Background(), ten.org.ID); err != nil || len(list) != 0 {
		t.Errorf("bad input wrote %d schedules (%v)", len(list), err)
	}
}

// TestReportScheduleLimit: more than MaxSchedules is a conflict.
func TestReportScheduleLimit(t *testing.T) {
	t.Parallel()
	a, _, ten := tenantApp(t, nil)
	token := signIn(t, a, ten.admin.Email)
	for i := range domain.MaxSchedules {
		if res := call(t, a, "POST", "/api/report-schedules", scheduleBody(""), bearer(token)); res.StatusCode != http.StatusCreated {
			t.Fatalf("schedule %d: %d %s", i+1, res.StatusCode, res.Body)
		}
	}
	res := call(t, a, "POST", "/api/report-schedules", scheduleBody(""), bearer(token))
	if res.StatusCode != http.StatusConflict {
		t.Errorf("schedule %d: %d %s, want 409", domain.MaxSchedules+1, res.StatusCode, res.Body)
	}
}

// TestScheduleCallsPerAction pins the DynamoDB calls of each schedule action
// (docs/data-model.md, "Calls per action").
func TestScheduleCallsPerAction(t *testing.T) {
	t.Parallel()
	a, calls, ten := tenantApp(t, nil)
	a.UseSchedules(&sentQueue{})
	token := signIn(t, a, ten.admin.Email)
	team := domain.Team{ID: domain.NewID(), OrgID: ten.org.ID, Name: "Support", CreatedAt: time.Now()}
	if err := a.Store.CreateTeam(context.Background(), team); err != nil {
		t.Fatal(err)
	}
	session := map[string]int{"GetItem": 2}
	with := func(m map[string]int) map[string]int {
		out := map[string]int{}
		for k, v := range session {
			out[k] += v
		}
		for k, v := range m {
			out[k] += v
		}
		return out
	}
	calls.Reset()
	res := call(t, a, "POST", "/api/report-schedules", scheduleBody(team.ID), bearer(token))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d %s", res.StatusCode, res.Body)
	}
	// The team, the organization (its time zone); the schedule and its count.
	if got, want := calls.Snapshot(), with(map[string]int{"GetItem": 2, "TransactWriteItems": 1}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("POST /api/report-schedules made %v, want %v", got, want)
	}
	id := decodeAs[scheduleOut](t, res.Body).ID
	zoned := strings.Replace(scheduleBody(""), `"period"`, `"timeZone":"Europe/Berlin","period"`, 1)
	path := "/api/report-schedules/" + id
	tests := []struct {
		method, path, body string
		want               map[string]int
	}{
		{"POST", "/api/report-schedules", zoned, with(map[string]int{"TransactWriteItems": 1})},
		{"GET", "/api/report-schedules", "", with(map[string]int{"Query": 1})},
		{"GET", path, "", with(map[string]int{"GetItem": 1})},
		{"PUT", path, zoned, with(map[string]int{"GetItem": 1, "TransactWriteItems": 1})},
		{"PUT", path, scheduleBody(""), with(map[string]int{"GetItem": 2, "TransactWriteItems": 1})},
		{"POST", path + "/deliveries", "", with(map[string]int{"GetItem": 1, "TransactWriteItems": 1, "SendMessage": 0})},
		{"GET", path + "/deliveries", "", with(map[string]int{"GetItem": 1, "Query": 1})},
		// The schedule (its name, for the audit entry), then the delete.
		{"DELETE", path, "", with(map[string]int{"GetItem": 1, "TransactWriteItems": 1})},
	}
	for _, tt := range tests {
		delete(tt.want, "SendMessage") // the queue is the test's: no SQS call
		calls.Reset()
		res := call(t, a, tt.method, tt.path, tt.body, bearer(token))
		if res.StatusCode >= 300 {
			t.Errorf("%s %s: %d %s", tt.method, tt.path, res.StatusCode, res.Body)
			continue
		}
		if got := calls.Snapshot(); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s %s made %v, want %v", tt.method, tt.path, got, tt.want)
		}
	}
}
