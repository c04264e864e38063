package domain

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// AssignmentStore is the persistence the assignments service needs.
type AssignmentStore interface {
	FindOrganization(ctx context.Context, orgID string) (Organization, error)
	// FindModule and FindCatalogItems are the modules' and the catalog's.
	FindModule(ctx context.Context, orgID, moduleID string) (Module, error)
	FindCatalogItems(ctx context.Context, ids []string) (map[string]CatalogItem, error)
	FindUserByID(ctx context.Context, orgID, userID string) (User, error)
	// FindUsersByID returns the users of an org among ids; unknown ids are left out.
	FindUsersByID(ctx context.Context, orgID string, ids []string) ([]User, error)
	FindTeam(ctx context.Context, orgID, teamID string) (Team, error)
	// FindTeamMemberIDs returns the ids of a team's members with a status.
	FindTeamMemberIDs(ctx context.Context, orgID, teamID, status string) ([]string, error)

	// CreateAssignment writes a new assignment (its Pending are the people
	// still to write), its content and its audit entry, in one transaction.
	CreateAssignment(ctx context.Context, a Assignment, c AssignmentContent, audit AuditEntry) error
	// AddPending adds people to an open assignment's Pending, and the users
	// and teams chosen to its targets, with the audit entry, in one
	// transaction.
	AddPending(ctx context.Context, orgID, assignmentID string, add []PendingAssignee, userIDs, teamIDs []string, audit AuditEntry) error
	// WriteAssignees writes the progress of the given pending people in
	// transactions of at most 100 items, each with the counters and taking
	// them off Pending; it returns the assignment as it is after.
	WriteAssignees(ctx context.Context, a Assignment, people []Assignee) (Assignment, error)
	FindAssignment(ctx context.Context, orgID, assignmentID string) (Assignment, error)
	FindAssignmentContent(ctx context.Context, orgID, assignmentID string) (AssignmentContent, error)
	// FindAssignments returns a page of an org's assignments of one status, by due date.
	FindAssignments(ctx context.Context, orgID, status string, limit int, after string) ([]Assignment, string, error)
	// FindAssignmentsByID returns assignments among ids; unknown ids are left out.
	FindAssignmentsByID(ctx context.Context, orgID string, ids []string) ([]Assignment, error)
	FindAssignmentContents(ctx context.Context, orgID string, ids []string) ([]AssignmentContent, error)
	// FindAssignees returns a page of an assignment's people in name order.
	FindAssignees(ctx context.Context, orgID, assignmentID string, q AssigneeQuery) ([]Assignee, string, error)
	// FindAssigneesByUser returns the progress of the given people in an assignment.
	FindAssigneesByUser(ctx context.Context, orgID, assignmentID string, userIDs []string) ([]Assignee, error)
	// FindUserAssignees returns a user's progress in every assignment they have.
	FindUserAssignees(ctx context.Context, orgID, userID string) ([]Assignee, error)
	// SetAssignmentDue moves an open assignment's due day, with the audit
	// entry, in one transaction, and returns it as saved.
	SetAssignmentDue(ctx context.Context, orgID, assignmentID string, dueOn time.Time, audit AuditEntry) (Assignment, error)
	// CancelAssignment cancels an open assignment, with the audit entry, in
	// one transaction, and returns it as saved.
	CancelAssignment(ctx context.Context, orgID, assignmentID, moduleID string, at time.Time, audit AuditEntry) (Assignment, error)
	// SaveProgress writes progress changes, each with its assignment's
	// counters, in transactions of at most 100 items.
	SaveProgress(ctx context.Context, orgID string, changes []ProgressChange) error
}

// Assignments gives modules to people with due dates and follows their progress.
type Assignments struct {
	store   AssignmentStore
	cursors Cursors
	now     Clock
}

// NewAssignments returns the assignments service.
func NewAssignments(store AssignmentStore, cursors Cursors, now Clock) *Assignments {
	return &Assignments{store: store, cursors: cursors, now: now}
}

// NewAssignment is what an admin asks for: a module, people and teams, a due day.
type NewAssignment struct {
	ModuleID string
	UserIDs  []string
	TeamIDs  []string
	// DueOn is YYYY-MM-DD, a day in the organization's time zone.
	DueOn string
}

// AssignmentView is an assignment as of today in its organization's time zone.
type AssignmentView struct {
	Assignment Assignment
	// Today is the calendar day in the organization's time zone.
	Today time.Time
}

