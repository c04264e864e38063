// Package app wires ProPortal together once per process: it reads the
// configuration from the environment, builds the AWS SDK clients and the
// domain services, and hands out each route's Lambda handler.
package app

import (
	"context"
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
}

// LoadConfig reads the configuration from the environment.
func LoadConfig() (Config, error) {
	cfg := Config{TableName: os.Getenv("TABLE_NAME"), InviteTTL: domain.InviteTTL, Auth: domain.DefaultAuthConfig}
	var errs []error
	if cfg.TableName == "" {
		errs = append(errs, errors.New("TABLE_NAME is not set"))
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
	return cfg, errors.Join(errs...)
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
	Services *httpapi.Services
	Operator *domain.Operator
}

// New builds the application from the environment. The AWS SDK reads its
// credentials, region and AWS_ENDPOINT_URL the standard way.
func New(ctx context.Context) (*App, error) {
	cfg, err := LoadConfig()
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	return NewWith(cfg, awsCfg, time.Now), nil
}

// NewWith builds the application from explicit settings and a clock.
func NewWith(cfg Config, awsCfg aws.Config, now domain.Clock) *App {
	client := dynamodb.NewFromConfig(awsCfg)
	store := dynamo.New(client, cfg.TableName)
	return &App{
		Config: cfg,
		AWS:    awsCfg,
		Dynamo: client,
		Store:  store,
		Services: &httpapi.Services{
			Auth:          domain.NewAuth(store, cfg.Auth, now),
			Accounts:      domain.NewAccounts(store, now),
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

// InviteURL is the link that opens the password-creation page for a token. The
// token travels in the fragment, which browsers never send to a server, so it
// cannot end up in access logs.
func (c Config) InviteURL(token string) string {
	u := *c.PortalBaseURL
	u.Path = "/set-password"
	u.Fragment = "token=" + token
	return u.String()
}

// RunLambda serves the named route as a Lambda function: it wires the
// application once per cold start, then hands each event to the route.
func RunLambda(name string) error {
	SetupLogging()
	a, err := New(context.Background())
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
