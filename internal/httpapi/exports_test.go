package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"proportal/internal/app"
	"proportal/internal/domain"
)

type exportOut struct {
	ID          string  `json:"id"`
	Kind        string  `json:"kind"`
	Status      string  `json:"status"`
	Progress    float64 `json:"progress"`
	Rows        int     `json:"rows"`
	FileName    string  `json:"fileName"`
	Error       string  `json:"error"`
	DownloadURL string  `json:"downloadUrl"`
}

// heldQueue takes exports and runs nothing: the tests that count calls run
// the job themselves, so that its calls are not counted with the request's.
type heldQueue struct{ sent []string }

func (q *heldQueue) Send(_ context.Context, m string) error { q.sent = append(q.sent, m); return nil }

// importViewings stores n viewings of each user in the last days.
func importViewings(t testing.TB, a *app.App, orgID string, users []domain.User, n int) {
	t.Helper()
	var evs []domain.Event
	now := time.Now()
	for i := range n {
		for _, u := range users {
			evs = append(evs, domain.Event{
				ID: domain.NewID(), OrgID: orgID, UserID: u.ID, Kind: domain.EventViewing, At: now.Add(-time.Duration(i+1) * time.Minute),
				CourseID: "course-ccna", EpisodeID: "ep-ccna-01", Seconds: 125 + i, Completed: i == 0,
			})
		}
	}
	if err := a.Store.ImportEvents(context.Background(), evs, now); err != nil {
		t.Fatal(err)
	}
}

// TestExportCallsPerAction pins the DynamoDB calls of each export action
// (docs/data-model.md, "Calls per action").
func TestExportCallsPerAction(t *testing.T) {
	t.Parallel()
	a, calls, ten := tenantApp(t, nil)
	q := &heldQueue{}
	a.UseExports(q, nil, nil)
	token := signIn(t, a, ten.admin.Email)
	ada := addUser(t, a, ten.org.ID, "Ada", "Lovelace", domain.StatusActive)
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
	res := call(t, a, "POST", "/api/exports", `{"kind":"user-activity","userId":"`+ada.ID+`"}`, bearer(token))
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("POST: %d %s", res.StatusCode, res.Body)
	}
	// The organization (its time zone) and the user; the export.
	if got, want := calls.Snapshot(), with(map[string]int{"GetItem": 2, "TransactWriteItems": 1}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("POST /api/exports made %v, want %v", got, want)
	}
	id := decodeAs[exportOut](t, res.Body).ID
	tests := []struct {
		method, path, body string
		want               map[string]int
	}{
		{"POST", "/api/exports", `{"kind":"viewings","from":"2026-01-01","to":"2026-03-31"}`, with(map[string]int{"GetItem": 1, "TransactWriteItems": 1})},
		{"GET", "/api/exports/" + id, "", with(map[string]int{"GetItem": 1})},
		{"GET", "/api/exports", "", with(map[string]int{"Query": 1})},
	}
	for _, tt := range tests {
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
	// Done: the download link is signed here, without a call to S3 (the
	// SDK's presigner passes the GetObject through its middleware, which
	// the counter sees, and sends nothing).
	if _, err := a.Jobs.Exports.Run(context.Background(), domain.ExportRef{OrgID: ten.org.ID, ExportID: id}); err != nil {
		t.Fatal(err)
	}
	calls.Reset()
	res = call(t, a, "GET", "/api/exports/"+id, "", bearer(token))
	if got := decodeAs[exportOut](t, res.Body); got.Status != domain.ExportDone || got.DownloadURL == "" {
		t.Fatalf("GET of a finished export: %s", res.Body)
	}
	if got, want := calls.Snapshot(), with(map[string]int{"GetItem": 1, "GetObject": 1}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("GET of a finished export made %v, want %v", got, want)
	}
}

