package httpapi

import (
	"mime"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"proportal/internal/domain"
)

// refuseForgery is the edge's defence against forged requests (CSRF), for
// every route at once. SameSite=Strict keeps the session cookie off
// cross-site requests, but not off requests from a sibling subdomain or
// another port of the same host, which are same-site. So a request that
// changes something (POST, PUT, PATCH, DELETE):
//
//   - must say Content-Type: application/json (or the route's Body, such
//     as text/csv, equally not a CORS-safelisted type). A page can send that to
//     another origin only after a CORS preflight, which this API never
//     grants; forms and no-cors fetches can send only text/plain,
//     urlencoded or multipart bodies.
//   - when the browser may have added its credentials by itself (the session
//     cookie, or no session at all: sign-in and the other public routes, so
//     that nobody can sign a victim into another account), must not come from
//     a foreign Origin, nor be marked same-site or cross-site by
//     Sec-Fetch-Site. A request with "Authorization: Bearer" was written by a
//     program holding the token: no browser adds that header by itself.
//
// The fallback route changes nothing and answers 404/405 as before.
func refuseForgery(rt Route, portalOrigin string, ev *events.APIGatewayV2HTTPRequest, byBearer bool) error {
	if rt.Path == DefaultPath || !changesState(ev.RequestContext.HTTP.Method) {
		return nil
	}
	if rt.Body != "" {
		if mt, _, err := mime.ParseMediaType(header(ev, "content-type")); err != nil || mt != rt.Body {
			return domain.Errorf(domain.CodeUnsupportedMedia, "Send the file as %s, with Content-Type: %s.", rt.Body, rt.Body)
		}
	} else if mt, _, err := mime.ParseMediaType(header(ev, "content-type")); err != nil || mt != "application/json" {
		return domain.Errorf(domain.CodeUnsupportedMedia, "Send the request as JSON, with Content-Type: application/json.")
	}
	if byBearer {
		return nil
	}
	if origin := header(ev, "origin"); origin != "" && !strings.EqualFold(origin, portalOrigin) {
		return domain.Errorf(domain.CodeForbidden, "This request came from another site and was refused.")
	}
	switch strings.ToLower(header(ev, "sec-fetch-site")) {
	case "same-site", "cross-site":
		return domain.Errorf(domain.CodeForbidden, "This request came from another site and was refused.")
	}
	return nil
}

// changesState says whether a method may change data.
func changesState(method string) bool {
	switch strings.ToUpper(method) {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}
