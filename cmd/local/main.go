// Command local runs ProPortal on a developer's machine (make run): it starts
// moto_server as the local AWS unless AWS_ENDPOINT_URL points at one, creates
// the table, bucket and mail identity, loads the demo catalog, seeds the demo organization and serves
// the API, the portal and /dev/mail on PORT (default 8080). It never talks to a
// real AWS account: its credentials are fixed dummies no account accepts.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"proportal/catalog"
	"proportal/internal/app"
	"proportal/internal/devmail"
	"proportal/internal/domain"
	"proportal/internal/dynamo"
	"proportal/internal/excel"
	"proportal/internal/localserver"
	"proportal/internal/moto"
	files "proportal/internal/s3"
	"proportal/internal/ses"
	"proportal/internal/worker"
)

// Local defaults; each can be overridden by the environment variable of the same role.
const (
	defaultPort          = "8080"
	defaultTable         = "proportal-local"
	defaultBucket        = "proportal-reports-local"
	defaultDemoPassword  = "demo-admin-password"
	localRegion          = "us-east-1"
	localAccessKeyID     = "local"
	localSecretAccessKey = "local"
)

// scheduledReportsJob is the queued job that makes and mails a report
// delivery (worker.RunScheduledReport, of the deliveries' part of issue 11).
const scheduledReportsJob = "RunScheduledReport"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, "proportal:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done. ready, when not nil, receives the base URL once
// the server accepts requests.
func run(ctx context.Context, getenv func(string) string, out io.Writer, ready chan<- string) error {
	env := func(name, fallback string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return fallback
	}
	endpoint := getenv("AWS_ENDPOINT_URL")
	if endpoint == "" {
		fmt.Fprintln(out, "Starting moto_server (local DynamoDB, SES and S3)...")
		srv, err := moto.Start(ctx, nil)
		if err != nil {
			return err
		}
		defer srv.Stop()
		endpoint = srv.URL
	}

	awsCfg, err := config.LoadDefaultConfig(ctx,
		config.WithRegion(localRegion),
		config.WithBaseEndpoint(endpoint),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(localAccessKeyID, localSecretAccessKey, "")),
	)
	if err != nil {
		return fmt.Errorf("AWS configuration: %w", err)
	}

	port := env("PORT", defaultPort)
	l, err := net.Listen("tcp", net.JoinHostPort(env("HOST", "127.0.0.1"), port))
	if err != nil {
		return fmt.Errorf("listen on port %s (set PORT to use another): %w", port, err)
	}
	defer l.Close()
	base := fmt.Sprintf("http://localhost:%d", l.Addr().(*net.TCPAddr).Port)

	cfg := app.DefaultConfig()
	cfg.TableName = env("TABLE_NAME", defaultTable)
	cfg.MailFrom = env("MAIL_FROM", cfg.MailFrom)
	cfg.PortalBaseURL, _ = url.Parse(env("PORTAL_BASE_URL", base))
	cfg.LearningURL = env("LEARNING_URL", cfg.LearningURL)
	cfg.ReportsBucket = env("REPORTS_BUCKET", defaultBucket)
	if err := prepareAWS(ctx, awsCfg, cfg.TableName, cfg.ReportsBucket, cfg.MailFrom); err != nil {
		return err
	}

	var web fs.FS
	webDir := env("WEB_DIR", "web/dist")
	if _, err := os.Stat(filepath.Join(webDir, "index.html")); err == nil {
		web = os.DirFS(webDir)
	} else {
		fmt.Fprintf(out, "The portal is not built (%s/index.html is missing): run make web, or make run, which does.\n", webDir)
	}

	logger := app.NewLogger(os.Stdout)
	// Mail goes to moto's SES, which refuses an unverified sender as SES
	// does; the mailbox keeps what it accepted for /dev/mail.
	mail := devmail.NewMailbox(devmail.DefaultKept)
	newMailer := func(awsCfg aws.Config, from, configurationSet string) domain.Mailer {
		return mail.Wrap(ses.FromConfig(awsCfg, from, configurationSet))
	}
	a := app.NewWith(cfg, awsCfg, time.Now, newMailer, logger)
	// Large team changes go on in the ContinueTeamChange job, in-process:
	// SQS does not deliver to functions locally (docs/decisions.md).
	a.UseQueue(localserver.NewQueue(worker.ContinueTeamChange.Name, a.Jobs, logger))
	// Exports are written by the RunExport job, in-process too, into moto's
	// S3; their download links point at moto (path-style).
	a.UseExports(localserver.NewQueue(worker.RunExport.Name, a.Jobs, logger), files.FromConfig(awsCfg, cfg.ReportsBucket), excel.Writer{})
	// Report deliveries ("send now", and the DispatchReports job the server
	// fires every minute) are made and mailed by the RunScheduledReport job,
	// in-process; the mail shows in /dev/mail.
	a.UseSchedules(localserver.NewQueue(scheduledReportsJob, a.Jobs, logger))
	// Reminders are mailed by the DeliverReminders job, in-process too.
	a.UseReminders(localserver.NewQueue(worker.DeliverReminders.Name, a.Jobs, logger))
	// Applied CSV imports run in the RunImport job, in-process; their result
	// files go to moto's S3 like the exports'.
	a.UseImports(localserver.NewQueue(worker.RunImport.Name, a.Jobs, logger), files.FromConfig(awsCfg, cfg.ReportsBucket))
	items, err := domain.ParseCatalog(catalog.Demo)
	if err != nil {
		return fmt.Errorf("the demo catalog (catalog/catalog.json): %w", err)
	}
	loaded, err := a.Operator.LoadCatalog(ctx, items)
	if err != nil {
		return fmt.Errorf("load the demo catalog: %w", err)
	}
	password := env("DEMO_ADMIN_PASSWORD", defaultDemoPassword)
	demo, err := a.Operator.SeedDemo(ctx, password)
	if err != nil {
		return fmt.Errorf("seed demo organization: %w", err)
	}
	passwordNote := password
	if getenv("DEMO_ADMIN_PASSWORD") != "" {
		passwordNote = "(from DEMO_ADMIN_PASSWORD)"
	}
	// The demo learning platform: its key is DEMO_PLATFORM_KEY, or a new
	// random one each run (printed; the previous one works a day more).
	platform, err := a.Services.Platforms.SeedDemoPlatform(ctx, getenv("DEMO_PLATFORM_KEY"))
	if err != nil {
		return fmt.Errorf("seed demo platform (DEMO_PLATFORM_KEY): %w", err)
	}
	keyNote := platform.Key
	if getenv("DEMO_PLATFORM_KEY") != "" {
		keyNote = "(from DEMO_PLATFORM_KEY)"
	}
	seeded := "seeded"
	if !demo.Created {
		seeded = "already there"
	}
	fmt.Fprintf(out, `
ProPortal is running at %s
  API:       %s/api/health
  Mailbox:   %s/dev/mail
  Jobs:      %s (run one now: curl -X POST %s/dev/jobs/<job>)
  AWS:       moto at %s, table %s
  Catalog:   %d items (%d added, %d updated, %d retired)
  Demo:      %s (%s), 50 seats
  Sign in:   %s / %s
  Platform:  POST %s/api/ingest/events with Authorization: Bearer %s
             (organization %s; portalctl replay-activity -org %s -url %s sends more)
  Reports:   due schedules run every minute; as if it were then:
             go run ./cmd/portalctl run-schedules -at 2026-12-07T08:00 -url %s
  Reminders: hourly, from 08:00 in the organization's time zone; as if it were then:
             go run ./cmd/portalctl run-reminders -at %s -url %s
Press Ctrl-C to stop.

`, base, base, base, jobsLine(), base, endpoint, cfg.TableName,
		len(items), loaded.Added, loaded.Updated, loaded.Retired, demo.Organization.Name, seeded, domain.DemoAdminEmail, passwordNote,
		base, keyNote, demo.Organization.ID, demo.Organization.ID, base, base, reminderDay(), base)

	srv := localserver.New(a.Services, mail, web, logger).WithJobs(a.Jobs)
	if err := srv.RunSchedules(ctx); err != nil {
		return err
	}
	if ready != nil {
		ready <- base
	}
	err = localserver.ListenAndServe(ctx, l, srv)
	fmt.Fprintln(out, "Stopped.")
	return err
}

