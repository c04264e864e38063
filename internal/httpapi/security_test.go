package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/httpapi"
	"proportal/internal/localserver"
)

// callFrom is call from the source address source.
func callFrom(t *testing.T, a *app.App, source, method, path, body string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if method != "GET" && method != "HEAD" {
		r.Header.Set("Content-Type", "application/json") // as call does: what the portal sends
	}
	route, params, _, _ := httpapi.Match(method, r.URL.Path)
	ev := localserver.Event(r, route, params, []byte(body))
	ev.RequestContext.HTTP.SourceIP = source
	res, err := route.Handler(a.Services)(context.Background(), ev)
	if err != nil {
		t.Fatalf("%s %s: handler returned an error: %v", method, path, err)
	}
	return res
}

// TestForgotPasswordAnswersAlikeUnderConcurrency asks for a known and an
// unknown address, several times at once each: a known address's concurrent
// requests conflict inside, which must not show in the answers.
func TestForgotPasswordAnswersAlikeUnderConcurrency(t *testing.T) {
	t.Parallel()
	a, _, ten := tenantApp(t, nil)
	known := addUser(t, a, ten.org.ID, "Ada", "Active", domain.StatusActive)
	const n = 10 // each from its own source, as the limits allow
	type answer struct {
		status int
		body   string
	}
	ask := func(email string) []answer {
		out := make([]answer, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				res := callFrom(t, a, fmt.Sprintf("198.51.100.%d", i+1), "POST", "/api/auth/forgot-password", `{"email":"`+email+`"}`)
				out[i] = answer{res.StatusCode, res.Body}
			})
		}
		wg.Wait()
		return out
	}
	unknown := ask(address("nobody"))
	want := unknown[0]
	if want.status != http.StatusAccepted {
		t.Fatalf("unknown email: %d %s, want 202", want.status, want.body)
	}
	for name, answers := range map[string][]answer{"unknown": unknown, "known": ask(known.Email)} {
		for i, got := range answers {
			if got != want {
				t.Errorf("%s email, request %d: %d %q; want %d %q like every other", name, i+1, got.status, got.body, want.status, want.body)
			}
		}
	}
}

// TestAddressesThatAreRefused invites, signs in and asks for a reset link
// with addresses that are not ours to accept: each is validation_failed
// naming the email, and nothing is written.
func TestAddressesThatAreRefused(t *testing.T) {
	t.Parallel()
	a, calls, ten := tenantApp(t, nil)
	token := signIn(t, a, ten.admin.Email)
	for _, email := range []string{
		`ünï@dömäin.test`, `ada@example.com\u200b`, `x@127.0.0.1`, `a@[127.0.0.1]`, `ada@exa\u202emple.com`,
	} {
		for _, req := range []struct{ path, body string }{
			{"/api/users", `{"firstName":"Ada","lastName":"Lovelace","email":"` + email + `","access":"subscription"}`},
			{"/api/auth/login", `{"email":"` + email + `","password":"not the password"}`},
			{"/api/auth/forgot-password", `{"email":"` + email + `"}`},
		} {
			calls.Reset()
			res := call(t, a, "POST", req.path, req.body, bearer(token))
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s with %s: %d %s, want 400", req.path, email, res.StatusCode, res.Body)
				continue
			}
			if e := decodeError(t, res).Error; e.Code != "validation_failed" || e.Fields["email"] == "" {
				t.Errorf("%s with %s: %s, want validation_failed naming email", req.path, email, res.Body)
			}
			if n := writes(calls); n != 0 {
				t.Errorf("%s with %s: %d writes, want none", req.path, email, n)
			}
		}
	}
	// Full-width letters are the same address in ASCII: the admin signs in.
	res := call(t, a, "POST", "/api/auth/login", `{"email":"`+toFullWidth(ten.admin.Email)+`","password":"`+demoPassword+`"}`, nil)
	if res.StatusCode != http.StatusOK {
		t.Errorf("sign-in with the admin's address in full-width letters: %d %s, want 200", res.StatusCode, res.Body)
	}
}

// toFullWidth writes ASCII letters, digits, @ and . in their full-width forms.
func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '!' && r <= '~' {
			return r - '!' + '！'
		}
		return r
	}, s)
}

