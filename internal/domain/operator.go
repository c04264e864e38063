package domain

import (
	"context"
	"fmt"
	"slices"
	"time"

	"proportal/catalog"
	"proportal/internal/password"
)

// OperatorStore is the persistence the operators' tasks need.
type OperatorStore interface {
	// CreateOrganization writes an organization, its subscription and its first
	// user (with the user's email item, seat and optional invite), and the
	// audit entry when not nil, at once.
	CreateOrganization(ctx context.Context, org Organization, sub Subscription, first User, invite *OneTimeToken, audit *AuditEntry) error
	// ImportUsers writes many new users at once (not atomic), and their one
	// audit entry with the counters they move.
	ImportUsers(ctx context.Context, orgID string, users []User, audit AuditEntry) error
	CreateTeamAndChange(ctx context.Context, t Team, change *TeamChange, audit AuditEntry) error
	FindOrganization(ctx context.Context, orgID string) (Organization, error)
	FindUserByEmail(ctx context.Context, email string) (User, error)
	// RebuildSearch writes every user's search terms again and returns how
	// many users it covered.
	RebuildSearch(ctx context.Context, orgID string) (int, error)
	// FindCatalog returns every catalog item, retired ones included.
	FindCatalog(ctx context.Context) ([]CatalogItem, error)
	// PutCatalogItems writes catalog items (many; not atomic, and need not be:
	// running the load again completes it).
	PutCatalogItems(ctx context.Context, items []CatalogItem) error
	FindCatalogItems(ctx context.Context, ids []string) (map[string]CatalogItem, error)
	CreateModule(ctx context.Context, m Module, audit AuditEntry) error
	// The demo's assignments are made the way admins make them.
	AssignmentStore
	// The demo's activity comes in the way the platform's does.
	IngestStore
}

// Operator is what the platform's operators do from the command line: open a
// customer's organization and seed the demo organization.
type Operator struct {
	store       OperatorStore
	now         Clock
	inviteTTL   time.Duration
	assignments *Assignments
	ingest      *Ingest
}

// NewOperator returns the operator service.
func NewOperator(store OperatorStore, now Clock, inviteTTL time.Duration) *Operator {
	assignments := NewAssignments(store, Cursors{}, now)
	return &Operator{store: store, now: now, inviteTTL: inviteTTL, assignments: assignments,
		ingest: NewIngest(store, assignments, now, nil)}
}

// Opened is a newly created organization with its first admin, invited.
type Opened struct {
	Organization Organization
	Subscription Subscription
	Admin        User
	// InviteToken is the one-time token of the admin's invite link; it is shown
	// once and only its hash is stored.
	InviteToken string
	InviteEnds  time.Time
}

// CreateOrganization opens an organization with its subscription and its first
// admin (admin rights, no seat), who is invited to create a password.
func (o *Operator) CreateOrganization(ctx context.Context, n NewOrganization) (Opened, error) {
	starts, ends, err := n.validate()
	if err != nil {
		return Opened{}, err
	}
	now := o.now()
	org := Organization{ID: NewID(), Name: n.Name, CreatedAt: now}
	sub := Subscription{OrgID: org.ID, SeatsTotal: n.Seats, StartsOn: starts, EndsOn: ends, Features: n.Features}
	admin := User{
		ID: NewID(), OrgID: org.ID, FirstName: n.Admin.FirstName, LastName: n.Admin.LastName,
		Email: n.Admin.Email, Status: StatusInvited, Admin: true, CreatedAt: now,
	}
	token, hash := NewToken()
	invite := OneTimeToken{Hash: hash, Purpose: PurposeInvite, OrgID: org.ID, UserID: admin.ID, CreatedAt: now, ExpiresAt: now.Add(o.inviteTTL)}
	admin.InviteTokenHash = hash
	audit := organizationCreated(org, sub, admin, now)
	if err := o.store.CreateOrganization(ctx, org, sub, admin, &invite, &audit); err != nil {
		return Opened{}, fmt.Errorf("create organization %q: %w", n.Name, err)
	}
	admin.Revision = 1
	return Opened{Organization: org, Subscription: sub, Admin: admin, InviteToken: token, InviteEnds: invite.ExpiresAt}, nil
}

// operatorEntry is an audit entry of the operator tool's.
func operatorEntry(orgID, kind string, target AuditTarget, now time.Time) AuditEntry {
	return AuditEntry{ID: NewID(), OrgID: orgID, At: now.UTC(), Kind: kind, Actor: OperatorActor(), Target: target}
}

