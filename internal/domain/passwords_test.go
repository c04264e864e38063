package domain_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

func TestSetPasswordCompletesAnInvite(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	email := mailbox("ivy")
	inv, err := e.people().Invite(ctx, admin, domain.Invite{NewUser: domain.NewUser{FirstName: "Ivy", LastName: "Invited", Email: email, Access: domain.AccessSubscription}})
	if err != nil {
		t.Fatalf("Invite: %v", err)
	}
	token := newestLink(t, email, 1)
	before := e.counts(t, e.org.ID)

	if err := e.passwords().SetPassword(ctx, token, newPassword); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	u := e.stored(t, inv.User)
	if diff := cmp.Diff(access{domain.StatusActive, true, false}, accessOf(u)); diff != "" {
		t.Errorf("access after setting the password (-want +got):\n%s", diff)
	}
	if u.InviteTokenHash != "" {
		t.Errorf("the used invite is still the user's link")
	}
	wantCounts := before
	wantCounts.Invited--
	wantCounts.Active++
	if diff := cmp.Diff(wantCounts, e.counts(t, e.org.ID)); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	changed := mailTo(t, email, 2)[0]
	if !strings.Contains(changed.Subject, "password was changed") {
		t.Errorf("newest mail %q, want the password-changed notice", changed.Subject)
	}
	if _, err := e.login(email, newPassword); err != nil {
		t.Errorf("Login with the new password: %v", err)
	}
}

func TestSetPasswordFromAResetEndsEverySession(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	lea := e.add(t, person(e.org.ID, "Lea", "Learner", domain.StatusActive))
	sessions := []string{e.sessionOf(t, lea.Email), e.sessionOf(t, lea.Email)}
	if err := e.passwords().SendReset(ctx, admin, lea.ID); err != nil {
		t.Fatalf("SendReset: %v", err)
	}
	if err := e.passwords().SetPassword(ctx, newestLink(t, lea.Email, 1), newPassword); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	for i, s := range sessions {
		_, err := e.authenticate(s)
		codedError(t, fmt.Sprintf("Authenticate with session %d opened before the reset", i+1), err, domain.CodeUnauthorized)
	}
	if !strings.Contains(mailTo(t, lea.Email, 2)[0].Subject, "password was changed") {
		t.Errorf("no password-changed notice after the reset")
	}
	_, err := e.login(lea.Email, userPassword)
	codedError(t, "Login with the old password", err, domain.CodeInvalidCredentials)
	if _, err := e.login(lea.Email, newPassword); err != nil {
		t.Errorf("Login with the new password: %v", err)
	}
}

func TestSetPasswordRules(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	email := mailbox("rules")
	if _, err := e.people().Invite(ctx, admin, domain.Invite{NewUser: domain.NewUser{FirstName: "Rita", LastName: "Rules", Email: email, Access: domain.AccessSubscription}}); err != nil {
		t.Fatalf("Invite: %v", err)
	}
	token := newestLink(t, email, 1)
	refused := []struct {
		name, give string
	}{
		{"empty", ""},
		{"11 characters", "abcdefghijk"},
		{"11 characters of 2 bytes each", strings.Repeat("ü", 11)},
		{"257 characters", strings.Repeat("x", 200) + strings.Repeat("y", 57)},
		{"common", "qwerty123456"},
		{"common in capitals", "QWERTY123456"},
		{"one character repeated", strings.Repeat("z", 16)},
		{"one non-ASCII character repeated", strings.Repeat("ä", 16)},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			err := e.passwords().SetPassword(ctx, token, tt.give)
			got := codedError(t, "SetPassword", err, domain.CodeValidationFailed)
			if len(got.Fields) != 1 || got.Fields["password"] == "" {
				t.Errorf("fields %v, want the password alone", got.Fields)
			}
		})
	}
	// Refusals leave the link working.
	accepted := strings.Repeat("long passphrase ", 16) // 256 characters
	if err := e.passwords().SetPassword(ctx, token, accepted); err != nil {
		t.Fatalf("SetPassword with 256 characters after the refusals: %v", err)
	}
}

func TestSetPasswordAcceptsTheBounds(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	tests := []struct {
		name, give string
	}{
		{"12 characters", "twelve chars"},
		{"12 characters of 2 bytes each", strings.Repeat("äö", 6)},
		{"256 bytes", strings.Repeat("abcdefgh", 32)[:255] + "!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			email := mailbox("bounds")
			if _, err := e.people().Invite(context.Background(), admin, domain.Invite{NewUser: domain.NewUser{FirstName: "Bo", LastName: "Bounds", Email: email, Access: domain.AccessSubscription}}); err != nil {
				t.Fatalf("Invite: %v", err)
			}
			if err := e.passwords().SetPassword(context.Background(), newestLink(t, email, 1), tt.give); err != nil {
				t.Errorf("SetPassword(%d bytes): %v, want it accepted", len(tt.give), err)
			}
		})
	}
}

