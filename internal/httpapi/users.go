package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"proportal/internal/domain"
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
		page, err := s.Users.List(ctx, r.principal, f)
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
		res, err := s.Users.Invite(ctx, r.principal, domain.Invite{
			NewUser: domain.NewUser{FirstName: in.FirstName, LastName: in.LastName, Email: in.Email, Access: in.Access},
			TeamID:  in.TeamID,
		})
		if err != nil {
			return response{}, err
		}
		status := http.StatusOK
		if res.Created {
			status = http.StatusCreated
		}
		return response{status: status, body: toUserJSON(res.User)}, nil
	}
}

func getUser(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		u, err := s.Users.Get(ctx, r.principal, r.pathParam("userId"))
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

func deactivateUser(s *Services) endpoint { return userAction(s.Users.Deactivate) }
func activateUser(s *Services) endpoint   { return userAction(s.Users.Activate) }
func grantAdmin(s *Services) endpoint     { return userAction(s.Users.GrantAdmin) }
func revokeAdmin(s *Services) endpoint    { return userAction(s.Users.RevokeAdmin) }

type messageJSON struct {
	Message string `json:"message"`
}

func sendPasswordReset(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		if err := s.Users.SendReset(ctx, r.principal, r.pathParam("userId")); err != nil {
			return response{}, err
		}
		return response{status: http.StatusAccepted, body: messageJSON{"A password-reset link was sent. It works for 15 minutes."}}, nil
	}
}

func resendInvite(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		if err := s.Users.ResendInvite(ctx, r.principal, r.pathParam("userId")); err != nil {
			return response{}, err
		}
		return response{status: http.StatusAccepted, body: messageJSON{"A new invite was sent; the previous link no longer works."}}, nil
	}
}

// forgotPasswordMessage is the one answer to every accepted request, whether
// or not the email has an account.
const forgotPasswordMessage = "If an account exists for that email, a link to set a new password is on its way. It works for 15 minutes."

func forgotPassword(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in struct {
			Email string `json:"email"`
		}
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		if err := s.Users.ForgotPassword(ctx, in.Email, r.event.RequestContext.HTTP.SourceIP); err != nil {
			return response{}, err
		}
		return response{status: http.StatusAccepted, body: messageJSON{forgotPasswordMessage}}, nil
	}
}

func setPassword(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in struct {
			Token    string `json:"token"`
			Password string `json:"password"`
		}
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		if err := s.Users.SetPassword(ctx, in.Token, in.Password); err != nil {
			return response{}, err
		}
		return response{status: http.StatusNoContent}, nil
	}
}

type teamJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func listTeams(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		teams, err := s.Users.Teams(ctx, r.principal)
		if err != nil {
			return response{}, err
		}
		items := make([]teamJSON, len(teams))
		for i, t := range teams {
			items[i] = teamJSON{ID: t.ID, Name: t.Name}
		}
		return response{status: http.StatusOK, body: map[string][]teamJSON{"items": items}}, nil
	}
}

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
		a, err := s.Users.Activity(ctx, r.principal, r.pathParam("userId"))
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
