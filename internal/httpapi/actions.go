package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"proportal/internal/domain"
)

// Action is the code of one route: its name (the row of Routes it serves) and
// how its endpoint is built on the services. Each functions/<name>/main.go
// names exactly one Action, so its Lambda links that action's code and not
// the others' (an Action is plain data, dropped by the linker when unused).
type Action struct {
	Name  string
	build func(*Services) endpoint
}

// Actions returns every action, in the order of Routes. Only the local server
// and tests call it: a Lambda that did would link every endpoint.
func Actions() []Action {
	return []Action{
		Health, Login, Logout, GetMe, GetSubscription, GetDashboard,
		ForgotPassword, SetPassword,
		ListUsers, InviteUser, GetUser, DeactivateUser, ActivateUser, GrantAdmin, RevokeAdmin,
		SendPasswordReset, ResendInvite, GetUserActivity,
		ListTeams,
		Fallback,
	}
}

// Handler returns the Lambda handler of the action, built on the services.
func (a Action) Handler(s *Services) (LambdaHandler, error) {
	rt, ok := RouteNamed(a.Name)
	if !ok {
		return nil, fmt.Errorf("action %q has no row in httpapi.Routes", a.Name)
	}
	return handler(rt, s, a.build(s)), nil
}

// Handler returns the Lambda handler of the route, built on the services. It
// reaches every action (see Actions): the local server and tests use it.
func (r Route) Handler(s *Services) LambdaHandler {
	for _, a := range Actions() {
		if a.Name == r.Name {
			return handler(r, s, a.build(s))
		}
	}
	panic(fmt.Sprintf("route %q has no Action", r.Name))
}

// handler wraps an endpoint with what every route shares: the checks of serve,
// the error answer, and one log line per request, which is also the metric
// line (metricOf) of the failures an operator watches.
func handler(rt Route, s *Services, ep endpoint) LambdaHandler {
	logger := s.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		start := time.Now()
		cold := !warm.Swap(true)
		req := &request{event: &ev}
		res, err := serve(ctx, rt, s, ep, req)
		if err != nil {
			res = errorResponse(err)
		}
		out := encode(res)
		attrs := []any{
			"requestId", ev.RequestContext.RequestID,
			"route", rt.RouteKey(),
			"method", ev.RequestContext.HTTP.Method,
			"status", out.StatusCode,
			"durationMs", time.Since(start).Milliseconds(),
			"coldStart", cold,
		}
		if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
			attrs = append(attrs, "lambdaRequestId", lc.AwsRequestID)
		}
		if trace := traceID(ctx); trace != "" {
			attrs = append(attrs, "traceId", trace)
		}
		if req.principal != nil {
			attrs = append(attrs, "orgId", req.principal.OrgID(), "userId", req.principal.User.ID)
		}
		if err != nil {
			code := domain.ErrorCode(err)
			attrs = append(attrs, "code", code)
			attrs = append(attrs, metricOf(code, start)...)
		}
		if out.StatusCode >= 500 && err != nil {
			logger.ErrorContext(ctx, "request failed", append(attrs, "error", err.Error())...)
		} else {
			logger.InfoContext(ctx, "request", attrs...)
		}
		return out, nil
	}
}

// warm is set by the first request this process serves: the one that paid
// for the cold start.
var warm atomic.Bool

// traceID is the X-Ray trace id of the invocation: aws-lambda-go puts it in
// the context and in _X_AMZN_TRACE_ID.
func traceID(ctx context.Context) string {
	if v, ok := ctx.Value("x-amzn-trace-id").(string); ok && v != "" {
		return v
	}
	return os.Getenv("_X_AMZN_TRACE_ID")
}