// TestSignInLimitsPerSource: an attacker's failures lock neither the owner
// signing in elsewhere out, nor go on for ever across accounts.
func TestSignInLimitsPerSource(t *testing.T) {
	t.Parallel()
	a, _, ten := tenantApp(t, nil)
	const attacker, owner = "203.0.113.66", "198.51.100.7"
	login := func(source, email, pw string) events.APIGatewayV2HTTPResponse {
		return callFrom(t, a, source, "POST", "/api/auth/login", `{"email":"`+email+`","password":"`+pw+`"}`)
	}

	for i := range 11 {
		res := login(attacker, ten.admin.Email, "not the password")
		if want := http.StatusUnauthorized; i == 10 && res.StatusCode != http.StatusTooManyRequests || i < 10 && res.StatusCode != want {
			t.Fatalf("attacker's failure %d: %d %s", i+1, res.StatusCode, res.Body)
		}
	}
	if res := login(owner, ten.admin.Email, demoPassword); res.StatusCode != http.StatusOK {
		t.Fatalf("owner from another address after the attacker's 11 failures: %d %s, want 200", res.StatusCode, res.Body)
	}

	// The attacker has 11 failures (and refusals) counted; more across five
	// other accounts, each far under its own limit, reach the address's 30.
	var sprayed []domain.User
	for i := range 5 {
		sprayed = append(sprayed, addUser(t, a, ten.org.ID, fmt.Sprintf("Person%d", i), "Sprayed", domain.StatusActive))
	}
	for n := 11; n < 30; n++ {
		if res := login(attacker, sprayed[n%5].Email, "not the password"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d from one address: %d %s, want 401", n+1, res.StatusCode, res.Body)
		}
	}
	res := login(attacker, address("yet-another"), "not the password")
	if res.StatusCode != http.StatusTooManyRequests || decodeError(t, res).Error.Code != "rate_limited" {
		t.Fatalf("failure 31 from one address: %d %s, want 429 rate_limited", res.StatusCode, res.Body)
	}
	if res := login(owner, ten.admin.Email, demoPassword); res.StatusCode != http.StatusOK {
		t.Errorf("owner from another address after the spraying: %d %s, want 200", res.StatusCode, res.Body)
	}
}

// TestSignInReadsAlikeForKnownAndUnknownEmails: the DynamoDB calls of a
// failed sign-in do not tell whether the email has an account.
func TestSignInReadsAlikeForKnownAndUnknownEmails(t *testing.T) {
	t.Parallel()
	a, calls, ten := tenantApp(t, nil)
	made := func(email string) map[string]int {
		calls.Reset()
		res := call(t, a, "POST", "/api/auth/login", `{"email":"`+email+`","password":"not the password"}`, nil)
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("sign-in as %s: %d %s, want 401", email, res.StatusCode, res.Body)
		}
		return calls.Snapshot()
	}
	known, unknown := made(ten.admin.Email), made(address("nobody"))
	if diff := cmp.Diff(known, unknown); diff != "" {
		t.Errorf("calls of a failed sign-in, known email (-) against unknown (+):\n%s", diff)
	}
}

// TestNamesThatAreRefused: direction controls and stacked marks in a name are
// validation_failed naming the field, and nothing is written.
func TestNamesThatAreRefused(t *testing.T) {
	t.Parallel()
	a, calls, ten := tenantApp(t, nil)
	token := signIn(t, a, ten.admin.Email)
	for field, body := range map[string]string{
		"firstName": `{"firstName":"Eve\u202egpj.exe","lastName":"Lovelace","email":"` + address("rlo") + `","access":"subscription"}`,
		"lastName":  `{"firstName":"Ada","lastName":"Z` + strings.Repeat(`\u0336\u0353\u0301`, 10) + `","email":"` + address("zalgo") + `","access":"subscription"}`,
	} {
		calls.Reset()
		res := call(t, a, "POST", "/api/users", body, bearer(token))
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", field, res.StatusCode, res.Body)
			continue
		}
		if e := decodeError(t, res).Error; e.Code != "validation_failed" || e.Fields[field] == "" {
			t.Errorf("%s: %s, want validation_failed naming %s", field, res.Body, field)
		}
		if n := writes(calls); n != 0 {
			t.Errorf("%s: %d writes, want none", field, n)
		}
	}
}