// AssignmentDetails is an assignment with its module copy.
type AssignmentDetails struct {
	AssignmentView
	Content AssignmentContent
}

// today is the calendar day in an organization's time zone.
func (s *Assignments) today(org Organization) time.Time { return DayIn(s.now(), org.Location()) }

// parseDue checks a due day: a date, not before today, at most MaxDueYears ahead.
func parseDue(raw string, today time.Time, p Problems) time.Time {
	due, err := time.Parse(DateLayout, strings.TrimSpace(raw))
	switch {
	case err != nil:
		p.Add("dueOn", "must be a date like 2026-12-31")
	case due.Before(today):
		p.Add("dueOn", "must not be in the past (today is "+today.Format(DateLayout)+" in the organization's time zone)")
	case due.After(today.AddDate(MaxDueYears, 0, 0)):
		p.Add("dueOn", fmt.Sprintf("must be within %d years", MaxDueYears))
	}
	return due
}

// checkTargets checks the shape of user and team ids.
func checkTargets(userIDs, teamIDs []string, p Problems) {
	if len(userIDs) == 0 && len(teamIDs) == 0 {
		p.Add("userIds", "choose at least one person or team")
	}
	if len(userIDs) > MaxAssignees {
		p.Add("userIds", fmt.Sprintf("at most %d people", MaxAssignees))
	}
	if len(teamIDs) > MaxAssignTeams {
		p.Add("teamIds", fmt.Sprintf("at most %d teams", MaxAssignTeams))
	}
}

// resolve turns chosen people and teams into the people to assign: users of
// the organization who may learn (not inactive) and the active members of
// each team, each once (a person chosen directly comes directly). An unknown
// or another organization's id is not_found.
func (s *Assignments) resolve(ctx context.Context, orgID string, userIDs, teamIDs []string) ([]PendingAssignee, map[string]User, error) {
	for _, id := range userIDs {
		if !ValidID(id) {
			return nil, nil, NotFound("user")
		}
	}
	for _, id := range teamIDs {
		if !ValidID(id) {
			return nil, nil, NotFound("team")
		}
	}
	userIDs, teamIDs = unique(userIDs), unique(teamIDs)
	var people []PendingAssignee
	seen := map[string]bool{}
	for _, id := range userIDs {
		people = append(people, PendingAssignee{UserID: id})
		seen[id] = true
	}
	for _, teamID := range teamIDs {
		if _, err := s.store.FindTeam(ctx, orgID, teamID); err != nil {
			return nil, nil, fmt.Errorf("assign team %s: %w", teamID, err)
		}
		members, err := s.store.FindTeamMemberIDs(ctx, orgID, teamID, StatusActive)
		if err != nil {
			return nil, nil, fmt.Errorf("assign team %s: %w", teamID, err)
		}
		for _, id := range members {
			if !seen[id] {
				seen[id] = true
				people = append(people, PendingAssignee{UserID: id, TeamID: teamID})
			}
		}
		if len(people) > MaxAssignees {
			break
		}
	}
	if len(people) > MaxAssignees {
		return nil, nil, Problems{"userIds": fmt.Sprintf("these people and teams make %d people; an assignment has at most %d", len(people), MaxAssignees)}.Err()
	}
	ids := make([]string, len(people))
	for i, pa := range people {
		ids[i] = pa.UserID
	}
	found, err := s.store.FindUsersByID(ctx, orgID, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("assign: %w", err)
	}
	users := make(map[string]User, len(found))
	for _, u := range found {
		users[u.ID] = u
	}
	for _, id := range userIDs {
		u, ok := users[id]
		if !ok {
			return nil, nil, NotFound("user")
		}
		if u.Status == StatusInactive {
			return nil, nil, Problems{"userIds": u.FirstName + " " + u.LastName + " is deactivated; activate them first"}.Err()
		}
	}
	// Team members come from the team's ACTIVE entries; one deactivated
	// since is left out rather than refused.
	kept := people[:0]
	for _, pa := range people {
		if _, ok := users[pa.UserID]; ok {
			kept = append(kept, pa)
		}
	}
	return kept, users, nil
}