// organizationCreated is the entry of an organization opened with its
// first admin, whose seat (if any) it counts.
func organizationCreated(org Organization, sub Subscription, admin User, now time.Time) AuditEntry {
	e := operatorEntry(org.ID, AuditOrganizationCreated, AuditTarget{Kind: TargetOrganization, ID: org.ID, Name: org.Name}, now)
	e.Detail = fmt.Sprintf("%d seats, %s to %s; first admin %s", sub.SeatsTotal,
		sub.StartsOn.Format(DateLayout), sub.EndsOn.Format(DateLayout), admin.Email)
	if admin.Seat {
		e.SeatDelta = 1
	}
	return e
}

// DemoAdminEmail is the demo organization's admin.
const DemoAdminEmail = "admin@demo.test"

// DemoSeats is the size of the demo subscription.
const DemoSeats = 50

// demoPeople are the demo organization's learners: name and status.
var demoPeople = []struct {
	first, last, status string
}{
	{"Ada", "Lovelace", StatusActive}, {"Alan", "Turing", StatusActive}, {"Grace", "Hopper", StatusActive},
	{"Edsger", "Dijkstra", StatusActive}, {"Barbara", "Liskov", StatusActive}, {"Donald", "Knuth", StatusActive},
	{"Margaret", "Hamilton", StatusActive}, {"Ken", "Thompson", StatusActive}, {"Dennis", "Ritchie", StatusActive},
	{"Frances", "Allen", StatusActive}, {"John", "McCarthy", StatusActive}, {"Radia", "Perlman", StatusActive},
	{"Leslie", "Lamport", StatusActive}, {"Katherine", "Johnson", StatusActive}, {"Tim", "Berners-Lee", StatusActive},
	{"Shafi", "Goldwasser", StatusActive}, {"Niklaus", "Wirth", StatusActive}, {"Adele", "Goldberg", StatusActive},
	{"Bjarne", "Stroustrup", StatusActive}, {"Hedy", "Lamarr", StatusActive}, {"Guido", "van Rossum", StatusActive},
	{"Sophie", "Wilson", StatusActive}, {"Rob", "Pike", StatusActive}, {"Joan", "Clarke", StatusActive},
	{"Tony", "Hoare", StatusActive}, {"Mary", "Allen Wilkes", StatusActive}, {"Robert", "Griesemer", StatusActive},
	{"Jean", "Bartik", StatusActive},
	{"Carl", "Sagan", StatusInvited}, {"Annie", "Easley", StatusInvited},
	{"Charles", "Babbage", StatusInactive}, {"Herman", "Hollerith", StatusInactive}, {"Konrad", "Zuse", StatusInactive},
}

// DemoTeams are the demo organization's teams; its learners are spread over them.
var DemoTeams = []string{"Engineering", "Sales", "Support"}

// Demo is what SeedDemo made, or found already there.
type Demo struct {
	Organization Organization
	Created      bool
}

