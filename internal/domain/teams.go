package domain

import (
	"context"
	"fmt"
	"time"
)

// Team is a named group of users, for filtering, assignments and reports.
type Team struct {
	ID        string
	OrgID     string
	Name      string
	CreatedAt time.Time
}

// TeamStore is the persistence the teams service needs.
type TeamStore interface {
	// FindTeams returns the organization's teams by name.
	FindTeams(ctx context.Context, orgID string) ([]Team, error)
}

// Teams is the organization's teams.
type Teams struct {
	store TeamStore
}

// NewTeams returns the teams service.
func NewTeams(store TeamStore) *Teams {
	return &Teams{store: store}
}

// List lists the organization's teams by name.
func (s *Teams) List(ctx context.Context, p *Principal) ([]Team, error) {
	teams, err := s.store.FindTeams(ctx, p.OrgID())
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	return teams, nil
}
