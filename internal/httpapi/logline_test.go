package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"proportal/internal/domain"
)

// logLines serves the events through one route whose endpoint fails with
// err (nil: succeeds) and returns the log lines, decoded.
func logLines(t *testing.T, err error, n int) []map[string]any {
	t.Helper()
	var buf bytes.Buffer
	s := &Services{Logger: slog.New(slog.NewJSONHandler(&buf, nil))}
	rt, _ := RouteNamed("Health")
	h := handler(rt, s, func(context.Context, *request) (response, error) {
		if err != nil {
			return response{}, err
		}
		return response{status: 200, body: map[string]string{}}, nil
	})
	ctx := lambdacontext.NewContext(context.WithValue(context.Background(), "x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793"),
		&lambdacontext.LambdaContext{AwsRequestID: "c6af9ac6-7b61-11e6-9a41-93e812345678"})
	for range n {
		ev := events.APIGatewayV2HTTPRequest{}
		ev.RequestContext.RequestID = "apigw-1"
		ev.RequestContext.HTTP.Method = "GET"
		h(ctx, ev)
	}
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", l, err)
		}
		out = append(out, m)
	}
	if len(out) != n {
		t.Fatalf("%d log lines for %d requests", len(out), n)
	}
	return out
}

// The request line names the Lambda invocation, its X-Ray trace, whether it
// paid a cold start, and the error code of a refused request.
func TestRequestLineCarriesInvocationAndCode(t *testing.T) {
	warm.Store(false)
	lines := logLines(t, domain.Errorf(domain.CodeNotFound, "user not found"), 2)
	for k, want := range map[string]any{
		"lambdaRequestId": "c6af9ac6-7b61-11e6-9a41-93e812345678",
		"traceId":         "Root=1-5759e988-bd862e3fe1be46a994272793",
		"requestId":       "apigw-1",
		"code":            "not_found",
		"status":          float64(404),
	} {
		if lines[0][k] != want {
			t.Errorf("%s = %v, want %v: %v", k, lines[0][k], want, lines[0])
		}
	}
	if lines[0]["coldStart"] != true || lines[1]["coldStart"] != false {
		t.Errorf("coldStart = %v then %v, want true then false", lines[0]["coldStart"], lines[1]["coldStart"])
	}
	if _, ok := lines[0]["_aws"]; ok {
		t.Errorf("a not_found line is a metric line: %v", lines[0])
	}
}

// Failed sign-ins, rate limits and mail failures are CloudWatch embedded
// metrics: the request line itself carries the _aws directive and the count.
func TestWatchedFailuresAreEmbeddedMetrics(t *testing.T) {
	tests := []struct {
		code, metric string
	}{
		{domain.CodeInvalidCredentials, "SignInFailures"},
		{domain.CodeRateLimited, "RateLimited"},
		{domain.CodeMailFailed, "MailFailures"},
		{domain.CodeUnavailable, "ServerErrors"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			line := logLines(t, domain.Errorf(tt.code, "x"), 1)[0]
			b, _ := json.Marshal(line)
			var emf struct {
				AWS struct {
					Timestamp         int64 `json:"Timestamp"`
					CloudWatchMetrics []struct {
						Namespace  string     `json:"Namespace"`
						Dimensions [][]string `json:"Dimensions"`
						Metrics    []struct{ Name, Unit string }
					} `json:"CloudWatchMetrics"`
				} `json:"_aws"`
			}
			if err := json.Unmarshal(b, &emf); err != nil {
				t.Fatal(err)
			}
			d := emf.AWS.CloudWatchMetrics
			if emf.AWS.Timestamp == 0 || len(d) != 1 || d[0].Namespace != MetricNamespace || d[0].Dimensions == nil ||
				len(d[0].Metrics) != 1 || d[0].Metrics[0].Name != tt.metric || d[0].Metrics[0].Unit != "Count" {
				t.Fatalf("not an embedded-metric line for %s: %s", tt.metric, b)
			}
			if line[tt.metric] != float64(1) {
				t.Errorf("%s = %v, want 1: %s", tt.metric, line[tt.metric], b)
			}
		})
	}
}
