package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
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
// the error answer, and one log line per request.
func handler(rt Route, s *Services, ep endpoint) LambdaHandler {
	logger := s.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		start := time.Now()
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
		}
		if req.principal != nil {
			attrs = append(attrs, "orgId", req.principal.OrgID(), "userId", req.principal.User.ID)
		}
		if out.StatusCode >= 500 && err != nil {
			logger.ErrorContext(ctx, "request failed", append(attrs, "error", err.Error())...)
		} else {
			logger.InfoContext(ctx, "request", attrs...)
		}
		return out, nil
	}
}
