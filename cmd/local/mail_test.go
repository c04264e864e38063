package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"proportal/internal/moto"
)

// /dev/mail answers from the local run's own mailbox, whatever the size of
// moto's state: it never asks moto for its state dump (GET
// /moto-api/data.json, which grew to 3.9 MB and took ~10 s), while the mail
// itself still goes through SES (moto).
func TestDevMailDoesNotReadMotoState(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: starts moto and seeds the demo organization; make test runs it")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	motoSrv, err := moto.Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer motoSrv.Stop()
	target, _ := url.Parse(motoSrv.URL)
	toMoto := httputil.NewSingleHostReverseProxy(target)
	// A large local state: a dump of several megabytes.
	largeState := `{"dynamodb":{"padding":"` + strings.Repeat("x", 6<<20) + `"},"ses":{}}`
	var stateReads, sends atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/moto-api/data.json":
			stateReads.Add(1)
			io.WriteString(w, largeState)
			return
		case r.Method == http.MethodPost && r.URL.Path == "/v2/email/outbound-emails":
			sends.Add(1)
		}
		toMoto.ServeHTTP(w, r)
	}))
	defer front.Close()

	base, _, done := startRun(t, ctx, map[string]string{"PORT": "0", "AWS_ENDPOINT_URL": front.URL})
	defer func() { cancel(); <-done }()

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	post := func(path, body string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode/100 != 2 {
			t.Fatalf("POST %s = %d %s", path, res.StatusCode, b)
		}
	}
	post("/api/auth/login", `{"email":"admin@demo.test","password":"`+defaultDemoPassword+`"}`)
	post("/api/users", `{"firstName":"Sam","lastName":"Lee","email":"sam@example.com","access":"subscription"}`)
	if sends.Load() == 0 {
		t.Fatal("the invite did not go through SES (moto)")
	}

	start := time.Now()
	res, err := client.Get(base + "/dev/mail")
	if err != nil {
		t.Fatalf("GET /dev/mail: %v", err)
	}
	defer res.Body.Close()
	var mail []struct {
		To      []string `json:"to"`
		Subject string   `json:"subject"`
		Text    string   `json:"text"`
	}
	if err := json.NewDecoder(res.Body).Decode(&mail); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /dev/mail = %d, not a JSON list: %v", res.StatusCode, err)
	}
	t.Logf("GET /dev/mail answered in %s", time.Since(start))
	if n := stateReads.Load(); n != 0 {
		t.Errorf("GET /dev/mail read moto's whole state %d times; it should answer from the local run's mailbox", n)
	}
	if len(mail) == 0 || len(mail[0].To) != 1 || mail[0].To[0] != "sam@example.com" || !strings.Contains(mail[0].Text, "/set-password#token=") {
		t.Errorf("GET /dev/mail = %+v, want Sam's invite with its link first", mail)
	}
}
