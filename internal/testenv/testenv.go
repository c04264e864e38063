// Package testenv is the test harness for code that talks to AWS: it starts
// moto_server once per test binary and gives each test its own DynamoDB table,
// reached through the real aws-sdk-go-v2 clients.
package testenv

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"proportal/internal/dynamo"
	"proportal/internal/moto"
)

// Region is the region every local client uses.
const Region = "us-east-1"

var endpoint string

// Main runs a package's tests with moto_server started for them, and stops it
// after: call it from TestMain as os.Exit(testenv.Main(m)). An
// AWS_ENDPOINT_URL already set (DynamoDB Local, LocalStack) is used instead.
func Main(m *testing.M) int {
	endpoint = os.Getenv("AWS_ENDPOINT_URL")
	if endpoint == "" {
		srv, err := moto.Start(context.Background(), nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, "testenv:", err)
			return 1
		}
		defer srv.Stop()
		endpoint = srv.URL
	}
	// Whatever the SDK reads from the environment points at the stand-in, with
	// credentials that no real account accepts.
	os.Setenv("AWS_ENDPOINT_URL", endpoint)
	os.Setenv("AWS_ACCESS_KEY_ID", "test")
	os.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	os.Setenv("AWS_REGION", Region)
	os.Unsetenv("AWS_PROFILE")
	return m.Run()
}

// Endpoint is the URL of the stand-in AWS the tests use.
func Endpoint() string { return endpoint }

// Calls counts the AWS API calls made through a config, by operation name.
type Calls struct {
	mu sync.Mutex
	n  map[string]int
}

// Count returns the number of calls of one operation ("Query", "Scan", ...).
func (c *Calls) Count(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[op]
}

// Total returns the number of calls of every operation.
func (c *Calls) Total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	total := 0
	for _, n := range c.n {
		total += n
	}
	return total
}

// Snapshot returns the counts by operation.
func (c *Calls) Snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.n))
	for k, v := range c.n {
		out[k] = v
	}
	return out
}

// Reset forgets the calls counted so far.
func (c *Calls) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n = map[string]int{}
}

func (c *Calls) add(op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[op]++
}

// AWSConfig returns an SDK configuration for the stand-in AWS whose calls are
// counted in the returned Calls.
func AWSConfig(tb testing.TB) (aws.Config, *Calls) {
	tb.Helper()
	if endpoint == "" {
		tb.Fatal("testenv: moto is not running; call testenv.Main from TestMain")
	}
	calls := &Calls{}
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion(Region),
		config.WithBaseEndpoint(endpoint),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")),
		config.WithAPIOptions([]func(*middleware.Stack) error{func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("countCalls",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					calls.add(middleware.GetOperationName(ctx))
					return next.HandleInitialize(ctx, in)
				}), middleware.After)
		}}),
	)
	if err != nil {
		tb.Fatalf("testenv: load AWS config: %v", err)
	}
	return cfg, calls
}

var tableSeq atomic.Int64

// NewTable creates an empty table for one test, deleted when the test ends,
// and returns its name.
func NewTable(tb testing.TB, client *dynamodb.Client) string {
	tb.Helper()
	// The process id keeps tables apart when go test -fuzz runs workers at once.
	name := fmt.Sprintf("t%d-%d-%s", os.Getpid(), tableSeq.Add(1), sanitize(tb.Name()))
	if len(name) > 200 {
		name = name[:200]
	}
	ctx := context.Background()
	if err := dynamo.CreateTable(ctx, client, name); err != nil {
		tb.Fatalf("testenv: %v", err)
	}
	tb.Cleanup(func() {
		client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	return name
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '-'
	}, s)
}
