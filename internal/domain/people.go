package domain

import (
	"context"
	"fmt"
	"time"
)

// PeopleStore is the persistence the people service needs.
type PeopleStore interface {
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
	// FindUserCounts returns the organization's user counts by status, its
	// admins and its seats.
	FindUserCounts(ctx context.Context, orgID string) (UserCounts, error)
	FindTeam(ctx context.Context, orgID, teamID string) (Team, error)
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
	// Audit is the record of the change, written in the same transaction
	// (nil: a change nobody asked for, e.g. a sign-in's bookkeeping).
	Audit *AuditEntry
	// MoreAudit are further entries of the same action, written in the same
	// transaction (a team's members_changed beside its member's entry).
	MoreAudit []AuditEntry
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

// People is what a seat admin does to the people of the organization:
// invitations, seats and admin rights, and the user list.
type People struct {
	store     PeopleStore
	passwords *Passwords
	cursors   Cursors
	now       Clock
}

// NewPeople returns the people service; invite links are made and mailed by
// passwords.
func NewPeople(store PeopleStore, passwords *Passwords, cursors Cursors, now Clock) *People {
	return &People{store: store, passwords: passwords, cursors: cursors, now: now}
}

// Invite is an admin's invitation of a person.
type Invite struct {
	NewUser
	// TeamID optionally puts the person in a team.
	TeamID string
}

// Invited is the outcome of an invite: the user, whether they are new, and
// whether anything changed (false when the person already had that access).
type Invited struct {
	User    User
	Created bool
	Changed bool
}

// Invite invites a new person, or gives a person already in the organization
// the access asked for. A new person is invited (and takes a seat at once with
// learner access) and mailed a link to create a password.
func (s *People) Invite(ctx context.Context, p *Principal, in Invite) (Invited, error) {
	probs := Problems{}
	in.validateInto(probs, "")
	if in.TeamID != "" && !ValidID(in.TeamID) {
		probs.Add("teamId", "is not a team id")
	}
	if err := probs.Err(); err != nil {
		return Invited{}, err
	}
	if in.TeamID != "" {
		if _, err := s.store.FindTeam(ctx, p.OrgID(), in.TeamID); err != nil {
			return Invited{}, fmt.Errorf("invite: %w", err)
		}
	}
	seat := in.Access == AccessSubscription || in.Access == AccessBoth
	admin := in.Access == AccessAdmin || in.Access == AccessBoth

	existing, err := s.store.FindUserByEmail(ctx, in.Email)
	switch {
	case err == nil && existing.OrgID != p.OrgID():
		return Invited{}, Errorf(CodeEmailInUse, "%s already has an account with another organization.", in.Email)
	case err == nil:
		u, changed, err := s.addAccess(ctx, p, existing, seat, admin, in.TeamID)
		return Invited{User: u, Changed: changed}, err
	case ErrorCode(err) != CodeNotFound:
		return Invited{}, fmt.Errorf("invite: %w", err)
	}

	now := s.now()
	u := User{
		ID: NewID(), OrgID: p.OrgID(), FirstName: in.FirstName, LastName: in.LastName, Email: in.Email,
		Seat: seat, Admin: admin, CreatedAt: now,
	}
	if in.TeamID != "" {
		u.TeamIDs = []string{in.TeamID}
	}
	u.settle()
	token, link := s.passwords.newLink(u, PurposeInvite, now)
	u.InviteTokenHash = link.Hash
	change := UserChange{After: u, PutToken: &link}
	change.audit(p, AuditUserInvited, now)
	if err := s.store.SaveUser(ctx, change); err != nil {
		return Invited{}, s.explain(ctx, p.OrgID(), err)
	}
	u.Revision = 1
	if err := s.passwords.sendLink(ctx, p, u, "invite", token, link.ExpiresAt); err != nil {
		return Invited{User: u, Created: true, Changed: true}, err
	}
	return Invited{User: u, Created: true, Changed: true}, nil
}

// addAccess gives someone already in the organization the access asked for.
// Someone who was inactive and has no password yet gets a new invite link.
// It reports whether anything changed.
func (s *People) addAccess(ctx context.Context, p *Principal, u User, seat, admin bool, teamID string) (User, bool, error) {
	after := u
	after.Seat = u.Seat || seat
	after.Admin = u.Admin || admin
	if teamID != "" && !u.InTeam(teamID) {
		after.TeamIDs = append(append([]string(nil), u.TeamIDs...), teamID)
	}
	after.settle()
	change := UserChange{Before: u, After: after}
	var token string
	reinvited := u.Status == StatusInactive && after.Status == StatusInvited
	if reinvited {
		token = s.freshInvite(&change)
	}
	if sameAccess(u, change.After) && !reinvited {
		return u, false, nil
	}
	change.audit(p, AuditUserAccessAdded, s.now())
	saved, err := s.save(ctx, p.OrgID(), change)
	if err != nil {
		return User{}, false, err
	}
	if reinvited {
		return saved, true, s.passwords.sendLink(ctx, p, saved, "invite", token, change.PutToken.ExpiresAt)
	}
	return saved, true, nil
}

func sameAccess(a, b User) bool {
	return a.Seat == b.Seat && a.Admin == b.Admin && a.Status == b.Status && len(a.TeamIDs) == len(b.TeamIDs)
}

// Get returns one user of the principal's organization.
func (s *People) Get(ctx context.Context, p *Principal, userID string) (User, error) {
	return findUser(ctx, s.store, p, userID)
}

// Deactivate takes back a user's seat. Someone without admin rights becomes
// inactive and is signed out everywhere; history is kept. Deactivating
// someone without a seat changes nothing.
func (s *People) Deactivate(ctx context.Context, p *Principal, userID string) (User, error) {
	return s.change(ctx, p, userID, AuditUserDeactivated, func(u *User) { u.Seat = false })
}

// Activate gives a user a seat again (seat_limit_reached when none is free).
//
// Someone who never set a password (invited after activation) gets a fresh
// invite link in the same save, and the invite mail: a seat they cannot reach
// would be taken for nothing.
func (s *People) Activate(ctx context.Context, p *Principal, userID string) (User, error) {
	u, err := s.Get(ctx, p, userID)
	if err != nil {
		return User{}, err
	}
	after := u
	after.Seat = true
	after.settle()
	if after.Seat == u.Seat {
		return u, nil
	}
	change := UserChange{Before: u, After: after}
	change.audit(p, AuditUserActivated, s.now())
	if after.Status != StatusInvited {
		return s.save(ctx, p.OrgID(), change)
	}
	token := s.freshInvite(&change)
	saved, err := s.save(ctx, p.OrgID(), change)
	if err != nil {
		return User{}, err
	}
	return saved, s.passwords.sendLink(ctx, p, saved, "invite", token, change.PutToken.ExpiresAt)
}

// freshInvite gives change's user a new invite link in the same save, in
// place of any they had, and returns its token for the mail.
func (s *People) freshInvite(change *UserChange) string {
	token, link := s.passwords.newLink(change.After, PurposeInvite, s.now())
	change.After.InviteTokenHash, change.PutToken = link.Hash, &link
	change.DropTokens = nonEmpty(change.Before.InviteTokenHash)
	return token
}

// audit gives the change its audit entry: kind, made by p at now, to the
// person as they were (as they became, for a new one), with the fields that
// moved and the seat it took or freed. Call it once the change is complete.
func (c *UserChange) audit(p *Principal, kind string, now time.Time) {
	target := c.Before
	if target.ID == "" {
		target = c.After
	}
	e := NewAuditEntry(p, kind, UserTarget(target), now)
	e.Changes = UserChanges(c.Before, c.After)
	e.SeatDelta = SeatDelta(c.Before, c.After)
	c.Audit = &e
}

// self is the principal of a person acting on their own account without a
// session (a link from a mail, the sign-in page), for the audit log.
func self(u User, source string) *Principal {
	return &Principal{Session: Session{OrgID: u.OrgID, UserID: u.ID}, User: u, Source: source}
}

// GrantAdmin gives a user admin rights; the seat is untouched. The person is
// mailed that they have them (what this portal is, and where to sign in).
func (s *People) GrantAdmin(ctx context.Context, p *Principal, userID string) (User, error) {
	u, err := s.Get(ctx, p, userID)
	if err != nil || u.Admin {
		return u, err
	}
	after := u
	after.Admin = true
	after.settle()
	change := UserChange{Before: u, After: after}
	change.audit(p, AuditAdminGranted, s.now())
	saved, err := s.save(ctx, p.OrgID(), change)
	if err != nil {
		return User{}, err
	}
	return saved, s.passwords.sendLink(ctx, p, saved, "admin", "", time.Time{})
}

// RevokeAdmin removes a user's admin rights; the seat is untouched. The last
// admin of an organization keeps them (last_admin). Open sessions lose their
// admin powers with their next request.
func (s *People) RevokeAdmin(ctx context.Context, p *Principal, userID string) (User, error) {
	return s.change(ctx, p, userID, AuditAdminRemoved, func(u *User) { u.Admin = false })
}

// change applies edit to a user and saves it with an audit entry of kind,
// unless it changes nothing.
func (s *People) change(ctx context.Context, p *Principal, userID, kind string, edit func(*User)) (User, error) {
	u, err := s.Get(ctx, p, userID)
	if err != nil {
		return User{}, err
	}
	after := u
	edit(&after)
	after.settle()
	if after.Seat == u.Seat && after.Admin == u.Admin {
		return u, nil
	}
	change := UserChange{Before: u, After: after}
	if after.Status == StatusInactive {
		// Deactivation ends every outstanding link, so that giving access back
		// later does not bring an old invite or reset link back to life.
		change.After.InviteTokenHash, change.After.ResetTokenHash = "", ""
		change.DropTokens = nonEmpty(u.InviteTokenHash, u.ResetTokenHash)
	}
	change.audit(p, kind, s.now())
	return s.save(ctx, p.OrgID(), change)
}

// save writes a change and returns the user as saved, explaining a refused seat.
func (s *People) save(ctx context.Context, orgID string, c UserChange) (User, error) {
	u, err := saveUser(ctx, s.store, c)
	if err != nil {
		return User{}, s.explain(ctx, orgID, err)
	}
	return u, nil
}

// explain gives a refused seat the figures an admin needs to act on it.
func (s *People) explain(ctx context.Context, orgID string, err error) error {
	if ErrorCode(err) != CodeSeatLimitReached {
		return err
	}
	counts, cerr := s.store.FindUserCounts(ctx, orgID)
	if cerr != nil {
		return err
	}
	return Errorf(CodeSeatLimitReached, "No seats left: %d of %d are in use. Deactivate someone or add seats.", counts.SeatsUsed, counts.SeatsTotal)
}

// userFinder reads one user by id.
type userFinder interface {
	FindUserByID(ctx context.Context, orgID, userID string) (User, error)
}

// findUser returns one user of the principal's organization; an id of another
// organization, or no id at all, is not found.
func findUser(ctx context.Context, store userFinder, p *Principal, userID string) (User, error) {
	if !ValidID(userID) {
		return User{}, NotFound("user")
	}
	u, err := store.FindUserByID(ctx, p.OrgID(), userID)
	if err != nil {
		return User{}, fmt.Errorf("get user: %w", err)
	}
	return u, nil
}

// userSaver writes a change to one user.
type userSaver interface {
	SaveUser(ctx context.Context, c UserChange) error
}

// saveUser writes a change and returns the user as saved.
func saveUser(ctx context.Context, store userSaver, c UserChange) (User, error) {
	if err := store.SaveUser(ctx, c); err != nil {
		return User{}, err
	}
	c.After.Revision = c.Before.Revision + 1
	return c.After, nil
}
