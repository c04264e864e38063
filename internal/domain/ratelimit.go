package domain

import (
	"context"
	"fmt"
	"time"
)

// limit is one rate limit a request is counted under.
type limit struct {
	Attempt
	max int
	// message says what to do when the limit is passed.
	message string
}

// hitter counts requests under a rate limit (see SessionStore.Hit).
type hitter interface {
	Hit(ctx context.Context, scope, key string, window int64, expires time.Time) (int, error)
}

// window is the number of the fixed window of length that holds now, and
// when it ends.
func window(length time.Duration, now time.Time) (int64, time.Time) {
	seconds := int64(length.Seconds())
	n := now.Unix() / seconds
	return n, time.Unix((n+1)*seconds, 0)
}

// countUnder counts one request under each limit in turn and refuses it
// (rate_limited, with that limit's message) at the first limit it passes. A
// refused request is not counted under the limits after it, so one source
// cannot use up a limit it shares with others. It returns the attempts
// counted, which a request that turns out well may give back. Every limit's
// Window must be the window that ends at expires.
func countUnder(ctx context.Context, store hitter, expires time.Time, limits []limit) ([]Attempt, error) {
	counted := make([]Attempt, 0, len(limits))
	for _, l := range limits {
		n, err := store.Hit(ctx, l.Scope, l.Key, l.Window, expires)
		if err != nil {
			return nil, fmt.Errorf("count under the %s limit: %w", l.Scope, err)
		}
		counted = append(counted, l.Attempt)
		if n > l.max {
			return nil, Errorf(CodeRateLimited, "%s", l.message)
		}
	}
	return counted, nil
}
