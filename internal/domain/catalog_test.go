package domain_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"proportal/catalog"
	"proportal/internal/domain"
)

// loadDemoCatalog loads catalog/catalog.json on the env's table.
func (e *env) loadDemoCatalog(t *testing.T) []domain.CatalogItem {
	t.Helper()
	items, err := domain.ParseCatalog(catalog.Demo)
	if err != nil {
		t.Fatalf("ParseCatalog(catalog/catalog.json): %v", err)
	}
	if _, err := e.app.Operator.LoadCatalog(context.Background(), items); err != nil {
		t.Fatalf("LoadCatalog: %v", err)
	}
	e.calls.Reset()
	return items
}

func TestDemoCatalogIsBigEnough(t *testing.T) {
	items, err := domain.ParseCatalog(catalog.Demo)
	if err != nil {
		t.Fatalf("ParseCatalog(catalog/catalog.json): %v", err)
	}
	kinds := map[string]int{}
	topics := map[string]bool{}
	for _, c := range items {
		kinds[c.Kind]++
		topics[c.Topic] = true
	}
	if kinds[domain.KindCourse] < 25 || kinds[domain.KindEpisode] < 300 || kinds[domain.KindLab] < 30 {
		t.Errorf("the demo catalog has %v; the product promises at least 25 courses, 300 episodes and 30 labs", kinds)
	}
	for _, topic := range []string{"Networking", "Security", "Cloud", "Linux", "Windows Server", "Databases", "Programming"} {
		if !topics[topic] {
			t.Errorf("the demo catalog has no %s", topic)
		}
	}
}