func unique(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Create gives a module to people and teams with a due day. The module's
// name and items are copied. People are written in transactions of up to 100
// items; should one fail, the assignment says how many were assigned and who
// remains (Pending), and AddAssignees finishes it.
func (s *Assignments) Create(ctx context.Context, p *Principal, n NewAssignment) (AssignmentView, error) {
	org, err := s.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return AssignmentView{}, fmt.Errorf("create assignment: %w", err)
	}
	today := s.today(org)
	probs := Problems{}
	if strings.TrimSpace(n.ModuleID) == "" {
		probs.Add("moduleId", "is required")
	}
	due := parseDue(n.DueOn, today, probs)
	checkTargets(n.UserIDs, n.TeamIDs, probs)
	if err := probs.Err(); err != nil {
		return AssignmentView{}, err
	}
	if !ValidID(n.ModuleID) {
		return AssignmentView{}, NotFound("module")
	}
	module, err := s.store.FindModule(ctx, p.OrgID(), n.ModuleID)
	if err != nil {
		return AssignmentView{}, fmt.Errorf("create assignment: %w", err)
	}
	if len(module.Items) == 0 {
		return AssignmentView{}, Problems{"moduleId": "the module has no items; add some first"}.Err()
	}
	content, err := s.contentOf(ctx, module)
	if err != nil {
		return AssignmentView{}, err
	}
	people, users, err := s.resolve(ctx, p.OrgID(), n.UserIDs, n.TeamIDs)
	if err != nil {
		return AssignmentView{}, err
	}
	if len(people) == 0 {
		return AssignmentView{}, Problems{"teamIds": "these teams have no active members"}.Err()
	}
	a := Assignment{
		ID: NewID(), OrgID: p.OrgID(), ModuleID: module.ID, ModuleName: module.Name, DueOn: due,
		UserIDs: unique(n.UserIDs), TeamIDs: unique(n.TeamIDs), CreatedBy: p.User.ID,
	}
	a, err = s.assign(ctx, a, content, people, users, NewAuditEntry(p, AuditAssignmentCreated, assignmentTarget(a), s.now()))
	if err != nil {
		return AssignmentView{}, err
	}
	return AssignmentView{Assignment: a, Today: today}, nil
}

// assign stores a new assignment with its module copy and its audit entry
// (completed here with what was assigned), then its people.
func (s *Assignments) assign(ctx context.Context, a Assignment, content AssignmentContent, people []PendingAssignee, users map[string]User, audit AuditEntry) (Assignment, error) {
	now := s.now()
	a.ItemCount, a.Status, a.Pending, a.CreatedAt = len(content.Items), AssignmentOpen, people, now
	content.AssignmentID = a.ID
	audit.Changes = []AuditChange{{Field: "dueOn", After: a.DueOn.Format(DateLayout)}}
	audit.Detail = fmt.Sprintf("%s (%d chosen, %s)", persons(len(people)), len(a.UserIDs), teamsCount(len(a.TeamIDs)))
	if err := s.store.CreateAssignment(ctx, a, content, audit); err != nil {
		return Assignment{}, fmt.Errorf("create assignment: %w", err)
	}
	a, err := s.store.WriteAssignees(ctx, a, s.assignees(a, people, users, now))
	if err != nil {
		return Assignment{}, fmt.Errorf("create assignment %s: %w", a.ID, err)
	}
	return a, nil
}

// contentOf copies a module's items, with each course's episodes.
func (s *Assignments) contentOf(ctx context.Context, m Module) (AssignmentContent, error) {
	var courseIDs []string
	for _, it := range m.Items {
		if it.Kind == KindCourse {
			courseIDs = append(courseIDs, it.ID)
		}
	}
	episodes := map[string][]string{}
	if len(courseIDs) > 0 {
		courses, err := s.store.FindCatalogItems(ctx, courseIDs)
		if err != nil {
			return AssignmentContent{}, fmt.Errorf("read the module's courses: %w", err)
		}
		for _, c := range courses {
			episodes[c.ID] = c.EpisodeIDs
		}
	}
	c := AssignmentContent{Items: make([]AssignmentItem, len(m.Items))}
	for i, it := range m.Items {
		c.Items[i] = AssignmentItem{ID: it.ID, Kind: it.Kind, Title: it.Title, EpisodeIDs: episodes[it.ID]}
	}
	return c, nil
}

