package domain

import (
	"strings"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
	// longest is an address of exactly maxEmailLength (254) bytes.
	longest := strings.Repeat("a", maxEmailLength-len("@example.com")) + "@example.com"
	tests := []struct {
		name   string
		give   string
		want   string
		wantOK bool
	}{
		{"plain", "ada@example.com", "ada@example.com", true},
		{"upper case", "Ada.Lovelace@Example.COM", "ada.lovelace@example.com", true},
		{"surrounding spaces", "  ada@example.com \t\n", "ada@example.com", true},
		{"plus and subdomain", "ada+news@mail.example.co.uk", "ada+news@mail.example.co.uk", true},
		{"254 bytes", longest, longest, true},
		{"255 bytes", "a" + longest, "a" + longest, false},
		{"empty", "", "", false},
		{"only spaces", "   ", "", false},
		{"display name", "Bob <b@x.com>", "bob <b@x.com>", false},
		{"angle brackets", "<b@x.com>", "<b@x.com>", false},
		{"comment", "b@x.com (Bob)", "b@x.com (bob)", false},
		{"no dot in domain", "ada@localhost", "ada@localhost", false},
		{"no at", "ada.example.com", "ada.example.com", false},
		{"empty local part", "@example.com", "@example.com", false},
		{"two ats", "a@b@example.com", "a@b@example.com", false},
		{"space inside", "ada lovelace@example.com", "ada lovelace@example.com", false},
		{"NUL inside", "ada\x00@example.com", "ada\x00@example.com", false},
		{"newline inside", "ada\n@example.com", "ada\n@example.com", false},
		{"DEL inside", "ada\x7f@example.com", "ada\x7f@example.com", false},
		{"trailing dot", "ada@example.com.", "ada@example.com.", false},
		{"double dot in domain", "ada@example..com", "ada@example..com", false},
		{"two addresses", "a@x.com, b@x.com", "a@x.com, b@x.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NormalizeEmail(tt.give)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("NormalizeEmail(%q) = %q, %v; want %q, %v", tt.give, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestUserCanSignIn(t *testing.T) {
	tests := []struct {
		name string
		give User
		want bool
	}{
		{"active with seat", User{Status: StatusActive, Seat: true}, true},
		{"active admin without seat", User{Status: StatusActive, Admin: true}, true},
		{"active with neither", User{Status: StatusActive}, false},
		{"invited with seat", User{Status: StatusInvited, Seat: true, Admin: true}, false},
		{"inactive", User{Status: StatusInactive}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.give.CanSignIn(); got != tt.want {
				t.Errorf("CanSignIn() = %v, want %v", got, tt.want)
			}
		})
	}
}
