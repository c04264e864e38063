package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/testenv"
)

// deliveredReport stores a schedule of ten's and a delivery of it to one
// address of the test's own, runs the delivery with the workbook linked
// (MaxAttachment 0), and returns it with the token of the mailed link.
func deliveredReport(t *testing.T, a *app.App, ten tenant) (domain.DeliveryRef, string) {
	t.Helper()
	ctx := context.Background()
	to := address("report")
	sc, err := a.Services.Schedules.Create(ctx, principal(ten.admin), domain.ScheduleInput{
		Name: "Weekly viewings", Kind: domain.ExportViewings, Frequency: domain.Weekly, Weekday: "monday",
		Time: "08:00", TimeZone: "UTC", Period: domain.PeriodWeek, Recipients: []string{to},
	})
	if err != nil {
		t.Fatalf("create a schedule: %v", err)
	}
	now := time.Now().UTC()
	d := domain.Delivery{
		ID: domain.NewID(), OrgID: ten.org.ID, ScheduleID: sc.ID, Trigger: domain.TriggerManual,
		From: domain.DayIn(now.AddDate(0, 0, -7), time.UTC), To: domain.DayIn(now.AddDate(0, 0, -1), time.UTC),
		Status: domain.DeliveryPending, CreatedAt: now,
		Recipients: []domain.DeliveryRecipient{{Address: to, Status: domain.RecipientPending}},
	}
	if err := a.Store.CreateDelivery(ctx, d, testenv.AnyEntry(domain.AuditScheduleSentNow)); err != nil {
		t.Fatalf("store a delivery: %v", err)
	}
	ref := domain.DeliveryRef{OrgID: d.OrgID, ScheduleID: d.ScheduleID, DeliveryID: d.ID}
	a.Jobs.Deliveries.MaxAttachment = 0
	if got, err := a.Jobs.Deliveries.Run(ctx, ref); err != nil || got.Status != domain.DeliveryDelivered || got.Attached {
		t.Fatalf("run the delivery: %s attached %v, %v", got.Status, got.Attached, err)
	}
	mail := sentMail.To(to)
	if len(mail) != 1 {
		t.Fatalf("%d mails to %s, want 1", len(mail), to)
	}
	m := regexp.MustCompile(`/report-download#token=([A-Za-z0-9_.-]+)`).FindStringSubmatch(mail[0].Text)
	if m == nil {
		t.Fatalf("the mail has no download link:\n%s", mail[0].Text)
	}
	return ref, m[1]
}

// POST /api/report-downloads: a mailed link's token for a fresh presigned
// URL of its file; changed, foreign or unknown tokens are 404, expired ones
// 410. It needs no session and reads two items.
func TestDownloadReport(t *testing.T) {
	t.Parallel()
	a, calls, ten := tenantApp(t, nil)
	ref, token := deliveredReport(t, a, ten)
	other := addTenant(t, a, "Globex", 3)
	tokens := domain.NewDownloadTokens(a.Config.DownloadKey)
	later := time.Now().Add(time.Hour)
	flip := func(s string, i int) string {
		b := []byte(s)
		b[i] = map[bool]byte{true: 'B', false: 'A'}[b[i] == 'A']
		return string(b)
	}
	tests := []struct {
		name      string
		body      string
		want      int
		code      string
		wantCalls map[string]int
	}{
		// GetObject is the presigner passing the link through the SDK's middleware
		// (no request is sent; see TestExportCallsPerAction).
		{name: "valid", body: `{"token":"` + token + `"}`, want: 200, wantCalls: map[string]int{"GetItem": 2, "GetObject": 1}},
		{name: "expired", body: `{"token":"` + tokens.Sign(ref, time.Now().Add(-time.Second)) + `"}`, want: 410, code: "token_expired", wantCalls: map[string]int{}},
		{name: "tampered", body: `{"token":"` + flip(token, 5) + `"}`, want: 404, code: "not_found", wantCalls: map[string]int{}},
		{name: "another organization", body: `{"token":"` + tokens.Sign(domain.DeliveryRef{OrgID: other.org.ID, ScheduleID: ref.ScheduleID, DeliveryID: ref.DeliveryID}, later) + `"}`,
			want: 404, code: "not_found", wantCalls: map[string]int{"GetItem": 1}},
		{name: "unknown delivery", body: `{"token":"` + tokens.Sign(domain.DeliveryRef{OrgID: ref.OrgID, ScheduleID: ref.ScheduleID, DeliveryID: domain.NewID()}, later) + `"}`,
			want: 404, code: "not_found", wantCalls: map[string]int{"GetItem": 1}},
		{name: "no token", body: `{}`, want: 400, code: "validation_failed", wantCalls: map[string]int{}},
		{name: "not JSON", body: `token=x`, want: 400, code: "invalid_json", wantCalls: map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls.Reset()
			res := call(t, a, "POST", "/api/report-downloads", tt.body, nil)
			if res.StatusCode != tt.want {
				t.Fatalf("POST = %d %s, want %d", res.StatusCode, res.Body, tt.want)
			}
			if got := calls.Snapshot(); fmt.Sprint(got) != fmt.Sprint(tt.wantCalls) {
				t.Errorf("calls %v, want %v", got, tt.wantCalls)
			}
			var out struct {
				URL   string `json:"url"`
				Error struct{ Code string }
			}
			json.Unmarshal([]byte(res.Body), &out)
			if tt.code != "" {
				if out.Error.Code != tt.code {
					t.Errorf("code %q, want %q", out.Error.Code, tt.code)
				}
				return
			}
			get, err := http.Get(out.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(get.Body)
			get.Body.Close()
			if get.StatusCode != 200 || !bytes.HasPrefix(body, []byte("PK")) {
				t.Errorf("GET the url = %d, %d bytes; want the workbook", get.StatusCode, len(body))
			}
		})
	}
}

// The token travels in the body: the request's log line (path, route,
// status) never holds it.
func TestDownloadTokenIsNotLogged(t *testing.T) {
	t.Parallel()
	a, _, ten := tenantApp(t, nil)
	_, token := deliveredReport(t, a, ten)
	var log strings.Builder
	testenv.Rewire(a, a.Config, time.Now, app.NewLogger(&log), nil)
	res := call(t, a, "POST", "/api/report-downloads", `{"token":"`+token+`"}`, nil)
	if res.StatusCode != 200 {
		t.Fatalf("POST = %d %s", res.StatusCode, res.Body)
	}
	if log.Len() == 0 || strings.Contains(log.String(), token) || strings.Contains(log.String(), token[:20]) {
		t.Errorf("the log holds the token (or nothing at all):\n%s", log.String())
	}
}
