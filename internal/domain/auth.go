package domain

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"proportal/internal/password"
)

// AuthConfig sets session lifetimes and the sign-in rate limits.
type AuthConfig struct {
	// IdleTimeout ends a session nobody used for this long.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends every session this long after sign-in, used or not.
	AbsoluteTimeout time.Duration
	// MaxFailedLogins is how many failed sign-ins an email may have from one
	// source address per FailedLoginWindow; MaxFailedLoginsPerSource how many
	// one source address may have, whatever the emails; MaxFailedLoginsPerAccount
	// how many an email may have from every source together, a ceiling against
	// guessing one account's password from many addresses. Every attempt is
	// counted before the password is checked, so attempts made at once cannot
	// pass a limit; a successful one is taken off again.
	MaxFailedLogins           int
	MaxFailedLoginsPerSource  int
	MaxFailedLoginsPerAccount int
	FailedLoginWindow         time.Duration
}

// DefaultAuthConfig suits an admin portal: 30 minutes idle, 12 hours at most;
// in each 15 minutes, 10 failed sign-ins per email and source address, 30 per
// source address and 100 per email.
var DefaultAuthConfig = AuthConfig{
	IdleTimeout:               30 * time.Minute,
	AbsoluteTimeout:           12 * time.Hour,
	MaxFailedLogins:           10,
	MaxFailedLoginsPerSource:  30,
	MaxFailedLoginsPerAccount: 100,
	FailedLoginWindow:         15 * time.Minute,
}

// Rate-limit scopes of failed sign-ins: per email and source address, per
// source address, per email.
const (
	LoginScope        = "login"
	LoginSourceScope  = "login-source"
	LoginAccountScope = "login-account"
)

// LoginLimitKey is the key of the failed sign-ins of an email from a source
// address (LoginScope); the email alone is the key of LoginAccountScope.
func LoginLimitKey(email, source string) string {
	return HashToken("login:" + email + "\x00" + source)
}

// nobody is an organization and user id that is never issued (NewID uses
// base32's lower-case letters and digits 2 to 7): sign-in reads it for an
// unknown email.
const nobody = "00000000000000000000000000"

// touchEvery limits last-seen writes to one per session per minute.
const touchEvery = time.Minute

// maxPasswordLength bounds what is hashed; longer input cannot be a password here.
const maxPasswordLength = 256

