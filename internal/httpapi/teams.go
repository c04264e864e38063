package httpapi

import (
	"context"
	"net/http"
)

// ListTeams answers GET /api/teams.
var ListTeams = Action{"ListTeams", listTeams}

type teamJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func listTeams(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		teams, err := s.Teams.List(ctx, r.principal)
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
