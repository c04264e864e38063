package httpapi

import (
	"log/slog"
	"time"

	"proportal/internal/domain"
)

// MetricNamespace is the CloudWatch namespace of ProPortal's own metrics.
const MetricNamespace = "ProPortal"

// metricName names the metric an error code counts, for the codes an operator
// watches: failed sign-ins (spraying), rate limits hit, mail that failed.
func metricName(code string) string {
	switch code {
	case domain.CodeInvalidCredentials:
		return "SignInFailures"
	case domain.CodeRateLimited:
		return "RateLimited"
	case domain.CodeMailFailed:
		return "MailFailures"
	case domain.CodeInternal, domain.CodeUnavailable:
		// 5xx answered by the edge, which Lambda's Errors does not count:
		// the canary deployment rolls back on it.
		return "ServerErrors"
	}
	return ""
}

// emfDirective is one entry of CloudWatch embedded metric format's
// CloudWatchMetrics: which keys of the line are metrics, in which namespace.
type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

type emfMetric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

// metricOf returns the log attributes that make the request's log line a
// CloudWatch embedded-metric line counting one of code's metric, or none.
// CloudWatch Logs turns such a line into the metric with no API call; the
// request line stays the only line of the request.
func metricOf(code string, at time.Time) []any {
	name := metricName(code)
	if name == "" {
		return nil
	}
	return []any{
		slog.Group("_aws",
			slog.Int64("Timestamp", at.UnixMilli()),
			slog.Any("CloudWatchMetrics", []emfDirective{{
				Namespace:  MetricNamespace,
				Dimensions: [][]string{{}},
				Metrics:    []emfMetric{{Name: name, Unit: "Count"}},
			}}),
		),
		name, 1,
	}
}