// assignees are the progress entries of people newly assigned.
func (s *Assignments) assignees(a Assignment, people []PendingAssignee, users map[string]User, now time.Time) []Assignee {
	out := make([]Assignee, 0, len(people))
	for _, pa := range people {
		u, ok := users[pa.UserID]
		if !ok {
			continue
		}
		out = append(out, Assignee{
			AssignmentID: a.ID, OrgID: a.OrgID, UserID: u.ID, TeamID: pa.TeamID, SortName: u.SortName(),
			State: ProgressNotStarted, ItemCount: a.ItemCount, AssignedAt: now,
		})
	}
	return out
}

// findAssignment reads an assignment of the principal's organization.
func (s *Assignments) findAssignment(ctx context.Context, p *Principal, id string) (Assignment, error) {
	if !ValidID(id) {
		return Assignment{}, NotFound("assignment")
	}
	a, err := s.store.FindAssignment(ctx, p.OrgID(), id)
	if err != nil {
		return Assignment{}, fmt.Errorf("get assignment: %w", err)
	}
	return a, nil
}

// AssigneeChange is who an admin adds to an assignment.
type AssigneeChange struct {
	UserIDs []string
	TeamIDs []string
}

// AddAssignees adds people and teams' active members to an open assignment;
// people it has already are left as they are. It first finishes what a
// failure left pending, so calling it again with the same people (or with
// none, when people are pending) is how an interrupted assignment is finished.
func (s *Assignments) AddAssignees(ctx context.Context, p *Principal, id string, c AssigneeChange) (AssignmentView, error) {
	a, err := s.findAssignment(ctx, p, id)
	if err != nil {
		return AssignmentView{}, err
	}
	org, err := s.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return AssignmentView{}, fmt.Errorf("add assignees: %w", err)
	}
	if a.Status != AssignmentOpen {
		return AssignmentView{}, Errorf(CodeConflict, "This assignment was cancelled; make a new one.")
	}
	probs := Problems{}
	if len(a.Pending) == 0 {
		checkTargets(c.UserIDs, c.TeamIDs, probs)
	} else if len(c.UserIDs) > MaxAssignees || len(c.TeamIDs) > MaxAssignTeams {
		checkTargets(c.UserIDs, c.TeamIDs, probs)
	}
	if err := probs.Err(); err != nil {
		return AssignmentView{}, err
	}
	people, _, err := s.resolve(ctx, p.OrgID(), c.UserIDs, c.TeamIDs)
	if err != nil {
		return AssignmentView{}, err
	}
	// Leave out whoever the assignment has, written or pending.
	ids := make([]string, len(people))
	for i, pa := range people {
		ids[i] = pa.UserID
	}
	have, err := s.store.FindAssigneesByUser(ctx, p.OrgID(), a.ID, ids)
	if err != nil {
		return AssignmentView{}, fmt.Errorf("add assignees: %w", err)
	}
	skip := map[string]bool{}
	for _, h := range have {
		skip[h.UserID] = true
	}
	for _, pa := range a.Pending {
		skip[pa.UserID] = true
	}
	var add []PendingAssignee
	for _, pa := range people {
		if !skip[pa.UserID] {
			add = append(add, pa)
		}
	}
	if a.Counts.Assignees+len(a.Pending)+len(add) > MaxAssignees {
		return AssignmentView{}, Problems{"userIds": fmt.Sprintf("the assignment would have %d people; it may have at most %d",
			a.Counts.Assignees+len(a.Pending)+len(add), MaxAssignees)}.Err()
	}
	if len(add) > 0 || len(c.UserIDs)+len(c.TeamIDs) > 0 {
		audit := NewAuditEntry(p, AuditAssignmentPeopleAdded, assignmentTarget(a), s.now())
		audit.Detail = fmt.Sprintf("+%s (%d chosen, %s)", persons(len(add)), len(unique(c.UserIDs)), teamsCount(len(unique(c.TeamIDs))))
		if err := s.store.AddPending(ctx, p.OrgID(), a.ID, add, unique(c.UserIDs), unique(c.TeamIDs), audit); err != nil {
			return AssignmentView{}, fmt.Errorf("add assignees: %w", err)
		}
		a.Pending = append(a.Pending, add...)
		for _, id := range unique(c.UserIDs) {
			if !slices.Contains(a.UserIDs, id) {
				a.UserIDs = append(a.UserIDs, id)
			}
		}
		for _, id := range unique(c.TeamIDs) {
			if !slices.Contains(a.TeamIDs, id) {
				a.TeamIDs = append(a.TeamIDs, id)
			}
		}
	}
	a, err = s.finish(ctx, a)
	if err != nil {
		return AssignmentView{}, err
	}
	return AssignmentView{Assignment: a, Today: s.today(org)}, nil
}

