package dynamo_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
	"proportal/internal/testenv"
)

// failNth makes the nth TransactWriteItems (counting from 1) fail before it
// reaches DynamoDB, once; the count is in *n.
func failNth(nth int32, n *atomic.Int32) func(*aws.Config) {
	return func(cfg *aws.Config) {
		cfg.APIOptions = append(cfg.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("failNth",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					if middleware.GetOperationName(ctx) == "TransactWriteItems" && n.Add(1) == nth {
						return middleware.InitializeOutput{}, middleware.Metadata{}, errors.New("injected failure")
					}
					return next.HandleInitialize(ctx, in)
				}), middleware.Before)
		})
	}
}

// newAssignment is an open assignment of orgID due on 2026-04-30 with
// people pending, and its content of two items (a course of two episodes and
// a lab).
func newAssignment(t *testing.T, e *env, orgID string, people []domain.PendingAssignee) (domain.Assignment, domain.AssignmentContent) {
	t.Helper()
	putOrganization(t, e, orgID)
	m := domain.Module{ID: domain.NewID(), OrgID: orgID, Name: "Network basics", Revision: 1, CreatedAt: t0, Items: []domain.ModuleItem{
		{ID: "course-net", Kind: domain.KindCourse, Title: "Networking"}, {ID: "lab-vlan", Kind: domain.KindLab, Title: "VLANs"},
	}}
	if err := e.store.CreateModule(context.Background(), m, testenv.Entry(orgID, domain.AuditModuleCreated)); err != nil {
		t.Fatalf("CreateModule: %v", err)
	}
	a := domain.Assignment{
		ID: domain.NewID(), OrgID: orgID, ModuleID: m.ID, ModuleName: m.Name, ItemCount: 2,
		DueOn: time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), Status: domain.AssignmentOpen,
		Pending: people, CreatedAt: t0, CreatedBy: domain.NewID(),
	}
	c := domain.AssignmentContent{AssignmentID: a.ID, Items: []domain.AssignmentItem{
		{ID: "course-net", Kind: domain.KindCourse, Title: "Networking", EpisodeIDs: []string{"ep-1", "ep-2"}},
		{ID: "lab-vlan", Kind: domain.KindLab, Title: "VLANs"},
	}}
	return a, c
}

// putOrganization writes a bare organization item (assignments need one:
// creating the first marks it as an organization with assignments).
func putOrganization(t *testing.T, e *env, orgID string) {
	t.Helper()
	_, err := e.client.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(e.table), Item: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "ORG#" + orgID}, "sk": &types.AttributeValueMemberS{Value: "ORG"},
		"id": &types.AttributeValueMemberS{Value: orgID}, "name": &types.AttributeValueMemberS{Value: "Org " + orgID},
	}})
	if err != nil {
		t.Fatalf("put organization: %v", err)
	}
}

// people are n pending people with made-up ids, the first half through team.
func people(n int, team string) []domain.PendingAssignee {
	out := make([]domain.PendingAssignee, n)
	for i := range out {
		out[i] = domain.PendingAssignee{UserID: domain.NewID()}
		if i < n/2 {
			out[i].TeamID = team
		}
	}
	return out
}

func assignees(a domain.Assignment, pending []domain.PendingAssignee) []domain.Assignee {
	out := make([]domain.Assignee, len(pending))
	for i, p := range pending {
		out[i] = domain.Assignee{
			AssignmentID: a.ID, OrgID: a.OrgID, UserID: p.UserID, TeamID: p.TeamID,
			SortName: fmt.Sprintf("person\x1f%04d", i), State: domain.ProgressNotStarted, ItemCount: a.ItemCount, AssignedAt: t0,
		}
	}
	return out
}

