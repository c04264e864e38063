package domain

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds of catalog item.
const (
	// KindCourse is a course: an ordered series of episodes.
	KindCourse = "course"
	// KindEpisode is one video episode of a course.
	KindEpisode = "episode"
	// KindLab is a hands-on practice lab.
	KindLab = "lab"
	// KindExam is a practice exam.
	KindExam = "exam"
)

// CatalogKinds are the kinds of catalog item, in the order the catalog lists them.
var CatalogKinds = []string{KindCourse, KindLab, KindExam, KindEpisode}

// CatalogItem is one piece of the learning platform's content. The catalog is
// owned by the platform, read-only to admins and the same for every
// organization; ids are stable strings from the catalog file (e.g.
// "course-ccna", "ep-ccna-01", "lab-vlans").
type CatalogItem struct {
	ID    string
	Kind  string
	Title string
	// Topic groups courses for browsing ("Networking", "Security", ...).
	Topic string
	// CourseID is an episode's course; Position its place in the course (1-based).
	CourseID string
	Position int
	// CourseTitle is an episode's course's title, so that an episode found on
	// its own says where it belongs.
	CourseTitle string
	// Seconds is an episode's duration, or a course's total.
	Seconds int
	// Minutes is a lab's or exam's estimated time.
	Minutes int
	// EpisodeIDs are a course's episodes in order.
	EpisodeIDs []string
	// Retired items were dropped from the catalog file: they are no longer
	// listed or added to modules, but modules that have them keep them.
	Retired bool
}

// Duration is how long the item takes, in seconds: an episode's or course's
// length, a lab's or exam's estimate.
func (c CatalogItem) Duration() int {
	if c.Kind == KindLab || c.Kind == KindExam {
		return c.Minutes * 60
	}
	return c.Seconds
}

// ModuleItem is one catalog item in a learning module, with the title it had
// when the module was last saved (so a module stays readable if the catalog
// drops the item).
type ModuleItem struct {
	ID    string
	Kind  string
	Title string
	// Seconds is the item's duration (CatalogItem.Duration) when last read
	// from the catalog.
	Seconds int
	// Retired says the catalog no longer offers the item.
	Retired bool
}

// CatalogStore is the persistence the catalog service needs.
type CatalogStore interface {
	// FindCatalog returns every catalog item, retired ones included.
	FindCatalog(ctx context.Context) ([]CatalogItem, error)
}

// Page sizes of the catalog.
const (
	DefaultCatalogPageSize = 25
	MaxCatalogPageSize     = 100
)

// CatalogFilter is what an admin asks the catalog for.
type CatalogFilter struct {
	// Q finds items whose title has, for each word of Q, a word starting
	// with it, in any case.
	Q string
	// Kind is one of CatalogKinds, or "" (or "all") for every kind.
	Kind   string
	Limit  int
	Cursor string
}

// CatalogPage is one page of catalog items: courses, labs, exams, then
// episodes, each by title (episodes by course, then place in the course).
type CatalogPage struct {
	Items []CatalogItem
	// NextCursor continues the list; empty on the last page.
	NextCursor string
	// Total is how many items match, on every page.
	Total int
}

// Catalog is the platform's content, as admins browse it.
type Catalog struct {
	store   CatalogStore
	cursors Cursors
}

// NewCatalog returns the catalog service.
func NewCatalog(store CatalogStore, cursors Cursors) *Catalog {
	return &Catalog{store: store, cursors: cursors}
}

func (f *CatalogFilter) validate() error {
	p := Problems{}
	if f.Kind == "all" {
		f.Kind = ""
	}
	if f.Kind != "" && !slices.Contains(CatalogKinds, f.Kind) {
		p.Add("type", "must be course, episode, lab, exam or all")
	}
	if utf8.RuneCountInString(f.Q) > 200 {
		p.Add("q", "must be at most 200 characters")
	}
	switch {
	case f.Limit == 0:
		f.Limit = DefaultCatalogPageSize
	case f.Limit < 1 || f.Limit > MaxCatalogPageSize:
		p.Add("limit", "must be between 1 and 100")
	}
	return p.Err()
}

