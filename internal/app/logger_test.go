package app_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"proportal/internal/app"
)

// No email address reaches the log: an SES rejection names its recipient.
func TestLoggerRedactsEmailAddresses(t *testing.T) {
	var buf bytes.Buffer
	log := app.NewLogger(&buf)
	sesErr := errors.New("operation error SESv2: SendEmail, https response error StatusCode: 400, MessageRejected: Email address is not verified. The following identities failed the check in region US-EAST-1: ada.lovelace+x@demo.test, no-reply@proportal.test")
	log.Error("request failed", "error", fmt.Errorf("send invite: %w", sesErr).Error(), "cause", sesErr, "route", "POST /api/users")
	out := buf.String()
	for _, addr := range []string{"ada.lovelace+x@demo.test", "no-reply@proportal.test", "@demo.test"} {
		if strings.Contains(out, addr) {
			t.Errorf("the log holds %s:\n%s", addr, out)
		}
	}
	if !strings.Contains(out, "MessageRejected") || !strings.Contains(out, "POST /api/users") {
		t.Errorf("redaction took more than the addresses:\n%s", out)
	}
}

func TestRedactEmails(t *testing.T) {
	tests := []struct{ give, want string }{
		{"no address here", "no address here"},
		{"to a@b.test.", "to <email>."},
		{"x <ünï@dömäin.test>, y@[127.0.0.1]", "x <<email>>, <email>"},
		{"@handle and a@b (no domain dot)", "@handle and a@b (no domain dot)"},
	}
	for _, tt := range tests {
		if got := app.RedactEmails(tt.give); got != tt.want {
			t.Errorf("RedactEmails(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}