// finish writes an assignment's pending people.
func (s *Assignments) finish(ctx context.Context, a Assignment) (Assignment, error) {
	if len(a.Pending) == 0 {
		return a, nil
	}
	ids := make([]string, len(a.Pending))
	for i, pa := range a.Pending {
		ids[i] = pa.UserID
	}
	found, err := s.store.FindUsersByID(ctx, a.OrgID, ids)
	if err != nil {
		return a, fmt.Errorf("finish assignment %s: %w", a.ID, err)
	}
	users := make(map[string]User, len(found))
	for _, u := range found {
		users[u.ID] = u
	}
	out, err := s.store.WriteAssignees(ctx, a, s.assignees(a, a.Pending, users, s.now()))
	if err != nil {
		return out, fmt.Errorf("finish assignment %s: %w", a.ID, err)
	}
	return out, nil
}

// Get returns an assignment with its copy of the module.
func (s *Assignments) Get(ctx context.Context, p *Principal, id string) (AssignmentDetails, error) {
	a, err := s.findAssignment(ctx, p, id)
	if err != nil {
		return AssignmentDetails{}, err
	}
	content, err := s.store.FindAssignmentContent(ctx, p.OrgID(), id)
	if err != nil {
		return AssignmentDetails{}, fmt.Errorf("get assignment: %w", err)
	}
	org, err := s.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return AssignmentDetails{}, fmt.Errorf("get assignment: %w", err)
	}
	return AssignmentDetails{AssignmentView: AssignmentView{Assignment: a, Today: s.today(org)}, Content: content}, nil
}

// AssignmentPage is a page of assignments, by due date.
type AssignmentPage struct {
	Assignments []Assignment
	Today       time.Time
	NextCursor  string
}

// Page sizes of the assignment lists.
const (
	AssignmentPageSize = 100
	AssigneePageSize   = 50
	MaxAssigneePage    = 200
)

// List returns a page of the organization's open (or cancelled) assignments,
// soonest due first.
func (s *Assignments) List(ctx context.Context, p *Principal, status, cursor string) (AssignmentPage, error) {
	if status == "" {
		status = AssignmentOpen
	}
	if status != AssignmentOpen && status != AssignmentCancelled {
		return AssignmentPage{}, Problems{"status": "must be open or cancelled"}.Err()
	}
	query := "assignments:" + status
	after, err := s.cursors.Open(p.OrgID(), query, cursor)
	if err != nil {
		return AssignmentPage{}, err
	}
	org, err := s.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return AssignmentPage{}, fmt.Errorf("list assignments: %w", err)
	}
	list, next, err := s.store.FindAssignments(ctx, p.OrgID(), status, AssignmentPageSize, after)
	if err != nil {
		return AssignmentPage{}, fmt.Errorf("list assignments: %w", err)
	}
	return AssignmentPage{Assignments: list, Today: s.today(org), NextCursor: s.cursors.Seal(p.OrgID(), query, next)}, nil
}

// ForTeam returns the open assignments a team was given.
func (s *Assignments) ForTeam(ctx context.Context, p *Principal, teamID string) (AssignmentPage, error) {
	if !ValidID(teamID) {
		return AssignmentPage{}, NotFound("team")
	}
	if _, err := s.store.FindTeam(ctx, p.OrgID(), teamID); err != nil {
		return AssignmentPage{}, fmt.Errorf("team assignments: %w", err)
	}
	org, err := s.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return AssignmentPage{}, fmt.Errorf("team assignments: %w", err)
	}
	all, err := openAssignments(ctx, s.store, p.OrgID())
	if err != nil {
		return AssignmentPage{}, fmt.Errorf("team assignments: %w", err)
	}
	page := AssignmentPage{Assignments: []Assignment{}, Today: s.today(org)}
	for _, a := range all {
		if slices.Contains(a.TeamIDs, teamID) {
			page.Assignments = append(page.Assignments, a)
		}
	}
	return page, nil
}

// assignmentLister reads pages of an organization's assignments.
type assignmentLister interface {
	FindAssignments(ctx context.Context, orgID, status string, limit int, after string) ([]Assignment, string, error)
}

