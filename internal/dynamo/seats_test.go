package dynamo_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"proportal/internal/domain"
)

// TestConcurrentSeatsNeverExceedTotal races 50 invitations with a seat for 10
// free seats.
//
// DynamoDB runs transactions in isolation, in some serial order. moto_server
// (5.2.1) does not: it serves each request on its own thread and applies a
// TransactWriteItems item by item, checking each condition and then writing,
// and undoes a cancelled one by putting back a copy of the whole table taken
// at its start. Two concurrent transactions can therefore both pass the seat
// condition, or one's rollback can erase the other's writes: run as is, this
// test saw 11 invitations succeed, or 11 seated users beside a counter of 10,
// in most runs under -race. So the store's client here sends one request at a
// time, which gives moto the serial order DynamoDB guarantees; the 50 callers
// still race through the store. (moto never answers TransactionConflict, so
// the store's retry of it is not exercised here.)
func TestConcurrentSeatsNeverExceedTotal(t *testing.T) {
	t.Parallel()
	const seats, racers = 10, 50
	e := newEnv(t, oneRequestAtATime)
	ctx := context.Background()
	o, _, _ := e.createOrg(t, seats, "grace@acme.example")

	users := make([]domain.User, racers)
	errs := make([]error, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range users {
		users[i] = user(o.ID, fmt.Sprintf("learner%02d@acme.example", i), true)
		wg.Go(func() {
			<-start
			errs[i] = e.store.CreateUser(ctx, users[i], nil)
		})
	}
	close(start)
	wg.Wait()

	codes := map[string]int{}
	for i, err := range errs {
		switch code := domain.ErrorCode(err); {
		case err == nil:
			codes["ok"]++
		case code == domain.CodeSeatLimitReached:
			codes[code]++
		default:
			codes[code]++
			t.Errorf("CreateUser %d: %v, want success or %s", i, err, domain.CodeSeatLimitReached)
		}
	}
	if codes["ok"] != seats || codes[domain.CodeSeatLimitReached] != racers-seats {
		t.Errorf("outcomes %v, want %d ok and %d %s", codes, seats, racers-seats, domain.CodeSeatLimitReached)
	}
	if got := e.seatsUsed(t, o.ID); got != seats {
		t.Errorf("seatsUsed = %d, want %d", got, seats)
	}
	seated := 0
	for _, u := range users {
		got, err := e.store.FindUserByID(ctx, o.ID, u.ID)
		switch {
		case err == nil && got.Seat:
			seated++
		case err != nil && domain.ErrorCode(err) != domain.CodeNotFound:
			t.Fatalf("FindUserByID: %v", err)
		}
	}
	if seated != seats {
		t.Errorf("%d seated users stored, want %d (the seat counter)", seated, seats)
	}
}

// oneRequestAtATime makes a configuration's HTTP client wait for each response
// before sending the next request. moto has finished a request by the time it
// answers, so requests take effect one after another, as if isolated.
func oneRequestAtATime(cfg *aws.Config) {
	cfg.HTTPClient = &serialHTTP{next: cfg.HTTPClient}
}

type serialHTTP struct {
	mu   sync.Mutex
	next aws.HTTPClient
}

func (s *serialHTTP) Do(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next.Do(r)
}
