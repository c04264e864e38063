package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/app"
	"proportal/internal/domain"
)

// recordAudit writes entries as the store writes them, each in the
// transaction of a change (a change of nothing to the person acting).
func recordAudit(t *testing.T, a *app.App, by domain.User, entries ...domain.AuditEntry) {
	t.Helper()
	ctx := context.Background()
	for _, en := range entries {
		u, err := a.Store.FindUserByID(ctx, by.OrgID, by.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Store.SaveUser(ctx, domain.UserChange{Before: u, After: u, Audit: &en}); err != nil {
			t.Fatalf("SaveUser with entry %s: %v", en.Kind, err)
		}
	}
}

func TestAuditRoutes(t *testing.T) {
	t.Parallel()
	a, calls := demoApp(t)
	ctx := context.Background()
	admin, err := a.Store.FindUserByEmail(ctx, domain.DemoAdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	learner, err := a.Store.FindUserByEmail(ctx, "learner01@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	token := signIn(t, a, domain.DemoAdminEmail)
	p := &domain.Principal{Session: domain.Session{OrgID: admin.OrgID, UserID: admin.ID}, User: admin, Source: "203.0.113.9"}
	granted := domain.NewAuditEntry(p, domain.AuditAdminGranted, domain.UserTarget(learner), time.Now().Add(-time.Minute))
	granted.Changes = []domain.AuditChange{{Field: "admin", Before: "false", After: "true"}}
	removed := domain.NewAuditEntry(p, domain.AuditAdminRemoved, domain.UserTarget(learner), time.Now())
	recordAudit(t, a, admin, granted, removed)

	var page struct {
		Items []struct {
			ID      string    `json:"id"`
			At      time.Time `json:"at"`
			Kind    string    `json:"kind"`
			Actor   map[string]string
			Target  map[string]string
			Changes []map[string]string
			Source  string
		}
		NextCursor string
	}
	getJSON(t, a, "/api/audit?targetId="+learner.ID+"&kind="+domain.AuditAdminGranted, token, &page)
	if len(page.Items) != 1 || page.NextCursor != "" {
		t.Fatalf("GET /api/audit by target and kind: %+v, want the one entry", page)
	}
	got := page.Items[0]
	if got.ID != granted.ID || !got.At.Equal(granted.At) || got.Source != "203.0.113.9" ||
		!cmp.Equal(got.Actor, map[string]string{"kind": "user", "id": admin.ID, "name": admin.FullName(), "email": admin.Email}) ||
		!cmp.Equal(got.Target, map[string]string{"kind": "user", "id": learner.ID, "name": learner.FullName(), "email": learner.Email}) ||
		!cmp.Equal(got.Changes, []map[string]string{{"field": "admin", "before": "false", "after": "true"}}) {
		t.Errorf("entry %+v, want %+v", got, granted)
	}

	today := time.Now().UTC().Format(domain.DateLayout)
	tests := []struct {
		name, path string
		wantStatus int
		want       map[string]int
		wantField  string
	}{
		// Every action reads the session and its user: 2 GetItem.
		{"everything", "/api/audit", 200, map[string]int{"GetItem": 2, "Query": 1}, ""},
		{"by target", "/api/audit?targetId=" + learner.ID, 200, map[string]int{"GetItem": 2, "Query": 1}, ""},
		{"by actor and kind", "/api/audit?actorId=" + admin.ID + "&kind=user.admin_removed&limit=5", 200, map[string]int{"GetItem": 2, "Query": 1}, ""},
		// A date range reads the organization's time zone.
		{"days", "/api/audit?from=" + today + "&to=" + today, 200, map[string]int{"GetItem": 3, "Query": 1}, ""},
		{"the seat history", "/api/subscription/seat-history", 200, map[string]int{"GetItem": 4, "Query": 1}, ""},
		{"a malformed day", "/api/audit?from=yesterday", 400, map[string]int{"GetItem": 2}, "from"},
		{"a limit that is no number", "/api/audit?limit=all", 400, map[string]int{"GetItem": 2}, "limit"},
		{"a malformed kind", "/api/audit?kind=DROP", 400, map[string]int{"GetItem": 2}, "kind"},
		{"a malformed cursor", "/api/audit?cursor=abc", 400, map[string]int{"GetItem": 2}, "cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls.Reset()
			res := call(t, a, "GET", tt.path, "", bearer(token))
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("GET %s: %d %s, want %d", tt.path, res.StatusCode, res.Body, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.want, calls.Snapshot()); diff != "" {
				t.Errorf("GET %s: AWS calls (-want +got):\n%s", tt.path, diff)
			}
			if tt.wantField != "" {
				if e := decodeError(t, res); e.Error.Fields[tt.wantField] == "" {
					t.Errorf("GET %s: %s, want a problem with %s", tt.path, res.Body, tt.wantField)
				}
			}
		})
	}

	var history struct {
		Days []struct {
			Date string `json:"date"`
			Used int    `json:"used"`
		} `json:"days"`
		SeatsTotal int `json:"seatsTotal"`
	}
	getJSON(t, a, "/api/subscription/seat-history", token, &history)
	sub, err := a.Store.FindSubscription(ctx, admin.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(history.Days); n == 0 || history.SeatsTotal != sub.SeatsTotal || history.Days[n-1].Used != sub.SeatsUsed || history.Days[n-1].Date != today {
		t.Errorf("seat history ends %+v of %d seats, want today %s with %d used of %d", history.Days[max(n-1, 0):], history.SeatsTotal, today, sub.SeatsUsed, sub.SeatsTotal)
	}

	// Nothing changes an entry: no route takes a PUT, PATCH or DELETE of one.
	for _, method := range []string{"PUT", "PATCH", "DELETE", "POST"} {
		for _, path := range []string{"/api/audit", "/api/audit/" + granted.ID} {
			if res := call(t, a, method, path, "{}", bearer(token)); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: %d %s, want 404 or 405", method, path, res.StatusCode, res.Body)
			}
		}
	}
}
