package domain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"proportal/internal/password"
)

// UsersConfig sets link lifetimes and the forgot-password limits.
type UsersConfig struct {
	// InviteTTL is how long an invite link works (72 hours by default).
	InviteTTL time.Duration
	// ResetTTL is how long a password-reset link works (15 minutes).
	ResetTTL time.Duration
	// ForgotPasswordFloor is the least time a forgot-password request takes,
	// so that a known email (which sends mail) and an unknown one answer alike.
	ForgotPasswordFloor time.Duration
	// ForgotPerEmail and ForgotPerSource limit forgot-password requests per
	// email and per source IP in each ForgotWindow.
	ForgotPerEmail  int
	ForgotPerSource int
	ForgotWindow    time.Duration
}

// DefaultUsersConfig is the configuration the product ships with.
var DefaultUsersConfig = UsersConfig{
	InviteTTL:           InviteTTL,
	ResetTTL:            15 * time.Minute,
	ForgotPasswordFloor: 400 * time.Millisecond,
	ForgotPerEmail:      5,
	ForgotPerSource:     30,
	ForgotWindow:        15 * time.Minute,
}

// Users is everything a seat admin does to people, and the password links.
type Users struct {
	store   Store
	mailer  Mailer
	links   Links
	cursors Cursors
	cfg     UsersConfig
	now     Clock
	// sleep waits; tests may shorten it.
	sleep func(time.Duration)
}

// NewUsers returns the users service.
func NewUsers(store Store, mailer Mailer, links Links, cursors Cursors, cfg UsersConfig, now Clock) *Users {
	return &Users{store: store, mailer: mailer, links: links, cursors: cursors, cfg: cfg, now: now, sleep: time.Sleep}
}

// Invite is an admin's invitation of a person.
type Invite struct {
	NewUser
	// TeamID optionally puts the person in a team.
	TeamID string
}

// Invited is the outcome of an invite: the user, and whether they are new.
type Invited struct {
	User    User
	Created bool
}

// errMailFailed says that a change was saved but its mail was not sent.
func errMailFailed(what string) error {
	return Errorf(CodeMailFailed, "%s, but the mail could not be sent. Try sending it again in a moment.", what)
}

// Invite invites a new person, or gives a person already in the organization
// the access asked for. A new person is invited (and takes a seat at once with
// learner access) and mailed a link to create a password.
func (s *Users) Invite(ctx context.Context, p *Principal, in Invite) (Invited, error) {
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
		u, err := s.addAccess(ctx, p, existing, seat, admin, in.TeamID)
		return Invited{User: u}, err
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
	token, link := s.newLink(u, PurposeInvite, now)
	u.InviteTokenHash = link.Hash
	if err := s.store.SaveUser(ctx, UserChange{After: u, PutToken: &link}); err != nil {
		return Invited{}, s.explain(ctx, p.OrgID(), err)
	}
	u.Revision = 1
	if err := s.sendLink(ctx, p, u, "invite", token, link.ExpiresAt); err != nil {
		return Invited{User: u, Created: true}, err
	}
	return Invited{User: u, Created: true}, nil
}

// addAccess gives someone already in the organization the access asked for.
// Someone who was inactive and has no password yet gets a new invite link.
func (s *Users) addAccess(ctx context.Context, p *Principal, u User, seat, admin bool, teamID string) (User, error) {
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
		var link OneTimeToken
		token, link = s.newLink(after, PurposeInvite, s.now())
		change.After.InviteTokenHash, change.PutToken = link.Hash, &link
		change.DropTokens = nonEmpty(u.InviteTokenHash)
	}
	if sameAccess(u, change.After) && !reinvited {
		return u, nil
	}
	saved, err := s.save(ctx, p.OrgID(), change)
	if err != nil {
		return User{}, err
	}
	if reinvited {
		return saved, s.sendLink(ctx, p, saved, "invite", token, change.PutToken.ExpiresAt)
	}
	return saved, nil
}

