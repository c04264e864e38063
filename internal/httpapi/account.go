package httpapi

import (
	"context"
	"net/http"
)

var (
	// Health answers GET /api/health.
	Health = Action{"Health", health}
	// GetReady answers GET /api/ready.
	GetReady = Action{"GetReady", getReady}
	// GetMe answers GET /api/me.
	GetMe = Action{"GetMe", getMe}
	// GetSubscription answers GET /api/subscription.
	GetSubscription = Action{"GetSubscription", getSubscription}
	// GetDashboard answers GET /api/dashboard.
	GetDashboard = Action{"GetDashboard", getDashboard}
)

func health(*Services) endpoint {
	return func(context.Context, *request) (response, error) {
		return response{status: http.StatusOK, body: map[string]string{"status": "ok"}}, nil
	}
}

// getReady is readiness, where health is liveness: one read of the table,
// 200 when it answers, 503 unavailable when it does not.
func getReady(s *Services) endpoint {
	return func(ctx context.Context, _ *request) (response, error) {
		if err := s.Accounts.Ready(ctx); err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: map[string]string{"status": "ready"}}, nil
	}
}

type meJSON struct {
	User         userJSON         `json:"user"`
	Organization organizationJSON `json:"organization"`
}

func getMe(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		me, err := s.Accounts.Me(ctx, r.principal)
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: meJSON{
			User:         toUserJSON(me.User),
			Organization: organizationJSON{ID: me.Organization.ID, Name: me.Organization.Name},
		}}, nil
	}
}

func getSubscription(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		d, err := s.Accounts.Subscription(ctx, r.principal)
		if err != nil {
			return response{}, err
		}
		sub := d.Subscription
		features := sub.Features
		if features == nil {
			features = []string{}
		}
		return response{status: http.StatusOK, body: subscriptionJSON{
			Seats: toSeatsJSON(sub), accessJSON: toAccessJSON(d.Access), Features: features,
		}}, nil
	}
}

func getDashboard(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		d, err := s.Accounts.Dashboard(ctx, r.principal)
		if err != nil {
			return response{}, err
		}
		a := d.Assignments
		return response{status: http.StatusOK, body: dashboardJSON{
			Seats:        toSeatsJSON(d.Subscription),
			Subscription: toAccessJSON(d.Access),
			Usage:        toWeeksJSON(d.Usage),
			Assignments: assignmentProgressJSON{
				Assignments: a.Assignments, Assignees: a.Assignees, Completed: a.Completed,
				InProgress: a.InProgress, NotStarted: a.NotStarted, Overdue: a.Overdue,
			},
			IdleSeats: idleTileJSON{Days: d.IdleSeats.Days, Count: d.IdleSeats.Count, More: d.IdleSeats.More},
		}}, nil
	}
}
