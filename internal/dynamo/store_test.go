package dynamo_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

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
