package domain_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"proportal/internal/domain"
	"proportal/internal/testenv"
)

// adminSource is the address the admin's requests come from in these tests.
const adminSource = "203.0.113.7"

// auditEntries are the audit entries of the env's organization, oldest first.
func (e *env) auditEntries(t *testing.T) []domain.AuditEntry {
	t.Helper()
	return testenv.AuditEntries(t, e.app.Dynamo, e.app.Config.TableName, e.org.ID)
}

// auditStep is one action of a test of the audit writes and the one entry it
// must write (ID and At are not compared: At is the clock's, checked apart).
type auditStep struct {
	name string
	do   func(t *testing.T) error
	// want is the entry, known once the action ran; nil: it writes none.
	want func() *domain.AuditEntry
}

// runAuditSteps runs the steps in order, each checked for the one entry it adds.
func (e *env) runAuditSteps(t *testing.T, steps []auditStep) {
	t.Helper()
	for _, st := range steps {
		seen := map[string]bool{}
		for _, en := range e.auditEntries(t) {
			seen[en.ID] = true
		}
		if err := st.do(t); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		var added []domain.AuditEntry
		for _, en := range e.auditEntries(t) {
			if !seen[en.ID] {
				added = append(added, en)
			}
		}
		if st.want == nil {
			if len(added) != 0 {
				t.Errorf("%s wrote entries %q, want none", st.name, testenv.AuditKinds(added))
			}
			continue
		}
		if len(added) != 1 {
			t.Errorf("%s wrote entries %q, want one %s", st.name, testenv.AuditKinds(added), st.want().Kind)
			continue
		}
		want := *st.want()
		want.OrgID = e.org.ID
		if diff := cmp.Diff(want, added[0], cmpopts.IgnoreFields(domain.AuditEntry{}, "ID", "At"), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s wrote (-want +got):\n%s", st.name, diff)
		}
		if !added[0].At.Equal(e.clock.Now()) || added[0].ID == "" {
			t.Errorf("%s: entry %q at %v, want an id and the time of the change %v", st.name, added[0].ID, added[0].At, e.clock.Now())
		}
	}
}

