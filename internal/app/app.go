// Package app wires ProPortal together once per process: it reads the
// configuration from the environment, builds the AWS SDK clients and the
// domain services, and hands out each route's Lambda handler.
package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"proportal/internal/domain"
	"proportal/internal/dynamo"
	"proportal/internal/httpapi"
)

// Config is ProPortal's configuration, read from the environment.
type Config struct {
	// TableName is the DynamoDB table (TABLE_NAME).
	TableName string
	// PortalBaseURL is where the portal is served (PORTAL_BASE_URL); links in
	// mail are built from it, never from request headers.
	PortalBaseURL *url.URL
	// InviteTTL is how long invite links work (INVITE_TTL, a Go duration; 72h).
	InviteTTL time.Duration
	Auth      domain.AuthConfig
	Users     domain.UsersConfig
	// MailFrom is the verified SES identity mail comes from (MAIL_FROM).
	MailFrom string
	// MailConfigurationSet is the SES configuration set every send names
	// (SES_CONFIGURATION_SET; optional).
	MailConfigurationSet string
	// CursorKey signs pagination cursors (CURSOR_SECRET, 32 bytes or more).
	// Every instance must share it; a process without one makes its own.
	CursorKey []byte
}

// DefaultMailFrom is the sender of local runs and tests.
const DefaultMailFrom = "no-reply@proportal.test"

// LoadConfig reads the configuration from the environment.
func LoadConfig() (Config, error) {
	cfg := Config{
		TableName: os.Getenv("TABLE_NAME"), InviteTTL: domain.InviteTTL,
		Auth: domain.DefaultAuthConfig, Users: domain.DefaultUsersConfig,
		MailFrom: os.Getenv("MAIL_FROM"), MailConfigurationSet: os.Getenv("SES_CONFIGURATION_SET"),
		CursorKey: []byte(os.Getenv("CURSOR_SECRET")),
	}
	var errs []error
	if cfg.TableName == "" {
		errs = append(errs, errors.New("TABLE_NAME is not set"))
	}
	if cfg.MailFrom == "" {
		cfg.MailFrom = DefaultMailFrom
	}
	inLambda := os.Getenv("AWS_LAMBDA_FUNCTION_NAME") != ""
	switch {
	case len(cfg.CursorKey) >= 32:
	case len(cfg.CursorKey) == 0 && !inLambda:
		cfg.CursorKey = RandomKey()
	default:
		errs = append(errs, errors.New("CURSOR_SECRET must be set to 32 or more characters"))
	}
	base := os.Getenv("PORTAL_BASE_URL")
	if base == "" {
		base = "http://localhost:8080"
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, fmt.Errorf("PORTAL_BASE_URL %q is not an http(s) URL", base))
	}
	cfg.PortalBaseURL = u
	for _, d := range []struct {
		env string
		dst *time.Duration
	}{
		{"INVITE_TTL", &cfg.InviteTTL},
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
	cfg.Users.InviteTTL = cfg.InviteTTL
	return cfg, errors.Join(errs...)
}

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

// App is the wired application.
type App struct {
	Config   Config
	AWS      aws.Config
	Dynamo   *dynamodb.Client
	Store    *dynamo.Store
	Mailer   domain.Mailer
	Services *httpapi.Services
	Operator *domain.Operator
}

// New builds the application from the environment, with the mailer newMailer
// makes (nil for none). The AWS SDK reads its credentials, region and
// AWS_ENDPOINT_URL the standard way.
func New(ctx context.Context, newMailer MailerFunc) (*App, error) {
	cfg, err := LoadConfig()
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	return NewWith(cfg, awsCfg, time.Now, newMailer), nil
}

// MailerFunc makes a process's mailer from its AWS configuration, sender and
// SES configuration set; ses.FromConfig is the one that sends through SES.
type MailerFunc func(awsCfg aws.Config, from, configurationSet string) domain.Mailer

// NewWith wires the application from explicit settings and a clock. Without
// newMailer (nil), mail cannot be sent. This package does not import the SES
// adapter itself, so a Lambda whose route sends no mail does not link (or
// initialize) the SES client at all.
func NewWith(cfg Config, awsCfg aws.Config, now domain.Clock, newMailer MailerFunc) *App {
	client := dynamodb.NewFromConfig(awsCfg)
	store := dynamo.New(client, cfg.TableName)
	var mailer domain.Mailer = noMail{}
	if newMailer != nil {
		mailer = newMailer(awsCfg, cfg.MailFrom, cfg.MailConfigurationSet)
	}
	links := domain.Links{Base: cfg.PortalBaseURL}
	return &App{
		Config: cfg,
		AWS:    awsCfg,
		Dynamo: client,
		Store:  store,
		Mailer: mailer,
		Services: &httpapi.Services{
			Auth:          domain.NewAuth(store, cfg.Auth, now),
			Accounts:      domain.NewAccounts(store, now),
			Users:         domain.NewUsers(store, mailer, links, domain.NewCursors(cfg.CursorKey), cfg.Users, now),
			SecureCookies: cfg.SecureCookies(),
			Logger:        slog.Default(),
		},
		Operator: domain.NewOperator(store, now, cfg.InviteTTL),
	}
}

// Handler returns the Lambda handler of the named route.
func (a *App) Handler(name string) (httpapi.LambdaHandler, error) {
	rt, ok := httpapi.RouteNamed(name)
	if !ok {
		return nil, fmt.Errorf("no route named %q", name)
	}
	return rt.Handler(a.Services), nil
}

// SetupLogging makes slog write JSON lines, the format CloudWatch Logs Insights reads.
func SetupLogging() {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stdout, nil)))
}

// InviteURL is the link that opens the password-creation page for a token.
func (c Config) InviteURL(token string) string {
	return domain.Links{Base: c.PortalBaseURL}.SetPassword(token)
}

// RunLambda serves the named route as a Lambda function: it wires the
// application once per cold start, then hands each event to the route.
// Routes that send mail pass the mailer to use (ses.FromConfig); the others
// pass nil and so do not link the SES client at all.
func RunLambda(name string, newMailer MailerFunc) error {
	SetupLogging()
	a, err := New(context.Background(), newMailer)
	if err != nil {
		return err
	}
	h, err := a.Handler(name)
	if err != nil {
		return err
	}
	lambda.Start(h)
	return nil
}

// noMail is the mailer of a Lambda whose route sends no mail.
type noMail struct{}

func (noMail) Send(context.Context, domain.Mail) error {
	return errors.New("this function was built without mail: pass a mailer to app.RunLambda")
}
