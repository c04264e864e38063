package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/httpapi"
	"proportal/internal/localserver"
	"proportal/internal/testenv"
)

// callFromWith is callFrom with headers, from remote (host:port) as a
// browser's connection.
func callFromWith(t *testing.T, a *app.App, remote, method, path, body string, header http.Header) (int, string) {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.RemoteAddr = remote
	r.Header.Set("Content-Type", "application/json")
	for k, vs := range header {
		r.Header[k] = vs
	}
	route, params, _, _ := httpapi.Match(method, r.URL.Path)
	res, err := route.Handler(a.Services)(context.Background(), localserver.Event(r, route, params, []byte(body)))
	if err != nil {
		t.Fatalf("%s %s: handler returned an error: %v", method, path, err)
	}
	return res.StatusCode, res.Body
}

// The audit entry of an admin's request, and of a person's own request
// through a link, holds the address the request came from.
func TestAuditEntriesHoldTheRequestsAddress(t *testing.T) {
	t.Parallel()
	a, _, ten := tenantApp(t, nil)
	token := signIn(t, a, ten.admin.Email)
	email := address("ada")
	status, body := callFromWith(t, a, "198.51.100.23:41000", "POST", "/api/users",
		`{"firstName":"Ada","lastName":"Lovelace","email":"`+email+`","access":"subscription"}`, bearer(token))
	if status != http.StatusCreated {
		t.Fatalf("invite: %d %s", status, body)
	}
	var invited userOut
	if err := json.Unmarshal([]byte(body), &invited); err != nil {
		t.Fatalf("invite answer %s: %v", body, err)
	}
	status, body = callFromWith(t, a, "[2001:db8::5]:41001", "POST", "/api/auth/set-password",
		`{"token":"`+linkTo(t, email)+`","password":"a brand new passphrase"}`, nil)
	if status != http.StatusOK {
		t.Fatalf("set password: %d %s", status, body)
	}

	type got struct{ Kind, Actor, Target, Source string }
	var entries []got
	for _, e := range testenv.AuditEntries(t, a.Dynamo, a.Config.TableName, ten.org.ID) {
		entries = append(entries, got{e.Kind, e.Actor.ID, e.Target.ID, e.Source})
	}
	want := map[got]bool{
		{domain.AuditUserInvited, ten.admin.ID, invited.ID, "198.51.100.23"}: true,
		{domain.AuditPasswordSet, invited.ID, invited.ID, "2001:db8::5"}:     true,
	}
	if len(entries) != len(want) {
		t.Fatalf("entries %+v, want %v", entries, want)
	}
	for _, e := range entries {
		if !want[e] {
			t.Errorf("entry %+v, want one of %v", e, want)
		}
	}
}
