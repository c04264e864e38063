package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"proportal/internal/domain"
)

type importOut struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Progress struct{ Done, Total int }
	Counts   struct {
		Invite, AccessAdded, TeamChanged, Deactivate, NoChange, Error int
	}
	Seats struct {
		Needed, Freed, Free, Total int
		Fits                       bool
	}
	Rows []struct {
		Row     int
		Outcome string
		Result  string
		Error   *struct{ Code, Field, Message string }
	}
	NextCursor string `json:"nextCursor"`
	ResultURL  string `json:"resultUrl"`
}

// TestImportCallsPerAction pins the DynamoDB calls of the import actions
// (docs/data-model.md, "Calls per action").
func TestImportCallsPerAction(t *testing.T) {
	t.Parallel()
	a, calls, ten := tenantApp(t, nil)
	q := &heldQueue{}
	a.UseImports(q, nil)
	token := signIn(t, a, ten.admin.Email)
	ada := addUser(t, a, ten.org.ID, "Ada", "Lovelace", domain.StatusActive)
	with := func(m map[string]int) map[string]int {
		out := map[string]int{"GetItem": 2} // the session
		for k, v := range m {
			out[k] += v
		}
		return out
	}
	csv := "email,first name,last name,access\n" + ada.Email + ",,,admin\n" + address("bo") + ",Bo,New,\n" + address("cy") + ",Cy,New,both\n"
	calls.Reset()
	res := call(t, a, "POST", "/api/imports?fileName=people.csv", csv, bearer(token))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d %s", res.StatusCode, res.Body)
	}
	// The subscription, the teams, the rows' emails and the people found; the dry run.
	if got, want := calls.Snapshot(), with(map[string]int{"GetItem": 1, "Query": 1, "BatchGetItem": 2, "TransactWriteItems": 1}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("POST /api/imports made %v, want %v", got, want)
	}
	dry := decodeAs[importOut](t, res.Body)
	if dry.Status != domain.ImportDryRun || dry.Counts.AccessAdded != 1 || dry.Counts.Invite != 2 || dry.Seats.Needed != 2 || !dry.Seats.Fits || len(dry.Rows) != 3 {
		t.Errorf("the dry run: %+v", dry)
	}
	tests := []struct {
		method, path, body string
		want               map[string]int
		status             int
	}{
		{"GET", "/api/imports/" + dry.ID, "", with(map[string]int{"GetItem": 2}), http.StatusOK},
		{"POST", "/api/imports/" + dry.ID + "/apply", "{}", with(map[string]int{"GetItem": 1, "TransactWriteItems": 1}), http.StatusAccepted},
		{"GET", "/api/imports/" + dry.ID, "", with(map[string]int{"GetItem": 2, "Query": 1}), http.StatusOK},
		{"POST", "/api/imports/" + dry.ID + "/apply", "{}", with(map[string]int{"GetItem": 1}), http.StatusConflict},
	}
	for _, tt := range tests {
		calls.Reset()
		res := call(t, a, tt.method, tt.path, tt.body, bearer(token))
		if res.StatusCode != tt.status {
			t.Errorf("%s %s: %d %s, want %d", tt.method, tt.path, res.StatusCode, res.Body, tt.status)
			continue
		}
		if got := calls.Snapshot(); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s %s made %v, want %v", tt.method, tt.path, got, tt.want)
		}
	}
	if len(q.sent) != 1 {
		t.Fatalf("%d messages queued, want 1", len(q.sent))
	}
	ref, _ := domain.ParseImportRef(q.sent[0])
	if _, err := a.Jobs.Imports.Run(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	calls.Reset()
	res = call(t, a, "GET", "/api/imports/"+dry.ID, "", bearer(token))
	if got := decodeAs[importOut](t, res.Body); got.Status != domain.ImportDone || got.ResultURL == "" || got.Rows[1].Result != domain.ResultInvited {
		t.Fatalf("GET of a done import: %s", res.Body)
	}
	// The link is signed here, without a call to S3.
	if got, want := calls.Snapshot(), with(map[string]int{"GetItem": 2, "Query": 1, "GetObject": 1}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("GET of a done import made %v, want %v", got, want)
	}
}

// TestImportThroughTheAPI uploads a semicolon CSV with a BOM, applies it,
// waits for the RunImport job (in-process, as make run runs it) and
// downloads the result file from its presigned link.
func TestImportThroughTheAPI(t *testing.T) {
	t.Parallel()
	a, _, ten := tenantApp(t, nil)
	token := signIn(t, a, ten.admin.Email)
	nia := address("nia")
	csv := "\uFEFFEmail;First Name;Last Name;Access\r\n" + nia + ";=1+2;Formula;\r\nbad-address;X;Y;\r\n"
	res := call(t, a, "POST", "/api/imports?fileName=Team%20list.csv", csv, bearer(token))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d %s", res.StatusCode, res.Body)
	}
	dry := decodeAs[importOut](t, res.Body)
	if dry.Rows[1].Error == nil || dry.Rows[1].Error.Field != "email" {
		t.Errorf("row 2: %+v, want an email error", dry.Rows[1])
	}
	if res := call(t, a, "POST", "/api/imports/"+dry.ID+"/apply", "{}", bearer(token)); res.StatusCode != http.StatusAccepted {
		t.Fatalf("apply: %d %s", res.StatusCode, res.Body)
	}
	var got importOut
	deadline := time.Now().Add(30 * time.Second)
	for {
		got = decodeAs[importOut](t, call(t, a, "GET", "/api/imports/"+dry.ID, "", bearer(token)).Body)
		if got.Status == domain.ImportDone || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got.Status != domain.ImportDone || got.Progress.Done != 2 || got.ResultURL == "" {
		t.Fatalf("the import: %+v, want done with a link", got)
	}
	dl, err := http.Get(got.ResultURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(dl.Body)
	dl.Body.Close()
	if dl.StatusCode != http.StatusOK || !strings.Contains(dl.Header.Get("Content-Disposition"), "Team list-result.csv") || !strings.HasPrefix(dl.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("download: %d %v", dl.StatusCode, dl.Header)
	}
	want := "\uFEFFEmail;First Name;Last Name;Access;status\r\n" + nia + ";'=1+2;Formula;;invited\r\n" +
		"bad-address;X;Y;;skipped: The email must be an email address like name@company.com.\r\n"
	if string(body) != want {
		t.Errorf("result file:\n%q\nwant\n%q", body, want)
	}
	// A JSON body is refused: the route reads CSV.
	h := bearer(token)
	h.Set("Content-Type", "application/json")
	if res := call(t, a, "POST", "/api/imports", `{"csv":"email"}`, h); res.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("a JSON upload: %d %s, want 415", res.StatusCode, res.Body)
	}
	// Over 1 MiB: 413, nothing stored.
	if res := call(t, a, "POST", "/api/imports", "email\n"+strings.Repeat("x", domain.MaxImportBytes), bearer(token)); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 1 MiB upload: %d, want 413", res.StatusCode)
	}
}
