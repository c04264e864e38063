package dynamo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

func TestNeverSignedInUserHasZeroLastLoginAt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, _, a := e.createOrg(t, 10, "grace@acme.example")
	got, err := e.store.FindUserByID(context.Background(), o.ID, a.ID)
	if err != nil {
		t.Fatalf("FindUserByID: %v", err)
	}
	if !got.LastLoginAt.IsZero() {
		t.Errorf("LastLoginAt = %v for a user who never signed in, want the zero time", got.LastLoginAt)
	}
}

func TestCreateUserRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, _ := e.createOrg(t, 10, "grace@acme.example")
	u := user(o.ID, "ada@acme.example", true)
	u.Admin, u.SessionVersion = true, 3
	for _, name := range []string{"Red", "Blue"} {
		team := domain.Team{ID: domain.NewID(), OrgID: o.ID, Name: name, CreatedAt: t0}
		if err := e.store.CreateTeam(ctx, team); err != nil {
			t.Fatalf("CreateTeam: %v", err)
		}
		u.TeamIDs = append(u.TeamIDs, team.ID)
	}
	if err := e.store.CreateUser(ctx, u, nil); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	got, err := e.store.FindUserByID(ctx, o.ID, u.ID)
	if err != nil {
		t.Fatalf("FindUserByID: %v", err)
	}
	u.Revision = 1 // saved once
	// Team ids are a string set: their order is not kept.
	sortStrings := cmp.Transformer("sort", func(in []string) []string {
		out := append([]string(nil), in...)
		slices.Sort(out)
		return out
	})
	if diff := cmp.Diff(u, got, sortStrings); diff != "" {
		t.Errorf("FindUserByID mismatch (-want +got):\n%s", diff)
	}
}

func TestCreateUserEmailInUseAcrossOrganizations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		seat bool
	}{
		{"with a seat", true},
		{"without a seat", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			a, _, _ := e.createOrg(t, 10, "grace@a.example")
			b, _, _ := e.createOrg(t, 10, "linus@b.example")
			winner := user(a.ID, "ada@shared.example", tt.seat)
			if err := e.store.CreateUser(ctx, winner, nil); err != nil {
				t.Fatalf("CreateUser in the first organization: %v", err)
			}
			usedBefore := e.seatsUsed(t, b.ID)

			loser := user(b.ID, winner.Email, tt.seat)
			_, hash := domain.NewToken()
			invite := &domain.OneTimeToken{Hash: hash, Purpose: domain.PurposeInvite, OrgID: b.ID, UserID: loser.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
			wantCode(t, "CreateUser with an email of another organization", e.store.CreateUser(ctx, loser, invite), domain.CodeEmailInUse)

			if got := e.seatsUsed(t, b.ID); got != usedBefore {
				t.Errorf("seatsUsed of the refused user's organization = %d, want %d (unchanged)", got, usedBefore)
			}
			_, err := e.store.FindUserByID(ctx, b.ID, loser.ID)
			wantCode(t, "FindUserByID of the refused user", err, domain.CodeNotFound)
			if e.rawItem(t, "TOKEN#"+hash, "TOKEN") != nil {
				t.Errorf("the refused user's invite token was written")
			}
			owner, err := e.store.FindUserByEmail(ctx, winner.Email)
			if err != nil || owner.ID != winner.ID {
				t.Errorf("FindUserByEmail = user %q, %v; want the first user %q", owner.ID, err, winner.ID)
			}
		})
	}
}

func TestCreateUserWithoutFreeSeat(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, _ := e.createOrg(t, 1, "grace@acme.example")
	if err := e.store.CreateUser(ctx, user(o.ID, "first@acme.example", true), nil); err != nil {
		t.Fatalf("CreateUser taking the last seat: %v", err)
	}

	loser := user(o.ID, "second@acme.example", true)
	wantCode(t, "CreateUser with no seat free", e.store.CreateUser(ctx, loser, nil), domain.CodeSeatLimitReached)

	if got := e.seatsUsed(t, o.ID); got != 1 {
		t.Errorf("seatsUsed = %d, want 1", got)
	}
	_, err := e.store.FindUserByID(ctx, o.ID, loser.ID)
	wantCode(t, "FindUserByID of the refused user", err, domain.CodeNotFound)
	_, err = e.store.FindUserByEmail(ctx, loser.Email)
	wantCode(t, "FindUserByEmail of the refused user's email", err, domain.CodeNotFound)
}

func TestCreateUserWithoutSeatLeavesCounter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, _ := e.createOrg(t, 1, "grace@acme.example")
	if err := e.store.CreateUser(ctx, user(o.ID, "seated@acme.example", true), nil); err != nil {
		t.Fatalf("CreateUser with a seat: %v", err)
	}
	// The subscription is full now; someone without a seat still fits.
	noSeat := user(o.ID, "admin@acme.example", false)
	noSeat.Admin = true
	if err := e.store.CreateUser(ctx, noSeat, nil); err != nil {
		t.Fatalf("CreateUser without a seat on a full subscription: %v", err)
	}
	if got := e.seatsUsed(t, o.ID); got != 1 {
		t.Errorf("seatsUsed = %d after adding a user without a seat, want 1", got)
	}
}

func TestCreateUserTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, _ := e.createOrg(t, 10, "grace@acme.example")
	u := user(o.ID, "ada@acme.example", true)
	if err := e.store.CreateUser(ctx, u, nil); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	again := u
	again.Email = "ada.two@acme.example"
	wantCode(t, "CreateUser with an existing id", e.store.CreateUser(ctx, again, nil), domain.CodeConflict)
	if got := e.seatsUsed(t, o.ID); got != 1 {
		t.Errorf("seatsUsed = %d, want 1", got)
	}
	_, err := e.store.FindUserByEmail(ctx, again.Email)
	wantCode(t, "FindUserByEmail of the refused second email", err, domain.CodeNotFound)
}
