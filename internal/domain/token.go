package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// tokenBytes is the entropy of every session, invite and reset token.
const tokenBytes = 32

// NewToken returns a fresh random token for a client and the SHA-256 hash that
// is the only form ever stored.
func NewToken() (token, hash string) {
	b := make([]byte, tokenBytes)
	rand.Read(b) // never returns an error; it crashes the program irrecoverably instead
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the stored form of a token: its SHA-256, hex-encoded.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ValidTokenShape reports whether s looks like a token NewToken made, so that
// junk is refused before any lookup.
func ValidTokenShape(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewID returns a random, unguessable identifier (26 lower-case characters).
func NewID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return strings.ToLower(idEncoding.EncodeToString(b))
}

// ValidID reports whether s has the shape of an id NewID made.
func ValidID(s string) bool {
	if len(s) != 26 || s != strings.ToLower(s) {
		return false
	}
	_, err := idEncoding.DecodeString(strings.ToUpper(s))
	return err == nil
}
