package domain

import "time"

// Module is a learning module: a named, ordered list of catalog items that
// admins assign to people with a due date.
type Module struct {
	ID          string
	OrgID       string
	Name        string
	Description string
	Items       []ModuleItem
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Revision counts saved changes; a save of an older revision is refused.
	Revision int
}
