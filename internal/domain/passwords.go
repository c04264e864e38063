package domain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"proportal/internal/password"
)

// PasswordsConfig sets link lifetimes and the forgot-password limits.
type PasswordsConfig struct {
	// InviteTTL is how long an invite link works.
	InviteTTL time.Duration
	// ResetTTL is how long a password-reset link works.
	ResetTTL time.Duration
	// ForgotPasswordFloor is the least time a forgot-password request takes,
	// so that a known email (which sends mail) and an unknown one answer alike.
	ForgotPasswordFloor time.Duration
	// ForgotPerEmail limits forgot-password requests per email from one source
	// address, ForgotPerSource per source address, and ForgotPerEmailTotal per
	// email from every source together, in each ForgotWindow. One address
	// reaches ForgotPerEmail long before ForgotPerEmailTotal, so it cannot block
	// the owner's own reset from elsewhere.
	ForgotPerEmail      int
	ForgotPerSource     int
	ForgotPerEmailTotal int
	ForgotWindow        time.Duration
}

// DefaultPasswordsConfig is the configuration the product ships with: invite
// links work for 72 hours, reset links for 15 minutes. It is the one place
// these defaults are written; the environment may override InviteTTL.
var DefaultPasswordsConfig = PasswordsConfig{
	InviteTTL:           72 * time.Hour,
	ResetTTL:            15 * time.Minute,
	ForgotPasswordFloor: 400 * time.Millisecond,
	ForgotPerEmail:      5,
	ForgotPerSource:     30,
	ForgotPerEmailTotal: 20,
	ForgotWindow:        15 * time.Minute,
}

// PasswordStore is the persistence the password links need.
type PasswordStore interface {
	FindOrganization(ctx context.Context, orgID string) (Organization, error)
	FindUserByID(ctx context.Context, orgID, userID string) (User, error)
	FindUserByEmail(ctx context.Context, email string) (User, error)
	// SaveUser writes a change to one user with its one-time links, in one
	// transaction (see UserChange).
	SaveUser(ctx context.Context, c UserChange) error
	// FindToken returns the stored one-time link with this hash.
	FindToken(ctx context.Context, hash string) (OneTimeToken, error)
	// Hit counts one more request under scope and key in a window and returns
	// the count so far; the record may be forgotten after expires.
	Hit(ctx context.Context, scope, key string, window int64, expires time.Time) (int, error)
}

// Mailer sends mail. The SES adapter in internal/ses implements it.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// Passwords is the one-time links that set a password, and their mail:
// invite links, reset links (sent by an admin or asked for on the sign-in
// page), and the setting of the password itself.
type Passwords struct {
	store  PasswordStore
	mailer Mailer
	links  Links
	cfg    PasswordsConfig
	now    Clock
	log    *slog.Logger
	// sleep waits; tests may shorten it.
	sleep func(time.Duration)
}

// NewPasswords returns the password-links service.
func NewPasswords(store PasswordStore, mailer Mailer, links Links, cfg PasswordsConfig, now Clock, log *slog.Logger) *Passwords {
	return &Passwords{store: store, mailer: mailer, links: links, cfg: cfg, now: now, log: log, sleep: time.Sleep}
}

// errMailFailed says that a change was saved but its mail was not sent.
func errMailFailed(what string) error {
	return Errorf(CodeMailFailed, "%s, but the mail could not be sent. Try sending it again in a moment.", what)
}

// SendReset mails a user a 15-minute password-reset link at an admin's
// request; an older unused reset link stops working.
func (s *Passwords) SendReset(ctx context.Context, p *Principal, userID string) error {
	u, err := findUser(ctx, s.store, p, userID)
	if err != nil {
		return err
	}
	if u.Status == StatusInactive {
		return Errorf(CodeConflict, "%s is inactive. Activate their subscription or give admin rights first.", u.FullName())
	}
	token, expires, err := s.issueReset(ctx, p, u)
	if err != nil {
		return err
	}
	return s.sendLink(ctx, p, u, "reset", token, expires)
}