// openAssignments reads every open assignment of an organization: one Query
// per page of AssignmentPageSize, whatever the number of people.
func openAssignments(ctx context.Context, store assignmentLister, orgID string) ([]Assignment, error) {
	var all []Assignment
	after := ""
	for {
		list, next, err := store.FindAssignments(ctx, orgID, AssignmentOpen, AssignmentPageSize, after)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if next == "" {
			return all, nil
		}
		after = next
	}
}

// AssigneeFilter is what an admin asks an assignment's people list for.
type AssigneeFilter struct {
	// TeamID limits the list to people assigned through a team.
	TeamID string
	// State is not_started, in_progress, completed, overdue or "" for all.
	State  string
	Limit  int
	Cursor string
}

// AssigneeQuery selects a page of an assignment's people from the store.
type AssigneeQuery struct {
	TeamID string
	// State is a progress state, or "" for all.
	State string
	// NotCompleted leaves out who completed (the overdue filter).
	NotCompleted bool
	Limit        int
	After        string
}

// AssigneeRow is one person of an assignment with their user.
type AssigneeRow struct {
	Assignee Assignee
	User     User
}

// AssigneePage is a page of an assignment's people, in name order.
type AssigneePage struct {
	Assignment Assignment
	Today      time.Time
	Rows       []AssigneeRow
	NextCursor string
}

// Filter states of the people list beyond the progress states.
const StateOverdue = "overdue"

// Assignees returns a page of an assignment's people, filtered by team and state.
func (s *Assignments) Assignees(ctx context.Context, p *Principal, id string, f AssigneeFilter) (AssigneePage, error) {
	probs := Problems{}
	switch f.State {
	case "", ProgressNotStarted, ProgressInProgress, ProgressCompleted, StateOverdue:
	default:
		probs.Add("state", "must be not_started, in_progress, completed or overdue")
	}
	if f.Limit == 0 {
		f.Limit = AssigneePageSize
	}
	if f.Limit < 1 || f.Limit > MaxAssigneePage {
		probs.Add("limit", fmt.Sprintf("must be between 1 and %d", MaxAssigneePage))
	}
	if err := probs.Err(); err != nil {
		return AssigneePage{}, err
	}
	a, err := s.findAssignment(ctx, p, id)
	if err != nil {
		return AssigneePage{}, err
	}
	if f.TeamID != "" && !ValidID(f.TeamID) {
		return AssigneePage{}, NotFound("team")
	}
	if f.TeamID != "" {
		if _, err := s.store.FindTeam(ctx, p.OrgID(), f.TeamID); err != nil {
			return AssigneePage{}, fmt.Errorf("assignees: %w", err)
		}
	}
	org, err := s.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return AssigneePage{}, fmt.Errorf("assignees: %w", err)
	}
	today := s.today(org)
	page := AssigneePage{Assignment: a, Today: today, Rows: []AssigneeRow{}}
	q := AssigneeQuery{TeamID: f.TeamID, State: f.State, Limit: f.Limit}
	if f.State == StateOverdue {
		if !a.Overdue(today) {
			return page, nil
		}
		q.State, q.NotCompleted = "", true
	}
	query := fmt.Sprintf("assignees:%s:%s:%s:%d", a.ID, f.TeamID, f.State, f.Limit)
	if q.After, err = s.cursors.Open(p.OrgID(), query, f.Cursor); err != nil {
		return AssigneePage{}, err
	}
	list, next, err := s.store.FindAssignees(ctx, p.OrgID(), a.ID, q)
	if err != nil {
		return AssigneePage{}, fmt.Errorf("assignees: %w", err)
	}
	ids := make([]string, len(list))
	for i, as := range list {
		ids[i] = as.UserID
	}
	users, err := s.store.FindUsersByID(ctx, p.OrgID(), ids)
	if err != nil {
		return AssigneePage{}, fmt.Errorf("assignees: %w", err)
	}
	byID := make(map[string]User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	for _, as := range list {
		// Someone removed from the organization since shows with their id only.
		page.Rows = append(page.Rows, AssigneeRow{Assignee: as, User: byID[as.UserID]})
	}
	page.NextCursor = s.cursors.Seal(p.OrgID(), query, next)
	return page, nil
}

// UserAssignment is one of a user's assignments with their progress in it.
type UserAssignment struct {
	Assignment Assignment
	Progress   Assignee
}

