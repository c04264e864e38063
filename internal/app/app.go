// Package app wires ProPortal together once per process: it reads the
// configuration from the environment, builds the AWS SDK clients and the
// domain services, and starts a Lambda function's handler: an API action's
// (RunLambda) or a job's (RunJob).
package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"proportal/internal/domain"
	"proportal/internal/dynamo"
	"proportal/internal/httpapi"
	"proportal/internal/worker"
)

// Config is ProPortal's configuration, read from the environment.
type Config struct {
	// TableName is the DynamoDB table (TABLE_NAME).
	TableName string
	// PortalBaseURL is where the portal is served (PORTAL_BASE_URL); links in
	// mail are built from it, never from request headers.
	PortalBaseURL *url.URL
	// Auth sets session lifetimes (SESSION_IDLE_TIMEOUT, SESSION_ABSOLUTE_TIMEOUT)
	// and the sign-in limits.
	Auth domain.AuthConfig
	// Passwords sets link lifetimes (INVITE_TTL) and the forgot-password limits.
	Passwords domain.PasswordsConfig
	// LearningURL is the learning platform, where people with a seat learn
	// (LEARNING_URL): invite mail and the set-password page send learners there.
	LearningURL string
	// MailFrom is the verified SES identity mail comes from (MAIL_FROM).
	MailFrom string
	// MailConfigurationSet is the SES configuration set every send names
	// (SES_CONFIGURATION_SET; optional).
	MailConfigurationSet string
	// OriginSecret is what CloudFront sends in x-origin-verify
	// (ORIGIN_VERIFY_SECRET): requests without it are refused. Empty in local
	// runs and sam local (events/env.json), where there is no CloudFront.
	OriginSecret string
	// TeamChangesQueueURL is the SQS queue of the ContinueTeamChange job
	// (TEAM_CHANGES_QUEUE_URL): the rest of a large team change goes there.
	TeamChangesQueueURL string
	// ExportsQueueURL is the SQS queue of the RunExport job
	// (EXPORTS_QUEUE_URL): POST /api/exports queues each export there.
	ExportsQueueURL string
	// RemindersQueueURL is the SQS queue of the DeliverReminders job
	// (REMINDERS_QUEUE_URL): SendReminders queues each assignment's
	// reminders and each digest there, and the job its next pages.
	RemindersQueueURL string
	// ScheduledReportsQueueURL is the SQS queue of the RunScheduledReport
	// job (SCHEDULED_REPORTS_QUEUE_URL): "send now" and the DispatchReports
	// job queue each delivery there.
	ScheduledReportsQueueURL string
	// ImportsQueueURL is the SQS queue of the RunImport job
	// (IMPORTS_QUEUE_URL): POST /api/imports/{importId}/apply queues each
	// applied import there.
	ImportsQueueURL string
	// ReportsBucket is the S3 bucket export files are kept in (REPORTS_BUCKET).
	ReportsBucket string
	// CursorKey signs pagination cursors (CURSOR_SECRET, 32 bytes or more).
	// Every instance must share it; a process without one makes its own.
	CursorKey []byte
	// DownloadKey signs mailed report download links (DOWNLOAD_SECRET, 32
	// bytes or more): the RunScheduledReport job and DownloadReport share
	// it; a process without one (a local run, tests) makes its own.
	DownloadKey []byte
	// AuditRetention is how long audit entries are kept before they expire
	// (AUDIT_RETENTION_DAYS, whole days, 30 or more; the template's
	// AuditRetentionDays).
	AuditRetention time.Duration
}

// DefaultMailFrom is the sender of local runs and tests.
const DefaultMailFrom = "no-reply@proportal.test"

// DefaultLearningURL is the learning platform of local runs and tests.
const DefaultLearningURL = "https://learn.proportal.test"

// DefaultPortalBaseURL is where a local run serves the portal.
const DefaultPortalBaseURL = "http://localhost:8080"

// DefaultConfig is the configuration before the environment is read: the one
// place every default lives. A local run or a test starts from it and sets
// what it must (the table, the portal's address).
func DefaultConfig() Config {
	base, _ := url.Parse(DefaultPortalBaseURL)
	return Config{
		PortalBaseURL:  base,
		LearningURL:    DefaultLearningURL,
		Auth:           domain.DefaultAuthConfig,
		Passwords:      domain.DefaultPasswordsConfig,
		MailFrom:       DefaultMailFrom,
		CursorKey:      RandomKey(),
		DownloadKey:    RandomKey(),
		AuditRetention: domain.DefaultAuditRetention,
	}
}

