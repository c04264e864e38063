package httpapi

import (
	"context"
	"net/http"
	"time"

	"proportal/internal/domain"
)

var (
	// ListTeams answers GET /api/teams.
	ListTeams = Action{"ListTeams", listTeams}
	// CreateTeam answers POST /api/teams.
	CreateTeam = Action{"CreateTeam", createTeam}
	// GetTeam answers GET /api/teams/{teamId}.
	GetTeam = Action{"GetTeam", getTeam}
	// RenameTeam answers PATCH /api/teams/{teamId}.
	RenameTeam = Action{"RenameTeam", renameTeam}
	// DeleteTeam answers DELETE /api/teams/{teamId}.
	DeleteTeam = Action{"DeleteTeam", deleteTeam}
	// AddTeamMembers answers POST /api/teams/{teamId}/members.
	AddTeamMembers = Action{"AddTeamMembers", addTeamMembers}
	// RemoveTeamMember answers DELETE /api/teams/{teamId}/members/{userId}.
	RemoveTeamMember = Action{"RemoveTeamMember", removeTeamMember}
	// GetTeamChange answers GET /api/teams/{teamId}/changes/{changeId}.
	GetTeamChange = Action{"GetTeamChange", getTeamChange}
)

type memberCountsJSON struct {
	Active   int `json:"active"`
	Invited  int `json:"invited"`
	Inactive int `json:"inactive"`
	Total    int `json:"total"`
}

type teamJSON struct {
	ID        string           `json:"id"`
	Name      string           `json:"name"`
	CreatedAt time.Time        `json:"createdAt"`
	Members   memberCountsJSON `json:"members"`
	// Deleting: the team's deletion has started and has not finished.
	Deleting bool `json:"deleting"`
	// AssignmentCompletion is the share (0–100) of the people of the open
	// assignments given to the team who completed them; absent when the team
	// was given none.
	AssignmentCompletion *int `json:"assignmentCompletion,omitempty"`
}

func toTeamJSON(t domain.Team) teamJSON {
	m := t.Members
	return teamJSON{
		ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, Deleting: t.Deleting,
		Members:              memberCountsJSON{Active: m.Active, Invited: m.Invited, Inactive: m.Inactive, Total: m.Total()},
		AssignmentCompletion: t.AssignmentCompletion,
	}
}

type changeFailureJSON struct {
	UserID  string `json:"userId"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type teamChangeJSON struct {
	ID     string `json:"id"`
	TeamID string `json:"teamId"`
	// Kind is "add" (people join) or "delete" (everyone leaves, then the team goes).
	Kind string `json:"kind"`
	// Status is "running", "done" or "failed" (ended; failed says who was not changed).
	Status    string              `json:"status"`
	Total     int                 `json:"total"`
	Done      int                 `json:"done"`
	Failed    []changeFailureJSON `json:"failed"`
	CreatedAt time.Time           `json:"createdAt"`
	UpdatedAt time.Time           `json:"updatedAt"`
}

func toTeamChangeJSON(c domain.TeamChange) teamChangeJSON {
	out := teamChangeJSON{
		ID: c.ID, TeamID: c.TeamID, Kind: c.Kind, Status: c.Status, Total: c.Total, Done: c.Done,
		Failed: []changeFailureJSON{}, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
	for _, f := range c.Failures {
		out.Failed = append(out.Failed, changeFailureJSON{UserID: f.UserID, Code: f.Code, Message: f.Message})
	}
	return out
}

// changeStatus is 202 while a change goes on in the background, 200 once it ended.
func changeStatus(c domain.TeamChange) int {
	if c.Status == domain.ChangeRunning {
		return http.StatusAccepted
	}
	return http.StatusOK
}

func listTeams(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		teams, err := s.Teams.List(ctx, r.principal)
		if err != nil {
			return response{}, err
		}
		items := make([]teamJSON, len(teams))
		for i, t := range teams {
			items[i] = toTeamJSON(t)
		}
		return response{status: http.StatusOK, body: map[string][]teamJSON{"items": items}}, nil
	}
}

type newTeamJSON struct {
	Name    string   `json:"name"`
	UserIDs []string `json:"userIds"`
}

type createdTeamJSON struct {
	Team teamJSON `json:"team"`
	// Change adds the first members; absent for a team created empty.
	Change *teamChangeJSON `json:"change,omitempty"`
}

func createTeam(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in newTeamJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		created, err := s.Teams.Create(ctx, r.principal, domain.NewTeam{Name: in.Name, UserIDs: in.UserIDs})
		if err != nil {
			return response{}, err
		}
		out := createdTeamJSON{Team: toTeamJSON(created.Team)}
		if created.Change != nil {
			c := toTeamChangeJSON(*created.Change)
			out.Change = &c
		}
		return response{status: http.StatusCreated, body: out}, nil
	}
}

type teamDetailJSON struct {
	teamJSON
	// LastChange is the team's latest change of many members; absent when none.
	LastChange *teamChangeJSON `json:"lastChange,omitempty"`
}

func getTeam(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		d, err := s.Teams.Get(ctx, r.principal, r.pathParam("teamId"))
		if err != nil {
			return response{}, err
		}
		out := teamDetailJSON{teamJSON: toTeamJSON(d.Team)}
		if d.LastChange != nil {
			c := toTeamChangeJSON(*d.LastChange)
			out.LastChange = &c
		}
		return response{status: http.StatusOK, body: out}, nil
	}
}

type renameTeamJSON struct {
	Name string `json:"name"`
}

func renameTeam(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in renameTeamJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		t, err := s.Teams.Rename(ctx, r.principal, r.pathParam("teamId"), in.Name)
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toTeamJSON(t)}, nil
	}
}

func deleteTeam(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		c, err := s.Teams.Delete(ctx, r.principal, r.pathParam("teamId"))
		if err != nil {
			return response{}, err
		}
		return response{status: changeStatus(c), body: toTeamChangeJSON(c)}, nil
	}
}

type addMembersJSON struct {
	UserIDs []string `json:"userIds"`
}

func addTeamMembers(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in addMembersJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		c, err := s.Teams.AddMembers(ctx, r.principal, r.pathParam("teamId"), in.UserIDs)
		if err != nil {
			return response{}, err
		}
		return response{status: changeStatus(c), body: toTeamChangeJSON(c)}, nil
	}
}

func removeTeamMember(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		if err := s.Teams.RemoveMember(ctx, r.principal, r.pathParam("teamId"), r.pathParam("userId")); err != nil {
			return response{}, err
		}
		return response{status: http.StatusNoContent}, nil
	}
}

func getTeamChange(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		c, err := s.Teams.GetChange(ctx, r.principal, r.pathParam("teamId"), r.pathParam("changeId"))
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toTeamChangeJSON(c)}, nil
	}
}
