package domain_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"proportal/internal/domain"
	"proportal/internal/testenv"
)

// fiveThousand seeds 2,500 people of the organization and returns an upload
// of 5,000 rows: those 2,500 moved into Sales, and 2,500 new people invited
// with a seat (the organization has seats enough).
func fiveThousand(tb testing.TB, ie *importEnv) string {
	tb.Helper()
	users := make([]domain.User, 2500)
	for i := range users {
		users[i] = domain.User{
			ID: domain.NewID(), OrgID: ie.org.ID, FirstName: fmt.Sprint("Old", i), LastName: "Timer",
			Email: fmt.Sprintf("old%04d-%s@users.example", i, ie.org.ID[:6]), Status: domain.StatusInvited, Seat: true, CreatedAt: start,
		}
	}
	if err := ie.app.Store.ImportUsers(context.Background(), ie.org.ID, users, testenv.Entry(ie.org.ID, domain.AuditImportApplied)); err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("first name;last name;email;access;team\r\n")
	for i, u := range users {
		fmt.Fprintf(&b, "%s;%s;%s;;Sales\r\n", u.FirstName, u.LastName, u.Email)
		fmt.Fprintf(&b, "New%d;Hire;new%04d-%s@users.example;subscription;\r\n", i, i, ie.org.ID[:6])
	}
	return b.String()
}

// TestImportDryRunOf5000Rows pins the DynamoDB calls of the largest dry
// run: they follow the upload's size, never the organization's.
func TestImportDryRunOf5000Rows(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: seeds 2,500 people; make test runs it")
	}
	ie := newImportEnv(t, 6000)
	csv := fiveThousand(t, ie)
	ie.calls.Reset()
	began := time.Now()
	page := ie.dryRun(t, csv)
	took := time.Since(began)
	if c := page.Import.Counts; c[domain.OutcomeInvite] != 2500 || c[domain.OutcomeTeamChanged] != 2500 {
		t.Errorf("outcomes %v, want 2,500 invites and 2,500 team changes", c)
	}
	want := map[string]int{"GetItem": 1, "Query": 1, "BatchGetItem": 50 + 25, "TransactWriteItems": 1}
	for op, n := range want {
		if got := ie.calls.Count(op); got != n {
			t.Errorf("%d %s, want %d", got, op, n)
		}
	}
	if got, all := ie.calls.Total(), 78; got != all {
		t.Errorf("%d calls in all (%v), want %d", got, ie.calls.Snapshot(), all)
	}
	t.Logf("dry run of 5,000 rows (%d KiB): %s, %d parts, calls %v", len(csv)>>10, took.Round(time.Millisecond), len(page.Import.Parts), ie.calls.Snapshot())
}

// BenchmarkImportDryRun is the dry run of a 5,000-row upload (docs/
// decisions.md, "Bulk changes from a CSV"): wall time and DynamoDB calls.
func BenchmarkImportDryRun(b *testing.B) {
	clock := testenv.NewClock(start)
	a, calls := testenv.NewApp(b, clock.Now)
	e := &env{app: a, calls: calls, clock: clock, password: userPassword}
	e.org = domain.Organization{ID: domain.NewID(), Name: "Bench Corp", CreatedAt: start}
	admin := domain.User{
		ID: domain.NewID(), OrgID: e.org.ID, FirstName: "Grace", LastName: "Hopper", Email: mailbox("admin"),
		Status: domain.StatusActive, Seat: true, Admin: true, PasswordHash: userPasswordHash(), CreatedAt: start, Revision: 1,
	}
	sub := domain.Subscription{OrgID: e.org.ID, SeatsTotal: 6000, Features: domain.AllFeatures, StartsOn: start, EndsOn: start.AddDate(1, 0, 0)}
	if err := a.Store.CreateOrganization(context.Background(), e.org, sub, admin, nil, nil); err != nil {
		b.Fatal(err)
	}
	ie := withImports(b, e, principal(admin))
	csv := fiveThousand(b, ie)
	for b.Loop() {
		ie.calls.Reset()
		if _, err := ie.imports.Create(context.Background(), ie.p, "big.csv", []byte(csv)); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(ie.calls.Total()), "calls/op")
		b.ReportMetric(float64(ie.calls.Count("BatchGetItem")), "BatchGetItem/op")
	}
}
