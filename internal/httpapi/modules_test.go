package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/catalog"
	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/testenv"
)

// withCatalog loads the demo catalog on a's table.
func withCatalog(t testing.TB, a *app.App) {
	t.Helper()
	items, err := domain.ParseCatalog(catalog.Demo)
	if err != nil {
		t.Fatalf("ParseCatalog: %v", err)
	}
	if _, err := a.Operator.LoadCatalog(context.Background(), items); err != nil {
		t.Fatalf("LoadCatalog: %v", err)
	}
}

type moduleOut struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ItemCount   int    `json:"itemCount"`
	Seconds     int    `json:"seconds"`
	Revision    int    `json:"revision"`
	Assignments int    `json:"assignments"`
	Items       []struct {
		ID, Kind, Title string
		Seconds         int
	} `json:"items"`
}

func decodeModule(t *testing.T, body string) moduleOut {
	t.Helper()
	var m moduleOut
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("module %s: %v", body, err)
	}
	return m
}

// TestCallsPerModuleAction pins the DynamoDB calls of the catalog and module
// actions: constants, never a Scan.
func TestCallsPerModuleAction(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now()) // stopped: no session is old enough to be touched
	a, calls, ten := tenantApp(t, clock.Now)
	withCatalog(t, a)
	auth := bearer(signIn(t, a, ten.admin.Email))
	res := call(t, a, "POST", "/api/modules", `{"name":"Network fundamentals","items":["course-ccna","lab-vlans"]}`, auth)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	m := decodeModule(t, res.Body)
	path := "/api/modules/" + m.ID

	tests := []struct {
		name, method, path, body string
		wantStatus               int
		want                     map[string]int
	}{
		// Every action reads the session and its user: 2 GetItem.
		// The catalog: its version (GetItem), and the first time in this
		// process or after a load, the catalog itself (one Query).
		{"catalog", "GET", "/api/catalog", "", 200, map[string]int{"GetItem": 3, "Query": 1}},
		{"catalog search", "GET", "/api/catalog?q=aws&type=lab&limit=5", "", 200, map[string]int{"GetItem": 3}},
		{"modules", "GET", "/api/modules", "", 200, map[string]int{"GetItem": 2, "Query": 1}},
		{"create", "POST", "/api/modules", `{"name":"AWS","items":["course-aws-ccp","lab-aws-iam","exam-aws-ccp"]}`, 201,
			map[string]int{"GetItem": 2, "BatchGetItem": 1, "TransactWriteItems": 1}},
		{"get", "GET", path, "", 200, map[string]int{"GetItem": 3, "BatchGetItem": 1}},
		{"edit", "PUT", path, `{"name":"Networking","items":["lab-vlans","course-ccna","lab-ospf"],"revision":1}`, 200,
			map[string]int{"GetItem": 3, "BatchGetItem": 1, "TransactWriteItems": 1}},
		{"duplicate", "POST", path + "/duplicate", "", 201, map[string]int{"GetItem": 3, "TransactWriteItems": 1}},
		{"delete", "DELETE", path, "", 204, map[string]int{"GetItem": 3, "TransactWriteItems": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls.Reset()
			res := call(t, a, tt.method, tt.path, tt.body, auth)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("%s %s: %d %s, want %d", tt.method, tt.path, res.StatusCode, res.Body, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.want, calls.Snapshot()); diff != "" {
				t.Errorf("%s %s: AWS calls (-want +got):\n%s", tt.method, tt.path, diff)
			}
		})
	}
}