// UserAssignments are a user's assignments, soonest due first, open before cancelled.
type UserAssignments struct {
	User  User
	Items []UserAssignment
	Today time.Time
}

// ForUser returns a user's assignments and their progress in each.
func (s *Assignments) ForUser(ctx context.Context, p *Principal, userID string) (UserAssignments, error) {
	u, err := findUser(ctx, s.store, p, userID)
	if err != nil {
		return UserAssignments{}, err
	}
	org, err := s.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return UserAssignments{}, fmt.Errorf("user assignments: %w", err)
	}
	return s.forUser(ctx, u, org)
}

// forUser reads the assignments of a user already found in org: one Query,
// and one BatchGetItem per 100 assignments.
func (s *Assignments) forUser(ctx context.Context, u User, org Organization) (UserAssignments, error) {
	progress, err := s.store.FindUserAssignees(ctx, org.ID, u.ID)
	if err != nil {
		return UserAssignments{}, fmt.Errorf("user assignments: %w", err)
	}
	ids := make([]string, len(progress))
	for i, pr := range progress {
		ids[i] = pr.AssignmentID
	}
	list, err := s.store.FindAssignmentsByID(ctx, org.ID, ids)
	if err != nil {
		return UserAssignments{}, fmt.Errorf("user assignments: %w", err)
	}
	byID := make(map[string]Assignment, len(list))
	for _, a := range list {
		byID[a.ID] = a
	}
	out := UserAssignments{User: u, Items: []UserAssignment{}, Today: s.today(org)}
	for _, pr := range progress {
		if a, ok := byID[pr.AssignmentID]; ok {
			out.Items = append(out.Items, UserAssignment{Assignment: a, Progress: pr})
		}
	}
	slices.SortStableFunc(out.Items, func(x, y UserAssignment) int {
		if x.Assignment.Status != y.Assignment.Status {
			return strings.Compare(y.Assignment.Status, x.Assignment.Status) // open before cancelled
		}
		return x.Assignment.DueOn.Compare(y.Assignment.DueOn)
	})
	return out, nil
}

// AssignmentChange is what an admin changes of an assignment.
type AssignmentChange struct {
	DueOn string
}

// Update changes an open assignment's due day.
func (s *Assignments) Update(ctx context.Context, p *Principal, id string, c AssignmentChange) (AssignmentView, error) {
	a, err := s.findAssignment(ctx, p, id)
	if err != nil {
		return AssignmentView{}, err
	}
	org, err := s.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return AssignmentView{}, fmt.Errorf("update assignment: %w", err)
	}
	today := s.today(org)
	probs := Problems{}
	due := parseDue(c.DueOn, today, probs)
	if err := probs.Err(); err != nil {
		return AssignmentView{}, err
	}
	if a.Status != AssignmentOpen {
		return AssignmentView{}, Errorf(CodeConflict, "This assignment was cancelled; its due date no longer changes.")
	}
	if due.Equal(a.DueOn) {
		return AssignmentView{Assignment: a, Today: today}, nil
	}
	audit := NewAuditEntry(p, AuditAssignmentUpdated, assignmentTarget(a), s.now())
	audit.Changes = []AuditChange{{Field: "dueOn", Before: a.DueOn.Format(DateLayout), After: due.Format(DateLayout)}}
	a, err = s.store.SetAssignmentDue(ctx, p.OrgID(), id, due, audit)
	if err != nil {
		return AssignmentView{}, fmt.Errorf("update assignment: %w", err)
	}
	return AssignmentView{Assignment: a, Today: today}, nil
}

// Cancel cancels an open assignment: it leaves the lists of open assignments
// and the dashboard, and keeps its people's progress for history. Cancelling
// it again changes nothing.
func (s *Assignments) Cancel(ctx context.Context, p *Principal, id string) (AssignmentView, error) {
	a, err := s.findAssignment(ctx, p, id)
	if err != nil {
		return AssignmentView{}, err
	}
	org, err := s.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return AssignmentView{}, fmt.Errorf("cancel assignment: %w", err)
	}
	if a.Status == AssignmentOpen {
		audit := NewAuditEntry(p, AuditAssignmentCancelled, assignmentTarget(a), s.now())
		audit.Changes = []AuditChange{{Field: "status", Before: AssignmentOpen, After: AssignmentCancelled}}
		if a, err = s.store.CancelAssignment(ctx, p.OrgID(), id, a.ModuleID, s.now(), audit); err != nil {
			return AssignmentView{}, fmt.Errorf("cancel assignment: %w", err)
		}
	}
	return AssignmentView{Assignment: a, Today: s.today(org)}, nil
}

