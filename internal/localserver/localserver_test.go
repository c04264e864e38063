package localserver

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/devmail"
	"proportal/internal/domain"
	"proportal/internal/httpapi"
	"proportal/internal/worker"
)

func TestEventIsPayload2(t *testing.T) {
	r := httptest.NewRequest("POST", "http://localhost:8080/api/users/u1/activate?x=1&x=2&y=z", strings.NewReader(`{"a":1}`))
	r.Header.Set("Authorization", "Bearer tok")
	r.Header.Set("Content-Type", "application/json")
	r.Header.Add("Cookie", "pp_session=abc; theme=dark")
	r.RemoteAddr = "10.1.2.3:5555"
	route := httpapi.Route{Name: "ActivateUser", Method: "POST", Path: "/api/users/{userId}/activate"}
	ev := Event(r, route, map[string]string{"userId": "u1"}, []byte(`{"a":1}`))

	if ev.Version != "2.0" || ev.RouteKey != "POST /api/users/{userId}/activate" || ev.RequestContext.RouteKey != ev.RouteKey {
		t.Errorf("version %q, routeKey %q / %q", ev.Version, ev.RouteKey, ev.RequestContext.RouteKey)
	}
	if ev.RawPath != "/api/users/u1/activate" || ev.RawQueryString != "x=1&x=2&y=z" {
		t.Errorf("rawPath %q rawQueryString %q", ev.RawPath, ev.RawQueryString)
	}
	if diff := cmp.Diff(map[string]string{"x": "1,2", "y": "z"}, ev.QueryStringParameters); diff != "" {
		t.Errorf("query parameters (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"pp_session=abc", "theme=dark"}, ev.Cookies); diff != "" {
		t.Errorf("cookies (-want +got):\n%s", diff)
	}
	if ev.Headers["authorization"] != "Bearer tok" || ev.Headers["content-type"] != "application/json" {
		t.Errorf("headers are not lower-cased: %v", ev.Headers)
	}
	if _, ok := ev.Headers["cookie"]; ok {
		t.Errorf("the cookie header should move to cookies, as API Gateway does")
	}
	if ev.RequestContext.HTTP.Method != "POST" || ev.RequestContext.HTTP.SourceIP != "10.1.2.3" || ev.RequestContext.RequestID == "" {
		t.Errorf("request context %+v", ev.RequestContext)
	}
	if ev.Body != `{"a":1}` || ev.IsBase64Encoded {
		t.Errorf("body %q base64 %v", ev.Body, ev.IsBase64Encoded)
	}
	if ev.PathParameters["userId"] != "u1" {
		t.Errorf("path parameters %v", ev.PathParameters)
	}
}

func TestEventEncodesBinaryBodies(t *testing.T) {
	r := httptest.NewRequest("POST", "/api/x", nil)
	ev := Event(r, httpapi.Route{Path: httpapi.DefaultPath}, nil, []byte{0xff, 0xfe})
	if !ev.IsBase64Encoded || ev.Body != "//4=" {
		t.Errorf("body %q base64 %v, want //4= true", ev.Body, ev.IsBase64Encoded)
	}
	if ev.RouteKey != "$default" {
		t.Errorf("routeKey %q, want $default", ev.RouteKey)
	}
}

func TestPortalPlaceholder(t *testing.T) {
	s := &Server{}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "make web") {
		t.Errorf("GET / = %d %q", rec.Code, rec.Body.String())
	}
}

func TestPortalServesFilesAndAppRoutes(t *testing.T) {
	web := fstest.MapFS{
		"index.html":       {Data: []byte("<!doctype html><title>app</title>")},
		"assets/app-1.js":  {Data: []byte("console.log(1)")},
		"favicon.svg":      {Data: []byte("<svg/>")},
		"assets/style.css": {Data: []byte("body{}")},
	}
	s := &Server{web: web}
	tests := []struct {
		path       string
		wantStatus int
		wantBody   string
		wantCache  string
	}{
		{"/", 200, "<title>app</title>", "no-cache"},
		{"/users", 200, "<title>app</title>", "no-cache"},
		{"/users/abc", 200, "<title>app</title>", "no-cache"},
		{"/set-password", 200, "<title>app</title>", "no-cache"},
		{"/assets/app-1.js", 200, "console.log(1)", "public, max-age=31536000, immutable"},
		{"/favicon.svg", 200, "<svg/>", ""},
		{"/assets/missing.js", 404, "", ""},
		{"/../../etc/passwd", 200, "<title>app</title>", "no-cache"},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
		if rec.Code != tt.wantStatus || !strings.Contains(rec.Body.String(), tt.wantBody) {
			t.Errorf("GET %s = %d %q, want %d with %q", tt.path, rec.Code, rec.Body.String(), tt.wantStatus, tt.wantBody)
		}
		if got := rec.Header().Get("Cache-Control"); tt.wantCache != "" && got != tt.wantCache {
			t.Errorf("GET %s Cache-Control %q, want %q", tt.path, got, tt.wantCache)
		}
		for k, v := range SecurityHeaders {
			if rec.Header().Get(k) != v {
				t.Errorf("GET %s lacks %s: %s", tt.path, k, v)
			}
		}
	}
	if !strings.Contains(ContentSecurityPolicy, "script-src 'self'") || strings.Contains(ContentSecurityPolicy, "unsafe-inline") {
		t.Errorf("the policy allows inline script: %s", ContentSecurityPolicy)
	}
}

