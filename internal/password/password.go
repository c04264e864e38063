// Package password hashes and verifies passwords with argon2id.
//
// Parameters follow OWASP's Password Storage Cheat Sheet minimum for argon2id:
// 19 MiB of memory, 2 iterations, 1 degree of parallelism. Hashes are PHC
// strings, so the parameters can be raised later and old hashes still verify.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters.
type Params struct {
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint8
	SaltLen     int
	KeyLen      uint32
}

// OWASP is the default: m=19 MiB, t=2, p=1.
var OWASP = Params{MemoryKiB: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLen: 16, KeyLen: 32}

var b64 = base64.RawStdEncoding

// Hash returns the PHC string of an argon2id hash of pw with a random salt.
func Hash(pw string) string {
	return OWASP.Hash(pw)
}

// Hash returns the PHC string of an argon2id hash of pw with these parameters.
func (p Params) Hash(pw string) string {
	salt := make([]byte, p.SaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, p.Iterations, p.MemoryKiB, p.Parallelism, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.MemoryKiB, p.Iterations, p.Parallelism, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// ErrMalformed reports a stored hash that is not an argon2id PHC string.
var ErrMalformed = errors.New("password: malformed argon2id hash")

// Verify reports whether pw matches the PHC string encoded. It takes the same
// time for a wrong password as for a right one.
func Verify(pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Iterations, &p.Parallelism); err != nil {
		return false, ErrMalformed
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformed
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrMalformed
	}
	got := argon2.IDKey([]byte(pw), salt, p.Iterations, p.MemoryKiB, p.Parallelism, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummy is verified against when there is no user, so that an unknown email
// costs the same time as a wrong password. It is a constant (made once with
// Hash, OWASP parameters) rather than computed at start: hashing at package
// initialization would add an argon2id run to every Lambda cold start.
const dummy = "$argon2id$v=19$m=19456,t=2,p=1$ABAmR9X2pQ5NzL2IPtRn9Q$tpAmmuNov+kqAzTzVo3Iy5WYh7eO1LPp1zFTuP71PFA"

// VerifyNothing spends the time a Verify would and always reports false.
func VerifyNothing(pw string) {
	Verify(pw, dummy) //nolint:errcheck // the result is deliberately ignored
}
