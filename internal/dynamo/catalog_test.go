package dynamo_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"proportal/catalog"
	"proportal/internal/domain"
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
	if got := e.calls.Snapshot(); len(got) != 1 || got["Query"] != 1 {
		t.Errorf("FindCatalog made %v, want one Query", got)
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