// LoadConfig reads the configuration from the environment over DefaultConfig.
func LoadConfig() (Config, error) {
	cfg := DefaultConfig()
	cfg.TableName = os.Getenv("TABLE_NAME")
	cfg.MailConfigurationSet = os.Getenv("SES_CONFIGURATION_SET")
	cfg.OriginSecret = os.Getenv("ORIGIN_VERIFY_SECRET")
	cfg.TeamChangesQueueURL = os.Getenv("TEAM_CHANGES_QUEUE_URL")
	cfg.ExportsQueueURL = os.Getenv("EXPORTS_QUEUE_URL")
	cfg.RemindersQueueURL = os.Getenv("REMINDERS_QUEUE_URL")
	cfg.ScheduledReportsQueueURL = os.Getenv("SCHEDULED_REPORTS_QUEUE_URL")
	cfg.ImportsQueueURL = os.Getenv("IMPORTS_QUEUE_URL")
	cfg.ReportsBucket = os.Getenv("REPORTS_BUCKET")
	if from := os.Getenv("MAIL_FROM"); from != "" {
		cfg.MailFrom = from
	}
	var errs []error
	if cfg.TableName == "" {
		errs = append(errs, errors.New("TABLE_NAME is not set"))
	}
	inLambda := os.Getenv("AWS_LAMBDA_FUNCTION_NAME") != ""
	switch key := []byte(os.Getenv("CURSOR_SECRET")); {
	case len(key) >= 32:
		cfg.CursorKey = key
	case len(key) == 0 && !inLambda:
		// A process alone signs its cursors with the random default key.
	default:
		errs = append(errs, errors.New("CURSOR_SECRET must be set to 32 or more characters"))
	}
	switch key := []byte(os.Getenv("DOWNLOAD_SECRET")); {
	case len(key) >= 32:
		cfg.DownloadKey = key
	case len(key) == 0 && !inLambda:
		// A process alone signs and checks its links with the random default key.
	default:
		errs = append(errs, errors.New("DOWNLOAD_SECRET must be set to 32 or more characters"))
	}
	if base := os.Getenv("PORTAL_BASE_URL"); base != "" {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Errorf("PORTAL_BASE_URL %q is not an http(s) URL", base))
		} else {
			cfg.PortalBaseURL = u
		}
	}
	if learn := os.Getenv("LEARNING_URL"); learn != "" {
		u, err := url.Parse(learn)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Errorf("LEARNING_URL %q is not an http(s) URL", learn))
		} else {
			cfg.LearningURL = learn
		}
	}
	for _, d := range []struct {
		env string
		dst *time.Duration
	}{
		{"INVITE_TTL", &cfg.Passwords.InviteTTL},
		{"SESSION_IDLE_TIMEOUT", &cfg.Auth.IdleTimeout},
		{"SESSION_ABSOLUTE_TIMEOUT", &cfg.Auth.AbsoluteTimeout},
	} {
		if v := os.Getenv(d.env); v != "" {
			parsed, err := time.ParseDuration(v)
			if err != nil || parsed <= 0 {
				errs = append(errs, fmt.Errorf("%s %q is not a positive duration like 30m", d.env, v))
				continue
			}
			*d.dst = parsed
		}
	}
	if v := os.Getenv("AUDIT_RETENTION_DAYS"); v != "" {
		days, err := strconv.Atoi(v)
		if err != nil || days < MinAuditRetentionDays {
			errs = append(errs, fmt.Errorf("AUDIT_RETENTION_DAYS %q is not a whole number of days, %d or more", v, MinAuditRetentionDays))
		} else {
			cfg.AuditRetention = time.Duration(days) * 24 * time.Hour
		}
	}
	return cfg, errors.Join(errs...)
}

// MinAuditRetentionDays is the shortest retention of audit entries
// (the template's AuditRetentionDays has the same MinValue).
const MinAuditRetentionDays = 30

// RandomKey returns 32 random bytes, for a process that signs cursors alone.
func RandomKey() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}