// TestModuleBadInputAnswers4xxAndWritesNothing sends every kind of bad
// module input through the edge: each is refused with its code and field,
// and nothing is written.
func TestModuleBadInputAnswers4xxAndWritesNothing(t *testing.T) {
	t.Parallel()
	a, calls, ten := tenantApp(t, nil)
	withCatalog(t, a)
	auth := bearer(signIn(t, a, ten.admin.Email))
	res := call(t, a, "POST", "/api/modules", `{"name":"Keep","description":"As it is.","items":["lab-vlans"]}`, auth)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	m := decodeModule(t, res.Body)
	fiftyOne := make([]string, 51)
	for i := range fiftyOne {
		fiftyOne[i] = fmt.Sprintf(`"ep-ccna-%02d"`, i%12+1)
	}
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		wantCode, wantField      string
	}{
		{"no items", "POST", "/api/modules", `{"name":"X","items":[]}`, 400, "validation_failed", "items"},
		{"items missing", "POST", "/api/modules", `{"name":"X"}`, 400, "validation_failed", "items"},
		{"unknown item", "POST", "/api/modules", `{"name":"X","items":["lab-vlans","lab-nope"]}`, 400, "validation_failed", "items[1]"},
		{"an item twice", "POST", "/api/modules", `{"name":"X","items":["lab-vlans","lab-vlans"]}`, 400, "validation_failed", "items[1]"},
		{"too many items", "POST", "/api/modules", `{"name":"X","items":[` + strings.Join(fiftyOne, ",") + `]}`, 400, "validation_failed", "items"},
		{"empty name", "POST", "/api/modules", `{"name":"","items":["lab-vlans"]}`, 400, "validation_failed", "name"},
		{"name too long", "POST", "/api/modules", `{"name":"` + strings.Repeat("x", 101) + `","items":["lab-vlans"]}`, 400, "validation_failed", "name"},
		{"items not a list", "POST", "/api/modules", `{"name":"X","items":"lab-vlans"}`, 400, "validation_failed", "items"},
		{"not JSON", "POST", "/api/modules", `{"name":`, 400, "invalid_json", ""},
		{"edit: unknown item", "PUT", "/api/modules/" + m.ID, `{"name":"X","items":["nope-1"],"revision":1}`, 400, "validation_failed", "items[0]"},
		{"edit: no revision", "PUT", "/api/modules/" + m.ID, `{"name":"X","items":["lab-vlans"]}`, 400, "validation_failed", "revision"},
		{"edit: stale revision", "PUT", "/api/modules/" + m.ID, `{"name":"X","items":["lab-vlans"],"revision":7}`, 409, "conflict", ""},
		{"unknown module", "GET", "/api/modules/" + domain.NewID(), "", 404, "not_found", ""},
		{"not an id", "GET", "/api/modules/not-an-id", "", 404, "not_found", ""},
		{"edit unknown module", "PUT", "/api/modules/" + domain.NewID(), `{"name":"X","items":["lab-vlans"],"revision":1}`, 404, "not_found", ""},
		{"duplicate unknown module", "POST", "/api/modules/" + domain.NewID() + "/duplicate", `{}`, 404, "not_found", ""},
		{"delete unknown module", "DELETE", "/api/modules/" + domain.NewID(), "", 404, "not_found", ""},
		{"catalog: unknown type", "GET", "/api/catalog?type=video", "", 400, "validation_failed", "type"},
		{"catalog: limit not a number", "GET", "/api/catalog?limit=ten", "", 400, "validation_failed", "limit"},
		{"catalog: forged cursor", "GET", "/api/catalog?cursor=abc.def", "", 400, "validation_failed", "cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls.Reset()
			res := call(t, a, tt.method, tt.path, tt.body, auth)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("%d %s, want %d", res.StatusCode, res.Body, tt.wantStatus)
			}
			e := decodeError(t, res)
			if e.Error.Code != tt.wantCode || (tt.wantField != "" && e.Error.Fields[tt.wantField] == "") {
				t.Errorf("%s, want code %s naming %q", res.Body, tt.wantCode, tt.wantField)
			}
			// (A delete reads the module first: an unknown one is refused
			// before any write.)
			if n := writes(calls); n != 0 {
				t.Errorf("refused input made %d writes: %v", n, calls.Snapshot())
			}
		})
	}
	got, err := a.Store.FindModule(context.Background(), ten.org.ID, m.ID)
	if err != nil || got.Name != "Keep" || got.Revision != 1 || len(got.Items) != 1 {
		t.Errorf("the module after refused edits: %+v, %v; want it as created", got, err)
	}
}
