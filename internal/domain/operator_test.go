package domain_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
	"proportal/internal/testenv"
)

func acmeInput() domain.NewOrganization {
	return domain.NewOrganization{
		Name: "Acme Corp", Seats: 25, StartsOn: "2026-01-01", EndsOn: "2026-12-31",
		Admin: domain.NewUser{FirstName: "Ada", LastName: "Lovelace", Email: "IT@Acme.example"},
	}
}

func TestCreateOrganization(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(start)
	a, _ := testenv.NewApp(t, clock.Now)
	ctx := context.Background()
	opened, err := a.Operator.CreateOrganization(ctx, acmeInput())
	if err != nil {
		t.Fatalf("CreateOrganization: %v", err)
	}

	wantAdmin := domain.User{
		ID: opened.Admin.ID, OrgID: opened.Organization.ID, FirstName: "Ada", LastName: "Lovelace",
		Email: "it@acme.example", Status: domain.StatusInvited, Admin: true, CreatedAt: start,
		// The invite link is the admin's one outstanding link; the user was saved once.
		InviteTokenHash: domain.HashToken(opened.InviteToken), Revision: 1,
	}
	stored, err := a.Store.FindUserByEmail(ctx, "it@acme.example")
	if err != nil {
		t.Fatalf("FindUserByEmail of the admin: %v", err)
	}
	if diff := cmp.Diff(wantAdmin, stored); diff != "" {
		t.Errorf("stored admin mismatch (-want +got):\n%s", diff)
	}

	sub, err := a.Store.FindSubscription(ctx, opened.Organization.ID)
	if err != nil {
		t.Fatalf("FindSubscription: %v", err)
	}
	wantSub := domain.Subscription{
		OrgID: opened.Organization.ID, SeatsTotal: 25, SeatsUsed: 0, Features: domain.AllFeatures,
		StartsOn: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
	}
	if diff := cmp.Diff(wantSub, sub); diff != "" {
		t.Errorf("stored subscription mismatch (-want +got):\n%s", diff)
	}
	if want := start.Add(inviteTTL); !opened.InviteEnds.Equal(want) {
		t.Errorf("InviteEnds = %v, want %v", opened.InviteEnds, want)
	}
}

func TestCreateOrganizationStoresOnlyTheInviteHash(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(start)
	a, _ := testenv.NewApp(t, clock.Now)
	opened, err := a.Operator.CreateOrganization(context.Background(), acmeInput())
	if err != nil {
		t.Fatalf("CreateOrganization: %v", err)
	}
	token := opened.InviteToken
	if len(token) != 43 || !domain.ValidTokenShape(token) {
		t.Fatalf("invite token %q is not a 43-character token", token)
	}

	// The token item is not reachable through domain.Store; read the table.
	getToken := func(t *testing.T, key string) map[string]any {
		t.Helper()
		k, _ := attributevalue.MarshalMap(map[string]string{"pk": "TOKEN#" + key, "sk": "TOKEN"})
		out, err := a.Dynamo.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(a.Config.TableName), Key: k})
		if err != nil {
			t.Fatalf("GetItem: %v", err)
		}
		if out.Item == nil {
			return nil
		}
		var item map[string]any
		if err := attributevalue.UnmarshalMap(out.Item, &item); err != nil {
			t.Fatal(err)
		}
		return item
	}
	item := getToken(t, domain.HashToken(token))
	if item == nil {
		t.Fatal("no token item under TOKEN#<sha256 of the invite token>")
	}
	want := map[string]any{"purpose": domain.PurposeInvite, "orgId": opened.Organization.ID, "userId": opened.Admin.ID}
	got := map[string]any{"purpose": item["purpose"], "orgId": item["orgId"], "userId": item["userId"]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("invite token item mismatch (-want +got):\n%s", diff)
	}
	if getToken(t, token) != nil {
		t.Error("the invite token itself is stored as a key")
	}
}

func TestCreateOrganizationEmailInUse(t *testing.T) {
	t.Parallel()
	a, _ := testenv.NewApp(t, nil)
	ctx := context.Background()
	if _, err := a.Operator.CreateOrganization(ctx, acmeInput()); err != nil {
		t.Fatalf("CreateOrganization: %v", err)
	}
	again := acmeInput()
	again.Name = "Acme Two"
	again.Admin.Email = "it@ACME.example"
	_, err := a.Operator.CreateOrganization(ctx, again)
	codedError(t, "CreateOrganization with a taken admin email", err, domain.CodeEmailInUse)
}

func TestCreateOrganizationValidation(t *testing.T) {
	t.Parallel()
	a, calls := testenv.NewApp(t, nil)
	tests := []struct {
		name       string
		give       func(*domain.NewOrganization)
		wantFields []string
	}{
		{"no name", func(n *domain.NewOrganization) { n.Name = " " }, []string{"name"}},
		{"no seats", func(n *domain.NewOrganization) { n.Seats = 0 }, []string{"seats"}},
		{"ends before it starts", func(n *domain.NewOrganization) { n.EndsOn = "2025-12-31" }, []string{"endsOn"}},
		{"admin email with a display name", func(n *domain.NewOrganization) { n.Admin.Email = "Bob <b@x.com>" }, []string{"admin.email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := acmeInput()
			tt.give(&n)
			calls.Reset()
			_, err := a.Operator.CreateOrganization(context.Background(), n)
			e := codedError(t, "CreateOrganization", err, domain.CodeValidationFailed)
			if diff := cmp.Diff(tt.wantFields, slices.Sorted(maps.Keys(e.Fields))); diff != "" {
				t.Errorf("fields at fault (-want +got):\n%s", diff)
			}
			if n := calls.Total(); n != 0 {
				t.Errorf("invalid input made %d AWS calls, want none", n)
			}
		})
	}
}

func TestSeedDemoTwice(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	ctx := context.Background()
	again, err := d.app.Operator.SeedDemo(ctx, "another-password")
	if err != nil {
		t.Fatalf("second SeedDemo: %v", err)
	}
	if again.Created || again.Organization.ID != d.org.ID {
		t.Errorf("second SeedDemo: Created %v, org %q; want false and the first demo org %q", again.Created, again.Organization.ID, d.org.ID)
	}
	if n := d.calls.Count("TransactWriteItems"); n != 0 {
		t.Errorf("second SeedDemo made %d write transactions, want none", n)
	}
	sub, err := d.app.Store.FindSubscription(ctx, d.org.ID)
	if err != nil {
		t.Fatalf("FindSubscription: %v", err)
	}
	if sub.SeatsUsed != 31 {
		t.Errorf("seatsUsed = %d after a second SeedDemo, want 31", sub.SeatsUsed)
	}
	if _, err := d.login(domain.DemoAdminEmail, demoPassword); err != nil {
		t.Errorf("Login with the first password after a second SeedDemo: %v", err)
	}
}
