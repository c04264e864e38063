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

	// CreateSession stores s and records the user's sign-in time, at once.
	CreateSession(ctx context.Context, s Session) error
	FindSession(ctx context.Context, tokenHash string) (Session, error)
	// TouchSession moves a session's last-seen time forward (idle expiry).
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	// DeleteSession revokes one session; deleting a missing one is not an error.
	DeleteSession(ctx context.Context, tokenHash string) error

	// FailedLogins counts failed sign-ins recorded under key in a window.
	FailedLogins(ctx context.Context, key string, window int64) (int, error)
	// AddFailedLogin counts one more failed sign-in under key in a window; the
	// record may be forgotten after expires.
	AddFailedLogin(ctx context.Context, key string, window int64, expires time.Time) error
}

// Clock tells the time; tests inject a fixed or moving one.
type Clock func() time.Time