// assignmentTarget names an assignment as a target, by its module's name.
func assignmentTarget(a Assignment) AuditTarget {
	return AuditTarget{Kind: TargetAssignment, ID: a.ID, Name: a.ModuleName}
}

// Completion is what activity reports: a learner completed catalog items
// or episodes at a time.
type Completion struct {
	UserID     string
	CatalogIDs []string
	At         time.Time
}

// RecordCompleted is the one way activity feeds assignment progress: each
// completion moves every open assignment of its learner that counts one of
// its ids, the assignment's counters in the same transaction (many learners
// share transactions of up to 100 items). Recording the same ids again
// changes nothing. The activity issue's ingestion calls it with a batch of
// events; until then the demo seed does.
func (s *Assignments) RecordCompleted(ctx context.Context, orgID string, done []Completion) error {
	var err error
	for range 3 {
		if err = s.recordCompleted(ctx, orgID, done); ErrorCode(err) != CodeConflict {
			return err
		}
	}
	return err
}

func (s *Assignments) recordCompleted(ctx context.Context, orgID string, done []Completion) error {
	// Each learner's completions, in order, and their unfinished progress.
	byUser := map[string][]Completion{}
	var users []string
	for _, c := range done {
		if _, ok := byUser[c.UserID]; !ok {
			users = append(users, c.UserID)
		}
		byUser[c.UserID] = append(byUser[c.UserID], c)
	}
	var progress []Assignee
	var ids []string
	for _, u := range users {
		list, err := s.store.FindUserAssignees(ctx, orgID, u)
		if err != nil {
			return fmt.Errorf("record completed: %w", err)
		}
		for _, pr := range list {
			if pr.State != ProgressCompleted {
				progress = append(progress, pr)
				if !slices.Contains(ids, pr.AssignmentID) {
					ids = append(ids, pr.AssignmentID)
				}
			}
		}
	}
	if len(progress) == 0 {
		return nil
	}
	list, err := s.store.FindAssignmentsByID(ctx, orgID, ids)
	if err != nil {
		return fmt.Errorf("record completed: %w", err)
	}
	var openIDs []string
	for _, a := range list {
		if a.Status == AssignmentOpen {
			openIDs = append(openIDs, a.ID)
		}
	}
	contents, err := s.store.FindAssignmentContents(ctx, orgID, openIDs)
	if err != nil {
		return fmt.Errorf("record completed: %w", err)
	}
	byID := make(map[string]AssignmentContent, len(contents))
	for _, c := range contents {
		byID[c.AssignmentID] = c
	}
	var changes []ProgressChange
	for _, pr := range progress {
		c, ok := byID[pr.AssignmentID]
		if !ok {
			continue // cancelled: activity no longer moves it
		}
		if after, changed := c.advance(pr, byUser[pr.UserID]); changed {
			changes = append(changes, ProgressChange{Before: pr, After: after})
		}
	}
	if len(changes) == 0 {
		return nil
	}
	if err := s.store.SaveProgress(ctx, orgID, changes); err != nil {
		return fmt.Errorf("record completed: %w", err)
	}
	return nil
}

// advance applies completions to one person's progress in the content: the
// ids that count are added to Done, and the items done, state, start and
// completion follow.
func (c AssignmentContent) advance(pr Assignee, done []Completion) (Assignee, bool) {
	after := pr
	after.Done = slices.Clone(pr.Done)
	for _, d := range done {
		added := false
		for _, id := range c.relevant(d.CatalogIDs) {
			if !slices.Contains(after.Done, id) {
				after.Done = append(after.Done, id)
				added = true
			}
		}
		if !added || after.State == ProgressCompleted {
			continue
		}
		after.ItemsDone = c.itemsDone(after.Done)
		after.ItemCount = len(c.Items)
		after.State = stateOf(after.ItemsDone, after.ItemCount, true)
		if after.StartedAt.IsZero() {
			after.StartedAt = d.At
		}
		if after.State == ProgressCompleted {
			after.CompletedAt = d.At
		}
	}
	return after, len(after.Done) != len(pr.Done)
}
