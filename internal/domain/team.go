package domain

import "time"

// Team is a named group of users, for filtering, assignments and reports.
type Team struct {
	ID        string
	OrgID     string
	Name      string
	CreatedAt time.Time
}
