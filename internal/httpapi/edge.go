package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"proportal/internal/domain"
)

// MaxBodyBytes is the largest request body an action reads; larger ones get 413.
const MaxBodyBytes = 64 << 10

// SessionCookie is the name of the HttpOnly session cookie.
const SessionCookie = "pp_session"

// Services are the domain services the routes call, and the edge's settings.
type Services struct {
	Auth      *domain.Auth
	Accounts  *domain.Accounts
	People    *domain.People
	Passwords *domain.Passwords
	Teams     *domain.Teams
	Activity  *domain.Activity
	Catalog   *domain.Catalog
	Modules   *domain.Modules
	// Assignments gives modules to people with due dates.
	Assignments *domain.Assignments
	// Ingest takes in the learning platform's activity; Platforms checks its keys.
	Ingest    *domain.Ingest
	Platforms *domain.Platforms
	// Exports makes Excel workbooks of activity (in the ExportActivity job).
	Exports *domain.Exports
	// Schedules keeps report schedules and hands their deliveries to the
	// RunScheduledReport job.
	Schedules *domain.Schedules
	// Imports are bulk changes of people from a CSV upload, with a dry run.
	Imports *domain.Imports
	// Deliveries hands out scheduled reports' files to their mailed links.
	Deliveries *domain.Deliveries
	// IdleSeats lists the seat holders who are not training, and reclaims seats.
	IdleSeats *domain.IdleSeats
	// AuditLog reads the audit entries: the Audit page, a person's history,
	// the seat history.
	AuditLog *domain.AuditLog
	// SecureCookies adds Secure to the session cookie; off only for http://localhost.
	SecureCookies bool
	// PortalOrigin is the portal's own origin ("https://portal.example.com"),
	// the only Origin a state-changing request may come from (see refuseForgery).
	PortalOrigin string
	// OriginSecret is the value CloudFront sends in OriginVerifyHeader
	// (ORIGIN_VERIFY_SECRET). When set, requests without it are refused and
	// the viewer's address is read from CloudFront's header; empty locally.
	OriginSecret string
	Logger       *slog.Logger
}

// LambdaHandler is what aws-lambda-go runs for an API Gateway HTTP API route.
type LambdaHandler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// request is what an endpoint gets: the event, its decoded body and, on routes
// that need one, the signed-in principal.
type request struct {
	event     *events.APIGatewayV2HTTPRequest
	body      []byte
	token     string
	principal *domain.Principal
	// platform is the learning platform of a Platform route.
	platform *domain.Platform
}

func (r *request) pathParam(name string) string { return r.event.PathParameters[name] }

// response is what an endpoint returns; body is encoded as JSON unless nil.
type response struct {
	status  int
	body    any
	cookies []string
	headers map[string]string
}

type endpoint func(ctx context.Context, r *request) (response, error)

// serve runs the checks every route shares (body size, session, admin rights)
// and then the endpoint. A panic becomes an internal error.
func serve(ctx context.Context, rt Route, s *Services, ep endpoint, req *request) (res response, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in %s: %v", rt.Name, p)
		}
	}()
	if err := refuseBypass(req.event, s.OriginSecret); err != nil {
		return response{}, err
	}
	limit := MaxBodyBytes
	if rt.MaxBody > 0 {
		limit = rt.MaxBody
	}
	body, err := bodyOf(req.event, limit)
	if err != nil {
		return response{}, err
	}
	req.body = body
	if rt.Access == Platform {
		return servePlatform(ctx, rt, s, ep, req)
	}
	token, byCookie := sessionToken(req.event)
	req.token = token
	if err := refuseForgery(rt, s.PortalOrigin, req.event, token != "" && !byCookie); err != nil {
		return response{}, err
	}
	if rt.Access != Public {
		if req.token == "" {
			return response{}, domain.Errorf(domain.CodeUnauthorized, "Sign in to continue.")
		}
		p, err := s.Auth.Authenticate(ctx, req.token)
		if err != nil {
			return response{}, err
		}
		p.Source = clientIP(req.event, s.OriginSecret)
		req.principal = p
		if rt.Access == Admin && !p.User.Admin {
			return response{}, domain.Errorf(domain.CodeForbidden, "The portal is for seat admins; ask one of your admins for access.")
		}
	}
	return ep(ctx, req)
}

