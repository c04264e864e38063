package domain_test

import (
	"context"
	"strings"
	"testing"

	"proportal/internal/domain"
)

// Someone given admin rights is told by mail, once.
func TestGrantAdminMailsThePerson(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	lea := e.add(t, person(e.org.ID, "Lea", "Learner", domain.StatusActive))
	got, err := e.people().GrantAdmin(ctx, admin, lea.ID)
	if err != nil || !got.Admin {
		t.Fatalf("GrantAdmin: %+v, %v", got, err)
	}
	m := mailTo(t, lea.Email, 1)[0]
	if !strings.Contains(m.Subject, "You are now an admin of") || !strings.Contains(m.Text, "gave you admin rights") || !strings.Contains(m.Text, "/sign-in") {
		t.Errorf("admin mail %q:\n%s", m.Subject, m.Text)
	}
	if _, err := e.people().GrantAdmin(ctx, admin, lea.ID); err != nil {
		t.Fatalf("GrantAdmin again: %v", err)
	}
	mailTo(t, lea.Email, 1) // nothing changed, nothing more mailed
}
