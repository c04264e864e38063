package domain

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Module is a learning module: a named, ordered list of catalog items that
// admins assign to people with a due date.
type Module struct {
	ID          string
	OrgID       string
	Name        string
	Description string
	Items       []ModuleItem
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Revision counts saved changes; a save of an older revision is refused.
	Revision int
	// Seconds is the items' total duration as of the last save.
	Seconds int
	// Assignments counts the module's open assignments (kept by the
	// assignments service in the same transactions as the assignments).
	Assignments int
}

// Limits of a module.
const (
	MaxModuleName        = 100
	MaxModuleDescription = 1000
	MaxModuleItems       = 50
)

// ModuleStore is the persistence the modules service needs.
type ModuleStore interface {
	// FindCatalogItems returns the catalog items with these ids (retired ones
	// too), by id; ids the catalog does not have are left out.
	FindCatalogItems(ctx context.Context, ids []string) (map[string]CatalogItem, error)
	// FindModule returns a module of an organization (not_found for another's).
	FindModule(ctx context.Context, orgID, moduleID string) (Module, error)
	// FindModules returns every module of an organization, in no order.
	FindModules(ctx context.Context, orgID string) ([]Module, error)
	// CreateModule writes a new module with its audit entry.
	CreateModule(ctx context.Context, m Module, audit AuditEntry) error
	// UpdateModule writes m's name, description and items on condition that
	// the stored module is still at revision before (conflict otherwise), with
	// its audit entry; its revision becomes m.Revision.
	UpdateModule(ctx context.Context, m Module, before int, audit AuditEntry) error
	// DeleteModule deletes a module at revision rev (not_found when there is
	// none, conflict when it changed), with its audit entry.
	DeleteModule(ctx context.Context, orgID, moduleID string, rev int, audit AuditEntry) error
}

// Modules is what a seat admin does with the organization's learning modules.
type Modules struct {
	store ModuleStore
	now   Clock
}

// NewModules returns the modules service.
func NewModules(store ModuleStore, now Clock) *Modules {
	return &Modules{store: store, now: now}
}

// ModuleInput is a module as an admin writes it: the items are catalog ids,
// in order.
type ModuleInput struct {
	Name        string
	Description string
	ItemIDs     []string
	// Revision is the revision the edit was made on (edits only).
	Revision int
}

