package domain

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
)

var base64URL43 = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

func TestNewToken(t *testing.T) {
	token, hash := NewToken()
	if !base64URL43.MatchString(token) {
		t.Errorf("token %q is not 43 characters of unpadded base64url", token)
	}
	if b, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(b) != 32 {
		t.Errorf("token %q decodes to %d bytes (err %v), want 32", token, len(b), err)
	}
	sum := sha256.Sum256([]byte(token))
	if want := hex.EncodeToString(sum[:]); hash != want {
		t.Errorf("hash = %q, want sha256 hex of the token %q", hash, want)
	}
	if got := HashToken(token); got != hash {
		t.Errorf("HashToken(token) = %q, want the hash NewToken returned %q", got, hash)
	}
}

func TestNewTokenIsRandom(t *testing.T) {
	a, hashA := NewToken()
	b, hashB := NewToken()
	if a == b || hashA == hashB {
		t.Fatalf("two calls of NewToken returned the same token %q", a)
	}
}

func TestValidTokenShape(t *testing.T) {
	fresh, _ := NewToken()
	tests := []struct {
		name string
		give string
		want bool
	}{
		{"NewToken output", fresh, true},
		{"43 base64url characters", strings.Repeat("A", 42) + "-", true},
		{"empty", "", false},
		{"one short", fresh[:42], false},
		{"one long", fresh + "A", false},
		{"padded", base64.URLEncoding.EncodeToString(make([]byte, 32)), false},
		{"standard alphabet +", strings.Repeat("A", 42) + "+", false},
		{"standard alphabet /", "/" + strings.Repeat("A", 42), false},
		{"space", strings.Repeat("A", 21) + " " + strings.Repeat("A", 21), false},
		{"hex hash instead of token", HashToken(fresh), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidTokenShape(tt.give); got != tt.want {
				t.Errorf("ValidTokenShape(%q) = %v, want %v", tt.give, got, tt.want)
			}
		})
	}
}

var lowerBase32ID = regexp.MustCompile(`^[a-z2-7]{26}$`)

func TestNewID(t *testing.T) {
	a, b := NewID(), NewID()
	for _, id := range []string{a, b} {
		if !lowerBase32ID.MatchString(id) {
			t.Errorf("NewID() = %q, want 26 lower-case base32 characters", id)
		}
	}
	if a == b {
		t.Errorf("two calls of NewID returned the same id %q", a)
	}
}

func TestValidID(t *testing.T) {
	fresh := NewID()
	tests := []struct {
		name string
		give string
		want bool
	}{
		{"NewID output", fresh, true},
		{"empty", "", false},
		{"one short", fresh[:25], false},
		{"one long", fresh + "a", false},
		{"digit outside base32", "1" + fresh[1:], false},
		{"digit 8", fresh[:25] + "8", false},
		{"punctuation", "-" + fresh[1:], false},
		{"path traversal", "../" + fresh[3:], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidID(tt.give); got != tt.want {
				t.Errorf("ValidID(%q) = %v, want %v", tt.give, got, tt.want)
			}
		})
	}
}

func TestValidIDRejectsUpperCase(t *testing.T) {
	if id := strings.ToUpper(NewID()); ValidID(id) {
		t.Errorf("ValidID(%q) = true, want false: NewID makes lower-case ids only", id)
	}
}