func TestLinksWorkOnce(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	email := mailbox("once")
	if _, err := e.people().Invite(ctx, admin, domain.Invite{NewUser: domain.NewUser{FirstName: "Olly", LastName: "Once", Email: email, Access: domain.AccessSubscription}}); err != nil {
		t.Fatalf("Invite: %v", err)
	}
	token := newestLink(t, email, 1)
	if err := e.passwords().SetPassword(ctx, token, newPassword); err != nil {
		t.Fatalf("first SetPassword: %v", err)
	}
	err := e.passwords().SetPassword(ctx, token, "another fine passphrase")
	codedError(t, "second SetPassword with the same link", err, domain.CodeInvalidToken)
	if _, err := e.login(email, newPassword); err != nil {
		t.Errorf("Login with the first password: %v (the second use changed it?)", err)
	}
}

func TestResetLinkLastsFifteenMinutes(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	lea := e.add(t, person(e.org.ID, "Lea", "Learner", domain.StatusActive))
	tests := []struct {
		after   time.Duration
		wantErr string
	}{
		{14*time.Minute + 59*time.Second, ""},
		{15 * time.Minute, domain.CodeTokenExpired},
		{15*time.Minute + 1*time.Second, domain.CodeTokenExpired},
	}
	mails := 0 // to the learner so far
	for i, tt := range tests {
		// One after another: each moves the shared clock.
		t.Run(tt.after.String(), func(t *testing.T) {
			if err := e.passwords().SendReset(ctx, admin, lea.ID); err != nil {
				t.Fatalf("SendReset: %v", err)
			}
			mails++
			token := newestLink(t, lea.Email, mails)
			e.clock.Advance(tt.after)
			err := e.passwords().SetPassword(ctx, token, fmt.Sprintf("password number %d", i))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("SetPassword %v after the reset: %v, want success", tt.after, err)
				}
				mails++ // the password-changed notice
				return
			}
			codedError(t, fmt.Sprintf("SetPassword %v after the reset", tt.after), err, tt.wantErr)
		})
	}
}

func TestInviteLinkLastsItsTTL(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	var tokens []string
	for _, name := range []string{"early", "late"} {
		email := mailbox(name)
		if _, err := e.people().Invite(ctx, admin, domain.Invite{NewUser: domain.NewUser{FirstName: "Tim", LastName: "Tardy", Email: email, Access: domain.AccessSubscription}}); err != nil {
			t.Fatalf("Invite: %v", err)
		}
		tokens = append(tokens, newestLink(t, email, 1))
	}
	e.clock.Advance(inviteTTL - time.Second)
	if err := e.passwords().SetPassword(ctx, tokens[0], newPassword); err != nil {
		t.Errorf("SetPassword a second before the invite ends: %v", err)
	}
	e.clock.Advance(2 * time.Second)
	err := e.passwords().SetPassword(ctx, tokens[1], newPassword)
	codedError(t, "SetPassword a second after the invite ended", err, domain.CodeTokenExpired)
}

func TestReplacedLinksStopWorking(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()

	t.Run("invite after ResendInvite", func(t *testing.T) {
		email := mailbox("resent")
		inv, err := e.people().Invite(ctx, admin, domain.Invite{NewUser: domain.NewUser{FirstName: "Rene", LastName: "Resent", Email: email, Access: domain.AccessSubscription}})
		if err != nil {
			t.Fatalf("Invite: %v", err)
		}
		old := newestLink(t, email, 1)
		if err := e.passwords().ResendInvite(ctx, admin, inv.User.ID); err != nil {
			t.Fatalf("ResendInvite: %v", err)
		}
		fresh := newestLink(t, email, 2)
		err = e.passwords().SetPassword(ctx, old, newPassword)
		codedError(t, "SetPassword with the first invite", err, domain.CodeInvalidToken)
		if err := e.passwords().SetPassword(ctx, fresh, newPassword); err != nil {
			t.Errorf("SetPassword with the new invite: %v", err)
		}
	})
	t.Run("reset after another SendReset", func(t *testing.T) {
		lea := e.add(t, person(e.org.ID, "Lea", "Learner", domain.StatusActive))
		for range 2 {
			if err := e.passwords().SendReset(ctx, admin, lea.ID); err != nil {
				t.Fatalf("SendReset: %v", err)
			}
		}
		mails := mailTo(t, lea.Email, 2)
		fresh, old := linkIn(t, mails[0]), linkIn(t, mails[1])
		err := e.passwords().SetPassword(ctx, old, newPassword)
		codedError(t, "SetPassword with the older reset link", err, domain.CodeInvalidToken)
		if err := e.passwords().SetPassword(ctx, fresh, newPassword); err != nil {
			t.Errorf("SetPassword with the newer reset link: %v", err)
		}
	})
}