// SecureCookies reports whether the session cookie needs Secure: everywhere
// but a plain-http localhost.
func (c Config) SecureCookies() bool {
	return c.PortalBaseURL.Scheme == "https" || c.PortalBaseURL.Hostname() != "localhost"
}

// PortalOrigin is the origin the portal is served from (scheme://host[:port]),
// the Origin its browser requests carry.
func (c Config) PortalOrigin() string {
	return strings.ToLower(c.PortalBaseURL.Scheme + "://" + c.PortalBaseURL.Host)
}

// App is the wired application.
type App struct {
	Config   Config
	AWS      aws.Config
	Dynamo   *dynamodb.Client
	Store    *dynamo.Store
	Mailer   domain.Mailer
	Logger   *slog.Logger
	Services *httpapi.Services
	// Jobs are the services of the background jobs (internal/worker).
	Jobs     *worker.Services
	Operator *domain.Operator
	now      domain.Clock
	// What UseExports wired, kept when it is called again with less.
	exportsQueue domain.Queue
	files        domain.FileStore
	writer       domain.ReportWriter
	links        domain.Links
	// What UseImports wired, kept when it is called again with less.
	passwords    *domain.Passwords
	importsQueue domain.Queue
	importFiles  domain.FileStore
}

// New builds the application from the environment, with the mailer newMailer
// makes (nil for none), logging JSON lines to standard output. The AWS SDK
// reads its credentials, region and AWS_ENDPOINT_URL the standard way.
func New(ctx context.Context, newMailer MailerFunc) (*App, error) {
	cfg, err := LoadConfig()
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	awsCfg, err := config.LoadDefaultConfig(ctx,
		// A stalled DynamoDB or SES cannot hold a request: each attempt ends
		// after AttemptTimeout, and the request's own deadline (the
		// function's, less a margin; httpapi.withDeadline) bounds them all.
		config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(AttemptTimeout)),
		config.WithRetryMaxAttempts(3),
	)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	return NewWith(cfg, awsCfg, time.Now, newMailer, NewLogger(os.Stdout)), nil
}

// AttemptTimeout is the longest one HTTP attempt of an AWS call may take.
const AttemptTimeout = 3 * time.Second

// MailerFunc makes a process's mailer from its AWS configuration, sender and
// SES configuration set; ses.FromConfig is the one that sends through SES.
type MailerFunc func(awsCfg aws.Config, from, configurationSet string) domain.Mailer

// NewWith wires the application from explicit settings, a clock and the
// logger every service writes to. Without newMailer (nil), mail cannot be
// sent. This package does not import the SES adapter itself, so a Lambda
// whose route sends no mail does not link (or initialize) the SES client.
func NewWith(cfg Config, awsCfg aws.Config, now domain.Clock, newMailer MailerFunc, log *slog.Logger) *App {
	client := dynamodb.NewFromConfig(awsCfg)
	store := dynamo.New(client, cfg.TableName)
	store.SetAuditRetention(cfg.AuditRetention)
	var mailer domain.Mailer = noMail{}
	if newMailer != nil {
		mailer = newMailer(awsCfg, cfg.MailFrom, cfg.MailConfigurationSet)
	}
	links := domain.Links{Base: cfg.PortalBaseURL, Learning: cfg.LearningURL}
	deliveries := domain.NewDeliveries(store, noFiles{}, nil, mailer, links, domain.NewDownloadTokens(cfg.DownloadKey), now, log)
	passwords := domain.NewPasswords(store, mailer, links, cfg.Passwords, now, log)
	assignments := domain.NewAssignments(store, domain.NewCursors(cfg.CursorKey), now)
	ingest := domain.NewIngest(store, assignments, now, log)
	auth := domain.NewAuth(store, cfg.Auth, now, log)
	people := domain.NewPeople(store, passwords, domain.NewCursors(cfg.CursorKey), now)
	// Sign-ins are activity too: recorded as login events by the ingestion.
	auth.RecordLogins(ingest)
	a := &App{
		now:    now,
		Config: cfg,
		AWS:    awsCfg,
		Dynamo: client,
		Store:  store,
		Mailer: mailer,
		Logger: log,
		Services: &httpapi.Services{
			Auth:          auth,
			Accounts:      domain.NewAccounts(store, now),
			People:        people,
			IdleSeats:     domain.NewIdleSeats(store, people, mailer, links, domain.NewCursors(cfg.CursorKey), now, log),
			Passwords:     passwords,
			Teams:         domain.NewTeams(store, noQueue{}, now, log),
			Activity:      domain.NewActivity(store, assignments, now),
			Catalog:       domain.NewCatalog(store, domain.NewCursors(cfg.CursorKey)),
			Modules:       domain.NewModules(store, now),
			Assignments:   assignments,
			Ingest:        ingest,
			Platforms:     domain.NewPlatforms(store, now),
			Exports:       domain.NewExports(store, noQueue{}, noFiles{}, nil, now, log),
			Schedules:     domain.NewSchedules(store, noQueue{}, now, log),
			Deliveries:    deliveries,
			AuditLog:      domain.NewAuditLog(store, domain.NewCursors(cfg.CursorKey), now),
			SecureCookies: cfg.SecureCookies(),
			PortalOrigin:  cfg.PortalOrigin(),
			OriginSecret:  cfg.OriginSecret,
			Logger:        log,
		},
		Jobs: &worker.Services{
			Housekeeping: domain.NewHousekeeping(store, now),
			Teams:        domain.NewTeams(store, noQueue{}, now, log),
			Exports:      domain.NewExports(store, noQueue{}, noFiles{}, nil, now, log),
			Reminders:    domain.NewReminders(store, noQueue{}, mailer, links, now, log),
			Schedules:    domain.NewSchedules(store, noQueue{}, now, log),
			Deliveries:   deliveries,
			Logger:       log,
		},
		Operator:  domain.NewOperator(store, now, cfg.Passwords.InviteTTL),
		links:     links,
		passwords: passwords,
	}
	a.UseImports(nil, nil)
	return a
}

