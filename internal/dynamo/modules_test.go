package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
	"proportal/internal/dynamo"
	"proportal/internal/testenv"
)

// module is a module of orgID with two items.
func module(orgID, name string) domain.Module {
	return domain.Module{
		ID: domain.NewID(), OrgID: orgID, Name: name, Description: "For the service desk.",
		Items: []domain.ModuleItem{
			{ID: "course-ccna", Kind: domain.KindCourse, Title: "CCNA", Seconds: 9000},
			{ID: "lab-vlans", Kind: domain.KindLab, Title: "VLANs", Seconds: 2400, Retired: true},
		},
		Seconds: 11400, CreatedAt: t0, UpdatedAt: t0, Revision: 1,
	}
}

func TestModuleRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID := domain.NewID()
	m := module(orgID, "Network fundamentals")
	if err := e.store.CreateModule(ctx, m, testenv.Entry(orgID, domain.AuditModuleCreated)); err != nil {
		t.Fatalf("CreateModule: %v", err)
	}
	got, err := e.store.FindModule(ctx, orgID, m.ID)
	if err != nil {
		t.Fatalf("FindModule: %v", err)
	}
	if diff := cmp.Diff(m, got); diff != "" {
		t.Errorf("FindModule (-want +got):\n%s", diff)
	}
	wantCode(t, "CreateModule again", e.store.CreateModule(ctx, m, testenv.Entry(orgID, domain.AuditModuleCreated)), domain.CodeConflict)

	// Another organization's id finds nothing there.
	_, err = e.store.FindModule(ctx, domain.NewID(), m.ID)
	wantCode(t, "FindModule in another organization", err, domain.CodeNotFound)

	other := module(orgID, "AWS onboarding")
	if err := e.store.CreateModule(ctx, other, testenv.Entry(orgID, domain.AuditModuleCreated)); err != nil {
		t.Fatalf("CreateModule: %v", err)
	}
	elsewhere := module(domain.NewID(), "Elsewhere")
	if err := e.store.CreateModule(ctx, elsewhere, testenv.Entry(elsewhere.OrgID, domain.AuditModuleCreated)); err != nil {
		t.Fatalf("CreateModule: %v", err)
	}
	e.calls.Reset()
	mods, err := e.store.FindModules(ctx, orgID)
	if err != nil {
		t.Fatalf("FindModules: %v", err)
	}
	if len(mods) != 2 || e.calls.Count("Query") != 1 {
		t.Errorf("FindModules: %d modules in %d Query calls, want the organization's 2 in one", len(mods), e.calls.Count("Query"))
	}
}

func TestUpdateModuleIsConditionedOnTheRevision(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID := domain.NewID()
	m := module(orgID, "Network fundamentals")
	m.Assignments = 3
	if err := e.store.CreateModule(ctx, m, testenv.Entry(orgID, domain.AuditModuleCreated)); err != nil {
		t.Fatalf("CreateModule: %v", err)
	}
	edit := m
	edit.Name, edit.Items, edit.Seconds, edit.Revision = "Networking 101", edit.Items[:1], 9000, 2
	edit.UpdatedAt = t0.Add(time.Hour)
	edit.Assignments = 0 // an edit never writes the count
	if err := e.store.UpdateModule(ctx, edit, 1, testenv.Entry(orgID, domain.AuditModuleUpdated)); err != nil {
		t.Fatalf("UpdateModule: %v", err)
	}
	got, err := e.store.FindModule(ctx, orgID, m.ID)
	if err != nil {
		t.Fatalf("FindModule: %v", err)
	}
	edit.Assignments = 3
	if diff := cmp.Diff(edit, got); diff != "" {
		t.Errorf("after UpdateModule (-want +got):\n%s", diff)
	}

	stale := edit
	stale.Name = "Lost update"
	wantCode(t, "UpdateModule of an old revision", e.store.UpdateModule(ctx, stale, 1, testenv.Entry(orgID, domain.AuditModuleUpdated)), domain.CodeConflict)
	if got, _ := e.store.FindModule(ctx, orgID, m.ID); got.Name != "Networking 101" {
		t.Errorf("a refused update wrote the name %q", got.Name)
	}
	gone := module(orgID, "Never stored")
	wantCode(t, "UpdateModule of a module that does not exist", e.store.UpdateModule(ctx, gone, 1, testenv.Entry(orgID, domain.AuditModuleUpdated)), domain.CodeNotFound)
	if item := e.rawItem(t, "ORG#"+orgID, "MODULE#"+gone.ID); item != nil {
		t.Errorf("UpdateModule of a missing module created %v", item)
	}
}

func TestDeleteModule(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID := domain.NewID()
	m := module(orgID, "Network fundamentals")
	if err := e.store.CreateModule(ctx, m, testenv.Entry(orgID, domain.AuditModuleCreated)); err != nil {
		t.Fatalf("CreateModule: %v", err)
	}
	wantCode(t, "DeleteModule in another organization", e.store.DeleteModule(ctx, domain.NewID(), m.ID, 1, testenv.Entry(orgID, domain.AuditModuleDeleted)), domain.CodeNotFound)
	if err := e.store.DeleteModule(ctx, orgID, m.ID, 1, testenv.Entry(orgID, domain.AuditModuleDeleted)); err != nil {
		t.Fatalf("DeleteModule: %v", err)
	}
	_, err := e.store.FindModule(ctx, orgID, m.ID)
	wantCode(t, "FindModule after DeleteModule", err, domain.CodeNotFound)
	wantCode(t, "DeleteModule again", e.store.DeleteModule(ctx, orgID, m.ID, 1, testenv.Entry(orgID, domain.AuditModuleDeleted)), domain.CodeNotFound)
}

func TestModuleAssignmentCountLeavesTheRevisionAlone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orgID := domain.NewID()
	m := module(orgID, "Network fundamentals")
	if err := e.store.CreateModule(ctx, m, testenv.Entry(orgID, domain.AuditModuleCreated)); err != nil {
		t.Fatalf("CreateModule: %v", err)
	}
	for _, delta := range []int{1, 1, -1} {
		if err := dynamo.CountModuleAssignments(ctx, e.store, orgID, m.ID, delta); err != nil {
			t.Fatalf("count %+d: %v", delta, err)
		}
	}
	got, err := e.store.FindModule(ctx, orgID, m.ID)
	if err != nil {
		t.Fatalf("FindModule: %v", err)
	}
	if got.Assignments != 1 || got.Revision != 1 {
		t.Errorf("after +1 +1 -1: assignments %d, revision %d; want 1 and the revision as it was (1)", got.Assignments, got.Revision)
	}
	// An admin's edit of the revision read before the assignments is no conflict.
	m.Name, m.Revision = "Renamed", 2
	if err := e.store.UpdateModule(ctx, m, 1, testenv.Entry(orgID, domain.AuditModuleUpdated)); err != nil {
		t.Errorf("UpdateModule after assignments were counted: %v", err)
	}
	err = dynamo.CountModuleAssignments(ctx, e.store, orgID, domain.NewID(), 1)
	wantCode(t, "counting an assignment of a module that does not exist", err, domain.CodeNotFound)
}