func TestSetPasswordRefusesWhatIsNotALink(t *testing.T) {
	t.Parallel()
	e, _ := newSeats(t, 5)
	session := e.signIn(t)
	unknown, _ := domain.NewToken()
	tests := []struct {
		name, give string
	}{
		{"a session token", session},
		{"an unknown token", unknown},
		{"the hash of a session token", domain.HashToken(session)},
		{"empty", ""},
		{"junk", "not a token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.passwords().SetPassword(context.Background(), tt.give, newPassword)
			codedError(t, "SetPassword", err, domain.CodeInvalidToken)
		})
	}
	if _, err := e.authenticate(session); err != nil {
		t.Errorf("the session used as a link stopped working: %v", err)
	}
}

func TestForgotPassword(t *testing.T) {
	t.Parallel()
	e, _ := newSeats(t, 10)
	e.withPasswordsConfig(noFloor())
	ctx := context.Background()
	adminOnly := person(e.org.ID, "Ada", "AdminOnly", domain.StatusActive)
	adminOnly.Seat, adminOnly.Admin = false, true
	inactiveWithPassword := person(e.org.ID, "Ian", "Inactive", domain.StatusInactive)
	inactiveWithPassword.PasswordHash = userPasswordHash()
	tests := []struct {
		name     string
		give     domain.User
		wantLink bool
	}{
		{"active learner", person(e.org.ID, "Al", "Active", domain.StatusActive), true},
		{"active admin without a seat", adminOnly, true},
		{"invited", person(e.org.ID, "Ivy", "Invited", domain.StatusInvited), true},
		{"inactive", person(e.org.ID, "Ina", "Inactive", domain.StatusInactive), false},
		{"inactive with a password", inactiveWithPassword, false},
		{"unknown", domain.User{Email: mailbox("unknown")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.give
			if u.ID != "" {
				u = e.add(t, u)
			}
			if err := e.passwords().ForgotPassword(ctx, strings.ToUpper(u.Email), "198.51.100.1"); err != nil {
				t.Fatalf("ForgotPassword: %v, want nil whoever asks", err)
			}
			if !tt.wantLink {
				mailTo(t, u.Email, 0)
				if u.ID != "" && e.stored(t, u).ResetTokenHash != "" {
					t.Errorf("a reset link was stored for someone who may not have one")
				}
				return
			}
			m := mailTo(t, u.Email, 1)[0]
			token := linkIn(t, m)
			link, err := e.app.Store.FindToken(ctx, domain.HashToken(token))
			if err != nil {
				t.Fatalf("FindToken: %v", err)
			}
			if link.Purpose != domain.PurposeReset || !link.ExpiresAt.Equal(start.Add(15*time.Minute)) {
				t.Errorf("link %s until %v, want a reset link until %v", link.Purpose, link.ExpiresAt, start.Add(15*time.Minute))
			}
			if !strings.Contains(m.Text, "15 minutes") {
				t.Errorf("the mail does not say the link works for 15 minutes:\n%s", m.Text)
			}
			if err := e.passwords().SetPassword(ctx, token, newPassword); err != nil {
				t.Fatalf("SetPassword with the link: %v", err)
			}
			if got := e.stored(t, u); got.Status != domain.StatusActive {
				t.Errorf("status %q after using the link, want active (the account is complete)", got.Status)
			}
		})
	}
}

func TestForgotPasswordRefusesAMalformedEmail(t *testing.T) {
	t.Parallel()
	e, _ := newSeats(t, 5)
	e.withPasswordsConfig(noFloor())
	err := e.passwords().ForgotPassword(context.Background(), "not an email", "198.51.100.1")
	got := codedError(t, "ForgotPassword", err, domain.CodeValidationFailed)
	if got.Fields["email"] == "" {
		t.Errorf("fields %v do not name the email", got.Fields)
	}
	if n := e.calls.Total(); n != 0 {
		t.Errorf("a malformed email made %d AWS calls, want none", n)
	}
}

