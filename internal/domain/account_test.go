package domain_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

// seatFigures are what the portal shows of a subscription's seats.
type seatFigures struct {
	Total, Used, Available int
	Status                 string
}

func figures(s domain.Subscription, a domain.Access) seatFigures {
	return seatFigures{Total: s.SeatsTotal, Used: s.SeatsUsed, Available: s.SeatsAvailable(), Status: a.Status}
}

func TestDemoSeatFigures(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	ctx := context.Background()
	p := &domain.Principal{Session: domain.Session{OrgID: d.org.ID}}
	want := seatFigures{Total: 50, Used: 31, Available: 19, Status: domain.SubscriptionActive}

	dash, err := d.app.Services.Accounts.Dashboard(ctx, p)
	if err != nil {
		t.Fatalf("Dashboard: %v", err)
	}
	if diff := cmp.Diff(want, figures(dash.Subscription, dash.Access)); diff != "" {
		t.Errorf("Dashboard seats (-want +got):\n%s", diff)
	}
	sub, err := d.app.Services.Accounts.Subscription(ctx, p)
	if err != nil {
		t.Fatalf("Subscription: %v", err)
	}
	if diff := cmp.Diff(want, figures(sub.Subscription, sub.Access)); diff != "" {
		t.Errorf("Subscription seats (-want +got):\n%s", diff)
	}
}

func TestMe(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	token := e.signIn(t)
	p, err := e.authenticate(token)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	me, err := e.app.Services.Accounts.Me(context.Background(), p)
	if err != nil {
		t.Fatalf("Me: %v", err)
	}
	if diff := cmp.Diff(e.org, me.Organization); diff != "" {
		t.Errorf("Me organization (-want +got):\n%s", diff)
	}
	if me.User.Email != e.email {
		t.Errorf("Me user %q, want %q", me.User.Email, e.email)
	}
}

func TestAccountsOfUnknownOrganization(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := &domain.Principal{Session: domain.Session{OrgID: domain.NewID()}}
	_, err := e.app.Services.Accounts.Dashboard(context.Background(), p)
	codedError(t, "Dashboard of an unknown organization", err, domain.CodeNotFound)
}