func sameAccess(a, b User) bool {
	return a.Seat == b.Seat && a.Admin == b.Admin && a.Status == b.Status && len(a.TeamIDs) == len(b.TeamIDs)
}

func nonEmpty(hashes ...string) []string {
	var out []string
	for _, h := range hashes {
		if h != "" {
			out = append(out, h)
		}
	}
	return out
}

// Get returns one user of the principal's organization.
func (s *Users) Get(ctx context.Context, p *Principal, userID string) (User, error) {
	if !ValidID(userID) {
		return User{}, NotFound("user")
	}
	u, err := s.store.FindUserByID(ctx, p.OrgID(), userID)
	if err != nil {
		return User{}, fmt.Errorf("get user: %w", err)
	}
	return u, nil
}

// Deactivate takes back a user's seat. Someone without admin rights becomes
// inactive and is signed out everywhere; history is kept. Deactivating
// someone without a seat changes nothing.
func (s *Users) Deactivate(ctx context.Context, p *Principal, userID string) (User, error) {
	return s.change(ctx, p, userID, func(u *User) { u.Seat = false })
}

// Activate gives a user a seat again (seat_limit_reached when none is free).
func (s *Users) Activate(ctx context.Context, p *Principal, userID string) (User, error) {
	return s.change(ctx, p, userID, func(u *User) { u.Seat = true })
}

// GrantAdmin gives a user admin rights; the seat is untouched.
func (s *Users) GrantAdmin(ctx context.Context, p *Principal, userID string) (User, error) {
	return s.change(ctx, p, userID, func(u *User) { u.Admin = true })
}

// RevokeAdmin removes a user's admin rights; the seat is untouched. The last
// admin of an organization keeps them (last_admin). Open sessions lose their
// admin powers with their next request.
func (s *Users) RevokeAdmin(ctx context.Context, p *Principal, userID string) (User, error) {
	return s.change(ctx, p, userID, func(u *User) { u.Admin = false })
}

// change applies edit to a user and saves it, unless it changes nothing.
func (s *Users) change(ctx context.Context, p *Principal, userID string, edit func(*User)) (User, error) {
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
	return s.save(ctx, p.OrgID(), UserChange{Before: u, After: after})
}

// save writes a change and returns the user as saved.
func (s *Users) save(ctx context.Context, orgID string, c UserChange) (User, error) {
	if err := s.store.SaveUser(ctx, c); err != nil {
		return User{}, s.explain(ctx, orgID, err)
	}
	c.After.Revision = c.Before.Revision + 1
	return c.After, nil
}

// explain gives a refused seat the figures an admin needs to act on it.
func (s *Users) explain(ctx context.Context, orgID string, err error) error {
	if ErrorCode(err) != CodeSeatLimitReached {
		return err
	}
	counts, cerr := s.store.FindUserCounts(ctx, orgID)
	if cerr != nil {
		return err
	}
	return Errorf(CodeSeatLimitReached, "No seats left: %d of %d are in use. Deactivate someone or add seats.", counts.SeatsUsed, counts.SeatsTotal)
}

// SendReset mails a user a 15-minute password-reset link at an admin's
// request; an older unused reset link stops working.
func (s *Users) SendReset(ctx context.Context, p *Principal, userID string) error {
	u, err := s.Get(ctx, p, userID)
	if err != nil {
		return err
	}
	if u.Status == StatusInactive {
		return Errorf(CodeConflict, "%s is inactive. Activate their subscription or give admin rights first.", u.FullName())
	}
	token, expires, err := s.issueReset(ctx, u)
	if err != nil {
		return err
	}
	return s.sendLink(ctx, p, u, "reset", token, expires)
}

