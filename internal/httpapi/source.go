package httpapi

import "github.com/aws/aws-lambda-go/events"

// clientIP is the address of the person making the request, for per-source
// rate limits. Every use of the caller's address goes through here.
func clientIP(ev *events.APIGatewayV2HTTPRequest) string {
	return ev.RequestContext.HTTP.SourceIP
}