// ResendInvite mails an invited user a new invite link; the old one stops working.
func (s *Passwords) ResendInvite(ctx context.Context, p *Principal, userID string) error {
	u, err := findUser(ctx, s.store, p, userID)
	if err != nil {
		return err
	}
	if u.Status != StatusInvited {
		return Errorf(CodeConflict, "%s is %s, not invited: there is no invite to send again.", u.FullName(), u.Status)
	}
	after := u
	token, link := s.newLink(u, PurposeInvite, s.now())
	after.InviteTokenHash = link.Hash
	change := UserChange{Before: u, After: after, PutToken: &link, DropTokens: nonEmpty(u.InviteTokenHash)}
	change.audit(p, AuditInviteResent, s.now())
	saved, err := saveUser(ctx, s.store, change)
	if err != nil {
		return err
	}
	return s.sendLink(ctx, p, saved, "invite", token, link.ExpiresAt)
}

// ForgotPassword mails a 15-minute reset link to an invited or active person
// with this email, and does nothing for anyone else. It answers the same, in
// about the same time, either way; only the rate limits can refuse it.
func (s *Passwords) ForgotPassword(ctx context.Context, email, sourceIP string) error {
	start := time.Now()
	defer func() {
		if wait := s.cfg.ForgotPasswordFloor - time.Since(start); wait > 0 {
			s.sleep(wait)
		}
	}()
	normalized, problem := EmailProblem(email)
	if problem != "" {
		return Problems{"email": problem}.Err()
	}
	// The source address's limit first (see countUnder): one address cannot
	// use up an email's total.
	n, ends := window(s.cfg.ForgotWindow, s.now())
	tooMany := "Too many requests. Wait a few minutes, then try again."
	_, err := countUnder(ctx, s.store, ends, []limit{
		{Attempt{"forgot-source", sourceIP, n}, s.cfg.ForgotPerSource, tooMany},
		{Attempt{"forgot-email", HashToken(normalized + "\x00" + sourceIP), n}, s.cfg.ForgotPerEmail, tooMany},
		{Attempt{"forgot-email-total", HashToken(normalized), n}, s.cfg.ForgotPerEmailTotal, tooMany},
	})
	if ErrorCode(err) == CodeRateLimited {
		return err
	}
	if err != nil {
		return fmt.Errorf("forgot password: %w", err)
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
	// From here on the address is known: whatever happens (a concurrent
	// request's revision conflict, a refused mail, a failing store) must not
	// show in the answer, which has to be an unknown address's. It is logged
	// once, without the address.
	if err := s.sendReset(ctx, u, sourceIP); err != nil {
		s.log.ErrorContext(ctx, "forgot password: reset link not sent", "orgId", u.OrgID, "userId", u.ID,
			"error", strings.ReplaceAll(err.Error(), u.Email, "<email>"))
	}
	return nil
}

// sendReset stores a new reset link for u and mails it, for ForgotPassword:
// the audit entry names the person as the one who asked, from source.
func (s *Passwords) sendReset(ctx context.Context, u User, source string) error {
	token, expiresAt, err := s.issueReset(ctx, self(u, source), u)
	if err != nil {
		return err
	}
	return s.sendLink(ctx, nil, u, "reset", token, expiresAt)
}

// issueReset stores a new reset link for u, replacing any older one, with
// the audit entry of p asking for it.
func (s *Passwords) issueReset(ctx context.Context, p *Principal, u User) (token string, expires time.Time, err error) {
	after := u
	token, link := s.newLink(u, PurposeReset, s.now())
	after.ResetTokenHash = link.Hash
	change := UserChange{Before: u, After: after, PutToken: &link, DropTokens: nonEmpty(u.ResetTokenHash)}
	change.audit(p, AuditResetSent, s.now())
	if _, err := saveUser(ctx, s.store, change); err != nil {
		return "", time.Time{}, err
	}
	return token, link.ExpiresAt, nil
}

// PasswordSet is what the set-password page needs after success: a person
// without admin rights cannot use the portal, and is sent to LearningURL.
type PasswordSet struct {
	Admin       bool
	LearningURL string
}

// SetPassword completes an invite or a reset: it sets the password from a
// one-time link, makes an invited user active, ends every session of the user
// and mails them that the password changed. The audit entry has no source
// address (see SetPasswordFromLink).
func (s *Passwords) SetPassword(ctx context.Context, token, newPassword string) error {
	_, err := s.setPassword(ctx, token, newPassword, "")
	return err
}

// SetPasswordFromLink is SetPassword for a request from source (the audit
// entry's address), and says where the person goes next.
func (s *Passwords) SetPasswordFromLink(ctx context.Context, token, newPassword, source string) (PasswordSet, error) {
	u, err := s.setPassword(ctx, token, newPassword, source)
	if err != nil {
		return PasswordSet{}, err
	}
	return PasswordSet{Admin: u.Admin, LearningURL: s.links.Learning}, nil
}

// setPassword does SetPassword's work and returns the user as saved.
func (s *Passwords) setPassword(ctx context.Context, token, newPassword, source string) (User, error) {
	invalid := Errorf(CodeInvalidToken, "This link does not work any more: it was used or replaced by a newer one. Ask for a new link.")
	if !ValidTokenShape(token) {
		return User{}, invalid
	}
	hash := HashToken(token)
	link, err := s.store.FindToken(ctx, hash)
	if ErrorCode(err) == CodeNotFound {
		return User{}, invalid
	}
	if err != nil {
		return User{}, fmt.Errorf("set password: %w", err)
	}
	if !s.now().Before(link.ExpiresAt) {
		return User{}, Errorf(CodeTokenExpired, "This link has expired. Ask for a new one: use “Forgot password” on the sign-in page.")
	}
	u, err := s.store.FindUserByID(ctx, link.OrgID, link.UserID)
	if ErrorCode(err) == CodeNotFound {
		return User{}, invalid
	}
	if err != nil {
		return User{}, fmt.Errorf("set password: %w", err)
	}
	current := u.InviteTokenHash
	if link.Purpose == PurposeReset {
		current = u.ResetTokenHash
	}
	if current != hash || u.Status == StatusInactive {
		return User{}, invalid
	}
	if problem := password.Problem(newPassword); problem != "" {
		return User{}, Problems{"password": "Password " + problem + "."}.Err()
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
	change := UserChange{Before: u, After: after, UseToken: hash, DropTokens: nonEmpty(other)}
	change.audit(self(u, source), AuditPasswordSet, s.now())
	change.Audit.Detail = link.Purpose + " link"
	err = s.store.SaveUser(ctx, change)
	if err != nil {
		if ErrorCode(err) == CodeInvalidToken || ErrorCode(err) == CodeConflict {
			return User{}, invalid
		}
		return User{}, fmt.Errorf("set password: %w", err)
	}
	if err := s.sendLink(ctx, nil, after, "changed", "", time.Time{}); err != nil {
		// The password is set either way; the notice is a courtesy.
		s.log.ErrorContext(ctx, "set password: notice not sent", "orgId", u.OrgID, "userId", u.ID, "error", err)
	}
	return after, nil
}

// newLink makes a one-time link for u.
func (s *Passwords) newLink(u User, purpose string, now time.Time) (string, OneTimeToken) {
	ttl := s.cfg.InviteTTL
	if purpose == PurposeReset {
		ttl = s.cfg.ResetTTL
	}
	token, hash := NewToken()
	return token, OneTimeToken{Hash: hash, Purpose: purpose, OrgID: u.OrgID, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
}

// sendLink mails u the kind of mail ("invite", "reset", "changed"); by is the
// admin who caused it, or nil. A refused send is mail_failed, joined with the
// mailer's error; it is not logged here but once, by whoever handles it (the
// HTTP edge for an admin's action, the caller where the answer hides it).
func (s *Passwords) sendLink(ctx context.Context, by *Principal, u User, kind, token string, expires time.Time) error {
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
		if kind == "reset" {
			d.Link = s.links.Reset(token)
		}
	}
	if kind == "invite" && u.Seat {
		d.Learning = s.links.Learning
	}
	m, err := renderMail(kind, u, d)
	if err != nil {
		return err
	}
	if err := s.mailer.Send(ctx, m); err != nil {
		what := map[string]string{"invite": "The invite was saved", "reset": "The reset link was made", "changed": "The password was changed", "admin": "The admin rights were given"}[kind]
		return errors.Join(errMailFailed(what), fmt.Errorf("send %s mail to user %s: %w", kind, u.ID, err))
	}
	return nil
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
