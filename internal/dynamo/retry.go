package dynamo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// The one retry policy of the store, for what DynamoDB refuses for a passing
// reason: transactions cancelled by a conflict, and the part of a batch it
// leaves unprocessed (throttling).
const (
	// maxAttempts bounds the calls made for one transaction or batch.
	maxAttempts = 8
	// firstBackoff is the wait before the second attempt; each later wait
	// doubles, up to maxBackoff.
	firstBackoff = 20 * time.Millisecond
	maxBackoff   = 2 * time.Second
)

// retry calls try until it succeeds, fails for good, or has been called
// maxAttempts times, and waits with backoff between calls. try reports
// whether its error is a passing one worth another attempt.
func retry(ctx context.Context, try func() (again bool, err error)) error {
	for attempt := 1; ; attempt++ {
		again, err := try()
		if err == nil || !again {
			return err
		}
		if attempt == maxAttempts {
			return fmt.Errorf("gave up after %d attempts: %w", attempt, err)
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// backoff waits before the attempt after attempt: exponentially longer each
// time, with jitter so that callers that collided do not collide again. It
// returns early with the context's error when the context ends.
func backoff(ctx context.Context, attempt int) error {
	d := min(firstBackoff<<min(attempt-1, 16), maxBackoff)
	t := time.NewTimer(d/2 + rand.N(d))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
