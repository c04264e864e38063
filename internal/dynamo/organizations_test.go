package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

func TestCreateOrganizationRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		firstHasSeat  bool
		withInvite    bool
		wantSeatsUsed int
	}{
		{"invited admin without a seat", false, true, 0},
		{"active admin with a seat", true, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			o, s := org(10)
			first := admin(o.ID, "grace@acme.example")
			var invite *domain.OneTimeToken
			if tt.withInvite {
				_, hash := domain.NewToken()
				invite = &domain.OneTimeToken{Hash: hash, Purpose: domain.PurposeInvite, OrgID: o.ID, UserID: first.ID, CreatedAt: t0, ExpiresAt: t0.Add(72 * time.Hour)}
			}
			if tt.firstHasSeat {
				first.Status, first.Seat, first.PasswordHash = domain.StatusActive, true, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"
			}
			if err := e.store.CreateOrganization(ctx, o, s, first, invite, nil); err != nil {
				t.Fatalf("CreateOrganization: %v", err)
			}

			gotOrg, err := e.store.FindOrganization(ctx, o.ID)
			if err != nil {
				t.Fatalf("FindOrganization: %v", err)
			}
			if diff := cmp.Diff(o, gotOrg); diff != "" {
				t.Errorf("FindOrganization mismatch (-want +got):\n%s", diff)
			}

			wantSub := s
			wantSub.SeatsUsed = tt.wantSeatsUsed
			gotSub, err := e.store.FindSubscription(ctx, o.ID)
			if err != nil {
				t.Fatalf("FindSubscription: %v", err)
			}
			if diff := cmp.Diff(wantSub, gotSub); diff != "" {
				t.Errorf("FindSubscription mismatch (-want +got):\n%s", diff)
			}

			first.Revision = 1 // saved once
			byID, err := e.store.FindUserByID(ctx, o.ID, first.ID)
			if err != nil {
				t.Fatalf("FindUserByID: %v", err)
			}
			if diff := cmp.Diff(first, byID); diff != "" {
				t.Errorf("FindUserByID mismatch (-want +got):\n%s", diff)
			}
			byEmail, err := e.store.FindUserByEmail(ctx, first.Email)
			if err != nil {
				t.Fatalf("FindUserByEmail: %v", err)
			}
			if diff := cmp.Diff(first, byEmail); diff != "" {
				t.Errorf("FindUserByEmail mismatch (-want +got):\n%s", diff)
			}

			if invite != nil && e.rawItem(t, "TOKEN#"+invite.Hash, "TOKEN") == nil {
				t.Errorf("no invite token item under its hash")
			}
		})
	}
}

func TestCreateOrganizationEmailInUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.createOrg(t, 10, "grace@acme.example")
	o, s := org(10)
	err := e.store.CreateOrganization(ctx, o, s, admin(o.ID, "grace@acme.example"), nil, nil)
	wantCode(t, "CreateOrganization with a taken admin email", err, domain.CodeEmailInUse)
	_, err = e.store.FindOrganization(ctx, o.ID)
	wantCode(t, "FindOrganization of the refused organization", err, domain.CodeNotFound)
}
