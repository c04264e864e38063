package app_test

import (
	"net/url"
	"testing"
	"time"

	"proportal/internal/domain"

	"proportal/internal/app"
)

// The session cookie is Secure everywhere but a plain-http localhost, where
// browsers would drop it (docs/decisions.md, "Cookie").
func TestSecureCookies(t *testing.T) {
	tests := []struct {
		give string
		want bool
	}{
		{"https://portal.example.com", true},
		{"https://localhost:8443", true},
		{"http://localhost:8080", false},
		{"http://localhost", false},
		// Only the name localhost is exempt: a loopback address is not (Secure
		// there is the safe side; a browser may drop the cookie, nothing leaks).
		{"http://127.0.0.1:8080", true},
		{"http://[::1]:8080", true},
		{"http://portal.example.com", true},
		{"http://localhost.evil.example", true},
		{"http://localhost@evil.example", true},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			u, err := url.Parse(tt.give)
			if err != nil {
				t.Fatalf("url.Parse(%q): %v", tt.give, err)
			}
			if got := (app.Config{PortalBaseURL: u}).SecureCookies(); got != tt.want {
				t.Errorf("SecureCookies() for PORTAL_BASE_URL %s = %v, want %v", tt.give, got, tt.want)
			}
		})
	}
}

func TestAuditRetentionDays(t *testing.T) {
	tests := []struct {
		give    string
		want    time.Duration
		wantErr bool
	}{
		{"", domain.DefaultAuditRetention, false},
		{"400", 400 * 24 * time.Hour, false},
		{"30", 30 * 24 * time.Hour, false},
		{"29", domain.DefaultAuditRetention, true},
		{"a year", domain.DefaultAuditRetention, true},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			t.Setenv("TABLE_NAME", "proportal-test")
			t.Setenv("AUDIT_RETENTION_DAYS", tt.give)
			cfg, err := app.LoadConfig()
			if (err != nil) != tt.wantErr || cfg.AuditRetention != tt.want {
				t.Errorf("AUDIT_RETENTION_DAYS=%q: %v, %v; want %v, error %v", tt.give, cfg.AuditRetention, err, tt.want, tt.wantErr)
			}
		})
	}
}