// SessionStore is the persistence sign-in needs.
type SessionStore interface {
	FindUserByID(ctx context.Context, orgID, userID string) (User, error)
	FindUserByEmail(ctx context.Context, email string) (User, error)
	// Hit counts one more request under scope and key in a window and returns
	// the count so far; the record may be forgotten after expires.
	Hit(ctx context.Context, scope, key string, window int64, expires time.Time) (int, error)
	// CreateSession stores s and records the user's sign-in time, at once; the
	// giveBack attempts are taken off their counts in the same transaction.
	CreateSession(ctx context.Context, s Session, giveBack []Attempt) error
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

// Auth signs people in and out and resolves a session token to a Principal.
type Auth struct {
	store  SessionStore
	cfg    AuthConfig
	now    Clock
	log    *slog.Logger
	logins LoginRecorder
}

// LoginRecorder records a sign-in as activity (Ingest.RecordLogin).
type LoginRecorder interface {
	RecordLogin(ctx context.Context, u User, sessionHash string, at time.Time) error
}

// RecordLogins makes every sign-in a login event, recorded by r. A sign-in
// whose recording fails still succeeds: the failure is logged.
func (a *Auth) RecordLogins(r LoginRecorder) { a.logins = r }

// NewAuth returns the sign-in service.
func NewAuth(store SessionStore, cfg AuthConfig, now Clock, log *slog.Logger) *Auth {
	return &Auth{store: store, cfg: cfg, now: now, log: log}
}

// Login is a successful sign-in: the token goes to the client and is never stored.
type Login struct {
	Token     string
	ExpiresAt time.Time
	User      User
}

// Credentials are what a person types to sign in, and where from.
type Credentials struct {
	Email    string
	Password string
	// Source is the address the request came from, for the rate limits.
	Source string
}

func (c *Credentials) validate() error {
	p := Problems{}
	email, problem := EmailProblem(c.Email)
	switch {
	case c.Email == "":
		p.Add("email", "is required")
	case problem != "":
		p.Add("email", problem)
	}
	c.Email = email
	switch {
	case c.Password == "":
		p.Add("password", "is required")
	case len(c.Password) > maxPasswordLength:
		p.Add("password", "must be at most 256 characters")
	}
	return p.Err()
}

var errInvalidCredentials = Errorf(CodeInvalidCredentials, "The email or password is incorrect.")

// Login checks credentials and starts a session. An unknown email, a wrong
// password and an account that may not sign in all answer invalid_credentials
// after the same reads and the same amount of hashing work. Failures count
// toward limits per source address, per email and source, and per email (see
// docs/decisions.md): an attacker elsewhere cannot lock the owner out.
func (a *Auth) Login(ctx context.Context, c Credentials) (Login, error) {
	if err := c.validate(); err != nil {
		return Login{}, err
	}
	now := a.now()
	attempts, err := a.countAttempt(ctx, c, now)
	if err != nil {
		return Login{}, err
	}

	user, err := a.store.FindUserByEmail(ctx, c.Email)
	if ErrorCode(err) == CodeNotFound {
		// A known email costs two reads (its email item, then the user); an
		// unknown one reads a user that never exists, so both take as long.
		if _, ferr := a.store.FindUserByID(ctx, nobody, nobody); ferr != nil && ErrorCode(ferr) != CodeNotFound {
			return Login{}, fmt.Errorf("login: %w", ferr)
		}
	}
	if err != nil && ErrorCode(err) != CodeNotFound {
		return Login{}, fmt.Errorf("login: %w", err)
	}
	if !a.passwordMatches(ctx, &user, err == nil, c.Password) {
		return Login{}, errInvalidCredentials
	}

	token, hash := NewToken()
	s := Session{
		TokenHash:   hash,
		OrgID:       user.OrgID,
		UserID:      user.ID,
		UserVersion: user.SessionVersion,
		CreatedAt:   now,
		LastSeenAt:  now,
		ExpiresAt:   now.Add(a.cfg.AbsoluteTimeout),
	}
	if err := a.store.CreateSession(ctx, s, attempts); err != nil {
		return Login{}, fmt.Errorf("login: %w", err)
	}
	if a.logins != nil {
		if err := a.logins.RecordLogin(ctx, user, hash, now); err != nil {
			a.log.ErrorContext(ctx, "sign-in not recorded as activity", "orgId", user.OrgID, "userId", user.ID, "error", err)
		}
	}
	user.LastLoginAt = now
	return Login{Token: token, ExpiresAt: s.ExpiresAt, User: user}, nil
}

// countAttempt counts a sign-in under each limit (countUnder), the source
// address's first. It returns the attempts counted, to be taken off again if
// the sign-in succeeds.
func (a *Auth) countAttempt(ctx context.Context, c Credentials, now time.Time) ([]Attempt, error) {
	n, ends := window(a.cfg.FailedLoginWindow, now)
	tooMany := "Too many failed sign-ins for this email. Try again in a few minutes or reset your password."
	counted, err := countUnder(ctx, a.store, ends, []limit{
		{Attempt{LoginSourceScope, HashToken("login-source:" + c.Source), n}, a.cfg.MaxFailedLoginsPerSource,
			"Too many failed sign-ins from your network. Try again in a few minutes."},
		{Attempt{LoginScope, LoginLimitKey(c.Email, c.Source), n}, a.cfg.MaxFailedLogins, tooMany},
		{Attempt{LoginAccountScope, HashToken("login:" + c.Email), n}, a.cfg.MaxFailedLoginsPerAccount, tooMany},
	})
	if err != nil && ErrorCode(err) != CodeRateLimited {
		return nil, fmt.Errorf("login: %w", err)
	}
	return counted, err
}

// passwordMatches always runs one argon2id verification, whether or not the
// user exists or may sign in, so the answer's timing reveals nothing.
func (a *Auth) passwordMatches(ctx context.Context, u *User, found bool, pw string) bool {
	if !found || u.PasswordHash == "" || !u.CanSignIn() {
		password.VerifyNothing(pw)
		return false
	}
	ok, err := password.Verify(pw, u.PasswordHash)
	if err != nil {
		a.log.ErrorContext(ctx, "stored password hash is malformed", "orgId", u.OrgID, "userId", u.ID)
		return false
	}
	return ok
}

var errUnauthorized = Errorf(CodeUnauthorized, "Sign in to continue.")

// Authenticate resolves a session token to the principal behind it, with the
// user's rights as they are now. Expired, revoked and unknown tokens all answer
// unauthorized.
func (a *Auth) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if !ValidTokenShape(token) {
		return nil, errUnauthorized
	}
	hash := HashToken(token)
	s, err := a.store.FindSession(ctx, hash)
	if ErrorCode(err) == CodeNotFound {
		return nil, errUnauthorized
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	now := a.now()
	if !now.Before(s.ExpiresAt) || now.Sub(s.LastSeenAt) >= a.cfg.IdleTimeout {
		if err := a.store.DeleteSession(ctx, hash); err != nil {
			return nil, fmt.Errorf("authenticate: end expired session: %w", err)
		}
		return nil, errUnauthorized
	}
	u, err := a.store.FindUserByID(ctx, s.OrgID, s.UserID)
	if ErrorCode(err) == CodeNotFound {
		return nil, errUnauthorized
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if u.SessionVersion != s.UserVersion || !u.CanSignIn() {
		return nil, errUnauthorized
	}
	if now.Sub(s.LastSeenAt) >= touchEvery {
		if err := a.store.TouchSession(ctx, hash, now); err != nil {
			return nil, fmt.Errorf("authenticate: %w", err)
		}
		s.LastSeenAt = now
	}
	return &Principal{Session: s, User: u}, nil
}

// Logout ends the session of token at once. An unknown or malformed token is
// already signed out.
func (a *Auth) Logout(ctx context.Context, token string) error {
	if !ValidTokenShape(token) {
		return nil
	}
	if err := a.store.DeleteSession(ctx, HashToken(token)); err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	return nil
}
