package testenv

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"proportal/internal/app"
	"proportal/internal/devmail"
	"proportal/internal/domain"
	"proportal/internal/excel"
	"proportal/internal/localserver"
	"proportal/internal/s3"
	"proportal/internal/ses"
	"proportal/internal/worker"
)

// NewApp wires the whole application on a fresh table, with a clock the test
// controls (nil for the real one), and returns the counter of its AWS calls.
func NewApp(tb testing.TB, now domain.Clock) (*app.App, *Calls) {
	tb.Helper()
	return NewAppAt(tb, now, "http://localhost:8080")
}

// NewAppAt is NewApp for a portal served at baseURL: links in mail point
// there (a browser test serves the portal on a port of its own).
func NewAppAt(tb testing.TB, now domain.Clock, baseURL string) (*app.App, *Calls) {
	tb.Helper()
	base, err := url.Parse(baseURL)
	if err != nil {
		tb.Fatalf("testenv: portal base URL %q: %v", baseURL, err)
	}
	awsCfg, calls := AWSConfig(tb)
	table := NewTable(tb, dynamodb.NewFromConfig(awsCfg))
	if now == nil {
		now = time.Now
	}
	cfg := app.DefaultConfig()
	cfg.TableName, cfg.PortalBaseURL = table, base
	cfg.ReportsBucket = ReportsBucket(tb, awsCfg)
	VerifySender(tb, awsCfg, cfg.MailFrom)
	// Tests that read the log rewire the app with a logger of their own.
	a := app.NewWith(cfg, awsCfg, now, ses.FromConfig, slog.New(slog.DiscardHandler))
	UseLocalQueue(a)
	calls.Reset()
	return a, calls
}

// UseLocalQueue hands a's large team changes to the ContinueTeamChange job
// in-process (localserver.Queue), as make run does, and returns the queue:
// its Wait returns once the job has finished what was sent. Exports go to
// the RunExport job the same way (see UseLocalExports), and report
// deliveries to the RunScheduledReport job (UseLocalSchedules).
func UseLocalQueue(a *app.App) *localserver.Queue {
	q := localserver.NewQueue(worker.ContinueTeamChange.Name, a.Jobs, a.Logger)
	q.RetryAfter = 100 * time.Millisecond
	a.UseQueue(q)
	UseLocalExports(a)
	UseLocalReminders(a)
	UseLocalSchedules(a)
	UseLocalImports(a)
	return q
}

// UseLocalImports hands a's applied imports to the RunImport job
// in-process, with moto's S3 for the result files, and returns the queue.
func UseLocalImports(a *app.App) *localserver.Queue {
	q := localserver.NewQueue(worker.RunImport.Name, a.Jobs, a.Logger)
	q.RetryAfter = 100 * time.Millisecond
	a.UseImports(q, s3.FromConfig(a.AWS, a.Config.ReportsBucket))
	return q
}

// UseLocalReminders hands a's reminders to the DeliverReminders job
// in-process, and returns the queue.
func UseLocalReminders(a *app.App) *localserver.Queue {
	q := localserver.NewQueue(worker.DeliverReminders.Name, a.Jobs, a.Logger)
	q.RetryAfter = 100 * time.Millisecond
	a.UseReminders(q)
	return q
}

// UseLocalSchedules hands a's report deliveries ("send now" and the
// DispatchReports job's) to the RunScheduledReport job in-process, as make
// run does, and returns the queue.
func UseLocalSchedules(a *app.App) *localserver.Queue {
	q := localserver.NewQueue(worker.RunScheduledReport.Name, a.Jobs, a.Logger)
	q.RetryAfter = 100 * time.Millisecond
	a.UseSchedules(q)
	return q
}

// UseLocalExports hands a's exports to the RunExport job in-process, with
// the real workbook writer and moto's S3 (the bucket of a.Config), and
// returns the queue.
func UseLocalExports(a *app.App) *localserver.Queue {
	q := localserver.NewQueue(worker.RunExport.Name, a.Jobs, a.Logger)
	q.RetryAfter = 100 * time.Millisecond
	a.UseExports(q, s3.FromConfig(a.AWS, a.Config.ReportsBucket), excel.Writer{})
	return q
}

var bucketOnce sync.Once

// ReportsBucket creates the reports bucket the tests share (once per
// process) and returns its name.
func ReportsBucket(tb testing.TB, awsCfg aws.Config) string {
	tb.Helper()
	const name = "proportal-reports-test"
	var err error
	bucketOnce.Do(func() {
		client := awss3.NewFromConfig(awsCfg, func(o *awss3.Options) { o.UsePathStyle = true })
		_, err = client.CreateBucket(context.Background(), &awss3.CreateBucketInput{Bucket: aws.String(name)})
		if _, owned := errors.AsType[*s3types.BucketAlreadyOwnedByYou](err); owned {
			err = nil
		}
	})
	if err != nil {
		tb.Fatalf("testenv: create bucket %s: %v", name, err)
	}
	return name
}

// Rewire rebuilds a's services in place on the same table and AWS clients,
// with cfg, the clock now, log, and the mail a sent so far passed through
// wrap (nil keeps a's mailer as it is).
func Rewire(a *app.App, cfg app.Config, now domain.Clock, log *slog.Logger, wrap func(domain.Mailer) domain.Mailer) {
	mailer := a.Mailer
	if wrap != nil {
		mailer = wrap(mailer)
	}
	*a = *app.NewWith(cfg, a.AWS, now, func(aws.Config, string, string) domain.Mailer { return mailer }, log)
	UseLocalQueue(a)
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

// VerifySender makes an address a verified SES identity, so mail from it is
// accepted (SES refuses mail from unverified senders, and so does moto).
func VerifySender(tb testing.TB, awsCfg aws.Config, from string) {
	tb.Helper()
	_, err := sesv2.NewFromConfig(awsCfg).CreateEmailIdentity(context.Background(), &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(from)})
	if _, exists := errors.AsType[*sestypes.AlreadyExistsException](err); err != nil && !exists {
		tb.Fatalf("testenv: verify sender %s: %v", from, err)
	}
}

// MailTo returns the mail sent so far to one address, newest first. Give each
// test its own addresses: the mailbox is shared by a package's tests.
func MailTo(tb testing.TB, to string) []devmail.Message {
	tb.Helper()
	all, err := devmail.ReadMoto(context.Background(), endpoint)
	if err != nil {
		tb.Fatalf("testenv: read mail: %v", err)
	}
	var out []devmail.Message
	for _, m := range all {
		for _, addr := range m.To {
			if strings.EqualFold(addr, to) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}
