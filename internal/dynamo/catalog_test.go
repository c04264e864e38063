package dynamo_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"proportal/catalog"
	"proportal/internal/domain"
	"proportal/internal/dynamo"
)

// demoCatalog is the catalog file of the repository, parsed.
func demoCatalog(t *testing.T) []domain.CatalogItem {
	t.Helper()
	items, err := domain.ParseCatalog(catalog.Demo)
	if err != nil {
		t.Fatalf("ParseCatalog(catalog/catalog.json): %v", err)
	}
	return items
}

func TestCatalogRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	items := demoCatalog(t)
	if err := e.store.PutCatalogItems(ctx, items); err != nil {
		t.Fatalf("PutCatalogItems: %v", err)
	}
	if n := e.calls.Count("BatchWriteItem"); n != (len(items)+24)/25 {
		t.Errorf("PutCatalogItems of %d items made %d BatchWriteItem calls, want %d (25 a call)", len(items), n, (len(items)+24)/25)
	}

	e.calls.Reset()
	all, err := e.store.FindCatalog(ctx)
	if err != nil {
		t.Fatalf("FindCatalog: %v", err)
	}
	if diff := cmp.Diff(map[string]int{"GetItem": 1, "Query": 1}, e.calls.Snapshot()); diff != "" {
		t.Errorf("FindCatalog, the first time: calls (-want +got):\n%s", diff)
	}
	byID := map[string]domain.CatalogItem{}
	for _, c := range all {
		byID[c.ID] = c
	}
	for _, want := range items {
		if diff := cmp.Diff(want, byID[want.ID]); diff != "" {
			t.Errorf("item %s after a round trip (-want +got):\n%s", want.ID, diff)
		}
	}
	if len(all) != len(items) {
		t.Errorf("FindCatalog returned %d items, want %d", len(all), len(items))
	}

	e.calls.Reset()
	found, err := e.store.FindCatalogItems(ctx, []string{"course-ccna", "lab-vlans", "ep-ccna-03", "nothing-here", "lab-vlans"})
	if err != nil {
		t.Fatalf("FindCatalogItems: %v", err)
	}
	if got := e.calls.Snapshot(); len(got) != 1 || got["BatchGetItem"] != 1 {
		t.Errorf("FindCatalogItems made %v, want one BatchGetItem", got)
	}
	if len(found) != 3 || found["nothing-here"].ID != "" {
		t.Errorf("FindCatalogItems found %d items (%v), want the 3 that exist", len(found), found)
	}
	course := found["course-ccna"]
	if course.Kind != domain.KindCourse || len(course.EpisodeIDs) == 0 || course.EpisodeIDs[2] != "ep-ccna-03" || course.Seconds <= 0 {
		t.Errorf("course-ccna = %+v, want a course with its episodes in order and their total length", course)
	}
	if ep := found["ep-ccna-03"]; ep.CourseID != "course-ccna" || ep.Position != 3 || ep.CourseTitle != course.Title {
		t.Errorf("ep-ccna-03 = %+v, want the third episode of course-ccna", ep)
	}
}

// A process keeps the catalog while its version stays; a load by another
// process changes the version, and the next read sees the new catalog.
func TestFindCatalogKeepsTheCatalogWhileItsVersionStays(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	items := demoCatalog(t)
	if err := e.store.PutCatalogItems(ctx, items); err != nil {
		t.Fatalf("PutCatalogItems: %v", err)
	}
	if _, err := e.store.FindCatalog(ctx); err != nil {
		t.Fatalf("FindCatalog: %v", err)
	}
	e.calls.Reset()
	again, err := e.store.FindCatalog(ctx)
	if err != nil {
		t.Fatalf("FindCatalog again: %v", err)
	}
	if diff := cmp.Diff(map[string]int{"GetItem": 1}, e.calls.Snapshot()); diff != "" || len(again) != len(items) {
		t.Errorf("FindCatalog of an unchanged catalog: %d items, calls (-want +got):\n%s", len(again), diff)
	}
	// The caller's copy is its own.
	again[0].Title = "Changed by a caller"

	// Another process (its own store on the table) renames a lab.
	other := dynamo.New(e.client, e.table)
	lab := items[len(items)-20]
	lab.Title = "Renamed by the new catalog file"
	if err := other.PutCatalogItems(ctx, []domain.CatalogItem{lab}); err != nil {
		t.Fatalf("PutCatalogItems of the other process: %v", err)
	}
	e.calls.Reset()
	fresh, err := e.store.FindCatalog(ctx)
	if err != nil {
		t.Fatalf("FindCatalog after the other load: %v", err)
	}
	if diff := cmp.Diff(map[string]int{"GetItem": 1, "Query": 1}, e.calls.Snapshot()); diff != "" {
		t.Errorf("FindCatalog after a load elsewhere: calls (-want +got):\n%s", diff)
	}
	for _, c := range fresh {
		if c.ID == lab.ID && c.Title != lab.Title {
			t.Errorf("%s is %q after the other process's load, want %q", c.ID, c.Title, lab.Title)
		}
		if c.Title == "Changed by a caller" {
			t.Errorf("a caller's change to its copy reached the kept catalog")
		}
	}
}

func TestFindCatalogItemsOfManyIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	items := demoCatalog(t)
	if err := e.store.PutCatalogItems(ctx, items); err != nil {
		t.Fatalf("PutCatalogItems: %v", err)
	}
	ids := make([]string, 150)
	for i := range ids {
		ids[i] = items[i].ID
	}
	e.calls.Reset()
	found, err := e.store.FindCatalogItems(ctx, ids)
	if err != nil {
		t.Fatalf("FindCatalogItems: %v", err)
	}
	if len(found) != 150 || e.calls.Count("BatchGetItem") != 2 {
		t.Errorf("150 ids: found %d in %d BatchGetItem calls, want 150 in 2 (100 a call)", len(found), e.calls.Count("BatchGetItem"))
	}
}