// reminderDay is when the demo's "AWS cloud onboarding", due a week after
// the seed, is due in 3 days (its first reminders), 08:00 UTC, counted from
// today: right when the demo was seeded today.
func reminderDay() string {
	return time.Now().UTC().AddDate(0, 0, 7-domain.ReminderLeadDays).Format("2006-01-02") + "T08:00"
}

// jobsLine names the scheduled jobs the local server fires, and how often.
func jobsLine() string {
	var jobs []string
	for _, j := range worker.Jobs {
		if j.Trigger == worker.Scheduled {
			jobs = append(jobs, j.Dir()+" "+j.Schedule)
		}
	}
	return strings.Join(jobs, ", ")
}

// prepareAWS creates what the template creates in AWS: the table, the reports
// bucket and the verified sender identity. Each is left alone if it exists.
func prepareAWS(ctx context.Context, awsCfg aws.Config, table, bucket, mailFrom string) error {
	if err := dynamo.CreateTable(ctx, dynamodb.NewFromConfig(awsCfg), table); err != nil {
		return err
	}
	s3c := s3.NewFromConfig(awsCfg, func(o *s3.Options) { o.UsePathStyle = true })
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	var owned *s3types.BucketAlreadyOwnedByYou
	if err != nil && !errors.As(err, &owned) {
		return fmt.Errorf("create bucket %s: %w", bucket, err)
	}
	ses := sesv2.NewFromConfig(awsCfg)
	_, err = ses.CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(mailFrom)})
	var exists *sestypes.AlreadyExistsException
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("create mail identity %s: %w", mailFrom, err)
	}
	return nil
}