// ResendInvite mails an invited user a new invite link; the old one stops working.
func (s *Users) ResendInvite(ctx context.Context, p *Principal, userID string) error {
	u, err := s.Get(ctx, p, userID)
	if err != nil {
		return err
	}
	if u.Status != StatusInvited {
		return Errorf(CodeConflict, "%s is %s, not invited: there is no invite to send again.", u.FullName(), u.Status)
	}
	after := u
	token, link := s.newLink(u, PurposeInvite, s.now())
	after.InviteTokenHash = link.Hash
	saved, err := s.save(ctx, p.OrgID(), UserChange{Before: u, After: after, PutToken: &link, DropTokens: nonEmpty(u.InviteTokenHash)})
	if err != nil {
		return err
	}
	return s.sendLink(ctx, p, saved, "invite", token, link.ExpiresAt)
}

// ForgotPassword mails a 15-minute reset link to an invited or active person
// with this email, and does nothing for anyone else. It answers the same, in
// about the same time, either way; only the rate limits can refuse it.
func (s *Users) ForgotPassword(ctx context.Context, email, sourceIP string) error {
	start := time.Now()
	defer func() {
		if wait := s.cfg.ForgotPasswordFloor - time.Since(start); wait > 0 {
			s.sleep(wait)
		}
	}()
	normalized, ok := NormalizeEmail(email)
	if !ok {
		return Problems{"email": "must be an email address like name@company.com"}.Err()
	}
	now := s.now()
	window := now.Unix() / int64(s.cfg.ForgotWindow.Seconds())
	expires := time.Unix((window+1)*int64(s.cfg.ForgotWindow.Seconds()), 0)
	for _, limit := range []struct {
		scope, key string
		max        int
	}{
		{"forgot-source", sourceIP, s.cfg.ForgotPerSource},
		{"forgot-email", HashToken(normalized), s.cfg.ForgotPerEmail},
	} {
		n, err := s.store.Hit(ctx, limit.scope, limit.key, window, expires)
		if err != nil {
			return fmt.Errorf("forgot password: %w", err)
		}
		if n > limit.max {
			return Errorf(CodeRateLimited, "Too many requests. Wait a few minutes, then try again.")
		}
	}
	u, err := s.store.FindUserByEmail(ctx, normalized)
	if ErrorCode(err) == CodeNotFound {
		return nil
	}
	if err != nil {
		return fmt.Errorf("forgot password: %w", err)
	}
	if u.Status == StatusInactive {
		return nil
	}
	token, expiresAt, err := s.issueReset(ctx, u)
	if err != nil {
		return fmt.Errorf("forgot password: %w", err)
	}
	if err := s.sendLink(ctx, nil, u, "reset", token, expiresAt); err != nil {
		// The answer must not differ from an unknown email's: log, and answer alike.
		slog.ErrorContext(ctx, "forgot password: reset mail not sent", "orgId", u.OrgID, "userId", u.ID, "error", err)
	}
	return nil
}

// issueReset stores a new reset link for u, replacing any older one.
func (s *Users) issueReset(ctx context.Context, u User) (token string, expires time.Time, err error) {
	after := u
	token, link := s.newLink(u, PurposeReset, s.now())
	after.ResetTokenHash = link.Hash
	if _, err := s.save(ctx, u.OrgID, UserChange{Before: u, After: after, PutToken: &link, DropTokens: nonEmpty(u.ResetTokenHash)}); err != nil {
		return "", time.Time{}, err
	}
	return token, link.ExpiresAt, nil
}