// QueueFunc makes the queue of the ContinueTeamChange job from the AWS
// configuration and the queue's URL; sqs.FromConfig is the one that sends to SQS.
type QueueFunc func(awsCfg aws.Config, url string) domain.Queue

// UseQueue hands the rest of large team changes to queue: the team-change
// routes' functions pass SQS, the local server and tests their in-process
// queue. Without it, a change that does not finish within its request fails.
func (a *App) UseQueue(queue domain.Queue) {
	teams := domain.NewTeams(a.Store, queue, a.now, a.Logger)
	a.Services.Teams, a.Jobs.Teams = teams, teams
}

// UseExports wires the exports: queue takes new exports to the RunExport
// job, files keeps their workbooks and hands out download links, and writer
// writes the workbooks (the job's; nil elsewhere). A nil queue or files
// keeps what is wired. The scheduled reports' deliveries get the same files
// and writer.
func (a *App) UseExports(queue domain.Queue, files domain.FileStore, writer domain.ReportWriter) {
	if queue == nil {
		queue = a.exportsQueue
	}
	if files == nil {
		files = a.files
	}
	if writer == nil {
		writer = a.writer
	}
	if queue == nil {
		queue = noQueue{}
	}
	if files == nil {
		files = noFiles{}
	}
	a.exportsQueue, a.files, a.writer = queue, files, writer
	exports := domain.NewExports(a.Store, queue, files, writer, a.now, a.Logger)
	a.Services.Exports, a.Jobs.Exports = exports, exports
	// Scheduled reports keep their files in the same bucket, made by the
	// same writer, and mail them.
	links := domain.Links{Base: a.Config.PortalBaseURL, Learning: a.Config.LearningURL}
	deliveries := domain.NewDeliveries(a.Store, files, writer, a.Mailer, links, domain.NewDownloadTokens(a.Config.DownloadKey), a.now, a.Logger)
	a.Services.Deliveries, a.Jobs.Deliveries = deliveries, deliveries
}

// UseReminders hands the reminders' mailing to queue (the DeliverReminders
// job's): their jobs' functions pass SQS, the local server and tests their
// in-process queue.
func (a *App) UseReminders(queue domain.Queue) {
	a.Jobs.Reminders = domain.NewReminders(a.Store, queue, a.Mailer, a.links, a.now, a.Logger)
}

