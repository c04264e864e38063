package domain_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

// newModules is an organization with the demo catalog loaded.
func newModules(t *testing.T) (*env, *domain.Principal) {
	t.Helper()
	e, admin := newSeats(t, 5)
	e.loadDemoCatalog(t)
	return e, admin
}

func (e *env) modules() *domain.Modules { return e.app.Services.Modules }

func TestModuleLifecycle(t *testing.T) {
	t.Parallel()
	e, admin := newModules(t)
	ctx := context.Background()

	m, err := e.modules().Create(ctx, admin, domain.ModuleInput{
		Name: "  Network fundamentals ", Description: "Addressing and VLANs.\nThen OSPF.",
		ItemIDs: []string{"course-ccna", "ep-ccna-routing-05", "lab-vlans", "exam-ccna"},
	})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if m.Name != "Network fundamentals" || m.Revision != 1 || len(m.Items) != 4 || !domain.ValidID(m.ID) {
		t.Errorf("created %+v, want the trimmed name, revision 1 and 4 items", m)
	}
	wantKinds := []string{domain.KindCourse, domain.KindEpisode, domain.KindLab, domain.KindExam}
	total := 0
	for i, it := range m.Items {
		if it.Kind != wantKinds[i] || it.Title == "" || it.Seconds <= 0 {
			t.Errorf("item %d = %+v, want a %s with its title and duration", i, it, wantKinds[i])
		}
		total += it.Seconds
	}
	if m.Seconds != total || e.calls.Count("BatchGetItem") != 1 || e.calls.Count("TransactWriteItems") != 1 {
		t.Errorf("seconds %d (want %d); calls %v, want one BatchGetItem and one TransactWriteItems (the module and its audit entry)", m.Seconds, total, e.calls.Snapshot())
	}

	got, err := e.modules().Get(ctx, admin, m.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if diff := cmp.Diff(m, got); diff != "" {
		t.Errorf("Get (-created +got):\n%s", diff)
	}

	// Reorder, remove, add and rename at once.
	edited, err := e.modules().Update(ctx, admin, m.ID, domain.ModuleInput{
		Name: "Networking 101", Description: m.Description, Revision: 1,
		ItemIDs: []string{"exam-ccna", "lab-vlans", "lab-ospf", "course-ccna"},
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	var ids []string
	for _, it := range edited.Items {
		ids = append(ids, it.ID)
	}
	if edited.Name != "Networking 101" || edited.Revision != 2 || !slices.Equal(ids, []string{"exam-ccna", "lab-vlans", "lab-ospf", "course-ccna"}) {
		t.Errorf("edited: %q revision %d items %v", edited.Name, edited.Revision, ids)
	}

	// Someone else saved meanwhile: revision 1 is stale.
	_, err = e.modules().Update(ctx, admin, m.ID, domain.ModuleInput{Name: "Mine", ItemIDs: []string{"lab-vlans"}, Revision: 1})
	codedError(t, "Update of a stale revision", err, domain.CodeConflict)

	cp, err := e.modules().Duplicate(ctx, admin, m.ID, "")
	if err != nil {
		t.Fatalf("Duplicate: %v", err)
	}
	if cp.ID == m.ID || cp.Name != "Copy of Networking 101" || cp.Revision != 1 || cp.Assignments != 0 || !cmp.Equal(cp.Items, edited.Items) {
		t.Errorf("copy %+v, want a new module named Copy of Networking 101 with the same items", cp)
	}
	named, err := e.modules().Duplicate(ctx, admin, m.ID, "Networking for Support")
	if err != nil || named.Name != "Networking for Support" {
		t.Errorf("Duplicate with a name: %q, %v", named.Name, err)
	}

	list, err := e.modules().List(ctx, admin)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var names []string
	for _, l := range list {
		names = append(names, l.Name)
	}
	if diff := cmp.Diff([]string{"Copy of Networking 101", "Networking 101", "Networking for Support"}, names); diff != "" {
		t.Errorf("List by name (-want +got):\n%s", diff)
	}

	if err := e.modules().Delete(ctx, admin, m.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err = e.modules().Get(ctx, admin, m.ID)
	codedError(t, "Get after Delete", err, domain.CodeNotFound)
	codedError(t, "Delete again", e.modules().Delete(ctx, admin, m.ID), domain.CodeNotFound)
}

func TestModuleBadInputIsRefusedAndWritesNothing(t *testing.T) {
	t.Parallel()
	e, admin := newModules(t)
	ctx := context.Background()
	m, err := e.modules().Create(ctx, admin, domain.ModuleInput{Name: "Keep me", ItemIDs: []string{"lab-vlans"}})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	many := make([]string, domain.MaxModuleItems+1)
	for i := range many {
		many[i] = fmt.Sprintf("ep-ccna-%02d", i%12+1)
	}
	fifty := []string{}
	for _, c := range []string{"ccna", "ccna-switching", "ccna-routing", "net-services", "wireless"} {
		for i := 1; i <= 10; i++ {
			fifty = append(fifty, fmt.Sprintf("ep-%s-%02d", c, i))
		}
	}
	tests := []struct {
		name       string
		give       domain.ModuleInput
		wantFields []string
	}{
		{"no items", domain.ModuleInput{Name: "Empty"}, []string{"items"}},
		{"too many items", domain.ModuleInput{Name: "Huge", ItemIDs: append(slices.Clone(fifty), "lab-vlans")}, []string{"items"}},
		{"an unknown item", domain.ModuleInput{Name: "X", ItemIDs: []string{"lab-vlans", "course-ccna", "lab-nothing", "exam-ccna"}}, []string{"items[2]"}},
		{"not a catalog id", domain.ModuleInput{Name: "X", ItemIDs: []string{"Lab VLANs"}}, []string{"items[0]"}},
		{"an item twice", domain.ModuleInput{Name: "X", ItemIDs: []string{"lab-vlans", "exam-ccna", "lab-vlans"}}, []string{"items[2]"}},
		{"no name", domain.ModuleInput{Name: "   ", ItemIDs: []string{"lab-vlans"}}, []string{"name"}},
		{"name too long", domain.ModuleInput{Name: strings.Repeat("n", 101), ItemIDs: []string{"lab-vlans"}}, []string{"name"}},
		{"name with a direction override", domain.ModuleInput{Name: "Net\u202eevil", ItemIDs: []string{"lab-vlans"}}, []string{"name"}},
		{"description too long", domain.ModuleInput{Name: "X", Description: strings.Repeat("d", 1001), ItemIDs: []string{"lab-vlans"}}, []string{"description"}},
		{"everything wrong at once", domain.ModuleInput{Description: strings.Repeat("d", 1001)}, []string{"description", "items", "name"}},
	}
	if _, err := e.modules().Create(ctx, admin, domain.ModuleInput{Name: "Exactly fifty", ItemIDs: fifty}); err != nil {
		t.Errorf("a module of %d items: %v", len(fifty), err)
	}
	before, err := e.modules().List(ctx, admin)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	for _, tt := range tests {
		for _, action := range []string{"create", "update"} {
			t.Run(tt.name+", "+action, func(t *testing.T) {
				e.calls.Reset()
				var err error
				if action == "create" {
					_, err = e.modules().Create(ctx, admin, tt.give)
				} else {
					in := tt.give
					in.Revision = 1
					_, err = e.modules().Update(ctx, admin, m.ID, in)
				}
				ce := codedError(t, action, err, domain.CodeValidationFailed)
				if diff := cmp.Diff(tt.wantFields, slices.Sorted(maps.Keys(ce.Fields))); diff != "" {
					t.Errorf("fields at fault (-want +got):\n%s", diff)
				}
				if n := e.calls.Count("PutItem") + e.calls.Count("UpdateItem") + e.calls.Count("TransactWriteItems"); n != 0 {
					t.Errorf("refused input made %d writes", n)
				}
			})
		}
	}
	_, err = e.modules().Update(ctx, admin, m.ID, domain.ModuleInput{Name: "No revision", ItemIDs: []string{"lab-vlans"}})
	if ce := codedError(t, "Update without a revision", err, domain.CodeValidationFailed); ce.Fields["revision"] == "" {
		t.Errorf("fields %v, want revision named", ce.Fields)
	}
	after, err := e.modules().List(ctx, admin)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("refused input changed the modules (-before +after):\n%s", diff)
	}
}

func TestAnotherOrganizationsModuleIsNotFound(t *testing.T) {
	t.Parallel()
	e, admin := newModules(t)
	_, otherAdmin := e.createOrg(t, "Globex", 5)
	ctx := context.Background()
	theirs, err := e.modules().Create(ctx, principal(otherAdmin), domain.ModuleInput{Name: "Globex secrets", ItemIDs: []string{"lab-vlans"}})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	for _, id := range []string{theirs.ID, domain.NewID(), "not-an-id"} {
		_, err := e.modules().Get(ctx, admin, id)
		codedError(t, "Get "+id, err, domain.CodeNotFound)
		_, err = e.modules().Update(ctx, admin, id, domain.ModuleInput{Name: "Mine now", ItemIDs: []string{"lab-vlans"}, Revision: 1})
		codedError(t, "Update "+id, err, domain.CodeNotFound)
		_, err = e.modules().Duplicate(ctx, admin, id, "")
		codedError(t, "Duplicate "+id, err, domain.CodeNotFound)
		codedError(t, "Delete "+id, e.modules().Delete(ctx, admin, id), domain.CodeNotFound)
	}
	if mine, err := e.modules().List(ctx, admin); err != nil || len(mine) != 0 {
		t.Errorf("List: %d modules (%v), want none of the other organization's", len(mine), err)
	}
	got, err := e.app.Store.FindModule(ctx, otherAdmin.OrgID, theirs.ID)
	if err != nil || got.Name != "Globex secrets" || got.Revision != 1 {
		t.Errorf("their module after our attempts: %+v, %v; want it unchanged", got, err)
	}
}

func TestSeedDemoHasModulesFromTheCatalog(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	admin, err := d.app.Store.FindUserByEmail(context.Background(), domain.DemoAdminEmail)
	if err != nil {
		t.Fatalf("FindUserByEmail: %v", err)
	}
	mods, err := d.modules().List(context.Background(), principal(admin))
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(mods) < 3 {
		t.Fatalf("the demo has %d modules, want 3 or more", len(mods))
	}
	for _, m := range mods {
		got, err := d.modules().Get(context.Background(), principal(admin), m.ID)
		if err != nil {
			t.Fatalf("Get %s: %v", m.Name, err)
		}
		for _, it := range got.Items {
			if it.Retired || it.Seconds == 0 {
				t.Errorf("%s: item %+v is not a live catalog item", m.Name, it)
			}
		}
		if got.Seconds != m.Seconds || got.Description == "" {
			t.Errorf("%s: %d seconds listed, %d now; description %q", m.Name, m.Seconds, got.Seconds, got.Description)
		}
	}
}
