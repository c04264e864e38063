package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
	"time"

	"proportal/internal/testenv"
)

// TestLocalRun is `make run` end to end: moto started on a free port, the demo
// organization seeded, the demo admin signs in over HTTP, and Ctrl-C stops moto.
func TestLocalRun(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: starts moto and seeds the demo organization; make test runs it")
	}
	env := map[string]string{"PORT": "0", "DEMO_ADMIN_PASSWORD": "a-test-password-for-the-demo", "DEMO_PLATFORM_KEY": "ppk_a-test-key-for-the-demo-platform"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, out, done := startRun(t, ctx, env)
	if !strings.Contains(out.String(), "admin@demo.test") {
		t.Errorf("the banner does not say how to sign in:\n%s", out.String())
	}
	if strings.Contains(out.String(), env["DEMO_ADMIN_PASSWORD"]) {
		t.Errorf("the banner prints a password that came from the environment")
	}
	if strings.Contains(out.String(), env["DEMO_PLATFORM_KEY"]) || !strings.Contains(out.String(), "(from DEMO_PLATFORM_KEY)") {
		t.Errorf("the banner prints the platform key that came from the environment, or does not say where it came from:\n%s", out.String())
	}
	motoURL := regexp.MustCompile(`moto at (http://\S+),`).FindStringSubmatch(out.String())
	if motoURL == nil {
		t.Fatalf("the banner does not name moto's URL:\n%s", out.String())
	}

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	expect := func(method, path, body string, want int) []byte {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if method != "GET" {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, b, want)
		}
		return b
	}

	expect("GET", "/api/health", "", 200)
	expect("POST", "/api/auth/login", `{"email":"admin@demo.test","password":"wrong password"}`, 401)
	expect("POST", "/api/auth/login", `{"email":"admin@demo.test","password":"a-test-password-for-the-demo"}`, 200)
	// The demo platform's key is DEMO_PLATFORM_KEY: an empty batch is refused
	// for being empty (400), not for the key (401).
	req, _ := http.NewRequest("POST", base+"/api/ingest/events", strings.NewReader(`{"events":[]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+env["DEMO_PLATFORM_KEY"])
	if res, err := http.DefaultClient.Do(req); err != nil {
		t.Errorf("POST /api/ingest/events: %v", err)
	} else if res.Body.Close(); res.StatusCode != http.StatusBadRequest {
		t.Errorf("POST /api/ingest/events with DEMO_PLATFORM_KEY: %d, want 400 (an empty batch, the key accepted)", res.StatusCode)
	}
	expect("GET", "/api/me", "", 200) // the session cookie alone
	var dash struct {
		Seats struct{ Total, Used int } `json:"seats"`
	}
	json.Unmarshal(expect("GET", "/api/dashboard", "", 200), &dash)
	if dash.Seats.Total != 50 || dash.Seats.Used != 31 {
		t.Errorf("dashboard seats %+v, want 50 total and 31 used", dash.Seats)
	}
	expect("GET", "/api/subscription", "", 200)
	var mail []any
	if err := json.Unmarshal(expect("GET", "/dev/mail", "", 200), &mail); err != nil || mail == nil {
		t.Errorf("/dev/mail is not a JSON list: %v", err)
	}
	expect("GET", "/api/nope", "", 404)

	// The scheduled jobs run in-process; a developer runs one at once.
	if !strings.Contains(out.String(), "sweep-expired rate(1 hour)") {
		t.Errorf("the banner does not name the scheduled jobs:\n%s", out.String())
	}
	var swept struct {
		Deleted *int `json:"deleted"`
	}
	if err := json.Unmarshal(expect("POST", "/dev/jobs/sweep-expired", "", 200), &swept); err != nil || swept.Deleted == nil {
		t.Errorf("POST /dev/jobs/sweep-expired did not answer what it swept: %v", err)
	}
	expect("GET", "/dev/jobs/sweep-expired", "", 405)
	expect("POST", "/dev/jobs/no-such-job", "", 404)

	// Reminders as if it were the day the banner names (portalctl
	// run-reminders calls this): the demo's "due in 3 days" mail arrives in
	// /dev/mail.
	expect("POST", "/dev/jobs/send-reminders?at=yesterday", "", 400)
	if !strings.Contains(out.String(), "run-reminders -at "+reminderDay()) {
		t.Errorf("the banner does not say how to run the reminders:\n%s", out.String())
	}
	var sweep struct{ Assignments int }
	if err := json.Unmarshal(expect("POST", "/dev/jobs/send-reminders?at="+reminderDay(), "", 200), &sweep); err != nil || sweep.Assignments != 1 {
		t.Errorf("send-reminders at %s queued %+v (%v), want the demo's one assignment due in 3 days", reminderDay(), sweep, err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		var got []struct{ Subject string }
		json.Unmarshal(expect("GET", "/dev/mail", "", 200), &got)
		n := 0
		for _, m := range got {
			if strings.Contains(m.Subject, "“AWS cloud onboarding” is due on") {
				n++
			}
		}
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("no reminder in /dev/mail after run-reminders: %+v", got)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop after Ctrl-C")
	}
	if res, err := http.Get(motoURL[1] + "/moto-api/"); err == nil {
		res.Body.Close()
		t.Errorf("moto still answers at %s after the server stopped", motoURL[1])
	}
}

// startRun runs make run's server with env until ctx is done, and returns its
// URL once it serves, what it printed, and where its result arrives.
func startRun(t *testing.T, ctx context.Context, env map[string]string) (base string, out *testenv.Buffer, done <-chan error) {
	t.Helper()
	ready := make(chan string, 1)
	result := make(chan error, 1)
	out = &testenv.Buffer{}
	go func() { result <- run(ctx, func(k string) string { return env[k] }, out, ready) }()
	select {
	case base = <-ready:
	case err := <-result:
		t.Fatalf("run stopped before serving: %v\n%s", err, out.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("not ready within a minute:\n%s", out.String())
	}
	return base, out, result
}
