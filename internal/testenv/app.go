package testenv

import (
	"log/slog"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"proportal/internal/app"
	"proportal/internal/domain"
)

// NewApp wires the whole application on a fresh table, with a clock the test
// controls (nil for the real one), and returns the counter of its AWS calls.
func NewApp(tb testing.TB, now domain.Clock) (*app.App, *Calls) {
	tb.Helper()
	awsCfg, calls := AWSConfig(tb)
	table := NewTable(tb, dynamodb.NewFromConfig(awsCfg))
	if now == nil {
		now = time.Now
	}
	base, _ := url.Parse("http://localhost:8080")
	cfg := app.Config{TableName: table, PortalBaseURL: base, InviteTTL: domain.InviteTTL, Auth: domain.DefaultAuthConfig}
	a := app.NewWith(cfg, awsCfg, now)
	a.Services.Logger = slog.New(slog.DiscardHandler) // tests that read the log set their own
	calls.Reset()
	return a, calls
}

// Clock is a settable clock for tests, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now tells the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
