package httpapi_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/dynamo"
	"proportal/internal/httpapi"
	"proportal/internal/ses"
	"proportal/internal/testenv"
)

// The fuzz targets send any body through a route's handler, on one
// application per target (`go test` runs the seeds; `go test -fuzz` mutates
// them). Whatever the body, the answer is never a 500, an error is JSON with
// a code, and a refused request (4xx) has written nothing to DynamoDB.

// checkAnswer holds the invariants of every fuzzed request; writesMade are
// the DynamoDB write calls the request made.
func checkAnswer(t *testing.T, body string, res events.APIGatewayV2HTTPResponse, writesMade int, calls *testenv.Calls) {
	t.Helper()
	if res.StatusCode == http.StatusInternalServerError {
		t.Fatalf("body %q: 500 %s", body, res.Body)
	}
	// The fuzzed requests carry a valid admin session: a 401 or 403 means the
	// harness lost it, and every later input would be refused untested.
	if res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden {
		t.Fatalf("body %q: %d %s; the session the fuzzer signs in with no longer works", body, res.StatusCode, res.Body)
	}
	if res.StatusCode >= 400 {
		var e errorBody
		if !json.Valid([]byte(res.Body)) || json.Unmarshal([]byte(res.Body), &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
			t.Fatalf("body %q: %d with %q, want a JSON error with a code and a message", body, res.StatusCode, res.Body)
		}
	} else if res.Body != "" && !json.Valid([]byte(res.Body)) {
		t.Fatalf("body %q: %d with %q, not JSON", body, res.StatusCode, res.Body)
	}
	if res.StatusCode >= 400 && res.StatusCode < 500 && writesMade != 0 {
		t.Fatalf("body %q: refused with %d %s, yet made %d writes: %v", body, res.StatusCode, res.Body, writesMade, calls.Snapshot())
	}
}

// fuzzApp is an application on a table of its own with a tenant so large
// that no invitation runs out of seats, and a session of its admin.
//
// It is wired as testenv.NewApp wires one, but on a table named uniquely:
// NewApp names tables after the test and a counter of the process, and under
// `go test -fuzz` the worker processes share the coordinator's moto_server, so
// every process would get the same table (CreateTable keeps an existing one),
// run the same seeds on it at once and drop it under the others when done.
func fuzzApp(f *testing.F, now domain.Clock) (*app.App, *testenv.Calls, tenant, string) {
	ctx := context.Background()
	awsCfg, calls := testenv.AWSConfig(f)
	client := dynamodb.NewFromConfig(awsCfg)
	table := "fuzz-" + domain.NewID()
	if err := dynamo.CreateTable(ctx, client, table); err != nil {
		f.Fatalf("CreateTable: %v", err)
	}
	f.Cleanup(func() {
		client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(table)})
	})
	cfg := app.DefaultConfig()
	cfg.TableName = table
	testenv.VerifySender(f, awsCfg, cfg.MailFrom)
	if now == nil {
		now = time.Now
	}
	a := app.NewWith(cfg, awsCfg, now, ses.FromConfig, slog.New(slog.DiscardHandler))
	ten := addTenant(f, a, "Fuzz Corp", domain.MaxSeats)
	l, err := a.Services.Auth.Login(context.Background(), domain.Credentials{Email: ten.admin.Email, Password: demoPassword})
	if err != nil {
		f.Fatalf("Login: %v", err)
	}
	calls.Reset()
	return a, calls, ten, l.Token
}