// SeedDemo creates the demo organization (Demo Company, 50 seats, a year of
// access around now) with admin@demo.test, who has admin rights and a seat and
// signs in with adminPassword, three teams, and a cast of learners spread
// over them: 28 active (same password), 2 invited and 3 inactive, so 31 of 50
// seats are used. When the
// demo organization exists already, it is left as it is.
func (o *Operator) SeedDemo(ctx context.Context, adminPassword string) (Demo, error) {
	existing, err := o.store.FindUserByEmail(ctx, DemoAdminEmail)
	if err == nil {
		org, err := o.store.FindOrganization(ctx, existing.OrgID)
		return Demo{Organization: org}, err
	}
	if ErrorCode(err) != CodeNotFound {
		return Demo{}, fmt.Errorf("seed demo: %w", err)
	}
	now := o.now()
	today := now.UTC().Truncate(24 * time.Hour)
	// Created with its subscription, six months ago: its seeded activity
	// goes back 90 days, and an event before its organization is refused.
	org := Organization{ID: NewID(), Name: "Demo Company", CreatedAt: today.AddDate(0, -6, 0)}
	sub := Subscription{
		OrgID: org.ID, SeatsTotal: DemoSeats, SeatsUsed: 0,
		StartsOn: today.AddDate(0, -6, 0), EndsOn: today.AddDate(0, 6, 0), Features: slices.Clone(AllFeatures),
	}
	hash := password.Hash(adminPassword)
	admin := User{
		ID: NewID(), OrgID: org.ID, FirstName: "Dana", LastName: "Admin", Email: DemoAdminEmail,
		Status: StatusActive, Seat: true, Admin: true, PasswordHash: hash, CreatedAt: now,
	}
	created := organizationCreated(org, sub, admin, now)
	if err := o.store.CreateOrganization(ctx, org, sub, admin, nil, &created); err != nil {
		return Demo{}, fmt.Errorf("seed demo: %w", err)
	}
	var teamIDs []string
	teams := map[string]string{}
	for _, name := range DemoTeams {
		t := Team{ID: NewID(), OrgID: org.ID, Name: name, CreatedAt: now}
		audit := operatorEntry(org.ID, AuditTeamCreated, teamTarget(t), now)
		if err := o.store.CreateTeamAndChange(ctx, t, nil, audit); err != nil {
			return Demo{}, fmt.Errorf("seed demo team %s: %w", name, err)
		}
		teamIDs = append(teamIDs, t.ID)
		teams[name] = t.ID
	}
	var learners []User
	seats := 0
	for i, p := range demoPeople {
		u := User{
			ID: NewID(), OrgID: org.ID, FirstName: p.first, LastName: p.last,
			Email: fmt.Sprintf("learner%02d@demo.test", i+1), Status: p.status,
			Seat: p.status != StatusInactive, CreatedAt: now.Add(-time.Duration(len(demoPeople)-i) * 24 * time.Hour),
		}
		if u.Seat {
			// Seats were handed out over the subscription's first weeks: the
			// learners the activity leaves without a session for a month or
			// more (and the invited, who never came) are the idle seats.
			u.SeatSince = sub.StartsOn.Add(time.Duration(i) * 24 * time.Hour)
		}
		if p.status == StatusActive {
			u.PasswordHash = hash
		}
		u.TeamIDs = []string{teamIDs[i%len(teamIDs)]}
		u.Revision = 1
		learners = append(learners, u)
		seats += b2i(u.Seat)
	}
	// One import of the people, as an operator's bulk load: one entry, with
	// the seats it took, so the seat history adds up.
	imported := operatorEntry(org.ID, AuditImportApplied, AuditTarget{Kind: TargetImport, ID: NewID(), Name: "Demo people"}, now)
	imported.SeatDelta, imported.Detail = seats, persons(len(learners))
	if err := o.store.ImportUsers(ctx, org.ID, learners, imported); err != nil {
		return Demo{}, fmt.Errorf("seed demo people: %w", err)
	}
	modules, err := o.seedModules(ctx, org.ID, now)
	if err != nil {
		return Demo{}, err
	}
	if err := o.assignments.seedAssignments(ctx, org.ID, admin.ID, teams, learners, modules); err != nil {
		return Demo{}, fmt.Errorf("seed demo: %w", err)
	}
	if err := o.seedActivity(ctx, org.ID, learners); err != nil {
		return Demo{}, fmt.Errorf("seed demo: %w", err)
	}
	return Demo{Organization: org, Created: true}, nil
}

// demoModules are the demo organization's learning modules: name,
// description and catalog items (of catalog/catalog.json).
var demoModules = []struct {
	name, description string
	items             []string
}{
	{"New hire security basics", "Everyone's first week: spotting phishing, passwords and MFA, and what to do when something looks wrong.",
		[]string{"course-security-awareness", "ep-secplus-03", "lab-phishing", "ep-secplus-08", "lab-mfa"}},
	{"Network fundamentals", "For the service desk and junior network engineers: addressing, switching and VLANs, ending with a CCNA practice exam.",
		[]string{"course-ccna", "lab-subnetting", "course-ccna-switching", "lab-vlans", "exam-ccna"}},
	{"AWS cloud onboarding", "The shared vocabulary before anyone gets console access: core services, IAM and cost.",
		[]string{"course-aws-ccp", "lab-aws-iam", "lab-aws-s3", "exam-aws-ccp"}},
	{"Linux on-call readiness", "What an engineer needs before their first on-call week on the Linux fleet.",
		[]string{"course-linux-essentials", "ep-linux-troubleshooting-01", "ep-linux-troubleshooting-04", "ep-linux-troubleshooting-05", "lab-systemd", "lab-lvm"}},
}