func TestForgotPasswordLimitPerEmail(t *testing.T) {
	t.Parallel()
	e, _ := newSeats(t, 5)
	e.withPasswordsConfig(noFloor())
	ctx := context.Background()
	lea := e.add(t, person(e.org.ID, "Lea", "Learner", domain.StatusActive))
	limit := domain.DefaultPasswordsConfig.ForgotPerEmail
	const attacker, owner = "203.0.113.66", "198.51.100.7"
	for i := range limit {
		// Another casing each time: the limit is per address.
		email := lea.Email
		if i%2 == 1 {
			email = strings.ToUpper(email)
		}
		if err := e.passwords().ForgotPassword(ctx, email, attacker); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	err := e.passwords().ForgotPassword(ctx, lea.Email, attacker)
	codedError(t, fmt.Sprintf("request %d in the window from one address", limit+1), err, domain.CodeRateLimited)
	mailTo(t, lea.Email, limit)

	// The owner, elsewhere, still gets a link.
	if err := e.passwords().ForgotPassword(ctx, lea.Email, owner); err != nil {
		t.Errorf("the owner's request from another address: %v", err)
	}
	mailTo(t, lea.Email, limit+1)

	e.clock.Advance(domain.DefaultPasswordsConfig.ForgotWindow)
	if err := e.passwords().ForgotPassword(ctx, lea.Email, attacker); err != nil {
		t.Errorf("request in the next window: %v", err)
	}
}

func TestForgotPasswordLimitPerEmailFromEverywhere(t *testing.T) {
	t.Parallel()
	e, _ := newSeats(t, 5)
	e.withPasswordsConfig(noFloor())
	ctx := context.Background()
	email := mailbox("nobody") // unknown addresses count alike, and send nothing
	total := domain.DefaultPasswordsConfig.ForgotPerEmailTotal
	for i := range total {
		if err := e.passwords().ForgotPassword(ctx, email, fmt.Sprintf("198.51.100.%d", i+1)); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	err := e.passwords().ForgotPassword(ctx, email, "198.51.100.200")
	codedError(t, fmt.Sprintf("request %d in the window from every address", total+1), err, domain.CodeRateLimited)
}

func TestForgotPasswordLimitPerSource(t *testing.T) {
	t.Parallel()
	e, _ := newSeats(t, 5)
	e.withPasswordsConfig(noFloor())
	ctx := context.Background()
	limit := domain.DefaultPasswordsConfig.ForgotPerSource
	const source = "203.0.113.7"
	for i := range limit {
		if err := e.passwords().ForgotPassword(ctx, fmt.Sprintf("nobody%02d@users.example", i), source); err != nil {
			t.Fatalf("request %d from %s: %v", i+1, source, err)
		}
	}
	err := e.passwords().ForgotPassword(ctx, "yet-another@users.example", source)
	codedError(t, fmt.Sprintf("request %d from one source", limit+1), err, domain.CodeRateLimited)
	if err := e.passwords().ForgotPassword(ctx, "yet-another@users.example", "203.0.113.8"); err != nil {
		t.Errorf("the same request from another source: %v", err)
	}
}

func TestDeactivationEndsEveryLink(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	// gone checks that a link neither works nor is stored any more.
	gone := func(t *testing.T, what, token string) {
		t.Helper()
		err := e.passwords().SetPassword(ctx, token, newPassword)
		codedError(t, "SetPassword with "+what, err, domain.CodeInvalidToken)
		if _, err := e.app.Store.FindToken(ctx, domain.HashToken(token)); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Errorf("FindToken(%s): %v, want not_found", what, err)
		}
	}

	t.Run("invite", func(t *testing.T) {
		email := mailbox("reinvited")
		inv, err := e.people().Invite(ctx, admin, domain.Invite{NewUser: domain.NewUser{FirstName: "Ria", LastName: "Reinvited", Email: email, Access: domain.AccessSubscription}})
		if err != nil {
			t.Fatalf("Invite: %v", err)
		}
		first := newestLink(t, email, 1)
		if _, err := e.people().Deactivate(ctx, admin, inv.User.ID); err != nil {
			t.Fatalf("Deactivate: %v", err)
		}
		if u := e.stored(t, inv.User); u.InviteTokenHash != "" || u.ResetTokenHash != "" {
			t.Errorf("deactivated user keeps link hashes %q, %q", u.InviteTokenHash, u.ResetTokenHash)
		}
		if _, err := e.people().Activate(ctx, admin, inv.User.ID); err != nil {
			t.Fatalf("Activate: %v", err)
		}
		gone(t, "the invite from before the deactivation", first)
	})
	t.Run("reset", func(t *testing.T) {
		lea := e.add(t, person(e.org.ID, "Lea", "Learner", domain.StatusActive))
		if err := e.passwords().SendReset(ctx, admin, lea.ID); err != nil {
			t.Fatalf("SendReset: %v", err)
		}
		reset := newestLink(t, lea.Email, 1)
		if _, err := e.people().Deactivate(ctx, admin, lea.ID); err != nil {
			t.Fatalf("Deactivate: %v", err)
		}
		if _, err := e.people().Activate(ctx, admin, lea.ID); err != nil {
			t.Fatalf("Activate: %v", err)
		}
		gone(t, "the reset link from before the deactivation", reset)
	})
}
