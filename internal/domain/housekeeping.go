package domain

import (
	"context"
	"fmt"
	"time"
)

// ExpiryStore deletes what has expired: one-time links, rate-limit windows and sessions.
type ExpiryStore interface {
	// DeleteExpired deletes the items whose expiry falls in the UTC hour that
	// starts at hour and is before now, and returns how many it deleted.
	DeleteExpired(ctx context.Context, hour, now time.Time) (int, error)
}

// SweepLookback is how far back a sweep looks for expired items: a day of
// missed runs is caught up; older leftovers are DynamoDB TTL's to delete.
const SweepLookback = 24 * time.Hour

// Housekeeping is the platform's own upkeep, run by scheduled jobs.
type Housekeeping struct {
	store ExpiryStore
	now   Clock
}

// NewHousekeeping returns the housekeeping service.
func NewHousekeeping(store ExpiryStore, now Clock) *Housekeeping {
	return &Housekeeping{store: store, now: now}
}

// Swept is what a sweep did.
type Swept struct {
	// From and To bound the expiry hours looked at: [From, To].
	From, To time.Time
	Deleted  int
}

// SweepExpired deletes the one-time links, rate-limit windows and sessions
// that expired in the last SweepLookback, so they are gone within the hour
// rather than when DynamoDB's TTL gets to them (days later). Expiry is always
// checked in code as well; the sweep only keeps the table clean. Running it
// again, or twice at once, deletes nothing more.
func (h *Housekeeping) SweepExpired(ctx context.Context) (Swept, error) {
	now := h.now().UTC()
	to := now.Truncate(time.Hour)
	s := Swept{From: to.Add(-SweepLookback), To: to}
	for hour := s.From; !hour.After(s.To); hour = hour.Add(time.Hour) {
		n, err := h.store.DeleteExpired(ctx, hour, now)
		s.Deleted += n
		if err != nil {
			return s, fmt.Errorf("sweep expired items of %s: %w", hour.Format("2006-01-02T15"), err)
		}
	}
	return s, nil
}