func bodyOf(ev *events.APIGatewayV2HTTPRequest, limit int) ([]byte, error) {
	tooLarge := domain.Errorf(domain.CodePayloadTooLarge, "The request body is larger than %d KiB.", limit>>10)
	if !ev.IsBase64Encoded {
		if len(ev.Body) > limit {
			return nil, tooLarge
		}
		return []byte(ev.Body), nil
	}
	if base64.StdEncoding.DecodedLen(len(ev.Body)) > limit+3 {
		return nil, tooLarge
	}
	b, err := base64.StdEncoding.DecodeString(ev.Body)
	if err != nil {
		return nil, domain.Errorf(domain.CodeInvalidJSON, "The request body could not be read.")
	}
	if len(b) > limit {
		return nil, tooLarge
	}
	return b, nil
}

// sessionToken takes the token from "Authorization: Bearer" or, failing that,
// from the session cookie; byCookie says it came from the cookie, which a
// browser adds by itself and a forged request can therefore carry.
func sessionToken(ev *events.APIGatewayV2HTTPRequest) (token string, byCookie bool) {
	if auth := header(ev, "authorization"); auth != "" {
		if scheme, token, ok := strings.Cut(auth, " "); ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(token), false
		}
	}
	for _, c := range ev.Cookies {
		if name, value, ok := strings.Cut(c, "="); ok && strings.TrimSpace(name) == SessionCookie {
			return strings.TrimSpace(value), true
		}
	}
	return "", false
}

// header reads a request header; API Gateway lower-cases their names.
func header(ev *events.APIGatewayV2HTTPRequest, name string) string {
	if v, ok := ev.Headers[name]; ok {
		return v
	}
	for k, v := range ev.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// statusOf maps every error code to its HTTP status, in one place.
var statusOf = map[string]int{
	domain.CodeInvalidJSON:        http.StatusBadRequest,
	domain.CodeValidationFailed:   http.StatusBadRequest,
	domain.CodeInvalidToken:       http.StatusBadRequest,
	domain.CodeInvalidCredentials: http.StatusUnauthorized,
	domain.CodeUnauthorized:       http.StatusUnauthorized,
	domain.CodeForbidden:          http.StatusForbidden,
	domain.CodeNotFound:           http.StatusNotFound,
	domain.CodeMethodNotAllowed:   http.StatusMethodNotAllowed,
	domain.CodeSeatLimitReached:   http.StatusConflict,
	domain.CodeEmailInUse:         http.StatusConflict,
	domain.CodeLastAdmin:          http.StatusConflict,
	domain.CodeConflict:           http.StatusConflict,
	domain.CodeTokenExpired:       http.StatusGone,
	domain.CodePayloadTooLarge:    http.StatusRequestEntityTooLarge,
	domain.CodeUnsupportedMedia:   http.StatusUnsupportedMediaType,
	domain.CodeRateLimited:        http.StatusTooManyRequests,
	domain.CodeMailFailed:         http.StatusBadGateway,
	domain.CodeUnavailable:        http.StatusServiceUnavailable,
	domain.CodeImportApplied:      http.StatusConflict,
	domain.CodeImportStale:        http.StatusGone,
	domain.CodeInternal:           http.StatusInternalServerError,
}

type errorJSON struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// errorResponse turns an error into its JSON answer. Errors without a code are
// internal: the client learns nothing of them.
func errorResponse(err error) response {
	e, ok := errors.AsType[*domain.Error](err)
	if !ok {
		e = domain.Errorf(domain.CodeInternal, "Internal error.")
	}
	status, known := statusOf[e.Code]
	if !known {
		status = http.StatusInternalServerError
	}
	res := response{status: status, body: errorJSON{errorBody{Code: e.Code, Message: e.Message, Fields: e.Fields}}}
	switch status {
	case http.StatusUnauthorized:
		res.headers = map[string]string{"WWW-Authenticate": `Bearer realm="proportal"`}
	case http.StatusTooManyRequests:
		// The longest a rate-limit window lasts.
		res.headers = map[string]string{"Retry-After": "900"}
	case http.StatusServiceUnavailable:
		res.headers = map[string]string{"Retry-After": "5"}
	}
	return res
}

// encode writes a response as API Gateway expects it.
func encode(res response) events.APIGatewayV2HTTPResponse {
	headers := map[string]string{
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
	}
	for k, v := range res.headers {
		headers[k] = v
	}
	out := events.APIGatewayV2HTTPResponse{StatusCode: res.status, Headers: headers, Cookies: res.cookies}
	if res.body == nil {
		return out
	}
	b, err := json.Marshal(res.body)
	if err != nil {
		out.StatusCode = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"Internal error."}}`)
	}
	headers["Content-Type"] = "application/json; charset=utf-8"
	out.Body = string(b)
	return out
}