// Search returns a page of the catalog items that match the filter. The
// catalog is read whole (one Query of a few hundred small items, the same
// for every organization) and filtered and paged here.
func (s *Catalog) Search(ctx context.Context, p *Principal, f CatalogFilter) (CatalogPage, error) {
	if err := f.validate(); err != nil {
		return CatalogPage{}, err
	}
	words := titleWords(f.Q)
	query := f.Kind + "\x00" + strings.Join(words, " ")
	after, err := s.cursors.Open(p.OrgID(), query, f.Cursor)
	if err != nil {
		return CatalogPage{}, err
	}
	all, err := s.store.FindCatalog(ctx)
	if err != nil {
		return CatalogPage{}, fmt.Errorf("search catalog: %w", err)
	}
	var hits []CatalogItem
	for _, it := range all {
		if !it.Retired && (f.Kind == "" || it.Kind == f.Kind) && matchesWords(it.Title, words) {
			hits = append(hits, it)
		}
	}
	slices.SortFunc(hits, func(a, b CatalogItem) int { return strings.Compare(catalogOrder(a), catalogOrder(b)) })
	page := CatalogPage{Total: len(hits)}
	start := sort.Search(len(hits), func(i int) bool { return catalogOrder(hits[i]) > after })
	end := min(start+f.Limit, len(hits))
	page.Items = hits[start:end]
	if end < len(hits) {
		page.NextCursor = s.cursors.Seal(p.OrgID(), query, catalogOrder(hits[end-1]))
	}
	return page, nil
}

// catalogOrder is an item's place in the catalog's listing, as a string that
// sorts as the items do: by kind (CatalogKinds), then title (episodes by their
// course, then place in it), then id.
func catalogOrder(it CatalogItem) string {
	rank := slices.Index(CatalogKinds, it.Kind)
	title := strings.ToLower(it.Title)
	if it.Kind == KindEpisode {
		title = fmt.Sprintf("%s\x1f%04d", strings.ToLower(it.CourseTitle), it.Position)
	}
	return fmt.Sprintf("%d\x1f%s\x1f%s", rank, title, it.ID)
}

// titleWords splits a title or a search into lower-case words of letters and
// digits: "CCNA 200-301: VLANs" is ccna, 200, 301, vlans.
func titleWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// matchesWords reports whether every word starts a word of the title.
func matchesWords(title string, words []string) bool {
	if len(words) == 0 {
		return true
	}
	have := titleWords(title)
	for _, w := range words {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.HasPrefix(h, w) }) {
			return false
		}
	}
	return true
}

