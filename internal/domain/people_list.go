package domain

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// List filters.
const (
	FilterActive   = StatusActive
	FilterInvited  = StatusInvited
	FilterInactive = StatusInactive
	FilterAdmins   = "admins"
	FilterAll      = "all"
)

// Page sizes of the user list.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// UserQuery selects a page of users from the store.
type UserQuery struct {
	// Status is active, invited, inactive, admins or all.
	Status string
	// TeamID limits the page to a team's members when not empty.
	TeamID string
	// Prefix limits the page to users whose first name, last name, full name
	// (either order), email or email domain starts with it (lower-cased,
	// single spaces) when not empty.
	Prefix string
	Limit  int
	// After is where the page starts: the store's opaque position from the
	// previous page.
	After string
}

// UserFilter is what an admin asks the user list for.
type UserFilter struct {
	Status string
	TeamID string
	// Q matches the start of a first name, last name, full name (first then
	// last, or last then first), email or the part of the email after @, in
	// any case and whatever the spaces.
	Q      string
	Limit  int
	Cursor string
}

// UserPage is one page of the user list, in name order.
type UserPage struct {
	Users []User
	// NextCursor continues the list; empty on the last page.
	NextCursor string
	// Counts are the organization's totals, for the filter tabs and seat figures.
	Counts UserCounts
}

func (f *UserFilter) validate() error {
	p := Problems{}
	if f.Status == "" {
		f.Status = FilterAll
	}
	switch f.Status {
	case FilterActive, FilterInvited, FilterInactive, FilterAdmins, FilterAll:
	default:
		p.Add("status", "must be active, invited, inactive, admins or all")
	}
	if f.TeamID != "" && !ValidID(f.TeamID) {
		p.Add("teamId", "is not a team id")
	}
	// Single spaces, as the store writes its search terms ("ada  lov" finds Ada Lovelace).
	f.Q = strings.Join(strings.Fields(strings.ToLower(f.Q)), " ")
	if utf8.RuneCountInString(f.Q) > maxEmailLength {
		p.Add("q", "must be at most 254 characters")
	}
	switch {
	case f.Limit == 0:
		f.Limit = DefaultPageSize
	case f.Limit < 1 || f.Limit > MaxPageSize:
		p.Add("limit", "must be between 1 and 200")
	}
	return p.Err()
}

// List returns a page of the organization's users, sorted by last name then
// first name.
func (s *People) List(ctx context.Context, p *Principal, f UserFilter) (UserPage, error) {
	if err := f.validate(); err != nil {
		return UserPage{}, err
	}
	query := f.Status + "\x00" + f.TeamID + "\x00" + f.Q
	after, err := s.cursors.Open(p.OrgID(), query, f.Cursor)
	if err != nil {
		return UserPage{}, err
	}
	if f.TeamID != "" {
		if _, err := s.store.FindTeam(ctx, p.OrgID(), f.TeamID); err != nil {
			return UserPage{}, fmt.Errorf("list users: %w", err)
		}
	}
	users, next, err := s.store.FindUsers(ctx, p.OrgID(), UserQuery{
		Status: f.Status, TeamID: f.TeamID, Prefix: f.Q, Limit: f.Limit, After: after,
	})
	if err != nil {
		return UserPage{}, fmt.Errorf("list users: %w", err)
	}
	counts, err := s.store.FindUserCounts(ctx, p.OrgID())
	if err != nil {
		return UserPage{}, fmt.Errorf("list users: %w", err)
	}
	return UserPage{Users: users, NextCursor: s.cursors.Seal(p.OrgID(), query, next), Counts: counts}, nil
}