// The scheduled jobs fire on their own, with the handler their Lambda runs.
func TestSchedulesFireInProcess(t *testing.T) {
	fired := make(chan worker.ScheduledEvent, 3)
	s := &Server{jobs: map[string]worker.ScheduledHandler{
		"Tick": func(_ context.Context, ev worker.ScheduledEvent) (json.RawMessage, error) {
			fired <- ev
			return json.RawMessage(`{}`), nil
		},
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.runEvery(ctx, "Tick", time.Millisecond)
	for range 2 {
		select {
		case ev := <-fired:
			if ev.Job != "Tick" {
				t.Errorf("fired with %+v, want the job's own name", ev)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the schedule did not fire")
		}
	}
	if _, err := s.RunJob(ctx, "Tock"); err == nil {
		t.Error("ran a job that does not exist")
	}
}

// /dev/mail answers the mailbox, in the shape the portal's Mailbox page reads.
func TestDevMailServesTheMailbox(t *testing.T) {
	box := devmail.NewMailbox(devmail.DefaultKept)
	mailer := box.Wrap(acceptAll{})
	mailer.Send(context.Background(), domain.Mail{To: "ada@example.com", Subject: "first", Text: "t1", HTML: "<p>1</p>"})
	mailer.Send(context.Background(), domain.Mail{To: "bob@example.com", Subject: "second", Text: "t2", HTML: "<p>2</p>"})
	s := New(&httpapi.Services{}, box, nil, slog.New(slog.DiscardHandler))

	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/dev/mail", nil))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET /dev/mail = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var got []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("GET /dev/mail is not a JSON list: %v\n%s", err, rec.Body)
	}
	if len(got) != 2 || got[0]["subject"] != "second" || got[1]["subject"] != "first" {
		t.Fatalf("GET /dev/mail = %s, want the two mails newest first", rec.Body)
	}
	var keys []string
	for k := range got[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if diff := cmp.Diff([]string{"attachments", "html", "id", "sentAt", "subject", "text", "to"}, keys); diff != "" {
		t.Errorf("a mail's fields (-want +got):\n%s", diff)
	}

	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "/dev/mail", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /dev/mail = %d, want 405", rec.Code)
	}
}

// /dev/mail lists a mail's files, and /dev/mail/{id}/attachments/{n} serves each.
func TestDevMailServesAttachments(t *testing.T) {
	box := devmail.NewMailbox(devmail.DefaultKept)
	file := []byte("PK\x03\x04 a workbook")
	box.Wrap(acceptAll{}).Send(context.Background(), domain.Mail{
		To: "ada@example.com", Subject: "report", Text: "t", HTML: "<p>h</p>",
		Attachments: []domain.Attachment{{Name: "report ü.xlsx", ContentType: domain.XLSXContentType, Data: file}},
	})
	s := New(&httpapi.Services{}, box, nil, slog.New(slog.DiscardHandler))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/dev/mail", nil))
	var got []struct {
		ID          string `json:"id"`
		Attachments []struct {
			Name, ContentType, URL string
			Size                   int
		} `json:"attachments"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || len(got) != 1 || len(got[0].Attachments) != 1 {
		t.Fatalf("GET /dev/mail = %s (%v), want one mail with one attachment", rec.Body, err)
	}
	a := got[0].Attachments[0]
	wantURL := "/dev/mail/" + got[0].ID + "/attachments/0"
	if a.Name != "report ü.xlsx" || a.ContentType != domain.XLSXContentType || a.Size != len(file) || a.URL != wantURL {
		t.Errorf("attachment listed as %+v, want its name, type, size %d and url %s", a, len(file), wantURL)
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", a.URL, nil))
	if rec.Code != http.StatusOK || rec.Body.String() != string(file) || rec.Header().Get("Content-Type") != domain.XLSXContentType ||
		!strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment;") {
		t.Errorf("GET %s = %d %v %q, want the file as a download", a.URL, rec.Code, rec.Header(), rec.Body)
	}
	for _, path := range []string{"/dev/mail/" + got[0].ID + "/attachments/1", "/dev/mail/nosuch/attachments/0", "/dev/mail/" + got[0].ID + "/attachments/x"} {
		rec = httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, rec.Code)
		}
	}
}

// acceptAll is a mailer that SES accepts everything from.
type acceptAll struct{}

func (acceptAll) Send(context.Context, domain.Mail) error { return nil }
