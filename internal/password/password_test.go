package password

import (
	"strings"
	"testing"
)

func TestHashAndVerify(t *testing.T) {
	h := Hash("correct horse battery staple")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry the OWASP parameters", h)
	}
	tests := []struct {
		give string
		want bool
	}{
		{"correct horse battery staple", true},
		{"correct horse battery stapl", false},
		{"", false},
	}
	for _, tt := range tests {
		got, err := Verify(tt.give, h)
		if err != nil {
			t.Fatalf("Verify(%q): %v", tt.give, err)
		}
		if got != tt.want {
			t.Errorf("Verify(%q) = %v, want %v", tt.give, got, tt.want)
		}
	}
}

func TestHashIsSalted(t *testing.T) {
	if Hash("same") == Hash("same") {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, give := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=x$a$b", "$argon2id$v=19$m=8,t=1,p=1$!!$aGFzaA"} {
		if _, err := Verify("pw", give); err == nil {
			t.Errorf("Verify(_, %q) accepted a malformed hash", give)
		}
	}
}

func TestDummyHashHasTheCurrentParameters(t *testing.T) {
	if !strings.HasPrefix(dummy, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("the timing equalizer's hash %q does not use OWASP's parameters: unknown emails would answer faster", dummy)
	}
	if ok, err := Verify("not a real password: timing equalizer", dummy); err != nil || !ok {
		t.Fatalf("the timing equalizer's hash does not verify: %v %v", ok, err)
	}
}
