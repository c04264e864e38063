package domain

import (
	"context"
	"fmt"
	"time"
)

// ActivityStore is the persistence the activity service needs.
type ActivityStore interface {
	FindUserByID(ctx context.Context, orgID, userID string) (User, error)
	FindTeams(ctx context.Context, orgID string) ([]Team, error)
}

// Activity is what learners did: sign-ins now; viewings, labs and assignment
// progress with the activity and assignments issues.
type Activity struct {
	store ActivityStore
}

// NewActivity returns the activity service.
func NewActivity(store ActivityStore) *Activity {
	return &Activity{store: store}
}

// UserActivity is what is known of one user's learning and sign-ins.
type UserActivity struct {
	User  User
	Teams []Team
	// Logins are sign-in times, newest first.
	Logins []time.Time
}

// ForUser returns a user's activity, as far as it is recorded.
func (s *Activity) ForUser(ctx context.Context, p *Principal, userID string) (UserActivity, error) {
	u, err := findUser(ctx, s.store, p, userID)
	if err != nil {
		return UserActivity{}, err
	}
	teams, err := s.store.FindTeams(ctx, p.OrgID())
	if err != nil {
		return UserActivity{}, fmt.Errorf("activity: %w", err)
	}
	a := UserActivity{User: u, Teams: []Team{}, Logins: []time.Time{}}
	for _, t := range teams {
		if u.InTeam(t.ID) {
			a.Teams = append(a.Teams, t)
		}
	}
	if !u.LastLoginAt.IsZero() {
		a.Logins = append(a.Logins, u.LastLoginAt)
	}
	return a, nil
}