// SetPassword completes an invite or a reset: it sets the password from a
// one-time link, makes an invited user active, ends every session of the user
// and mails them that the password changed.
func (s *Users) SetPassword(ctx context.Context, token, newPassword string) error {
	invalid := Errorf(CodeInvalidToken, "This link does not work any more: it was used or replaced by a newer one. Ask for a new link.")
	if !ValidTokenShape(token) {
		return invalid
	}
	hash := HashToken(token)
	link, err := s.store.FindToken(ctx, hash)
	if ErrorCode(err) == CodeNotFound {
		return invalid
	}
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if !s.now().Before(link.ExpiresAt) {
		return Errorf(CodeTokenExpired, "This link has expired. Ask for a new one: use “Forgot password” on the sign-in page.")
	}
	u, err := s.store.FindUserByID(ctx, link.OrgID, link.UserID)
	if ErrorCode(err) == CodeNotFound {
		return invalid
	}
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	current := u.InviteTokenHash
	if link.Purpose == PurposeReset {
		current = u.ResetTokenHash
	}
	if current != hash || u.Status == StatusInactive {
		return invalid
	}
	if problem := password.Problem(newPassword); problem != "" {
		return Problems{"password": "Password " + problem + "."}.Err()
	}
	after := u
	after.PasswordHash = password.Hash(newPassword)
	after.InviteTokenHash, after.ResetTokenHash = "", ""
	after.SessionVersion++
	after.settle()
	// The other kind of link, if one is outstanding, stops working too.
	other := u.ResetTokenHash
	if link.Purpose == PurposeReset {
		other = u.InviteTokenHash
	}
	err = s.store.SaveUser(ctx, UserChange{Before: u, After: after, UseToken: hash, DropTokens: nonEmpty(other)})
	if err != nil {
		if ErrorCode(err) == CodeInvalidToken || ErrorCode(err) == CodeConflict {
			return invalid
		}
		return fmt.Errorf("set password: %w", err)
	}
	if err := s.sendLink(ctx, nil, after, "changed", "", time.Time{}); err != nil {
		// The password is set either way; the notice is a courtesy.
		slog.ErrorContext(ctx, "set password: notice not sent", "orgId", u.OrgID, "userId", u.ID, "error", err)
	}
	return nil
}

// newLink makes a one-time link for u.
func (s *Users) newLink(u User, purpose string, now time.Time) (string, OneTimeToken) {
	ttl := s.cfg.InviteTTL
	if purpose == PurposeReset {
		ttl = s.cfg.ResetTTL
	}
	token, hash := NewToken()
	return token, OneTimeToken{Hash: hash, Purpose: purpose, OrgID: u.OrgID, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
}

// sendLink mails u the kind of mail ("invite", "reset", "changed"); by is the
// admin who caused it, or nil. A refused send is mail_failed.
func (s *Users) sendLink(ctx context.Context, by *Principal, u User, kind, token string, expires time.Time) error {
	org, err := s.store.FindOrganization(ctx, u.OrgID)
	if err != nil {
		return fmt.Errorf("mail %s: %w", kind, err)
	}
	d := mailData{Organization: org.Name, SignIn: s.links.SignIn()}
	if by != nil {
		d.InvitedBy = by.User.FullName()
	}
	if token != "" {
		d.Link, d.Expires = s.links.SetPassword(token), formatExpiry(expires)
	}
	m, err := renderMail(kind, u, d)
	if err != nil {
		return err
	}
	if err := s.mailer.Send(ctx, m); err != nil {
		slog.ErrorContext(ctx, "mail not sent", "kind", kind, "orgId", u.OrgID, "userId", u.ID, "error", err)
		what := map[string]string{"invite": "The invite was saved", "reset": "The reset link was made", "changed": "The password was changed"}[kind]
		return errors.Join(errMailFailed(what), err)
	}
	return nil
}

// Activity is what is known of one user's learning and sign-ins. Viewings,
// labs and assignments fill in with the activity and assignments issues.
type Activity struct {
	User  User
	Teams []Team
	// Logins are sign-in times, newest first.
	Logins []time.Time
}

// Activity returns a user's activity, as far as it is recorded.
func (s *Users) Activity(ctx context.Context, p *Principal, userID string) (Activity, error) {
	u, err := s.Get(ctx, p, userID)
	if err != nil {
		return Activity{}, err
	}
	teams, err := s.store.FindTeams(ctx, p.OrgID())
	if err != nil {
		return Activity{}, fmt.Errorf("activity: %w", err)
	}
	a := Activity{User: u, Teams: []Team{}, Logins: []time.Time{}}
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