// TestExportEndToEnd asks for an export through the API, lets the RunExport
// job (in-process, as make run runs it) write the workbook into moto's S3,
// downloads it from the presigned link and reads it back.
func TestExportEndToEnd(t *testing.T) {
	t.Parallel()
	a, _, ten := tenantApp(t, nil)
	token := signIn(t, a, ten.admin.Email)
	ada := addUser(t, a, ten.org.ID, "Ada", "Lovelace", domain.StatusActive)
	eve := addUser(t, a, ten.org.ID, `=HYPERLINK("http://x","y")`, "+1-2", domain.StatusInactive)
	importViewings(t, a, ten.org.ID, []domain.User{ada, eve}, 3)
	other := addTenant(t, a, "Other Corp", 5)
	stranger := addUser(t, a, other.org.ID, "Stan", "Stranger", domain.StatusActive)
	importViewings(t, a, other.org.ID, []domain.User{stranger}, 4)

	res := call(t, a, "POST", "/api/exports", `{"kind":"viewings"}`, bearer(token))
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("POST: %d %s", res.StatusCode, res.Body)
	}
	id := decodeAs[exportOut](t, res.Body).ID
	var got exportOut
	deadline := time.Now().Add(30 * time.Second)
	for {
		res = call(t, a, "GET", "/api/exports/"+id, "", bearer(token))
		got = decodeAs[exportOut](t, res.Body)
		if got.Status == domain.ExportDone || got.Status == domain.ExportFailed || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got.Status != domain.ExportDone || got.Rows != 6 || got.Progress != 1 || got.DownloadURL == "" {
		t.Fatalf("the export: %+v, want done with 6 rows and a link", got)
	}
	// Another organization cannot fetch it.
	if res := call(t, a, "GET", "/api/exports/"+id, "", bearer(signIn(t, a, other.admin.Email))); res.StatusCode != http.StatusNotFound {
		t.Errorf("another organization's GET: %d %s", res.StatusCode, res.Body)
	}

	dl, err := http.Get(got.DownloadURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(dl.Body)
	dl.Body.Close()
	if dl.StatusCode != http.StatusOK {
		t.Fatalf("download: %d %s", dl.StatusCode, body)
	}
	if cd := dl.Header.Get("Content-Disposition"); !strings.Contains(cd, got.FileName) || !strings.HasPrefix(got.FileName, "proportal-viewings-") {
		t.Errorf("Content-Disposition %q, want the file name %q", cd, got.FileName)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the download is not a workbook: %v", err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 2 || sheets[0] != "Summary" || sheets[1] != "Viewings" {
		t.Fatalf("sheets %v, want Summary and Viewings", sheets)
	}
	rows, err := f.GetRows("Viewings")
	if err != nil || len(rows) != 7 {
		t.Fatalf("Viewings has %d rows (%v), want a header and 6", len(rows), err)
	}
	for r := 2; r <= 7; r++ {
		for _, col := range []string{"A", "G"} { // viewed at, watched: numbers with formats
			cell := fmt.Sprintf("%s%d", col, r)
			if typ, _ := f.GetCellType("Viewings", cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("%s is of type %v, want a number", cell, typ)
			}
		}
		for _, col := range []string{"B", "C", "D"} { // names and email: text, never a formula
			cell := fmt.Sprintf("%s%d", col, r)
			typ, _ := f.GetCellType("Viewings", cell)
			formula, _ := f.GetCellFormula("Viewings", cell)
			if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString || formula != "" {
				t.Errorf("%s is of type %v with formula %q, want text", cell, typ, formula)
			}
		}
		if email, _ := f.GetCellValue("Viewings", fmt.Sprintf("D%d", r)); email != ada.Email && email != eve.Email {
			t.Errorf("row %d is of %q, not of this organization's people", r, email)
		}
	}
	var sawFormulaName bool
	for _, row := range rows[1:] {
		sawFormulaName = sawFormulaName || row[1] == eve.FirstName && row[2] == eve.LastName
	}
	if !sawFormulaName {
		t.Errorf("no row names %q %q as written", eve.FirstName, eve.LastName)
	}
}