func TestParseCatalogSaysWhatIsWrong(t *testing.T) {
	tests := []struct {
		name       string
		give       string
		wantFields []string
	}{
		{"episode without a duration", `{"courses":[{"id":"course-a","topic":"T","title":"A","episodes":[{"id":"ep-a-1","title":"One","seconds":0}]}]}`,
			[]string{"courses[0].episodes[0].seconds"}},
		{"same id twice", `{"courses":[{"id":"course-a","topic":"T","title":"A","episodes":[{"id":"x-1","title":"One","seconds":60}]}],"labs":[{"id":"x-1","topic":"T","title":"Lab","minutes":30}]}`,
			[]string{"labs[0].id"}},
		{"id not lower-case", `{"labs":[{"id":"Lab_1","topic":"T","title":"Lab","minutes":30}]}`, []string{"labs[0].id"}},
		{"course without episodes", `{"courses":[{"id":"course-a","topic":"T","title":"A","episodes":[]}]}`, []string{"courses[0].episodes"}},
		{"exam without a title or time", `{"exams":[{"id":"exam-a","topic":"T","title":" ","minutes":9999}]}`,
			[]string{"exams[0].minutes", "exams[0].title"}},
		{"empty", `{}`, []string{"courses"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := domain.ParseCatalog([]byte(tt.give))
			e := codedError(t, "ParseCatalog", err, domain.CodeValidationFailed)
			if diff := cmp.Diff(tt.wantFields, slices.Sorted(maps.Keys(e.Fields))); diff != "" {
				t.Errorf("fields at fault (-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{`{"courses":`, `{"lessons":[]}`, `[]`} {
		_, err := domain.ParseCatalog([]byte(bad))
		codedError(t, "ParseCatalog of "+bad, err, domain.CodeValidationFailed)
	}
}

func TestLoadCatalogTwiceChangesNothingAndAChangedFileUpdates(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	items := e.loadDemoCatalog(t)

	again, err := e.app.Operator.LoadCatalog(ctx, items)
	if err != nil {
		t.Fatalf("LoadCatalog again: %v", err)
	}
	if again != (domain.CatalogLoad{Unchanged: len(items)}) || e.calls.Count("BatchWriteItem") != 0 {
		t.Errorf("second load: %+v with %d BatchWriteItem calls; want all %d unchanged and nothing written", again, e.calls.Count("BatchWriteItem"), len(items))
	}

	// A module uses an episode and a lab; the new file renames the episode,
	// changes its length and drops the lab.
	m, err := e.app.Services.Modules.Create(ctx, admin, domain.ModuleInput{Name: "Switching", ItemIDs: []string{"ep-ccna-04", "lab-stp"}})
	if err != nil {
		t.Fatalf("Create module: %v", err)
	}
	var changed []domain.CatalogItem
	for _, c := range items {
		switch c.ID {
		case "lab-stp":
			continue
		case "ep-ccna-04":
			c.Title, c.Seconds = "Switching Fundamentals (2026 edition)", 777
		}
		changed = append(changed, c)
	}
	load, err := e.app.Operator.LoadCatalog(ctx, changed)
	if err != nil {
		t.Fatalf("LoadCatalog of the changed file: %v", err)
	}
	if load != (domain.CatalogLoad{Updated: 1, Unchanged: len(changed) - 1, Retired: 1}) {
		t.Errorf("changed file: %+v, want 1 updated, 1 retired, the rest unchanged", load)
	}
	got, err := e.app.Services.Modules.Get(ctx, admin, m.ID)
	if err != nil {
		t.Fatalf("Get module after the new catalog: %v", err)
	}
	want := []domain.ModuleItem{
		{ID: "ep-ccna-04", Kind: domain.KindEpisode, Title: "Switching Fundamentals (2026 edition)", Seconds: 777},
		{ID: "lab-stp", Kind: domain.KindLab, Title: "Tune Spanning Tree Root Bridges", Seconds: 35 * 60, Retired: true},
	}
	if diff := cmp.Diff(want, got.Items); diff != "" {
		t.Errorf("the module's items after the new catalog (-want +got):\n%s", diff)
	}
	// The module still saves with its retired lab; a new module cannot take it.
	if _, err := e.app.Services.Modules.Update(ctx, admin, m.ID, domain.ModuleInput{Name: "Switching!", ItemIDs: []string{"lab-stp", "ep-ccna-04"}, Revision: 1}); err != nil {
		t.Errorf("saving a module that keeps its retired lab: %v", err)
	}
	_, err = e.app.Services.Modules.Create(ctx, admin, domain.ModuleInput{Name: "New", ItemIDs: []string{"lab-stp"}})
	if ce := codedError(t, "a new module with a retired lab", err, domain.CodeValidationFailed); ce.Fields["items[0]"] == "" {
		t.Errorf("fields %v, want items[0] named", ce.Fields)
	}
	page, err := e.app.Services.Catalog.Search(ctx, admin, domain.CatalogFilter{Q: "spanning tree", Kind: domain.KindLab})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if page.Total != 0 {
		t.Errorf("the catalog still lists the retired lab: %+v", page.Items)
	}
}

func TestCatalogSearch(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	items := e.loadDemoCatalog(t)
	tests := []struct {
		name      string
		give      domain.CatalogFilter
		wantIDs   []string // the first items, in order
		wantTotal int      // -1: any
	}{
		{"words as prefixes, any order and case", domain.CatalogFilter{Q: "VLAN conf"}, []string{"lab-vlans"}, 1},
		{"episodes by course then place", domain.CatalogFilter{Q: "ospf", Kind: domain.KindEpisode},
			[]string{"ep-ccna-routing-04", "ep-ccna-routing-05", "ep-ccna-routing-06"}, -1},
		{"courses first", domain.CatalogFilter{Q: "aws"}, []string{"course-aws-ccp", "course-aws-saa"}, -1},
		{"a word must start a word", domain.CatalogFilter{Q: "lan"}, nil, 0},
		{"every lab", domain.CatalogFilter{Kind: domain.KindLab, Limit: 100}, nil, 40},
		{"all", domain.CatalogFilter{Kind: "all", Limit: 1}, nil, len(items)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := e.app.Services.Catalog.Search(ctx, admin, tt.give)
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			var got []string
			for _, c := range page.Items[:min(len(tt.wantIDs), len(page.Items))] {
				got = append(got, c.ID)
			}
			if diff := cmp.Diff(tt.wantIDs, got); diff != "" {
				t.Errorf("first items (-want +got):\n%s", diff)
			}
			if tt.wantTotal >= 0 && page.Total != tt.wantTotal {
				t.Errorf("total %d, want %d", page.Total, tt.wantTotal)
			}
		})
	}

	// Paging: every item once, in order, 25 a page, each page one GetItem
	// (the catalog's version; the catalog itself is kept by the store).
	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		e.calls.Reset()
		page, err := e.app.Services.Catalog.Search(ctx, admin, domain.CatalogFilter{Cursor: cursor})
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		if got := e.calls.Snapshot(); len(got) != 1 || got["GetItem"] != 1 {
			t.Fatalf("a page made %v, want one GetItem", got)
		}
		for _, c := range page.Items {
			seen = append(seen, c.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
		if len(page.Items) != domain.DefaultCatalogPageSize {
			t.Fatalf("page %d has %d items, want %d", pages, len(page.Items), domain.DefaultCatalogPageSize)
		}
	}
	if len(seen) != len(items) || len(slices.Compact(slices.Sorted(slices.Values(seen)))) != len(items) {
		t.Errorf("paging saw %d items (some twice?), want each of %d once", len(seen), len(items))
	}
	if !strings.HasPrefix(seen[0], "course-") || !strings.HasPrefix(seen[len(seen)-1], "ep-") {
		t.Errorf("order: first %s, last %s; want courses first and episodes last", seen[0], seen[len(seen)-1])
	}
}

func TestCatalogSearchRefusesBadInput(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	other, otherAdmin := e.createOrg(t, "Globex", 5)
	_ = other
	ctx := context.Background()
	e.loadDemoCatalog(t)
	page, err := e.app.Services.Catalog.Search(ctx, principal(otherAdmin), domain.CatalogFilter{Limit: 1})
	if err != nil || page.NextCursor == "" {
		t.Fatalf("another organization's first page: %v, next cursor %q", err, page.NextCursor)
	}
	tests := []struct {
		name  string
		give  domain.CatalogFilter
		field string
	}{
		{"unknown type", domain.CatalogFilter{Kind: "video"}, "type"},
		{"limit too large", domain.CatalogFilter{Limit: 101}, "limit"},
		{"another organization's cursor", domain.CatalogFilter{Limit: 1, Cursor: page.NextCursor}, "cursor"},
		{"a cursor of another search", domain.CatalogFilter{Q: "aws", Limit: 1, Cursor: page.NextCursor}, "cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.app.Services.Catalog.Search(ctx, admin, tt.give)
			if ce := codedError(t, "Search", err, domain.CodeValidationFailed); ce.Fields[tt.field] == "" {
				t.Errorf("fields %v, want %s named", ce.Fields, tt.field)
			}
		})
	}
}
