package domain

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// User statuses.
const (
	// StatusInvited: invited, has not created a password yet.
	StatusInvited = "invited"
	// StatusActive: can sign in; holds a seat, admin rights or both.
	StatusActive = "active"
	// StatusInactive: deactivated; no seat and no admin rights. History is kept.
	StatusInactive = "inactive"
)

// Access choices when inviting someone.
const (
	// AccessSubscription gives a learner seat.
	AccessSubscription = "subscription"
	// AccessAdmin gives portal admin rights and uses no seat.
	AccessAdmin = "admin"
	// AccessBoth gives a seat and admin rights.
	AccessBoth = "both"
)

// User is a person in an organization.
type User struct {
	ID        string
	OrgID     string
	FirstName string
	LastName  string
	// Email is normalized (see NormalizeEmail) and unique across the platform.
	Email  string
	Status string
	Seat   bool
	Admin  bool
	// PasswordHash is an argon2id PHC string; empty until the password is created.
	PasswordHash string
	// SessionVersion is stamped on every session at sign-in; raising it ends them all at once.
	SessionVersion int
	TeamIDs        []string
	CreatedAt      time.Time
	LastLoginAt    time.Time
	// InviteTokenHash and ResetTokenHash are the hashes of the user's one
	// outstanding invite and reset link; a link whose hash is not here any more
	// was replaced and no longer works.
	InviteTokenHash string
	ResetTokenHash  string
	// Revision counts the saved changes; a save of a user read at an older
	// revision is refused, so concurrent changes cannot overwrite each other.
	Revision int
}

// settle derives the status from the seat, admin rights and password: no seat
// and no admin rights is inactive; otherwise invited until a password exists.
// Becoming inactive ends every session.
func (u *User) settle() {
	was := u.Status
	switch {
	case !u.Seat && !u.Admin:
		u.Status = StatusInactive
	case u.PasswordHash == "":
		u.Status = StatusInvited
	default:
		u.Status = StatusActive
	}
	if u.Status == StatusInactive && was != StatusInactive {
		u.SessionVersion++
	}
}

// FullName is first and last name.
func (u *User) FullName() string { return u.FirstName + " " + u.LastName }

// InTeam reports whether the user is a member of a team.
func (u *User) InTeam(teamID string) bool {
	for _, t := range u.TeamIDs {
		if t == teamID {
			return true
		}
	}
	return false
}

// CanSignIn reports whether the user may hold a session.
func (u *User) CanSignIn() bool {
	return u.Status == StatusActive && (u.Seat || u.Admin)
}

// NewUser is the input for creating a person: an invite, or the operator's first admin.
type NewUser struct {
	FirstName string
	LastName  string
	Email     string
	Access    string
}

// Limits on user input.
const (
	maxNameLength  = 100
	maxEmailLength = 254
)

// validateInto normalizes n and records its problems in p, naming fields with prefix.
func (n *NewUser) validateInto(p Problems, prefix string) {
	n.FirstName = strings.TrimSpace(n.FirstName)
	n.LastName = strings.TrimSpace(n.LastName)
	checkName(p, prefix+"firstName", n.FirstName)
	checkName(p, prefix+"lastName", n.LastName)
	email, ok := NormalizeEmail(n.Email)
	if !ok {
		p.Add(prefix+"email", "must be an email address like name@company.com")
	}
	n.Email = email
	switch n.Access {
	case AccessSubscription, AccessAdmin, AccessBoth:
	default:
		p.Add(prefix+"access", `must be "subscription", "admin" or "both"`)
	}
}

func checkName(p Problems, field, name string) {
	switch {
	case name == "":
		p.Add(field, "is required")
	case utf8.RuneCountInString(name) > maxNameLength:
		p.Add(field, "must be at most 100 characters")
	case strings.ContainsFunc(name, unicode.IsControl):
		p.Add(field, "must not contain control characters")
	}
}

// NormalizeEmail trims and lower-cases an address and reports whether it is a
// plain address (no display name, no control characters) of sensible length.
// Addresses are compared case-insensitively everywhere, so they are stored normalized.
func NormalizeEmail(raw string) (string, bool) {
	email := strings.ToLower(strings.TrimSpace(raw))
	if email == "" || len(email) > maxEmailLength || strings.ContainsFunc(email, unicode.IsControl) {
		return email, false
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return email, false
	}
	at := strings.LastIndexByte(email, '@')
	if at < 1 || !strings.Contains(email[at+1:], ".") {
		return email, false
	}
	return email, true
}

// SortName is the key users are listed by: last name, then first name, case-insensitively.
func (u *User) SortName() string {
	return strings.ToLower(u.LastName) + "\x1f" + strings.ToLower(u.FirstName)
}
