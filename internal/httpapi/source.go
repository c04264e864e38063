package httpapi

import (
	"crypto/subtle"
	"net"
	"net/netip"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"proportal/internal/domain"
)

// OriginVerifyHeader is the header CloudFront adds to every request it sends
// to the API, with the secret value ORIGIN_VERIFY_SECRET (a custom origin
// header of PortalDistribution): proof that the request came through it.
const OriginVerifyHeader = "x-origin-verify"

// viewerAddressHeader is where CloudFront puts the viewer's address, "ip:port"
// (IPv6 with or without brackets), when the origin request policy asks for it.
const viewerAddressHeader = "cloudfront-viewer-address"

// clientIP is the address of the person making the request, for per-source
// rate limits. Every use of the caller's address goes through here. Behind
// CloudFront, API Gateway's sourceIp is CloudFront's own address, so the
// viewer's comes from CloudFront-Viewer-Address, trusted only on a request
// that carries the origin secret (anyone may send that header themselves).
func clientIP(ev *events.APIGatewayV2HTTPRequest, originSecret string) string {
	if viaCloudFront(ev, originSecret) {
		if ip, ok := parseViewerAddress(header(ev, viewerAddressHeader)); ok {
			return ip
		}
	}
	return ev.RequestContext.HTTP.SourceIP
}

// viaCloudFront says whether the request carries the origin secret.
func viaCloudFront(ev *events.APIGatewayV2HTTPRequest, originSecret string) bool {
	got := header(ev, OriginVerifyHeader)
	return originSecret != "" && subtle.ConstantTimeCompare([]byte(got), []byte(originSecret)) == 1
}

// refuseBypass refuses, where an origin secret is configured, a request that
// did not come through CloudFront: the execute-api endpoint stays reachable
// on the internet, and around CloudFront a caller could pick its own address.
func refuseBypass(ev *events.APIGatewayV2HTTPRequest, originSecret string) error {
	if originSecret == "" || viaCloudFront(ev, originSecret) {
		return nil
	}
	return domain.Errorf(domain.CodeForbidden, "Use the portal's address.")
}

// parseViewerAddress takes the IP out of "198.51.100.7:46532",
// "[2001:db8::1]:46532" or "2001:db8::1:46532" (CloudFront writes IPv6 without
// brackets: the port is after the last colon).
func parseViewerAddress(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", false
	}
	if host, _, err := net.SplitHostPort(v); err == nil {
		if a, err := netip.ParseAddr(host); err == nil {
			return a.Unmap().String(), true
		}
	}
	if i := strings.LastIndexByte(v, ':'); i > 0 {
		if a, err := netip.ParseAddr(strings.Trim(v[:i], "[]")); err == nil && a.Is6() {
			return a.String(), true
		}
	}
	if a, err := netip.ParseAddr(strings.Trim(v, "[]")); err == nil {
		return a.Unmap().String(), true
	}
	return "", false
}
