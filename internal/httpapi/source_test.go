package httpapi

import (
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"proportal/internal/domain"
)

const testOriginSecret = "0123456789abcdef0123456789abcdef-origin"

func sourceEvent(headers map[string]string) *events.APIGatewayV2HTTPRequest {
	ev := &events.APIGatewayV2HTTPRequest{Headers: headers}
	ev.RequestContext.HTTP.SourceIP = "130.176.0.1" // a CloudFront edge
	return ev
}

// Behind CloudFront the caller is CloudFront-Viewer-Address, but only on a
// request that proves it came through CloudFront; anyone can send the header.
func TestClientIP(t *testing.T) {
	tests := []struct {
		name    string
		secret  string
		headers map[string]string
		want    string
	}{
		{"no CloudFront", testOriginSecret, nil, "130.176.0.1"},
		{"viewer IPv4", testOriginSecret, map[string]string{"x-origin-verify": testOriginSecret, "cloudfront-viewer-address": "198.51.100.7:46532"}, "198.51.100.7"},
		{"viewer IPv6 without brackets", testOriginSecret, map[string]string{"x-origin-verify": testOriginSecret, "cloudfront-viewer-address": "2001:db8::1:46532"}, "2001:db8::1"},
		{"viewer IPv6 in brackets", testOriginSecret, map[string]string{"x-origin-verify": testOriginSecret, "cloudfront-viewer-address": "[2001:db8::7]:443"}, "2001:db8::7"},
		{"header names in any case", testOriginSecret, map[string]string{"X-Origin-Verify": testOriginSecret, "CloudFront-Viewer-Address": "198.51.100.8:1"}, "198.51.100.8"},
		{"spoofed viewer address without the secret", testOriginSecret, map[string]string{"cloudfront-viewer-address": "203.0.113.66:1234"}, "130.176.0.1"},
		{"spoofed viewer address with a wrong secret", testOriginSecret, map[string]string{"x-origin-verify": "guess", "cloudfront-viewer-address": "203.0.113.66:1234"}, "130.176.0.1"},
		{"no secret configured (local): the header is ignored", "", map[string]string{"x-origin-verify": "", "cloudfront-viewer-address": "203.0.113.66:1234"}, "130.176.0.1"},
		{"garbage viewer address", testOriginSecret, map[string]string{"x-origin-verify": testOriginSecret, "cloudfront-viewer-address": "not-an-ip:80"}, "130.176.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clientIP(sourceEvent(tt.headers), tt.secret); got != tt.want {
				t.Errorf("clientIP = %q, want %q", got, tt.want)
			}
		})
	}
}

// With an origin secret configured, the execute-api endpoint answers only
// requests that came through CloudFront.
func TestRequestsAroundCloudFrontAreRefused(t *testing.T) {
	s := &Services{OriginSecret: testOriginSecret}
	tests := []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"no origin header", map[string]string{}, 403},
		{"a wrong origin header", map[string]string{"x-origin-verify": "nope"}, 403},
		{"through CloudFront", map[string]string{"x-origin-verify": testOriginSecret}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := sourceEvent(tt.headers)
			ev.RequestContext.HTTP.Method = "GET"
			h, err := Health.Handler(s)
			if err != nil {
				t.Fatal(err)
			}
			res, _ := h(t.Context(), *ev)
			if res.StatusCode != tt.want {
				t.Fatalf("status %d %s, want %d", res.StatusCode, res.Body, tt.want)
			}
			if tt.want == 403 && !strings.Contains(res.Body, domain.CodeForbidden) {
				t.Errorf("body %s does not say %s", res.Body, domain.CodeForbidden)
			}
		})
	}
}
