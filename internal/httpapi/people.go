package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"proportal/internal/domain"
)

var (
	// ListUsers answers GET /api/users.
	ListUsers = Action{"ListUsers", listUsers}
	// InviteUser answers POST /api/users.
	InviteUser = Action{"InviteUser", inviteUser}
	// GetUser answers GET /api/users/{userId}.
	GetUser = Action{"GetUser", getUser}
	// DeactivateUser answers POST /api/users/{userId}/deactivate.
	DeactivateUser = Action{"DeactivateUser", deactivateUser}
	// ActivateUser answers POST /api/users/{userId}/activate.
	ActivateUser = Action{"ActivateUser", activateUser}
	// GrantAdmin answers POST /api/users/{userId}/admin.
	GrantAdmin = Action{"GrantAdmin", grantAdmin}
	// RevokeAdmin answers DELETE /api/users/{userId}/admin.
	RevokeAdmin = Action{"RevokeAdmin", revokeAdmin}
)

type countsJSON struct {
	All        int `json:"all"`
	Active     int `json:"active"`
	Invited    int `json:"invited"`
	Inactive   int `json:"inactive"`
	Admins     int `json:"admins"`
	SeatsUsed  int `json:"seatsUsed"`
	SeatsTotal int `json:"seatsTotal"`
}

type userPageJSON struct {
	Items      []userJSON `json:"items"`
	NextCursor string     `json:"nextCursor,omitempty"`
	Counts     countsJSON `json:"counts"`
}

func listUsers(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		q := r.event.QueryStringParameters
		f := domain.UserFilter{Status: q["status"], TeamID: q["teamId"], Q: q["q"], Cursor: q["cursor"]}
		if raw, ok := q["limit"]; ok {
			n, err := strconv.Atoi(raw)
			if err != nil {
				return response{}, domain.Problems{"limit": "must be a whole number between 1 and 200"}.Err()
			}
			f.Limit = n
		}
		page, err := s.People.List(ctx, r.principal, f)
		if err != nil {
			return response{}, err
		}
		items := make([]userJSON, len(page.Users))
		for i, u := range page.Users {
			items[i] = toUserJSON(u)
		}
		c := page.Counts
		return response{status: http.StatusOK, body: userPageJSON{
			Items: items, NextCursor: page.NextCursor,
			Counts: countsJSON{
				All: c.All(), Active: c.Active, Invited: c.Invited, Inactive: c.Inactive, Admins: c.Admins,
				SeatsUsed: c.SeatsUsed, SeatsTotal: c.SeatsTotal,
			},
		}}, nil
	}
}

type inviteJSON struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
	Access    string `json:"access"`
	TeamID    string `json:"teamId"`
}

func inviteUser(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in inviteJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		res, err := s.People.Invite(ctx, r.principal, domain.Invite{
			NewUser: domain.NewUser{FirstName: in.FirstName, LastName: in.LastName, Email: in.Email, Access: in.Access},
			TeamID:  in.TeamID,
		})
		if err != nil {
			return response{}, err
		}
		status, outcome := http.StatusOK, "added"
		switch {
		case res.Created:
			status, outcome = http.StatusCreated, "created"
		case !res.Changed:
			outcome = "unchanged"
		}
		return response{status: status, body: toUserJSON(res.User), headers: map[string]string{"Invite-Outcome": outcome}}, nil
	}
}

func getUser(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		u, err := s.People.Get(ctx, r.principal, r.pathParam("userId"))
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toUserJSON(u)}, nil
	}
}

// userAction is an endpoint that changes one user and answers with the user.
func userAction(action func(context.Context, *domain.Principal, string) (domain.User, error)) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		u, err := action(ctx, r.principal, r.pathParam("userId"))
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toUserJSON(u)}, nil
	}
}

func deactivateUser(s *Services) endpoint { return userAction(s.People.Deactivate) }
func activateUser(s *Services) endpoint   { return userAction(s.People.Activate) }
func grantAdmin(s *Services) endpoint     { return userAction(s.People.GrantAdmin) }
func revokeAdmin(s *Services) endpoint    { return userAction(s.People.RevokeAdmin) }
