package domain_test

import (
	"context"
	"strings"
	"testing"

	"proportal/internal/domain"
)

// Activating someone who never set a password takes a seat they could not
// reach: the same action mails them a fresh invite, whose link works; someone
// with a password gets no mail.
func TestActivateSendsTheInviteToWhoHasNoPassword(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	nina := e.add(t, person(e.org.ID, "Nina", "Nopass", domain.StatusInactive))
	got, err := e.people().Activate(ctx, admin, nina.ID)
	if err != nil {
		t.Fatalf("Activate: %v", err)
	}
	if got.Status != domain.StatusInvited || !got.Seat {
		t.Fatalf("after Activate: %s, seat %v; want invited with a seat", got.Status, got.Seat)
	}
	invite := mailTo(t, nina.Email, 1)[0]
	if !strings.Contains(invite.Subject, "invited you") {
		t.Errorf("mail %q, want the invite", invite.Subject)
	}
	if err := e.passwords().SetPassword(ctx, linkIn(t, invite), newPassword); err != nil {
		t.Errorf("the new invite link: %v", err)
	}

	paula := person(e.org.ID, "Paula", "Password", domain.StatusInactive)
	paula.PasswordHash = userPasswordHash()
	paula = e.add(t, paula)
	if _, err := e.people().Activate(ctx, admin, paula.ID); err != nil {
		t.Fatalf("Activate: %v", err)
	}
	mailTo(t, paula.Email, 0)
}