// ValidCatalogID reports whether s has the shape of a catalog id: 1 to 64
// lower-case letters, digits and inner hyphens.
func ValidCatalogID(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// The catalog file (catalog/catalog.json, loaded by portalctl load-catalog):
// courses with their episodes, labs and exams.
type catalogFile struct {
	Courses []struct {
		ID       string `json:"id"`
		Topic    string `json:"topic"`
		Title    string `json:"title"`
		Episodes []struct {
			ID      string `json:"id"`
			Title   string `json:"title"`
			Seconds int    `json:"seconds"`
		} `json:"episodes"`
	} `json:"courses"`
	Labs  []timedItemFile `json:"labs"`
	Exams []timedItemFile `json:"exams"`
}

type timedItemFile struct {
	ID      string `json:"id"`
	Topic   string `json:"topic"`
	Title   string `json:"title"`
	Minutes int    `json:"minutes"`
}

// Limits of the catalog file.
const (
	maxCatalogTitle   = 200
	maxEpisodeSeconds = 6 * 3600
	maxItemMinutes    = 8 * 60
	// maxCatalogProblems is how many problems a refused file reports.
	maxCatalogProblems = 20
)

// ParseCatalog reads a catalog file and checks it: every id well formed and
// unique across the catalog, titles and topics present, durations positive
// and plausible, every course with episodes. A refused file is a
// validation_failed error naming each place at fault, like
// courses[2].episodes[4].seconds.
func ParseCatalog(data []byte) ([]CatalogItem, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f catalogFile
	if err := dec.Decode(&f); err != nil {
		return nil, Errorf(CodeValidationFailed, "The catalog file is not valid: %v.", err)
	}
	p := Problems{}
	seen := map[string]string{}
	checkID := func(at, id string) {
		switch {
		case !ValidCatalogID(id):
			p.Add(at+".id", "must be 1 to 64 lower-case letters, digits and inner hyphens")
		case seen[id] != "":
			p.Add(at+".id", fmt.Sprintf("%q is also the id of %s", id, seen[id]))
		default:
			seen[id] = at
		}
	}
	checkText := func(at, field, s string, max int) {
		switch {
		case strings.TrimSpace(s) == "":
			p.Add(at+"."+field, "is required")
		case utf8.RuneCountInString(s) > max:
			p.Add(at+"."+field, fmt.Sprintf("must be at most %d characters", max))
		case strings.ContainsFunc(s, unicode.IsControl) || strings.ContainsFunc(s, bidiControl):
			p.Add(at+"."+field, "must not contain control or direction characters")
		}
	}
	var items []CatalogItem
	for i, c := range f.Courses {
		at := fmt.Sprintf("courses[%d]", i)
		checkID(at, c.ID)
		checkText(at, "title", c.Title, maxCatalogTitle)
		checkText(at, "topic", c.Topic, 50)
		if len(c.Episodes) == 0 {
			p.Add(at+".episodes", "must list the course's episodes")
		}
		course := CatalogItem{ID: c.ID, Kind: KindCourse, Title: c.Title, Topic: c.Topic}
		for j, e := range c.Episodes {
			eat := fmt.Sprintf("%s.episodes[%d]", at, j)
			checkID(eat, e.ID)
			checkText(eat, "title", e.Title, maxCatalogTitle)
			if e.Seconds < 1 || e.Seconds > maxEpisodeSeconds {
				p.Add(eat+".seconds", fmt.Sprintf("must be between 1 and %d", maxEpisodeSeconds))
			}
			course.Seconds += e.Seconds
			course.EpisodeIDs = append(course.EpisodeIDs, e.ID)
			items = append(items, CatalogItem{
				ID: e.ID, Kind: KindEpisode, Title: e.Title, Topic: c.Topic, CourseID: c.ID,
				CourseTitle: c.Title, Position: j + 1, Seconds: e.Seconds,
			})
		}
		items = append(items, course)
	}
	for _, group := range []struct {
		name, kind string
		list       []timedItemFile
	}{{"labs", KindLab, f.Labs}, {"exams", KindExam, f.Exams}} {
		for i, t := range group.list {
			at := fmt.Sprintf("%s[%d]", group.name, i)
			checkID(at, t.ID)
			checkText(at, "title", t.Title, maxCatalogTitle)
			checkText(at, "topic", t.Topic, 50)
			if t.Minutes < 1 || t.Minutes > maxItemMinutes {
				p.Add(at+".minutes", fmt.Sprintf("must be between 1 and %d", maxItemMinutes))
			}
			items = append(items, CatalogItem{ID: t.ID, Kind: group.kind, Title: t.Title, Topic: t.Topic, Minutes: t.Minutes})
		}
	}
	if len(items) == 0 {
		p.Add("courses", "the catalog is empty")
	}
	if len(p) > maxCatalogProblems {
		for _, k := range slices.Sorted(maps.Keys(p))[maxCatalogProblems:] {
			delete(p, k)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return items, nil
}
