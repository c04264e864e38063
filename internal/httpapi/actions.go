package httpapi

import (
	"context"
	"errors"
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
		Health, GetReady, Login, Logout, GetMe, GetSubscription, GetDashboard, GetSeatHistory,
		ForgotPassword, SetPassword,
		ListUsers, InviteUser, GetUser, DeactivateUser, ActivateUser, GrantAdmin, RevokeAdmin,
		SendPasswordReset, ResendInvite, GetUserActivity,
		ListTeams, CreateTeam, GetTeam, RenameTeam, DeleteTeam, AddTeamMembers, RemoveTeamMember, GetTeamChange,
		GetTeamActivity,
		ListCatalog, ListModules, CreateModule, GetModule, UpdateModule, DeleteModule, DuplicateModule,
		GetOrganization, UpdateOrganization,
		ListAssignments, CreateAssignment, GetAssignment, UpdateAssignment, CancelAssignment,
		ListAssignees, AddAssignees, ListUserAssignments, ListTeamAssignments,
		IngestEvents,
		ListAudit,
		ListExports, CreateExport, GetExport,
		ListReportSchedules, CreateReportSchedule, GetReportSchedule, UpdateReportSchedule, DeleteReportSchedule,
		ListReportDeliveries, SendReportNow,
		CreateImport, GetImport, ApplyImport,
		DownloadReport,
		ListIdleSeats, SetKeepSeat, RemindIdleSeats, DeactivateIdleSeats,
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
		work, cancel := withDeadline(ctx, start, rt.MaxTime)
		res, err := serve(work, rt, s, ep, req)
		cancel()
		clientGone := err != nil && ctx.Err() != nil
		if err != nil {
			err = stalled(err, work)
			res = errorResponse(err)
		}
		out := encode(res)
		status := out.StatusCode
		if clientGone {
			// The caller went away (a closed connection locally, an
			// abandoned invocation): not our failure, and nobody reads
			// the answer. Logged as nginx's 499, at warn.
			status = StatusClientClosed
		}
		attrs := []any{
			"requestId", ev.RequestContext.RequestID,
			"route", rt.RouteKey(),
			"method", ev.RequestContext.HTTP.Method,
			"status", status,
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
		if req.platform != nil {
			attrs = append(attrs, "platformId", req.platform.ID)
		}
		if err != nil {
			code := domain.ErrorCode(err)
			attrs = append(attrs, "code", code)
			attrs = append(attrs, metricOf(code, start)...)
		}
		switch {
		case clientGone:
			logger.WarnContext(ctx, "request abandoned by the client", append(attrs, "error", err.Error())...)
		case out.StatusCode >= 500 && err != nil:
			logger.ErrorContext(ctx, "request failed", append(attrs, "error", err.Error())...)
		default:
			logger.InfoContext(ctx, "request", attrs...)
		}
		return out, nil
	}
}

// StatusClientClosed is the status logged for a request its caller abandoned.
const StatusClientClosed = 499

// MaxRequestTime bounds a request that has no deadline of its own (the local
// server); in Lambda the invocation's deadline, minus deadlineMargin, does.
const MaxRequestTime = 9 * time.Second

// deadlineMargin is kept between the work's deadline and the function's, so
// that a stalled DynamoDB or SES call ends while there is still time to
// answer 503 and log it, instead of Lambda killing the function (API
// Gateway's own non-JSON 503, and no log line of ours).
const deadlineMargin = time.Second

// withDeadline is the context the request's work runs in: its calls to AWS
// end before the function's time does.
func withDeadline(ctx context.Context, now time.Time, maxTime time.Duration) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		if maxTime == 0 {
			maxTime = MaxRequestTime
		}
		return context.WithDeadline(ctx, now.Add(maxTime))
	}
	margin := min(deadlineMargin, deadline.Sub(now)/10)
	return context.WithDeadline(ctx, deadline.Add(-margin))
}

// stalled turns an error caused by the work's deadline into 503
// unavailable: a dependency did not answer in time.
func stalled(err error, work context.Context) error {
	if _, coded := errors.AsType[*domain.Error](err); coded {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(work.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", domain.Errorf(domain.CodeUnavailable, "ProPortal is not answering in time; try again in a few seconds."), err)
	}
	return err
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
