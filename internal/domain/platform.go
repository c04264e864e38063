package domain

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Platform is a learning platform that sends activity (POST
// /api/ingest/events). It proves who it is with a key: a random secret shown
// once, of which only the SHA-256 is stored.
type Platform struct {
	ID        string
	Name      string
	CreatedAt time.Time
	RotatedAt time.Time
	// KeyHash is the hash of the current key; PreviousKeyHash the one it
	// replaced, which works until PreviousKeyExpiresAt (so that the platform
	// can deploy the new key without an outage).
	KeyHash              string
	PreviousKeyHash      string
	PreviousKeyExpiresAt time.Time
	// Revision guards rotations against each other.
	Revision int
}

// PlatformKeyPrefix starts every platform key, so that one found in a log or
// a repository is recognised for what it is.
const PlatformKeyPrefix = "ppk_"

// platformKeyBytes is how much randomness a platform key carries.
const platformKeyBytes = 32

// KeyOverlap is how long a rotated-out key keeps working: a day for the
// platform to deploy the new one (docs/decisions.md).
const KeyOverlap = 24 * time.Hour

// DemoPlatformID is the demo platform of local runs (make run).
const DemoPlatformID = "demoplatformaaaaaaaaaaaaaa"

// NewPlatformKey returns a new key: the prefix, then 32 random bytes in
// base64url (47 characters in all), and its stored hash.
func NewPlatformKey() (key, hash string) {
	b := make([]byte, platformKeyBytes)
	rand.Read(b)
	key = PlatformKeyPrefix + base64.RawURLEncoding.EncodeToString(b)
	return key, HashPlatformKey(key)
}

// HashPlatformKey is the stored form of a platform key.
func HashPlatformKey(key string) string { return HashToken("platform-key:" + key) }

// maxPlatformKey bounds what is hashed; a longer header is not a key.
const maxPlatformKey = 200

// PlatformStore is the persistence of platforms and their keys.
type PlatformStore interface {
	// CreatePlatform stores a new platform with its first key.
	CreatePlatform(ctx context.Context, p Platform) error
	// RotatePlatformKey makes next the platform's key and before's current
	// key its previous one (valid until p.PreviousKeyExpiresAt), and forgets
	// the key before that; conflict when the platform changed since read.
	RotatePlatformKey(ctx context.Context, before, after Platform) error
	FindPlatform(ctx context.Context, platformID string) (Platform, error)
	// FindPlatformByKey returns the platform a key hash belongs to, and when
	// that key stops working (zero: while it is the current key).
	FindPlatformByKey(ctx context.Context, keyHash string) (platformID string, expiresAt time.Time, err error)
}

// Platforms creates, rotates and checks platform keys.
type Platforms struct {
	store PlatformStore
	now   Clock
}

// NewPlatforms returns the platform keys service.
func NewPlatforms(store PlatformStore, now Clock) *Platforms {
	return &Platforms{store: store, now: now}
}

// CreatedPlatform is a new platform and its key, shown once.
type CreatedPlatform struct {
	Platform Platform
	Key      string
}

// Create registers a learning platform and returns its first key.
func (s *Platforms) Create(ctx context.Context, name string) (CreatedPlatform, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return CreatedPlatform{}, Problems{"name": "must be 1 to 100 characters"}.Err()
	}
	key, hash := NewPlatformKey()
	p := Platform{ID: NewID(), Name: name, CreatedAt: s.now(), KeyHash: hash, Revision: 1}
	if err := s.store.CreatePlatform(ctx, p); err != nil {
		return CreatedPlatform{}, fmt.Errorf("create platform: %w", err)
	}
	return CreatedPlatform{Platform: p, Key: key}, nil
}

// Rotate gives a platform a new key. The key it had keeps working for
// KeyOverlap; the one before that stops at once.
func (s *Platforms) Rotate(ctx context.Context, platformID string) (CreatedPlatform, error) {
	key, _ := NewPlatformKey()
	p, err := s.rotateTo(ctx, platformID, key)
	return CreatedPlatform{Platform: p, Key: key}, err
}

func (s *Platforms) rotateTo(ctx context.Context, platformID, key string) (Platform, error) {
	before, err := s.store.FindPlatform(ctx, platformID)
	if err != nil {
		return Platform{}, fmt.Errorf("rotate platform key: %w", err)
	}
	now := s.now()
	after := before
	after.KeyHash = HashPlatformKey(key)
	after.PreviousKeyHash = before.KeyHash
	after.PreviousKeyExpiresAt = now.Add(KeyOverlap)
	after.RotatedAt = now
	after.Revision = before.Revision + 1
	if err := s.store.RotatePlatformKey(ctx, before, after); err != nil {
		return Platform{}, fmt.Errorf("rotate platform key: %w", err)
	}
	return after, nil
}

var errPlatformKey = Errorf(CodeUnauthorized, "Send a valid platform key in Authorization: Bearer.")

// Authenticate returns the platform whose key this is: unauthorized for an
// unknown key, and for a rotated-out key past its overlap. One GetItem.
func (s *Platforms) Authenticate(ctx context.Context, key string) (Platform, error) {
	if key == "" || len(key) > maxPlatformKey {
		return Platform{}, errPlatformKey
	}
	id, expires, err := s.store.FindPlatformByKey(ctx, HashPlatformKey(key))
	if ErrorCode(err) == CodeNotFound {
		return Platform{}, errPlatformKey
	}
	if err != nil {
		return Platform{}, fmt.Errorf("authenticate platform: %w", err)
	}
	if !expires.IsZero() && !s.now().Before(expires) {
		return Platform{}, errPlatformKey
	}
	return Platform{ID: id}, nil
}

// DemoPlatform is the demo platform of a local run and its key.
type DemoPlatform struct {
	Platform Platform
	// Key is the key set now; empty when the given key was the current one
	// already.
	Key string
}

// SeedDemoPlatform makes sure the demo platform (DemoPlatformID) exists and
// that key (DEMO_PLATFORM_KEY) is its key; with no key given it gets a new
// random one, returned to be printed.
func (s *Platforms) SeedDemoPlatform(ctx context.Context, key string) (DemoPlatform, error) {
	if len(key) > maxPlatformKey || strings.ContainsFunc(key, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return DemoPlatform{}, Problems{"key": "must be at most 200 printable ASCII characters without spaces"}.Err()
	}
	if key == "" {
		key, _ = NewPlatformKey()
	}
	p, err := s.store.FindPlatform(ctx, DemoPlatformID)
	if ErrorCode(err) == CodeNotFound {
		p = Platform{ID: DemoPlatformID, Name: "Demo learning platform", CreatedAt: s.now(), KeyHash: HashPlatformKey(key), Revision: 1}
		if err := s.store.CreatePlatform(ctx, p); err != nil {
			return DemoPlatform{}, fmt.Errorf("seed demo platform: %w", err)
		}
		return DemoPlatform{Platform: p, Key: key}, nil
	}
	if err != nil {
		return DemoPlatform{}, fmt.Errorf("seed demo platform: %w", err)
	}
	if p.KeyHash == HashPlatformKey(key) {
		return DemoPlatform{Platform: p}, nil
	}
	if p, err = s.rotateTo(ctx, DemoPlatformID, key); err != nil {
		return DemoPlatform{}, fmt.Errorf("seed demo platform: %w", err)
	}
	return DemoPlatform{Platform: p, Key: key}, nil
}
