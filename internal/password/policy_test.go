package password

import (
	"strings"
	"testing"
)

func TestProblem(t *testing.T) {
	tests := []struct {
		give    string
		wantBad bool
	}{
		{"correct horse battery staple", false},
		{"short", true},
		{"elevenchars", true},
		{"twelve chars", false},
		{"qwerty123456", true},    // in the common list
		{"QWERTY123456", true},    // compared case-insensitively
		{"1qaz2wsx3edc", true},    // keyboard walk from the list
		{"aaaaaaaaaaaaaaa", true}, // one character repeated
		{strings.Repeat("ab", 128), false},
		{strings.Repeat("ab", 128) + "c", true}, // 257 bytes
		{"ünïcödé pässwörd", false},
	}
	for _, tt := range tests {
		if got := Problem(tt.give); (got != "") != tt.wantBad {
			t.Errorf("Problem(%q) = %q, want bad=%v", tt.give, got, tt.wantBad)
		}
	}
}

func TestCommonListIsShipped(t *testing.T) {
	isCommon("x")
	if len(common) < 10000 {
		t.Fatalf("the common-password list has %d entries, want at least 10,000", len(common))
	}
	for _, pw := range []string{"123456", "password", "iloveyou"} {
		if !isCommon(pw) {
			t.Errorf("%q is not in the list", pw)
		}
	}
}
