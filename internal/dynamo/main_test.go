// The store's tests run against moto_server through the real SDK, each on its
// own table. They are in package dynamo_test because internal/testenv imports
// this package: an in-package test importing testenv would be an import cycle.
package dynamo_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
	"proportal/internal/dynamo"
	"proportal/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// env is one test's store on a fresh table, with the client beneath it and the
// count of SDK calls made through both.
type env struct {
	store  *dynamo.Store
	client *dynamodb.Client
	table  string
	calls  *testenv.Calls
}

// newEnv gives a test its own table, with options applied to the SDK
// configuration. When the test ends it fails the test if any Scan was made: the
// store must answer every request with GetItem or Query.
func newEnv(t *testing.T, opts ...func(*aws.Config)) *env {
	t.Helper()
	cfg, calls := testenv.AWSConfig(t)
	for _, o := range opts {
		o(&cfg)
	}
	client := dynamodb.NewFromConfig(cfg)
	table := testenv.NewTable(t, client)
	calls.Reset()
	// Registered after NewTable's cleanup, so it runs before the table is deleted.
	t.Cleanup(func() {
		if n := calls.Count("Scan"); n != 0 {
			t.Errorf("the store made %d Scan calls; every access pattern must be a GetItem or Query", n)
		}
	})
	return &env{store: dynamo.New(client, table), client: client, table: table, calls: calls}
}

// cmp compares time.Time with its Equal method, so a time read back in another
// zone or without its monotonic reading still equals the one written.
// t0 has nanoseconds and a non-UTC zone, so round trips show whether either is lost.
var t0 = time.Date(2026, 3, 10, 9, 30, 15, 123456789, time.FixedZone("CET", 3600))

// org is an organization and subscription with seatsTotal seats, none used,
// from March 1 2026 to February 28 2027.
func org(seatsTotal int) (domain.Organization, domain.Subscription) {
	o := domain.Organization{ID: domain.NewID(), Name: "Acme Corp", CreatedAt: t0}
	s := domain.Subscription{
		OrgID: o.ID, SeatsTotal: seatsTotal,
		StartsOn: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		EndsOn:   time.Date(2027, 2, 28, 0, 0, 0, 0, time.UTC),
		Features: []string{domain.FeatureCourses, domain.FeatureLabs},
	}
	return o, s
}

// user is an active user of orgID with an email and, when seat is set, a seat.
func user(orgID, email string, seat bool) domain.User {
	return domain.User{
		ID: domain.NewID(), OrgID: orgID, FirstName: "Ada", LastName: "Lovelace", Email: email,
		Status: domain.StatusActive, Seat: seat, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		CreatedAt: t0,
	}
}

// admin is an invited admin without a seat, the first user of orgID.
func admin(orgID, email string) domain.User {
	return domain.User{
		ID: domain.NewID(), OrgID: orgID, FirstName: "Grace", LastName: "Hopper", Email: email,
		Status: domain.StatusInvited, Admin: true, CreatedAt: t0,
	}
}

// createOrg stores a new organization with seatsTotal seats (none used) and an
// admin without a seat, and returns them.
func (e *env) createOrg(t *testing.T, seatsTotal int, adminEmail string) (domain.Organization, domain.Subscription, domain.User) {
	t.Helper()
	o, s := org(seatsTotal)
	a := admin(o.ID, adminEmail)
	if err := e.store.CreateOrganization(context.Background(), o, s, a, nil, nil); err != nil {
		t.Fatalf("CreateOrganization: %v", err)
	}
	return o, s, a
}

// seatsUsed reads an organization's seat counter.
func (e *env) seatsUsed(t *testing.T, orgID string) int {
	t.Helper()
	sub, err := e.store.FindSubscription(context.Background(), orgID)
	if err != nil {
		t.Fatalf("FindSubscription: %v", err)
	}
	return sub.SeatsUsed
}

// rawItem reads an item by key straight from the table, bypassing the store;
// nil when there is none.
func (e *env) rawItem(t *testing.T, pk, sk string) map[string]types.AttributeValue {
	t.Helper()
	key, err := attributevalue.MarshalMap(map[string]string{"pk": pk, "sk": sk})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(e.table), Key: key})
	if err != nil {
		t.Fatalf("GetItem %s/%s: %v", pk, sk, err)
	}
	return out.Item
}

// wantCode fails the test unless err carries code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}
