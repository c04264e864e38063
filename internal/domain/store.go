package domain

import (
	"context"
	"time"
)

// Store is the persistence the services need. The DynamoDB adapter in
// internal/dynamo implements it; every multi-item change is one transaction.
// Lookups of something that does not exist return a not_found *Error.
type Store interface {
	// CreateOrganization writes an organization, its subscription and its first
	// user (with the user's email item, seat and optional invite) at once.
	CreateOrganization(ctx context.Context, org Organization, sub Subscription, first User, invite *OneTimeToken) error
	// CreateUser writes a user and its email item, and takes a seat when u.Seat is
	// set: email_in_use or seat_limit_reached, and nothing written, when it cannot.
	CreateUser(ctx context.Context, u User, invite *OneTimeToken) error

	FindOrganization(ctx context.Context, orgID string) (Organization, error)
	FindSubscription(ctx context.Context, orgID string) (Subscription, error)
	FindUserByID(ctx context.Context, orgID, userID string) (User, error)
	FindUserByEmail(ctx context.Context, email string) (User, error)

	// SaveUser writes a change to one user, and everything that moves with it,
	// in one transaction: the seat and admin counters (seat_limit_reached,
	// last_admin), the user's search and team entries, and one-time links.
	// A user changed by someone else since Before was read is a conflict.
	SaveUser(ctx context.Context, c UserChange) error
	// FindUsers returns a page of users in name order, and where the next page
	// starts ("" after the last).
	FindUsers(ctx context.Context, orgID string, q UserQuery) ([]User, string, error)
	// FindSeatCounts returns the organization's user counts by status, its admins
	// and its seats.
	FindUserCounts(ctx context.Context, orgID string) (UserCounts, error)
	FindToken(ctx context.Context, hash string) (OneTimeToken, error)

	CreateTeam(ctx context.Context, t Team) error
	FindTeam(ctx context.Context, orgID, teamID string) (Team, error)
	FindTeams(ctx context.Context, orgID string) ([]Team, error)

	// Hit counts one more request under scope and key in a window and returns
	// the count so far; the record may be forgotten after expires.
	Hit(ctx context.Context, scope, key string, window int64, expires time.Time) (int, error)

	// CreateSession stores s and records the user's sign-in time, at once; a
	// giveBack attempt is taken off its count in the same transaction.
	CreateSession(ctx context.Context, s Session, giveBack *Attempt) error
	FindSession(ctx context.Context, tokenHash string) (Session, error)
	// TouchSession moves a session's last-seen time forward (idle expiry).
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	// DeleteSession revokes one session; deleting a missing one is not an error.
	DeleteSession(ctx context.Context, tokenHash string) error
}

// Attempt is one request counted under a rate limit.
type Attempt struct {
	Scope  string
	Key    string
	Window int64
}

// UserChange is a change to one user. Before is the user as read (zero for a
// new user); After is what it becomes.
type UserChange struct {
	Before User
	After  User
	// PutToken stores a new one-time link.
	PutToken *OneTimeToken
	// DropTokens are hashes of links that stop working (replaced ones).
	DropTokens []string
	// UseToken is the hash of the link being used: it must still exist, and is
	// deleted, so a link works once (invalid_token otherwise).
	UseToken string
}

// UserQuery selects a page of users.
type UserQuery struct {
	// Status is active, invited, inactive, admins or all.
	Status string
	// TeamID limits the page to a team's members when not empty.
	TeamID string
	// Prefix limits the page to users whose first name, last name or email
	// starts with it (lower-cased) when not empty.
	Prefix string
	Limit  int
	// After is where the page starts: the store's opaque position from the
	// previous page.
	After string
}

// UserCounts are an organization's users by status, its admins and seats.
type UserCounts struct {
	Active     int
	Invited    int
	Inactive   int
	Admins     int
	SeatsUsed  int
	SeatsTotal int
}

// All is the number of users in every status.
func (c UserCounts) All() int { return c.Active + c.Invited + c.Inactive }

// Clock tells the time; tests inject a fixed or moving one.
type Clock func() time.Time