// List returns the organization's modules by name.
func (s *Modules) List(ctx context.Context, p *Principal) ([]Module, error) {
	mods, err := s.store.FindModules(ctx, p.OrgID())
	if err != nil {
		return nil, fmt.Errorf("list modules: %w", err)
	}
	slices.SortFunc(mods, func(a, b Module) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return mods, nil
}

// Get returns a module with its items as the catalog has them now: current
// titles and durations, and retired items marked.
func (s *Modules) Get(ctx context.Context, p *Principal, moduleID string) (Module, error) {
	m, err := s.find(ctx, p, moduleID)
	if err != nil {
		return Module{}, err
	}
	ids := make([]string, len(m.Items))
	for i, it := range m.Items {
		ids[i] = it.ID
	}
	found, err := s.store.FindCatalogItems(ctx, ids)
	if err != nil {
		return Module{}, fmt.Errorf("get module %s: %w", moduleID, err)
	}
	m.Seconds = 0
	for i, it := range m.Items {
		if c, ok := found[it.ID]; ok {
			m.Items[i] = toModuleItem(c)
		} else {
			m.Items[i].Retired = true
		}
		m.Seconds += m.Items[i].Seconds
	}
	return m, nil
}

// Create makes a module.
func (s *Modules) Create(ctx context.Context, p *Principal, in ModuleInput) (Module, error) {
	items, err := s.resolve(ctx, &in, nil)
	if err != nil {
		return Module{}, err
	}
	now := s.now()
	m := Module{
		ID: NewID(), OrgID: p.OrgID(), Name: in.Name, Description: in.Description,
		Items: items, CreatedAt: now, UpdatedAt: now, Revision: 1, Seconds: totalSeconds(items),
	}
	audit := NewAuditEntry(p, AuditModuleCreated, moduleTarget(m), now)
	audit.Changes = ModuleChanges(Module{}, m)
	if err := s.store.CreateModule(ctx, m, audit); err != nil {
		return Module{}, fmt.Errorf("create module: %w", err)
	}
	return m, nil
}

// Update replaces a module's name, description and items (renaming,
// reordering, adding and removing at once). The edit must be made on the
// module's current revision: a module someone else saved in between is a
// conflict, and nothing is written.
func (s *Modules) Update(ctx context.Context, p *Principal, moduleID string, in ModuleInput) (Module, error) {
	before, err := s.find(ctx, p, moduleID)
	if err != nil {
		return Module{}, err
	}
	if in.Revision < 1 {
		return Module{}, Problems{"revision": "is required: the revision of the module the edit was made on"}.Err()
	}
	items, err := s.resolve(ctx, &in, before.Items)
	if err != nil {
		return Module{}, err
	}
	if in.Revision != before.Revision {
		return Module{}, staleModule()
	}
	m := before
	m.Name, m.Description, m.Items, m.Seconds = in.Name, in.Description, items, totalSeconds(items)
	m.UpdatedAt, m.Revision = s.now(), before.Revision+1
	audit := NewAuditEntry(p, AuditModuleUpdated, moduleTarget(before), m.UpdatedAt)
	audit.Changes = ModuleChanges(before, m)
	if err := s.store.UpdateModule(ctx, m, before.Revision, audit); err != nil {
		return Module{}, fmt.Errorf("update module %s: %w", moduleID, err)
	}
	return m, nil
}

// Duplicate makes a copy of a module, named name or else "Copy of" its name;
// the copy has no assignments.
func (s *Modules) Duplicate(ctx context.Context, p *Principal, moduleID, name string) (Module, error) {
	src, err := s.find(ctx, p, moduleID)
	if err != nil {
		return Module{}, err
	}
	if strings.TrimSpace(name) == "" {
		name = copyName(src.Name)
	}
	in := ModuleInput{Name: name, Description: src.Description}
	for _, it := range src.Items {
		in.ItemIDs = append(in.ItemIDs, it.ID)
	}
	if err := in.validate(); err != nil {
		return Module{}, err
	}
	now := s.now()
	m := Module{
		ID: NewID(), OrgID: p.OrgID(), Name: in.Name, Description: in.Description,
		Items: slices.Clone(src.Items), CreatedAt: now, UpdatedAt: now, Revision: 1, Seconds: src.Seconds,
	}
	audit := NewAuditEntry(p, AuditModuleCreated, moduleTarget(m), now)
	audit.Changes, audit.Detail = ModuleChanges(Module{}, m), "copy of "+src.Name
	if err := s.store.CreateModule(ctx, m, audit); err != nil {
		return Module{}, fmt.Errorf("duplicate module %s: %w", moduleID, err)
	}
	return m, nil
}

// Delete deletes a module. Its assignments stay readable: each keeps a copy
// of the module's name and items. It is read first, for the audit entry's
// name, and deleted only as read.
func (s *Modules) Delete(ctx context.Context, p *Principal, moduleID string) error {
	m, err := s.find(ctx, p, moduleID)
	if err != nil {
		return err
	}
	audit := NewAuditEntry(p, AuditModuleDeleted, moduleTarget(m), s.now())
	if err := s.store.DeleteModule(ctx, p.OrgID(), moduleID, m.Revision, audit); err != nil {
		return fmt.Errorf("delete module %s: %w", moduleID, err)
	}
	return nil
}

// moduleTarget names a module as a target.
func moduleTarget(m Module) AuditTarget {
	return AuditTarget{Kind: TargetModule, ID: m.ID, Name: m.Name}
}

// ModuleChanges are the fields an admin sets of a module that differ
// between before and after: name, description, and items (their titles, in
// order).
func ModuleChanges(before, after Module) []AuditChange {
	var out []AuditChange
	add := func(field, b, a string) {
		if b != a {
			out = append(out, AuditChange{Field: field, Before: b, After: a})
		}
	}
	titles := func(m Module) string {
		t := make([]string, len(m.Items))
		for i, it := range m.Items {
			t[i] = it.Title
		}
		return strings.Join(t, "; ")
	}
	add("name", before.Name, after.Name)
	add("description", before.Description, after.Description)
	add("items", titles(before), titles(after))
	return out
}

func (s *Modules) find(ctx context.Context, p *Principal, moduleID string) (Module, error) {
	if !ValidID(moduleID) {
		return Module{}, NotFound("module")
	}
	m, err := s.store.FindModule(ctx, p.OrgID(), moduleID)
	if err != nil {
		return Module{}, fmt.Errorf("get module %s: %w", moduleID, err)
	}
	return m, nil
}

// resolve checks a module's input and turns its item ids into items from the
// catalog. Every item must be in the catalog; a retired one only if the
// module had it already (before).
func (s *Modules) resolve(ctx context.Context, in *ModuleInput, before []ModuleItem) ([]ModuleItem, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	found, err := s.store.FindCatalogItems(ctx, in.ItemIDs)
	if err != nil {
		return nil, fmt.Errorf("read catalog items: %w", err)
	}
	p := Problems{}
	items := make([]ModuleItem, len(in.ItemIDs))
	for i, id := range in.ItemIDs {
		c, ok := found[id]
		had := slices.ContainsFunc(before, func(it ModuleItem) bool { return it.ID == id })
		switch {
		case !ok && had:
			// Gone from the catalog altogether: the module keeps what it knew.
			j := slices.IndexFunc(before, func(it ModuleItem) bool { return it.ID == id })
			items[i] = before[j]
			items[i].Retired = true
			continue
		case !ok:
			p.Add(fmt.Sprintf("items[%d]", i), fmt.Sprintf("%q is not in the catalog", id))
		case c.Retired && !had:
			p.Add(fmt.Sprintf("items[%d]", i), fmt.Sprintf("%q is no longer offered by the catalog", id))
		}
		items[i] = toModuleItem(c)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return items, nil
}

// validate checks the input's shape, before any lookup: name, description,
// the number of items and their ids, no item twice. The name and
// description are trimmed.
func (in *ModuleInput) validate() error {
	p := Problems{}
	in.Name = strings.TrimSpace(in.Name)
	in.Description = strings.TrimSpace(in.Description)
	checkName(p, "name", in.Name)
	switch {
	case utf8.RuneCountInString(in.Description) > MaxModuleDescription:
		p.Add("description", fmt.Sprintf("must be at most %d characters", MaxModuleDescription))
	case strings.ContainsFunc(in.Description, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
		p.Add("description", "must not contain control characters")
	case strings.ContainsFunc(in.Description, bidiControl):
		p.Add("description", "must not contain direction controls (such as a right-to-left override)")
	}
	switch {
	case len(in.ItemIDs) == 0:
		p.Add("items", "must list at least one catalog item")
	case len(in.ItemIDs) > MaxModuleItems:
		p.Add("items", fmt.Sprintf("must list at most %d catalog items (this has %d)", MaxModuleItems, len(in.ItemIDs)))
	}
	first := map[string]int{}
	for i, id := range in.ItemIDs {
		field := fmt.Sprintf("items[%d]", i)
		if !ValidCatalogID(id) {
			p.Add(field, "is not a catalog id")
			continue
		}
		if j, dup := first[id]; dup {
			p.Add(field, fmt.Sprintf("is items[%d] again; a module lists each item once", j))
			continue
		}
		first[id] = i
	}
	return p.Err()
}

func toModuleItem(c CatalogItem) ModuleItem {
	return ModuleItem{ID: c.ID, Kind: c.Kind, Title: c.Title, Seconds: c.Duration(), Retired: c.Retired}
}

func totalSeconds(items []ModuleItem) int {
	n := 0
	for _, it := range items {
		n += it.Seconds
	}
	return n
}

// copyName is a duplicate's default name: "Copy of" the original's, cut to
// the longest name allowed.
func copyName(name string) string {
	c := "Copy of " + name
	if utf8.RuneCountInString(c) > MaxModuleName {
		c = string([]rune(c)[:MaxModuleName])
	}
	return strings.TrimSpace(c)
}

func staleModule() error {
	return Errorf(CodeConflict, "Someone changed this module at the same time; reload it and make your changes again.")
}
