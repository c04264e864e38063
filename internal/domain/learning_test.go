package domain_test

import (
	"context"
	"strings"
	"testing"

	"proportal/internal/app"
	"proportal/internal/domain"
)

// A learner's invite says where learning happens (the portal is for admins),
// and setting the password says where the person goes next; an admin-only
// invite says nothing of it.
func TestLearnersAreSentToTheLearningPlatform(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	for _, tt := range []struct {
		access    string
		wantAdmin bool
		wantLearn bool
	}{
		{domain.AccessSubscription, false, true},
		{domain.AccessAdmin, true, false},
		{domain.AccessBoth, true, true},
	} {
		t.Run(tt.access, func(t *testing.T) {
			email := mailbox("learn-" + tt.access)
			if _, err := e.people().Invite(ctx, admin, domain.Invite{NewUser: domain.NewUser{FirstName: "Lu", LastName: "Learner", Email: email, Access: tt.access}}); err != nil {
				t.Fatalf("Invite: %v", err)
			}
			invite := mailTo(t, email, 1)[0]
			says := "start learning at " + app.DefaultLearningURL
			if got := strings.Contains(invite.Text, says); got != tt.wantLearn {
				t.Errorf("invite text says %q: %v, want %v:\n%s", says, got, tt.wantLearn, invite.Text)
			}
			if got := strings.Contains(invite.HTML, `href="`+app.DefaultLearningURL+`"`); got != tt.wantLearn {
				t.Errorf("invite HTML links the learning platform: %v, want %v", got, tt.wantLearn)
			}
			set, err := e.passwords().SetPasswordFromLink(ctx, linkIn(t, invite), newPassword, "")
			if err != nil {
				t.Fatalf("SetPasswordFromLink: %v", err)
			}
			if want := (domain.PasswordSet{Admin: tt.wantAdmin, LearningURL: app.DefaultLearningURL}); set != want {
				t.Errorf("SetPasswordFromLink = %+v, want %+v", set, want)
			}
		})
	}
}