// UseSchedules hands report deliveries to queue, the RunScheduledReport
// job's: "send now" (SendReportNow's function passes SQS) and the
// DispatchReports job queue each delivery there; the local server and tests
// pass their in-process queue.
func (a *App) UseSchedules(queue domain.Queue) {
	schedules := domain.NewSchedules(a.Store, queue, a.now, a.Logger)
	a.Services.Schedules, a.Jobs.Schedules = schedules, schedules
}

// UseImports wires the bulk CSV imports: queue takes applied imports to the
// RunImport job, files keeps their result files and hands out links. A nil
// queue or files keeps what is wired.
func (a *App) UseImports(queue domain.Queue, files domain.FileStore) {
	if queue == nil {
		queue = a.importsQueue
	}
	if files == nil {
		files = a.importFiles
	}
	if queue == nil {
		queue = noQueue{}
	}
	if files == nil {
		files = noFiles{}
	}
	a.importsQueue, a.importFiles = queue, files
	imports := domain.NewImports(a.Store, a.passwords, queue, files, domain.NewCursors(a.Config.CursorKey), a.now, a.Logger)
	a.Services.Imports, a.Jobs.Imports = imports, imports
}

// Handler returns the Lambda handler of the named route. It reaches every
// action: for the local server and tests, not for a Lambda (see RunLambda).
func (a *App) Handler(name string) (httpapi.LambdaHandler, error) {
	rt, ok := httpapi.RouteNamed(name)
	if !ok {
		return nil, fmt.Errorf("no route named %q", name)
	}
	return rt.Handler(a.Services), nil
}

// NewLogger returns the JSON logger every process writes with: one line per
// record, the format CloudWatch Logs Insights reads. No email address reaches
// the log through it: every string and error value is passed through
// RedactEmails (an SES rejection, for one, names its recipient).
func NewLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{ReplaceAttr: redactAttr}))
}

func redactAttr(_ []string, a slog.Attr) slog.Attr {
	switch v := a.Value.Resolve(); {
	case v.Kind() == slog.KindString:
		a.Value = slog.StringValue(RedactEmails(v.String()))
	case v.Kind() == slog.KindAny:
		if err, ok := v.Any().(error); ok {
			a.Value = slog.StringValue(RedactEmails(err.Error()))
		}
	}
	return a
}

// RedactEmails replaces every email-looking part of s (something@domain.tld)
// with "<email>". Written by hand: a package-level regexp would be compiled
// at every function's start (docs/architecture.md).
func RedactEmails(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '@' || i < last {
			continue
		}
		start := i
		for start > last && isLocalByte(s[start-1]) {
			start--
		}
		end := i + 1
		for end < len(s) && isDomainByte(s[end]) {
			end++
		}
		for end > i+1 && (s[end-1] == '.' || s[end-1] == '-') {
			end--
		}
		if start == i || !strings.Contains(s[i+1:end], ".") {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString("<email>")
		last = end
		i = end - 1
	}
	b.WriteString(s[last:])
	return b.String()
}

// isLocalByte is a byte of an address's local part (any non-ASCII byte too,
// so an internationalized address is covered).
func isLocalByte(c byte) bool {
	return c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("!#$%&'*+-/=?^_`{|}~.", c) >= 0
}

func isDomainByte(c byte) bool {
	return c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == '-' || c == '[' || c == ']' || c == ':'
}

// InviteURL is the link that opens the password-creation page for a token.
func (c Config) InviteURL(token string) string {
	return domain.Links{Base: c.PortalBaseURL}.SetPassword(token)
}

// RunLambda serves one action as a Lambda function: it wires the application
// once per cold start, then hands each event to the action. Only the action's
// own code is linked into the function. Actions that send mail pass the
// mailer to use (ses.FromConfig); the others pass nil and so do not link the
// SES client at all.
//
// Actions that hand work to a queued job (ContinueTeamChange, RunExport,
// RunScheduledReport)
// pass the queue to use as well (sqs.FromConfig); the others link no SQS
// client.
func RunLambda(action httpapi.Action, newMailer MailerFunc, newQueue ...QueueFunc) error {
	return start(newMailer, func(a *App) (any, error) {
		for _, q := range newQueue {
			a.UseQueue(q(a.AWS, a.Config.TeamChangesQueueURL))
			a.UseExports(q(a.AWS, a.Config.ExportsQueueURL), nil, nil)
			a.UseSchedules(q(a.AWS, a.Config.ScheduledReportsQueueURL))
			a.UseImports(q(a.AWS, a.Config.ImportsQueueURL), nil)
		}
		return action.Handler(a.Services)
	})
}

