package domain

import "time"

// Session is a signed-in browser or client. Only the token's hash is stored.
type Session struct {
	TokenHash string
	OrgID     string
	UserID    string
	// UserVersion is the user's SessionVersion when the session began; a later
	// version means the session was ended (password set, deactivation, ...).
	UserVersion int
	CreatedAt   time.Time
	LastSeenAt  time.Time
	ExpiresAt   time.Time
}

// Principal is who is making a request: the session and the user as they are now.
// The organization of every request comes from here and nowhere else.
type Principal struct {
	Session Session
	User    User
	// Source is the address the request came from, for the audit log.
	Source string
}

// OrgID is the organization the request acts in.
func (p *Principal) OrgID() string { return p.Session.OrgID }

// Token purposes for one-time links.
const (
	PurposeInvite = "invite"
	PurposeReset  = "reset"
)

// OneTimeToken is a stored invite or reset link; only its hash is kept.
type OneTimeToken struct {
	Hash      string
	Purpose   string
	OrgID     string
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
}
