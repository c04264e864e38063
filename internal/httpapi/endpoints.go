package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"proportal/internal/domain"
)

func health(*Services) endpoint {
	return func(context.Context, *request) (response, error) {
		return response{status: http.StatusOK, body: map[string]string{"status": "ok"}}, nil
	}
}

type loginJSON struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	User      userJSON  `json:"user"`
}

func login(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in struct {
			Email    string `json:"email"`
			Password string `json:"password"`
		}
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		l, err := s.Auth.Login(ctx, domain.Credentials{Email: in.Email, Password: in.Password})
		if err != nil {
			return response{}, err
		}
		return response{
			status:  http.StatusOK,
			body:    loginJSON{Token: l.Token, ExpiresAt: l.ExpiresAt.UTC(), User: toUserJSON(l.User)},
			cookies: []string{s.sessionCookie(l.Token, time.Until(l.ExpiresAt))},
		}, nil
	}
}

// logout ends the presented session, if any, and clears the cookie: signing
// out twice is not an error.
func logout(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		if err := s.Auth.Logout(ctx, r.token); err != nil {
			return response{}, err
		}
		return response{status: http.StatusNoContent, cookies: []string{s.sessionCookie("", 0)}}, nil
	}
}

// sessionCookie sets (or, with maxAge 0, clears) the session cookie.
func (s *Services) sessionCookie(token string, maxAge time.Duration) string {
	c := &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: s.SecureCookies, MaxAge: int(maxAge.Seconds()),
	}
	if maxAge <= 0 {
		c.MaxAge = -1
	}
	return c.String()
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
		usage := make([]usageWeekJSON, 0, len(d.Usage))
		for _, w := range d.Usage {
			usage = append(usage, usageWeekJSON{WeekStart: w.WeekStart.Format(domain.DateLayout), ActiveUsers: w.ActiveUsers, Viewings: w.Viewings})
		}
		a := d.Assignments
		return response{status: http.StatusOK, body: dashboardJSON{
			Seats:        toSeatsJSON(d.Subscription),
			Subscription: toAccessJSON(d.Access),
			Usage:        usage,
			Assignments: assignmentProgressJSON{
				Assignments: a.Assignments, Assignees: a.Assignees, Completed: a.Completed,
				InProgress: a.InProgress, NotStarted: a.NotStarted, Overdue: a.Overdue,
			},
		}}, nil
	}
}

// fallback answers requests no route takes, as JSON: 405 with Allow for a known
// path, 404 otherwise.
func fallback(*Services) endpoint {
	return func(_ context.Context, r *request) (response, error) {
		_, _, status, allowed := Match(r.event.RequestContext.HTTP.Method, r.event.RequestContext.HTTP.Path)
		if status == http.StatusMethodNotAllowed {
			res := errorResponse(domain.Errorf(domain.CodeMethodNotAllowed,
				"%s is not allowed here; use %s.", r.event.RequestContext.HTTP.Method, strings.Join(allowed, " or ")))
			res.headers = map[string]string{"Allow": strings.Join(allowed, ", ")}
			return res, nil
		}
		return response{}, domain.Errorf(domain.CodeNotFound, "There is no %s.", fmt.Sprintf("%q", r.event.RequestContext.HTTP.Path))
	}
}