// FilesFunc makes the file store of a process from its AWS configuration
// and bucket; s3.FromConfig is the one that keeps files in S3.
type FilesFunc func(awsCfg aws.Config, bucket string) domain.FileStore

// RunLambdaWithFiles serves an action that hands out report files
// (GET /api/exports/{exportId}, POST /api/report-downloads): it links S3, to
// presign download links, and no mail or queue.
func RunLambdaWithFiles(action httpapi.Action, newFiles FilesFunc) error {
	return start(nil, func(a *App) (any, error) {
		files := newFiles(a.AWS, a.Config.ReportsBucket)
		a.UseExports(nil, files, nil)
		a.UseImports(nil, files)
		return action.Handler(a.Services)
	})
}

// RunJobWithFiles serves the job that writes export workbooks: it links S3
// and the workbook writer (excelize), which no other function links.
func RunJobWithFiles(work worker.Work, newFiles FilesFunc, writer domain.ReportWriter) error {
	return start(nil, func(a *App) (any, error) {
		a.UseExports(nil, newFiles(a.AWS, a.Config.ReportsBucket), writer)
		return work.Handler(a.Jobs)
	})
}

// RunReportJob serves the job that makes and mails scheduled reports: like
// RunJobWithFiles (S3 and the workbook writer), with the mailer (SES).
func RunReportJob(work worker.Work, newFiles FilesFunc, writer domain.ReportWriter, newMailer MailerFunc) error {
	return start(newMailer, func(a *App) (any, error) {
		a.UseExports(nil, newFiles(a.AWS, a.Config.ReportsBucket), writer)
		return work.Handler(a.Jobs)
	})
}

// RunImportJob serves the job that applies bulk CSV imports: it links S3
// (the result file) and SES (invite mail), not the workbook writer.
func RunImportJob(work worker.Work, newFiles FilesFunc, newMailer MailerFunc) error {
	return start(newMailer, func(a *App) (any, error) {
		a.UseImports(nil, newFiles(a.AWS, a.Config.ReportsBucket))
		return work.Handler(a.Jobs)
	})
}

// RunJob serves one job as a Lambda function, the way RunLambda serves an
// action: wired once per cold start, linking only the job's own code, with
// SES only when the job passes a mailer, and SQS only when it hands work to
// a queued job (DispatchReports, SendReminders, DeliverReminders pass
// sqs.FromConfig): each job's queue of a process is wired to its own URL.
func RunJob(work worker.Work, newMailer MailerFunc, newQueue ...QueueFunc) error {
	return start(newMailer, func(a *App) (any, error) {
		for _, q := range newQueue {
			a.UseSchedules(q(a.AWS, a.Config.ScheduledReportsQueueURL))
			a.UseReminders(q(a.AWS, a.Config.RemindersQueueURL))
		}
		return work.Handler(a.Jobs)
	})
}

// start wires the application from the environment and starts the Lambda
// runtime with the handler it gets from handler.
func start(newMailer MailerFunc, handler func(*App) (any, error)) error {
	a, err := New(context.Background(), newMailer)
	if err != nil {
		return err
	}
	h, err := handler(a)
	if err != nil {
		return err
	}
	lambda.Start(h)
	return nil
}

// noQueue is the queue of a process that was given none (see UseQueue).
type noQueue struct{}

func (noQueue) Send(context.Context, string) error {
	return errors.New("this function was built without a queue: pass one to app.RunLambda")
}

// noFiles is the file store of a process that was given none.
type noFiles struct{}

func (noFiles) Put(context.Context, string, string, string, io.Reader) error {
	return errors.New("this function was built without a file store: use app.RunJobWithFiles")
}

func (noFiles) DownloadURL(context.Context, string, string, time.Duration) (string, error) {
	return "", errors.New("this function was built without a file store: use app.RunLambdaWithFiles")
}

// noMail is the mailer of a Lambda whose route sends no mail.
type noMail struct{}

func (noMail) Send(context.Context, domain.Mail) error {
	return errors.New("this function was built without mail: pass a mailer to app.RunLambda")
}