func TestPeopleActionsAreAudited(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	e.withPasswordsConfig(noFloor())
	admin.Source = adminSource
	ctx := context.Background()
	actor := domain.UserActor(admin.User)
	ada := domain.User{FirstName: "Ada", LastName: "Lovelace", Email: mailbox("ada")}
	adaTarget := func() domain.AuditTarget {
		return domain.AuditTarget{Kind: domain.TargetUser, ID: ada.ID, Name: "Ada Lovelace", Email: ada.Email}
	}
	bob := e.add(t, person(e.org.ID, "Bob", "Builder", domain.StatusActive))
	bobActor := domain.UserActor(bob)
	bobTarget := domain.UserTarget(bob)
	change := func(field, before, after string) []domain.AuditChange {
		return []domain.AuditChange{{Field: field, Before: before, After: after}}
	}
	access := func(a string) func(t *testing.T) error {
		return func(t *testing.T) error {
			got, err := e.people().Invite(ctx, admin, domain.Invite{NewUser: domain.NewUser{FirstName: ada.FirstName, LastName: ada.LastName, Email: ada.Email, Access: a}})
			ada.ID = got.User.ID
			return err
		}
	}
	entry := func(kind string, target func() domain.AuditTarget, changes []domain.AuditChange, seats int) func() *domain.AuditEntry {
		return func() *domain.AuditEntry {
			return &domain.AuditEntry{Kind: kind, Actor: actor, Target: target(), Changes: changes, SeatDelta: seats, Source: adminSource}
		}
	}
	fixed := func(e domain.AuditEntry) func() *domain.AuditEntry { return func() *domain.AuditEntry { return &e } }
	var resetToken string

	e.runAuditSteps(t, []auditStep{
		{"invite a new person", access(domain.AccessSubscription), entry(domain.AuditUserInvited, adaTarget, []domain.AuditChange{
			{Field: "firstName", After: "Ada"}, {Field: "lastName", After: "Lovelace"}, {Field: "email", After: ada.Email},
			{Field: "status", After: domain.StatusInvited}, {Field: "seat", After: "true"}, {Field: "admin", After: "false"},
		}, 1)},
		{"invite them again with the same access", access(domain.AccessSubscription), nil},
		{"resend the invite", func(t *testing.T) error { return e.passwords().ResendInvite(ctx, admin, ada.ID) },
			entry(domain.AuditInviteResent, adaTarget, nil, 0)},
		{"invite them again as an admin", access(domain.AccessBoth),
			entry(domain.AuditUserAccessAdded, adaTarget, change("admin", "false", "true"), 0)},
		{"remove their admin rights", func(t *testing.T) error { _, err := e.people().RevokeAdmin(ctx, admin, ada.ID); return err },
			entry(domain.AuditAdminRemoved, adaTarget, change("admin", "true", "false"), 0)},
		{"grant admin rights", func(t *testing.T) error { _, err := e.people().GrantAdmin(ctx, admin, ada.ID); return err },
			entry(domain.AuditAdminGranted, adaTarget, change("admin", "false", "true"), 0)},
		{"deactivate", func(t *testing.T) error { _, err := e.people().Deactivate(ctx, admin, ada.ID); return err },
			entry(domain.AuditUserDeactivated, adaTarget, change("seat", "true", "false"), -1)},
		{"deactivate again", func(t *testing.T) error { _, err := e.people().Deactivate(ctx, admin, ada.ID); return err }, nil},
		{"activate", func(t *testing.T) error { _, err := e.people().Activate(ctx, admin, ada.ID); return err },
			entry(domain.AuditUserActivated, adaTarget, change("seat", "false", "true"), 1)},
		{"send a reset link", func(t *testing.T) error { return e.passwords().SendReset(ctx, admin, bob.ID) },
			entry(domain.AuditResetSent, func() domain.AuditTarget { return bobTarget }, nil, 0)},
		{"set the password through the link", func(t *testing.T) error {
			resetToken = newestLink(t, bob.Email, 1)
			_, err := e.passwords().SetPasswordFromLink(ctx, resetToken, newPassword, "198.51.100.9")
			return err
		}, fixed(domain.AuditEntry{Kind: domain.AuditPasswordSet, Actor: bobActor, Target: bobTarget, Source: "198.51.100.9", Detail: "reset link"})},
		{"use the link again", func(t *testing.T) error {
			_, err := e.passwords().SetPasswordFromLink(ctx, resetToken, newPassword, "198.51.100.9")
			if domain.ErrorCode(err) != domain.CodeInvalidToken {
				t.Errorf("a used link: %v, want invalid_token", err)
			}
			return nil
		}, nil},
		{"forgot password", func(t *testing.T) error { return e.passwords().ForgotPassword(ctx, bob.Email, "198.51.100.10") },
			fixed(domain.AuditEntry{Kind: domain.AuditResetSent, Actor: bobActor, Target: bobTarget, Source: "198.51.100.10"})},
		{"forgot password of an unknown address", func(t *testing.T) error {
			return e.passwords().ForgotPassword(ctx, mailbox("nobody"), "198.51.100.10")
		}, nil},
	})
}

// TestInviteOfAnAdminTakesNoSeat: the entry's target is the new person, and
// admin rights alone move no seat.
func TestInviteOfAnAdminTakesNoSeat(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	got, err := e.people().Invite(context.Background(), admin, domain.Invite{NewUser: domain.NewUser{
		FirstName: "Ada", LastName: "Lovelace", Email: mailbox("ada"), Access: domain.AccessAdmin,
	}})
	if err != nil {
		t.Fatalf("Invite: %v", err)
	}
	entries := e.auditEntries(t)
	if len(entries) != 1 {
		t.Fatalf("entries %q, want one", testenv.AuditKinds(entries))
	}
	if diff := cmp.Diff(domain.UserTarget(got.User), entries[0].Target); diff != "" {
		t.Errorf("target (-want +got):\n%s", diff)
	}
	if entries[0].SeatDelta != 0 {
		t.Errorf("an admin without a seat: seat delta %d, want 0", entries[0].SeatDelta)
	}
}

// TestRefusedPeopleChangesWriteNoEntry: a change its own rules refuse
// (no seat left, the last admin) leaves no entry behind.
func TestRefusedPeopleChangesWriteNoEntry(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 1) // the admin holds the one seat
	ctx := context.Background()
	_, err := e.people().Invite(ctx, admin, domain.Invite{NewUser: domain.NewUser{
		FirstName: "Ada", LastName: "Lovelace", Email: mailbox("ada"), Access: domain.AccessSubscription,
	}})
	codedError(t, "invite without a free seat", err, domain.CodeSeatLimitReached)
	_, err = e.people().RevokeAdmin(ctx, admin, admin.User.ID)
	codedError(t, "revoke the last admin", err, domain.CodeLastAdmin)
	if got := e.auditEntries(t); len(got) != 0 {
		t.Errorf("refused changes wrote entries %q, want none", testenv.AuditKinds(got))
	}
}
