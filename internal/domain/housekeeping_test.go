package domain_test

import (
	"context"
	"testing"
	"time"

	"proportal/internal/domain"
)

func TestSweepExpired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u, err := e.app.Store.FindUserByEmail(ctx, e.email)
	if err != nil {
		t.Fatal(err)
	}
	session := func(expires time.Time) string {
		_, hash := domain.NewToken()
		s := domain.Session{TokenHash: hash, OrgID: u.OrgID, UserID: u.ID, CreatedAt: expires.Add(-12 * time.Hour), LastSeenAt: expires.Add(-time.Hour), ExpiresAt: expires}
		if err := e.app.Store.CreateSession(ctx, s, nil); err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		return hash
	}
	now := e.clock.Now()
	tests := []struct {
		name    string
		expires time.Time
		swept   bool
	}{
		{"expired a minute ago", now.Add(-time.Minute), true},
		{"expired 23 hours ago", now.Add(-23 * time.Hour), true},
		{"expired two days ago: TTL's to delete", now.Add(-48 * time.Hour), false},
		{"expires in a minute", now.Add(time.Minute), false},
	}
	hashes := make([]string, len(tests))
	for i, tt := range tests {
		hashes[i] = session(tt.expires)
	}
	e.calls.Reset()
	swept, err := e.app.Jobs.Housekeeping.SweepExpired(ctx)
	if err != nil {
		t.Fatalf("SweepExpired: %v", err)
	}
	// The sign-in of newEnv left no expired window: two sessions are all.
	if swept.Deleted != 2 {
		t.Errorf("deleted %d, want 2", swept.Deleted)
	}
	if hours := swept.To.Sub(swept.From); hours != 24*time.Hour || !swept.To.Equal(now.Truncate(time.Hour)) {
		t.Errorf("looked at %v .. %v, want the 24 hours up to %v", swept.From, swept.To, now.Truncate(time.Hour))
	}
	if q := e.calls.Count("Query"); q != 25 {
		t.Errorf("made %d queries, want one per hour of the day looked at (25)", q)
	}
	for i, tt := range tests {
		_, err := e.app.Store.FindSession(ctx, hashes[i])
		if gone := domain.ErrorCode(err) == domain.CodeNotFound; gone != tt.swept {
			t.Errorf("%s: deleted = %v, want %v", tt.name, gone, tt.swept)
		}
	}
	again, err := e.app.Jobs.Housekeeping.SweepExpired(ctx)
	if err != nil || again.Deleted != 0 {
		t.Errorf("a second sweep = %+v, %v; want nothing deleted", again, err)
	}
}