func FuzzInviteUser(f *testing.F) {
	// A stopped clock: a session in use for a minute has its last-seen time
	// written, which is not the request's doing.
	a, calls, ten, token := fuzzApp(f, testenv.NewClock(time.Now()).Now)
	team := domain.Team{ID: domain.NewID(), OrgID: ten.org.ID, Name: "Blue", CreatedAt: time.Now()}
	if err := a.Store.CreateTeam(context.Background(), team); err != nil {
		f.Fatalf("CreateTeam: %v", err)
	}
	valid := func(email, access, extra string) string {
		return `{"firstName":"Ada","lastName":"Lovelace","email":"` + email + `","access":"` + access + `"` + extra + `}`
	}
	for _, body := range []string{
		// valid
		valid("ada@fuzz.example", "subscription", ""),
		valid("  Grace@Fuzz.Example ", "admin", ""),
		valid("bo@fuzz.example", "both", `,"teamId":"`+team.ID+`"`),
		valid(ten.admin.Email, "subscription", ""), // already in the organization
		`{"firstName":"Zoë","lastName":"Ångström-李","email":"zoe@fuzz.example","access":"subscription"}`,
		// invalid
		`{}`,
		valid("eve@fuzz.example", "owner", ""),
		valid("Eve <eve@fuzz.example>", "subscription", ""),
		valid("eve@fuzz.example", "subscription", `,"teamId":"`+domain.NewID()+`"`),
		valid("eve@fuzz.example", "subscription", `,"teamId":"../../etc"`),
		`{"firstName":"` + strings.Repeat("A", 101) + `","lastName":"L","email":"long@fuzz.example","access":"admin"}`,
		// control characters
		`{"firstName":"Ada\u0000","lastName":"L\nBcc: x@evil.example","email":"ctl@fuzz.example","access":"admin"}`,
		valid("ctl@fuzz.example\r\nBcc: x@evil.example", "admin", ""),
		// wrong types
		`{"firstName":1,"lastName":true,"email":["a@fuzz.example"],"access":{"x":1}}`,
		`{"firstName":"Ada","lastName":"L","email":"typed@fuzz.example","access":"admin","teamId":42}`,
		// malformed
		``, `{"firstName":`, `[]`, `null`, `"just a string"`, `{} {}`, "\xff\xfe{\"email\":\"a\"}",
		// huge
		`{"firstName":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`,
	} {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		calls.Reset()
		res := call(t, a, "POST", "/api/users", body, bearer(token))
		checkAnswer(t, body, res, writes(calls), calls)
	})
}

func FuzzSetPassword(f *testing.F) {
	clock := testenv.NewClock(time.Now())
	a, calls, _, session := fuzzApp(f, clock.Now)
	// Invite links straight from the operator, who is handed them; the first
	// expires before the fuzzing starts.
	invite := func() string {
		opened, err := a.Operator.CreateOrganization(context.Background(), domain.NewOrganization{
			Name: "Linked", Seats: 1, StartsOn: "2026-01-01", EndsOn: "2030-12-31",
			Admin: domain.NewUser{FirstName: "Lin", LastName: "Ked", Email: address("linked")},
		})
		if err != nil {
			f.Fatalf("CreateOrganization: %v", err)
		}
		return opened.InviteToken
	}
	expired := invite()
	clock.Advance(72*time.Hour + time.Minute)
	fresh, weak, long := invite(), invite(), invite()
	unknown, _ := domain.NewToken()
	body := func(token, password string) string {
		b, _ := json.Marshal(map[string]string{"token": token, "password": password})
		return string(b)
	}
	for _, seed := range []string{
		// valid
		body(fresh, "a brand new passphrase"),
		// invalid
		body(weak, "short"),
		body(weak, "qwerty123456"),
		body(long, strings.Repeat("p", 257)),
		body(expired, "a brand new passphrase"),
		body(fresh, "used twice is not allowed"),
		body(session, "a brand new passphrase"),
		body(unknown, "a brand new passphrase"),
		body(unknown+"=", "a brand new passphrase"),
		body("", ""),
		// unicode and control characters
		body(long, "pässwörd-ünïcødé-密码-🔑"),
		body(long, "control\u0000chars\u0007here\r\n"),
		// wrong types
		`{"token":42,"password":"a brand new passphrase"}`,
		`{"token":"` + long + `","password":["a","list"]}`,
		`{"token":null,"password":null}`,
		// malformed
		``, `{"token":`, `[]`, `null`, "\xff\xfe",
		// huge
		body(long, strings.Repeat("x", httpapi.MaxBodyBytes)),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		calls.Reset()
		res := call(t, a, "POST", "/api/auth/set-password", body, nil)
		checkAnswer(t, body, res, writes(calls), calls)
	})
}
