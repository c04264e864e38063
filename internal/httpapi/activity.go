package httpapi

import (
	"context"
	"net/http"
	"time"
)

// GetUserActivity answers GET /api/users/{userId}/activity.
var GetUserActivity = Action{"GetUserActivity", getUserActivity}

type loginJSONAt struct {
	At time.Time `json:"at"`
}

type activityJSON struct {
	User             userJSON      `json:"user"`
	Teams            []teamJSON    `json:"teams"`
	Logins           []loginJSONAt `json:"logins"`
	ViewedCompletely []any         `json:"viewedCompletely"`
	InProgress       []any         `json:"inProgress"`
	Labs             []any         `json:"labs"`
	Assignments      []any         `json:"assignments"`
}

func getUserActivity(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		a, err := s.Activity.ForUser(ctx, r.principal, r.pathParam("userId"))
		if err != nil {
			return response{}, err
		}
		out := activityJSON{
			User: toUserJSON(a.User), Teams: []teamJSON{}, Logins: []loginJSONAt{},
			ViewedCompletely: []any{}, InProgress: []any{}, Labs: []any{}, Assignments: []any{},
		}
		for _, t := range a.Teams {
			out.Teams = append(out.Teams, teamJSON{ID: t.ID, Name: t.Name})
		}
		for _, at := range a.Logins {
			out.Logins = append(out.Logins, loginJSONAt{At: at.UTC()})
		}
		return response{status: http.StatusOK, body: out}, nil
	}
}
