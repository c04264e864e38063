package domain_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/ses"
)

// serialized rewires an env's application so that its AWS clients send one
// request at a time, while callers still race through the services.
//
// DynamoDB runs transactions in isolation; moto_server (5.2.1) does not: it
// applies a TransactWriteItems item by item on its own thread and undoes a
// cancelled one by restoring a copy of the table, so two concurrent
// transactions can both pass the seat condition. Waiting for each response
// before sending the next request gives moto the serial order DynamoDB
// guarantees (see internal/dynamo/seats_test.go, which found this).
func (e *env) serialized() {
	cfg := e.app.AWS
	cfg.HTTPClient = &serialHTTP{next: cfg.HTTPClient}
	e.app = app.NewWith(e.app.Config, cfg, e.clock.Now, ses.FromConfig, e.app.Logger)
	e.withPasswordsConfig(e.app.Config.Passwords)
}

type serialHTTP struct {
	mu   sync.Mutex
	next interface {
		Do(*http.Request) (*http.Response, error)
	}
}

func (s *serialHTTP) Do(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next.Do(r)
}

// race runs n calls at once and returns their errors.
func race(n int, call func(i int) error) []error {
	errs := make([]error, n)
	begin := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-begin
			errs[i] = call(i)
		})
	}
	close(begin)
	wg.Wait()
	return errs
}

// outcomes counts errors by code, "ok" for none.
func outcomes(errs []error) map[string]int {
	got := map[string]int{}
	for _, err := range errs {
		if err == nil {
			got["ok"]++
			continue
		}
		got[domain.ErrorCode(err)]++
	}
	return got
}

// seated counts the organization's users that hold a seat, from the list.
func seated(t *testing.T, e *env, p *domain.Principal) int {
	t.Helper()
	page, err := e.people().List(context.Background(), p, domain.UserFilter{Limit: domain.MaxPageSize})
	if err != nil || page.NextCursor != "" {
		t.Fatalf("List everyone: next %q, %v; want one page", page.NextCursor, err)
	}
	n := 0
	for _, u := range page.Users {
		if u.Seat {
			n++
		}
	}
	return n
}

const (
	freeSeats = 10
	racers    = 50
)

func TestConcurrentActivationsNeverExceedTheSeats(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: races activations on moto; make test runs it")
	}
	t.Parallel()
	e, admin := newSeats(t, freeSeats+1) // the admin holds one
	users := make([]domain.User, racers)
	for i := range users {
		// One name for all: fewer search entries make a smaller table, and
		// moto copies the whole table for every item of every transaction.
		users[i] = e.add(t, person(e.org.ID, "Racer", "Racer", domain.StatusInactive))
	}
	e.serialized()

	errs := race(racers, func(i int) error {
		_, err := e.people().Activate(context.Background(), admin, users[i].ID)
		return err
	})
	want := map[string]int{"ok": freeSeats, domain.CodeSeatLimitReached: racers - freeSeats}
	if diff := cmp.Diff(want, outcomes(errs)); diff != "" {
		t.Errorf("outcomes of %d activations for %d free seats (-want +got):\n%s", racers, freeSeats, diff)
		for i, err := range errs {
			if c := domain.ErrorCode(err); err != nil && c != domain.CodeSeatLimitReached {
				t.Logf("activation %d: %v", i, err)
			}
		}
	}
	c := e.counts(t, e.org.ID)
	if c.SeatsUsed != c.SeatsTotal {
		t.Errorf("seats used %d of %d, want all", c.SeatsUsed, c.SeatsTotal)
	}
	if n := seated(t, e, admin); n != c.SeatsUsed {
		t.Errorf("%d users hold a seat, the counter says %d", n, c.SeatsUsed)
	}
	// Without a password, the activated are invited.
	if c.Invited != freeSeats || c.Inactive != racers-freeSeats {
		t.Errorf("counts %+v, want %d invited and %d inactive", c, freeSeats, racers-freeSeats)
	}
}

func TestConcurrentInvitesNeverExceedTheSeats(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: races invites on moto; make test runs it")
	}
	t.Parallel()
	e, admin := newSeats(t, freeSeats+1)
	e.serialized()
	emails := make([]string, racers)
	for i := range emails {
		emails[i] = mailbox(fmt.Sprintf("racer%02d", i))
	}

	errs := race(racers, func(i int) error {
		_, err := e.people().Invite(context.Background(), admin, domain.Invite{NewUser: domain.NewUser{
			FirstName: "Racer", LastName: fmt.Sprintf("Nr%02d", i), Email: emails[i], Access: domain.AccessSubscription,
		}})
		return err
	})
	want := map[string]int{"ok": freeSeats, domain.CodeSeatLimitReached: racers - freeSeats}
	if diff := cmp.Diff(want, outcomes(errs)); diff != "" {
		t.Errorf("outcomes of %d invitations for %d free seats (-want +got):\n%s", racers, freeSeats, diff)
		for i, err := range errs {
			if c := domain.ErrorCode(err); err != nil && c != domain.CodeSeatLimitReached {
				t.Logf("invitation %d: %v", i, err)
			}
		}
	}
	c := e.counts(t, e.org.ID)
	if c.SeatsUsed != c.SeatsTotal {
		t.Errorf("seats used %d of %d, want all", c.SeatsUsed, c.SeatsTotal)
	}
	if n := seated(t, e, admin); n != c.SeatsUsed {
		t.Errorf("%d users hold a seat, the counter says %d", n, c.SeatsUsed)
	}
	if c.Invited != freeSeats {
		t.Errorf("%d invited, want %d", c.Invited, freeSeats)
	}
	for i, err := range errs {
		_, found := e.app.Store.FindUserByEmail(context.Background(), emails[i])
		if (err == nil) != (found == nil) {
			t.Errorf("invitation %d answered %v, but FindUserByEmail says %v", i, err, found)
		}
	}
}
