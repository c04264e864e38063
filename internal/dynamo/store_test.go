package dynamo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

// cmp compares time.Time with its Equal method, so a time read back in another
// zone or without its monotonic reading still equals the one written.

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
			if err := e.store.CreateOrganization(ctx, o, s, first, invite); err != nil {
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
	u.Admin, u.SessionVersion, u.TeamIDs = true, 3, []string{domain.NewID(), domain.NewID()}
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

func TestFindMissing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, a := e.createOrg(t, 10, "grace@acme.example")
	other, _, _ := e.createOrg(t, 10, "linus@other.example")
	tests := []struct {
		name string
		find func() error
	}{
		{"organization", func() error { _, err := e.store.FindOrganization(ctx, domain.NewID()); return err }},
		{"subscription", func() error { _, err := e.store.FindSubscription(ctx, domain.NewID()); return err }},
		{"user id", func() error { _, err := e.store.FindUserByID(ctx, o.ID, domain.NewID()); return err }},
		{"user under another organization's id", func() error { _, err := e.store.FindUserByID(ctx, other.ID, a.ID); return err }},
		{"email", func() error { _, err := e.store.FindUserByEmail(ctx, "nobody@acme.example"); return err }},
		{"session", func() error { _, hash := domain.NewToken(); _, err := e.store.FindSession(ctx, hash); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, "find "+tt.name, tt.find(), domain.CodeNotFound)
		})
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

func TestCreateOrganizationEmailInUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.createOrg(t, 10, "grace@acme.example")
	o, s := org(10)
	err := e.store.CreateOrganization(ctx, o, s, admin(o.ID, "grace@acme.example"), nil)
	wantCode(t, "CreateOrganization with a taken admin email", err, domain.CodeEmailInUse)
	_, err = e.store.FindOrganization(ctx, o.ID)
	wantCode(t, "FindOrganization of the refused organization", err, domain.CodeNotFound)
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

func TestSDKCalls(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, a := e.createOrg(t, 10, "grace@acme.example")
	tests := []struct {
		name string
		call func() error
		want map[string]int
	}{
		{"FindUserByEmail", func() error { _, err := e.store.FindUserByEmail(ctx, a.Email); return err }, map[string]int{"GetItem": 2}},
		{"FindUserByID", func() error { _, err := e.store.FindUserByID(ctx, o.ID, a.ID); return err }, map[string]int{"GetItem": 1}},
		{"CreateUser with a seat", func() error { return e.store.CreateUser(ctx, user(o.ID, "ada@acme.example", true), nil) }, map[string]int{"TransactWriteItems": 1}},
		{"CreateUser without a seat", func() error { return e.store.CreateUser(ctx, user(o.ID, "alan@acme.example", false), nil) }, map[string]int{"TransactWriteItems": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A delta rather than Reset, so the Scan check at the end sees every call.
			before := e.calls.Snapshot()
			if err := tt.call(); err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if diff := cmp.Diff(tt.want, callsSince(before, e.calls.Snapshot())); diff != "" {
				t.Errorf("SDK calls of %s (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

// callsSince returns the calls in after that were not yet in before, by operation.
func callsSince(before, after map[string]int) map[string]int {
	d := map[string]int{}
	for op, n := range after {
		if n > before[op] {
			d[op] = n - before[op]
		}
	}
	return d
}