// seedModules gives the demo organization its modules, loading the demo
// catalog first when the catalog lacks their items (a fresh table), and
// returns them.
func (o *Operator) seedModules(ctx context.Context, orgID string, now time.Time) ([]Module, error) {
	var ids []string
	for _, m := range demoModules {
		ids = append(ids, m.items...)
	}
	found, err := o.store.FindCatalogItems(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("seed demo modules: %w", err)
	}
	if len(found) < len(ids) {
		items, err := ParseCatalog(catalog.Demo)
		if err != nil {
			return nil, fmt.Errorf("seed demo modules: the demo catalog: %w", err)
		}
		if _, err := o.LoadCatalog(ctx, items); err != nil {
			return nil, fmt.Errorf("seed demo modules: %w", err)
		}
		if found, err = o.store.FindCatalogItems(ctx, ids); err != nil {
			return nil, fmt.Errorf("seed demo modules: %w", err)
		}
	}
	var modules []Module
	for i, dm := range demoModules {
		m := Module{
			ID: NewID(), OrgID: orgID, Name: dm.name, Description: dm.description, Revision: 1,
			CreatedAt: now.Add(-time.Duration(len(demoModules)-i) * 7 * 24 * time.Hour),
		}
		m.UpdatedAt = m.CreatedAt
		for _, id := range dm.items {
			c, ok := found[id]
			if !ok {
				return nil, fmt.Errorf("seed demo module %q: %s is not in the catalog", dm.name, id)
			}
			m.Items = append(m.Items, toModuleItem(c))
		}
		m.Seconds = totalSeconds(m.Items)
		audit := operatorEntry(orgID, AuditModuleCreated, moduleTarget(m), now)
		audit.Changes = ModuleChanges(Module{}, m)
		if err := o.store.CreateModule(ctx, m, audit); err != nil {
			return nil, fmt.Errorf("seed demo module %q: %w", dm.name, err)
		}
		modules = append(modules, m)
	}
	return modules, nil
}

// CatalogLoad is what loading a catalog file changed.
type CatalogLoad struct {
	// Added, Updated and Unchanged count the file's items; Retired counts
	// items of the catalog the file no longer has, which are kept (modules
	// may use them) but no longer offered.
	Added, Updated, Unchanged, Retired int
}

// LoadCatalog makes the catalog what a catalog file (ParseCatalog) says:
// new items are added, changed titles and durations updated, and items the
// file no longer lists retired, never deleted, so that modules using them
// stay whole. Running it again with the same file writes nothing.
func (o *Operator) LoadCatalog(ctx context.Context, items []CatalogItem) (CatalogLoad, error) {
	existing, err := o.store.FindCatalog(ctx)
	if err != nil {
		return CatalogLoad{}, fmt.Errorf("load catalog: %w", err)
	}
	stored := make(map[string]CatalogItem, len(existing))
	for _, c := range existing {
		stored[c.ID] = c
	}
	var load CatalogLoad
	var writes []CatalogItem
	inFile := make(map[string]bool, len(items))
	for _, c := range items {
		inFile[c.ID] = true
		old, ok := stored[c.ID]
		switch {
		case !ok:
			load.Added++
		case sameCatalogItem(old, c):
			load.Unchanged++
			continue
		default:
			load.Updated++
		}
		writes = append(writes, c)
	}
	for _, c := range existing {
		if !inFile[c.ID] && !c.Retired {
			c.Retired = true
			load.Retired++
			writes = append(writes, c)
		}
	}
	if err := o.store.PutCatalogItems(ctx, writes); err != nil {
		return load, fmt.Errorf("load catalog: %w", err)
	}
	return load, nil
}

func sameCatalogItem(a, b CatalogItem) bool {
	return a.Kind == b.Kind && a.Title == b.Title && a.Topic == b.Topic && a.CourseID == b.CourseID &&
		a.CourseTitle == b.CourseTitle && a.Position == b.Position && a.Seconds == b.Seconds &&
		a.Minutes == b.Minutes && slices.Equal(a.EpisodeIDs, b.EpisodeIDs) && a.Retired == b.Retired
}

// RebuildSearch makes an organization's people findable by every search term
// the product knows today (full names, the email's domain), including people
// stored before a term was added. Running it again changes nothing.
func (o *Operator) RebuildSearch(ctx context.Context, orgID string) (int, error) {
	if !ValidID(orgID) {
		return 0, Problems{"org": "is not an organization id"}.Err()
	}
	if _, err := o.store.FindOrganization(ctx, orgID); err != nil {
		return 0, fmt.Errorf("rebuild search: %w", err)
	}
	n, err := o.store.RebuildSearch(ctx, orgID)
	if err != nil {
		return n, fmt.Errorf("rebuild search: %w", err)
	}
	return n, nil
}
