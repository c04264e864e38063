package domain

import (
	"context"
	"time"
)

// ExpiryStore deletes what has expired: one-time links, rate-limit windows and sessions.
type ExpiryStore interface {
	// DeleteExpired deletes the items whose expiry falls in the UTC hour that
	// starts at hour and is before now, and returns how many it deleted.
	DeleteExpired(ctx context.Context, hour, now time.Time) (int, error)
}