func TestWriteAssigneesInTransactionsOf100(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID, team := domain.NewID(), domain.NewID()
	pending := people(150, team)
	a, c := newAssignment(t, e, orgID, pending)
	if err := e.store.CreateAssignment(ctx, a, c, testenv.AnyEntry(domain.AuditAssignmentCreated)); err != nil {
		t.Fatalf("CreateAssignment: %v", err)
	}
	e.calls.Reset()
	got, err := e.store.WriteAssignees(ctx, a, assignees(a, pending))
	if err != nil {
		t.Fatalf("WriteAssignees: %v", err)
	}
	if n := e.calls.Count("TransactWriteItems"); n != 2 {
		t.Errorf("150 people took %d TransactWriteItems, want 2 (99 a transaction)", n)
	}
	want := domain.AssignmentCounts{Assignees: 150, NotStarted: 150}
	if got.Counts != want || len(got.Pending) != 0 {
		t.Errorf("after: counts %+v, %d pending; want %+v, none pending", got.Counts, len(got.Pending), want)
	}

	// Writing the same people again counts nobody twice.
	again, err := e.store.WriteAssignees(ctx, got, assignees(a, pending[:120]))
	if err != nil {
		t.Fatalf("WriteAssignees again: %v", err)
	}
	if again.Counts != want {
		t.Errorf("after writing 120 again: counts %+v, want %+v", again.Counts, want)
	}

	// One Query a page, by name; the team filter pages in code.
	e.calls.Reset()
	page, next, err := e.store.FindAssignees(ctx, orgID, a.ID, domain.AssigneeQuery{Limit: 100})
	if err != nil || len(page) != 100 || next == "" {
		t.Fatalf("first page: %d, next %q, %v", len(page), next, err)
	}
	if !slices.IsSortedFunc(page, func(x, y domain.Assignee) int { return cmpString(x.SortName, y.SortName) }) {
		t.Errorf("page not in name order")
	}
	teamPage, teamNext, err := e.store.FindAssignees(ctx, orgID, a.ID, domain.AssigneeQuery{TeamID: team, Limit: 50})
	if err != nil || len(teamPage) != 50 || teamNext == "" {
		t.Fatalf("team page: %d, next %q, %v", len(teamPage), teamNext, err)
	}
	rest, restNext, err := e.store.FindAssignees(ctx, orgID, a.ID, domain.AssigneeQuery{TeamID: team, Limit: 50, After: teamNext})
	if err != nil || len(rest) != 25 || restNext != "" {
		t.Fatalf("team page 2: %d, next %q, %v; want the last 25", len(rest), restNext, err)
	}
	if n := e.calls.Count("Query"); n != 3 {
		t.Errorf("3 pages made %d Queries", n)
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestWriteAssigneesFailingHalfWay: the fourth transaction (after the
// module's and the assignment's, the second of people) fails. The assignment then counts exactly the people written (99)
// and holds the others as pending; writing them again finishes it with exact
// counts.
func TestWriteAssigneesFailingHalfWay(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	e := newEnv(t, failNth(4, &n))
	ctx := context.Background()
	orgID := domain.NewID()
	pending := people(200, domain.NewID())
	a, c := newAssignment(t, e, orgID, pending)
	if err := e.store.CreateAssignment(ctx, a, c, testenv.AnyEntry(domain.AuditAssignmentCreated)); err != nil { // transaction 2, after the module's
		t.Fatalf("CreateAssignment: %v", err)
	}
	half, err := e.store.WriteAssignees(ctx, a, assignees(a, pending)) // 3 passes, 4 fails
	if err == nil {
		t.Fatal("WriteAssignees did not fail")
	}
	if want := (domain.AssignmentCounts{Assignees: 99, NotStarted: 99}); half.Counts != want || len(half.Pending) != 200-99 {
		t.Fatalf("after the failure: counts %+v, %d pending; want %+v, %d pending", half.Counts, len(half.Pending), want, 200-99)
	}
	stored, err := e.store.FindAssignment(ctx, orgID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(half, stored); diff != "" {
		t.Errorf("returned and stored differ:\n%s", diff)
	}
	// Each pending person is one not written.
	written, _, err := e.store.FindAssignees(ctx, orgID, a.ID, domain.AssigneeQuery{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range written {
		if slices.ContainsFunc(stored.Pending, func(p domain.PendingAssignee) bool { return p.UserID == w.UserID }) {
			t.Errorf("%s is written and pending", w.UserID)
		}
	}
	// The retry writes the pending people, and the ones written before again:
	// those are taken as they are.
	done, err := e.store.WriteAssignees(ctx, stored, assignees(a, pending))
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if want := (domain.AssignmentCounts{Assignees: 200, NotStarted: 200}); done.Counts != want || len(done.Pending) != 0 {
		t.Errorf("after the retry: counts %+v, %d pending; want %+v, none", done.Counts, len(done.Pending), want)
	}
}

func TestSaveProgressMovesCounters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID := domain.NewID()
	pending := people(3, "")
	a, c := newAssignment(t, e, orgID, pending)
	if err := e.store.CreateAssignment(ctx, a, c, testenv.AnyEntry(domain.AuditAssignmentCreated)); err != nil {
		t.Fatal(err)
	}
	list := assignees(a, pending)
	if _, err := e.store.WriteAssignees(ctx, a, list); err != nil {
		t.Fatal(err)
	}
	before := list[0]
	before.Revision = 0
	after := before
	after.State, after.Done, after.ItemsDone, after.StartedAt = domain.ProgressInProgress, []string{"lab-vlan"}, 1, t0
	if err := e.store.SaveProgress(ctx, orgID, []domain.ProgressChange{{Before: before, After: after}}); err != nil {
		t.Fatalf("SaveProgress: %v", err)
	}
	got, err := e.store.FindAssignment(ctx, orgID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := (domain.AssignmentCounts{Assignees: 3, NotStarted: 2, InProgress: 1}); got.Counts != want {
		t.Errorf("counts %+v, want %+v", got.Counts, want)
	}
	// The same change again is refused: its revision is gone.
	err = e.store.SaveProgress(ctx, orgID, []domain.ProgressChange{{Before: before, After: after}})
	wantCode(t, "saving an old revision", err, domain.CodeConflict)
	byState, _, err := e.store.FindAssignees(ctx, orgID, a.ID, domain.AssigneeQuery{State: domain.ProgressInProgress, Limit: 10})
	if err != nil || len(byState) != 1 || byState[0].UserID != before.UserID || byState[0].Revision != 1 {
		t.Errorf("in progress: %+v, %v; want %s at revision 1", byState, err, before.UserID)
	}
	mine, err := e.store.FindUserAssignees(ctx, orgID, before.UserID)
	if err != nil || len(mine) != 1 || mine[0].State != domain.ProgressInProgress {
		t.Errorf("the user's assignments: %+v, %v", mine, err)
	}
}

func TestAssignmentDueAndCancel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID := domain.NewID()
	a, c := newAssignment(t, e, orgID, people(1, ""))
	if err := e.store.CreateAssignment(ctx, a, c, testenv.AnyEntry(domain.AuditAssignmentCreated)); err != nil {
		t.Fatal(err)
	}
	if m, err := e.store.FindModule(ctx, orgID, a.ModuleID); err != nil || m.Assignments != 1 {
		t.Errorf("the module counts %d open assignments (%v), want 1", m.Assignments, err)
	}
	due := time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC)
	got, err := e.store.SetAssignmentDue(ctx, orgID, a.ID, due, testenv.AnyEntry(domain.AuditAssignmentUpdated))
	if err != nil || !got.DueOn.Equal(due) {
		t.Fatalf("SetAssignmentDue: %v, %v", got.DueOn, err)
	}
	if _, err := e.store.CancelAssignment(ctx, orgID, a.ID, a.ModuleID, t0, testenv.AnyEntry(domain.AuditAssignmentCancelled)); err != nil {
		t.Fatalf("CancelAssignment: %v", err)
	}
	if m, err := e.store.FindModule(ctx, orgID, a.ModuleID); err != nil || m.Assignments != 0 {
		t.Errorf("after cancelling, the module counts %d open assignments (%v), want 0", m.Assignments, err)
	}
	open, _, err := e.store.FindAssignments(ctx, orgID, domain.AssignmentOpen, 10, "")
	if err != nil || len(open) != 0 {
		t.Errorf("open after cancelling: %d, %v", len(open), err)
	}
	cancelled, _, err := e.store.FindAssignments(ctx, orgID, domain.AssignmentCancelled, 10, "")
	if err != nil || len(cancelled) != 1 || cancelled[0].Status != domain.AssignmentCancelled {
		t.Errorf("cancelled: %+v, %v", cancelled, err)
	}
	_, err = e.store.SetAssignmentDue(ctx, orgID, a.ID, due, testenv.AnyEntry(domain.AuditAssignmentUpdated))
	wantCode(t, "due date of a cancelled assignment", err, domain.CodeConflict)
	_, err = e.store.CancelAssignment(ctx, domain.NewID(), a.ID, a.ModuleID, t0, testenv.AnyEntry(domain.AuditAssignmentCancelled))
	wantCode(t, "cancel as another org", err, domain.CodeNotFound)
	err = e.store.AddPending(ctx, orgID, a.ID, people(1, ""), nil, nil, testenv.AnyEntry(domain.AuditAssignmentPeopleAdded))
	wantCode(t, "add to a cancelled assignment", err, domain.CodeConflict)
}
