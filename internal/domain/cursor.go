package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Cursors seal the store's page positions into opaque cursors for clients,
// signed with HMAC-SHA-256 and bound to the organization and the query they
// came from: a cursor from another organization, another filter or tampered
// with is refused.
type Cursors struct {
	key []byte
}

// NewCursors returns cursors signed with a secret key (32 bytes or more).
func NewCursors(key []byte) Cursors { return Cursors{key: key} }

// Seal turns a position into a cursor; an empty position (no next page) stays empty.
func (c Cursors) Seal(orgID, query, position string) string {
	if position == "" {
		return ""
	}
	payload := base64.RawURLEncoding.EncodeToString([]byte(position))
	return payload + "." + c.sign(orgID, query, payload)
}

// Open returns the position in a cursor made by Seal for the same organization
// and query; "" for an empty cursor.
func (c Cursors) Open(orgID, query, cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	invalid := Problems{"cursor": "is not a cursor of this list; start from the first page"}.Err()
	payload, sig, ok := strings.Cut(cursor, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(c.sign(orgID, query, payload))) {
		return "", invalid
	}
	position, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return "", invalid
	}
	return string(position), nil
}

func (c Cursors) sign(orgID, query, payload string) string {
	mac := hmac.New(sha256.New, c.key)
	mac.Write([]byte(orgID + "\x00" + query + "\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
