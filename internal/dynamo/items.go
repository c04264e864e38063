package dynamo

import (
	"slices"
	"strings"
	"time"

	"proportal/internal/domain"
)

// Item structs: the stored form of each domain type, with explicit
// conversions both ways.

type orgItem struct {
	key
	Type      string    `dynamodbav:"type"`
	ID        string    `dynamodbav:"id"`
	Name      string    `dynamodbav:"name"`
	CreatedAt time.Time `dynamodbav:"createdAt"`
	TimeZone  string    `dynamodbav:"timeZone,omitempty"`
	// RemindersOff is stored only when an admin turned reminders off, so
	// that organizations from before the switch have them on.
	RemindersOff bool `dynamodbav:"remindersOff,omitempty"`
}

func toOrgItem(o domain.Organization) orgItem {
	return orgItem{key: orgKey(o.ID), Type: "org", ID: o.ID, Name: o.Name, CreatedAt: o.CreatedAt, TimeZone: o.TimeZone, RemindersOff: o.RemindersOff}
}

func (it orgItem) toDomain() domain.Organization {
	return domain.Organization{ID: it.ID, Name: it.Name, CreatedAt: it.CreatedAt, TimeZone: it.TimeZone, RemindersOff: it.RemindersOff}
}

type subscriptionItem struct {
	key
	Type       string   `dynamodbav:"type"`
	OrgID      string   `dynamodbav:"orgId"`
	SeatsTotal int      `dynamodbav:"seatsTotal"`
	SeatsUsed  int      `dynamodbav:"seatsUsed"`
	StartsOn   string   `dynamodbav:"startsOn"`
	EndsOn     string   `dynamodbav:"endsOn"`
	Features   []string `dynamodbav:"features"`
	// Counters kept in the same transaction as every user change.
	Admins   int `dynamodbav:"admins"`
	Active   int `dynamodbav:"active"`
	Invited  int `dynamodbav:"invited"`
	Inactive int `dynamodbav:"inactive"`
}

func (it subscriptionItem) counts() domain.UserCounts {
	return domain.UserCounts{
		Active: it.Active, Invited: it.Invited, Inactive: it.Inactive, Admins: it.Admins,
		SeatsUsed: it.SeatsUsed, SeatsTotal: it.SeatsTotal,
	}
}

func toSubscriptionItem(s domain.Subscription) subscriptionItem {
	return subscriptionItem{
		key: subscriptionKey(s.OrgID), Type: "subscription", OrgID: s.OrgID,
		SeatsTotal: s.SeatsTotal, SeatsUsed: s.SeatsUsed,
		StartsOn: s.StartsOn.Format(domain.DateLayout), EndsOn: s.EndsOn.Format(domain.DateLayout),
		Features: s.Features,
	}
}

func (it subscriptionItem) toDomain() domain.Subscription {
	starts, _ := time.Parse(domain.DateLayout, it.StartsOn)
	ends, _ := time.Parse(domain.DateLayout, it.EndsOn)
	return domain.Subscription{
		OrgID: it.OrgID, SeatsTotal: it.SeatsTotal, SeatsUsed: it.SeatsUsed,
		StartsOn: starts, EndsOn: ends, Features: it.Features,
	}
}

type userItem struct {
	key
	Type           string    `dynamodbav:"type"`
	ID             string    `dynamodbav:"id"`
	OrgID          string    `dynamodbav:"orgId"`
	FirstName      string    `dynamodbav:"firstName"`
	LastName       string    `dynamodbav:"lastName"`
	Email          string    `dynamodbav:"email"`
	Status         string    `dynamodbav:"status"`
	Seat           bool      `dynamodbav:"seat"`
	Admin          bool      `dynamodbav:"admin"`
	PasswordHash   string    `dynamodbav:"passwordHash,omitempty"`
	SessionVersion int       `dynamodbav:"sessionVersion"`
	TeamIDs        []string  `dynamodbav:"teamIds,stringset,omitempty"`
	CreatedAt      time.Time `dynamodbav:"createdAt"`
	LastLoginAt    time.Time `dynamodbav:"lastLoginAt"`
	GSI1PK         string    `dynamodbav:"gsi1pk"`
	GSI1SK         string    `dynamodbav:"gsi1sk"`
	GSI2PK         string    `dynamodbav:"gsi2pk"`
	GSI2SK         string    `dynamodbav:"gsi2sk"`
	GSI3PK         string    `dynamodbav:"gsi3pk,omitempty"`
	GSI3SK         string    `dynamodbav:"gsi3sk,omitempty"`
	InviteToken    string    `dynamodbav:"inviteTokenHash,omitempty"`
	ResetToken     string    `dynamodbav:"resetTokenHash,omitempty"`
	Rev            int       `dynamodbav:"rev"`
}

func toUserItem(u domain.User) userItem {
	sortKey := userSortKey(u.SortName(), u.ID)
	it := userItem{
		key: userKey(u.OrgID, u.ID), Type: "user", ID: u.ID, OrgID: u.OrgID,
		FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Status: u.Status,
		Seat: u.Seat, Admin: u.Admin, PasswordHash: u.PasswordHash, SessionVersion: u.SessionVersion,
		TeamIDs: u.TeamIDs, CreatedAt: u.CreatedAt, LastLoginAt: u.LastLoginAt,
		InviteToken: u.InviteTokenHash, ResetToken: u.ResetTokenHash, Rev: u.Revision,
		GSI1PK: usersByStatusPK(u.OrgID, u.Status), GSI1SK: sortKey,
		GSI2PK: allUsersPK(u.OrgID), GSI2SK: sortKey,
	}
	if u.Admin {
		it.GSI3PK, it.GSI3SK = adminsPK(u.OrgID), sortKey
	}
	return it
}

func (it userItem) toDomain() domain.User {
	return domain.User{
		ID: it.ID, OrgID: it.OrgID, FirstName: it.FirstName, LastName: it.LastName, Email: it.Email,
		Status: it.Status, Seat: it.Seat, Admin: it.Admin, PasswordHash: it.PasswordHash,
		SessionVersion: it.SessionVersion, TeamIDs: it.TeamIDs, CreatedAt: it.CreatedAt, LastLoginAt: it.LastLoginAt,
		InviteTokenHash: it.InviteToken, ResetTokenHash: it.ResetToken, Revision: it.Rev,
	}
}

// searchItem finds a user by the start of a first name, last name, one of
// their words, or the email. It carries what the list filters on.
type searchItem struct {
	key
	Type    string   `dynamodbav:"type"`
	UserID  string   `dynamodbav:"userId"`
	SortKey string   `dynamodbav:"sortKey"`
	Status  string   `dynamodbav:"status"`
	Admin   bool     `dynamodbav:"admin"`
	TeamIDs []string `dynamodbav:"teamIds,stringset,omitempty"`
}

// searchTerms are the strings a user can be found by the start of, lower-cased
// with single spaces (as domain.UserFilter normalizes a search): the first and
// last name, each of their words, the full name first-then-last and
// last-then-first (so "ada lov" and "lovelace a" find Ada Lovelace with one
// key condition), the email and the part after its @ ("demo.test").
func searchTerms(u domain.User) []string {
	var terms []string
	add := func(t string) {
		t = strings.Join(strings.Fields(strings.ToLower(t)), " ")
		if t != "" && !slices.Contains(terms, t) {
			terms = append(terms, t)
		}
	}
	add(u.FirstName)
	add(u.LastName)
	for _, w := range strings.Fields(u.FirstName + " " + u.LastName) {
		add(w)
	}
	add(u.FirstName + " " + u.LastName)
	add(u.LastName + " " + u.FirstName)
	add(u.Email)
	if at := strings.LastIndexByte(u.Email, '@'); at >= 0 {
		add(u.Email[at+1:])
	}
	return terms
}

func toSearchItems(u domain.User) []searchItem {
	var items []searchItem
	for _, term := range searchTerms(u) {
		items = append(items, searchItem{
			key: searchKey(u.OrgID, term, u.ID), Type: "search", UserID: u.ID,
			SortKey: userSortKey(u.SortName(), u.ID), Status: u.Status, Admin: u.Admin, TeamIDs: u.TeamIDs,
		})
	}
	return items
}

// memberItem puts a user in a team, with copies of what the team's lists sort
// and filter on; it is rewritten with every change of the user.
type memberItem struct {
	key
	Type   string `dynamodbav:"type"`
	UserID string `dynamodbav:"userId"`
	Status string `dynamodbav:"status"`
	Admin  bool   `dynamodbav:"admin"`
	GSI1PK string `dynamodbav:"gsi1pk"`
	GSI1SK string `dynamodbav:"gsi1sk"`
	GSI2PK string `dynamodbav:"gsi2pk"`
	GSI2SK string `dynamodbav:"gsi2sk"`
	GSI3PK string `dynamodbav:"gsi3pk,omitempty"`
	GSI3SK string `dynamodbav:"gsi3sk,omitempty"`
}

func toMemberItem(u domain.User, teamID string) memberItem {
	sortKey := userSortKey(u.SortName(), u.ID)
	it := memberItem{
		key: memberKey(u.OrgID, teamID, u.ID), Type: "member", UserID: u.ID, Status: u.Status, Admin: u.Admin,
		GSI1PK: teamPK(u.OrgID, teamID), GSI1SK: sortKey,
		GSI2PK: teamStatusPK(u.OrgID, teamID, u.Status), GSI2SK: sortKey,
	}
	if u.Admin {
		it.GSI3PK, it.GSI3SK = teamAdminsPK(u.OrgID, teamID), sortKey
	}
	return it
}

type teamItem struct {
	key
	Type      string    `dynamodbav:"type"`
	ID        string    `dynamodbav:"id"`
	OrgID     string    `dynamodbav:"orgId"`
	Name      string    `dynamodbav:"name"`
	CreatedAt time.Time `dynamodbav:"createdAt"`
	// Members by status, moved by every transaction that changes a member.
	Active       int    `dynamodbav:"active"`
	Invited      int    `dynamodbav:"invited"`
	Inactive     int    `dynamodbav:"inactive"`
	Deleting     bool   `dynamodbav:"deleting,omitempty"`
	LastChangeID string `dynamodbav:"lastChangeId,omitempty"`
}

func toTeamItem(t domain.Team) teamItem {
	return teamItem{
		key: teamKey(t.OrgID, t.ID), Type: "team", ID: t.ID, OrgID: t.OrgID, Name: t.Name, CreatedAt: t.CreatedAt,
		Active: t.Members.Active, Invited: t.Members.Invited, Inactive: t.Members.Inactive,
		Deleting: t.Deleting, LastChangeID: t.LastChangeID,
	}
}

func (it teamItem) toDomain() domain.Team {
	return domain.Team{
		ID: it.ID, OrgID: it.OrgID, Name: it.Name, CreatedAt: it.CreatedAt,
		Members:  domain.MemberCounts{Active: it.Active, Invited: it.Invited, Inactive: it.Inactive},
		Deleting: it.Deleting, LastChangeID: it.LastChangeID,
	}
}

// teamNameItem reserves a team's name in its org, in any case.
type teamNameItem struct {
	key
	Type   string `dynamodbav:"type"`
	TeamID string `dynamodbav:"teamId"`
}

func toTeamNameItem(t domain.Team) teamNameItem {
	return teamNameItem{key: teamNameKey(t.OrgID, domain.TeamNameKey(t.Name)), Type: "teamName", TeamID: t.ID}
}

// teamChangeItem is a change of many members of a team and how far it got.
type teamChangeItem struct {
	key
	Type      string        `dynamodbav:"type"`
	ID        string        `dynamodbav:"id"`
	OrgID     string        `dynamodbav:"orgId"`
	TeamID    string        `dynamodbav:"teamId"`
	Kind      string        `dynamodbav:"kind"`
	UserIDs   []string      `dynamodbav:"userIds"`
	Next      int           `dynamodbav:"next"`
	Total     int           `dynamodbav:"total"`
	Done      int           `dynamodbav:"done"`
	Failures  []failureItem `dynamodbav:"failures"`
	Status    string        `dynamodbav:"status"`
	CreatedAt time.Time     `dynamodbav:"createdAt"`
	UpdatedAt time.Time     `dynamodbav:"updatedAt"`
	TTL       int64         `dynamodbav:"ttl"`
	// Who asked for the change, from where, and the team's name then: the
	// members' audit entries name them.
	ByKind   string `dynamodbav:"byKind,omitempty"`
	ByID     string `dynamodbav:"byId,omitempty"`
	ByName   string `dynamodbav:"byName,omitempty"`
	ByEmail  string `dynamodbav:"byEmail,omitempty"`
	Source   string `dynamodbav:"source,omitempty"`
	TeamName string `dynamodbav:"teamName,omitempty"`
}

type failureItem struct {
	UserID  string `dynamodbav:"userId"`
	Code    string `dynamodbav:"code"`
	Message string `dynamodbav:"message"`
}

// teamChangesKept is how long a finished team change can still be read.
const teamChangesKept = 30 * 24 * time.Hour

func toTeamChangeItem(c domain.TeamChange) teamChangeItem {
	it := teamChangeItem{
		key: teamChangeKey(c.OrgID, c.TeamID, c.ID), Type: "teamChange", ID: c.ID, OrgID: c.OrgID, TeamID: c.TeamID,
		Kind: c.Kind, UserIDs: c.UserIDs, Next: c.Next, Total: c.Total, Done: c.Done, Failures: []failureItem{},
		Status: c.Status, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, TTL: c.CreatedAt.Add(teamChangesKept).Unix(),
		ByKind: c.By.Kind, ByID: c.By.ID, ByName: c.By.Name, ByEmail: c.By.Email, Source: c.Source, TeamName: c.TeamName,
	}
	if it.UserIDs == nil {
		it.UserIDs = []string{}
	}
	for _, f := range c.Failures {
		it.Failures = append(it.Failures, toFailureItem(f))
	}
	return it
}

func toFailureItem(f domain.ChangeFailure) failureItem {
	return failureItem{UserID: f.UserID, Code: f.Code, Message: f.Message}
}

func (it teamChangeItem) toDomain() domain.TeamChange {
	c := domain.TeamChange{
		ID: it.ID, OrgID: it.OrgID, TeamID: it.TeamID, Kind: it.Kind, UserIDs: it.UserIDs,
		Next: it.Next, Total: it.Total, Done: it.Done, Status: it.Status, CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt,
		By:     domain.AuditActor{Kind: it.ByKind, ID: it.ByID, Name: it.ByName, Email: it.ByEmail},
		Source: it.Source, TeamName: it.TeamName,
	}
	for _, f := range it.Failures {
		c.Failures = append(c.Failures, domain.ChangeFailure{UserID: f.UserID, Code: f.Code, Message: f.Message})
	}
	return c
}

// emailItem makes an address unique across the platform and finds its user.
type emailItem struct {
	key
	Type   string `dynamodbav:"type"`
	OrgID  string `dynamodbav:"orgId"`
	UserID string `dynamodbav:"userId"`
}

func toEmailItem(u domain.User) emailItem {
	return emailItem{key: emailKey(u.Email), Type: "email", OrgID: u.OrgID, UserID: u.ID}
}

type sessionItem struct {
	key
	expiryIndex
	Type        string    `dynamodbav:"type"`
	OrgID       string    `dynamodbav:"orgId"`
	UserID      string    `dynamodbav:"userId"`
	UserVersion int       `dynamodbav:"userVersion"`
	CreatedAt   time.Time `dynamodbav:"createdAt"`
	LastSeenAt  time.Time `dynamodbav:"lastSeenAt"`
	ExpiresAt   time.Time `dynamodbav:"expiresAt"`
	TTL         int64     `dynamodbav:"ttl"`
}

// expiryIndex puts an item that expires (one-time link, rate-limit window,
// session) under the hour it expires in (GSI3), where DeleteExpired finds it
// soon after, long before DynamoDB's TTL would.
type expiryIndex struct {
	GSI3PK string `dynamodbav:"gsi3pk"`
	GSI3SK string `dynamodbav:"gsi3sk"`
}

func expiringAt(k key, at time.Time) expiryIndex {
	return expiryIndex{GSI3PK: expiresPK(at), GSI3SK: expiresSK(at, k.PK)}
}

// cleanupAfter keeps expired records a while before DynamoDB's TTL removes
// them; expiry itself is always checked in code.
const cleanupAfter = 7 * 24 * time.Hour

// ExpiredLinksKept is how long an expired one-time link is kept before the
// sweep deletes it: following it within this time says that it expired and
// how to get a new one (410 token_expired), not merely that it does not work.
// Sessions and rate-limit windows are swept as soon as they expire.
const ExpiredLinksKept = cleanupAfter

func toSessionItem(s domain.Session) sessionItem {
	return sessionItem{
		key: sessionKey(s.TokenHash), Type: "session", OrgID: s.OrgID, UserID: s.UserID, UserVersion: s.UserVersion,
		CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt, TTL: s.ExpiresAt.Add(cleanupAfter).Unix(),
		expiryIndex: expiringAt(sessionKey(s.TokenHash), s.ExpiresAt),
	}
}

func (it sessionItem) toDomain(hash string) domain.Session {
	return domain.Session{
		TokenHash: hash, OrgID: it.OrgID, UserID: it.UserID, UserVersion: it.UserVersion,
		CreatedAt: it.CreatedAt, LastSeenAt: it.LastSeenAt, ExpiresAt: it.ExpiresAt,
	}
}

type tokenItem struct {
	key
	expiryIndex
	Type      string    `dynamodbav:"type"`
	Purpose   string    `dynamodbav:"purpose"`
	OrgID     string    `dynamodbav:"orgId"`
	UserID    string    `dynamodbav:"userId"`
	CreatedAt time.Time `dynamodbav:"createdAt"`
	ExpiresAt time.Time `dynamodbav:"expiresAt"`
	TTL       int64     `dynamodbav:"ttl"`
}

func (it tokenItem) toDomain(hash string) domain.OneTimeToken {
	return domain.OneTimeToken{
		Hash: hash, Purpose: it.Purpose, OrgID: it.OrgID, UserID: it.UserID, CreatedAt: it.CreatedAt, ExpiresAt: it.ExpiresAt,
	}
}

func toTokenItem(t domain.OneTimeToken) tokenItem {
	return tokenItem{
		key: tokenKey(t.Hash), Type: "token", Purpose: t.Purpose, OrgID: t.OrgID, UserID: t.UserID,
		CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, TTL: t.ExpiresAt.Add(cleanupAfter).Unix(),
		expiryIndex: expiringAt(tokenKey(t.Hash), t.ExpiresAt.Add(ExpiredLinksKept)),
	}
}

type counterItem struct {
	key
	Count int `dynamodbav:"count"`
}

// catalogItem is one item of the platform's catalog.
type catalogItem struct {
	key
	Type        string   `dynamodbav:"type"`
	ID          string   `dynamodbav:"id"`
	Kind        string   `dynamodbav:"kind"`
	Title       string   `dynamodbav:"title"`
	Topic       string   `dynamodbav:"topic"`
	CourseID    string   `dynamodbav:"courseId,omitempty"`
	CourseTitle string   `dynamodbav:"courseTitle,omitempty"`
	Position    int      `dynamodbav:"position,omitempty"`
	Seconds     int      `dynamodbav:"seconds,omitempty"`
	Minutes     int      `dynamodbav:"minutes,omitempty"`
	EpisodeIDs  []string `dynamodbav:"episodeIds,omitempty"`
	Retired     bool     `dynamodbav:"retired,omitempty"`
}

func toCatalogItem(c domain.CatalogItem) catalogItem {
	return catalogItem{
		key: catalogKey(c.ID), Type: "catalog", ID: c.ID, Kind: c.Kind, Title: c.Title, Topic: c.Topic,
		CourseID: c.CourseID, CourseTitle: c.CourseTitle, Position: c.Position, Seconds: c.Seconds,
		Minutes: c.Minutes, EpisodeIDs: c.EpisodeIDs, Retired: c.Retired,
	}
}

func (it catalogItem) toDomain() domain.CatalogItem {
	return domain.CatalogItem{
		ID: it.ID, Kind: it.Kind, Title: it.Title, Topic: it.Topic, CourseID: it.CourseID,
		CourseTitle: it.CourseTitle, Position: it.Position, Seconds: it.Seconds, Minutes: it.Minutes,
		EpisodeIDs: it.EpisodeIDs, Retired: it.Retired,
	}
}

// moduleItem is a learning module with its items in order. Assignments is
// a counter the assignments keep (moduleAssignmentsWrite); edits of the
// module leave it alone.
type moduleItem struct {
	key
	Type        string        `dynamodbav:"type"`
	ID          string        `dynamodbav:"id"`
	OrgID       string        `dynamodbav:"orgId"`
	Name        string        `dynamodbav:"name"`
	Description string        `dynamodbav:"description"`
	Items       []moduleEntry `dynamodbav:"items"`
	Seconds     int           `dynamodbav:"seconds"`
	Assignments int           `dynamodbav:"assignments"`
	CreatedAt   time.Time     `dynamodbav:"createdAt"`
	UpdatedAt   time.Time     `dynamodbav:"updatedAt"`
	Rev         int           `dynamodbav:"rev"`
}

// moduleEntry is one item of a module, with the title and duration it had
// when the module was saved.
type moduleEntry struct {
	ID      string `dynamodbav:"id"`
	Kind    string `dynamodbav:"kind"`
	Title   string `dynamodbav:"title"`
	Seconds int    `dynamodbav:"seconds"`
	Retired bool   `dynamodbav:"retired,omitempty"`
}

func toModuleEntries(items []domain.ModuleItem) []moduleEntry {
	out := make([]moduleEntry, len(items))
	for i, it := range items {
		out[i] = moduleEntry{ID: it.ID, Kind: it.Kind, Title: it.Title, Seconds: it.Seconds, Retired: it.Retired}
	}
	return out
}

func toModuleItem(m domain.Module) moduleItem {
	return moduleItem{
		key: moduleKey(m.OrgID, m.ID), Type: "module", ID: m.ID, OrgID: m.OrgID, Name: m.Name,
		Description: m.Description, Items: toModuleEntries(m.Items), Seconds: m.Seconds,
		Assignments: m.Assignments, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, Rev: m.Revision,
	}
}

func (it moduleItem) toDomain() domain.Module {
	items := make([]domain.ModuleItem, len(it.Items))
	for i, e := range it.Items {
		items[i] = domain.ModuleItem{ID: e.ID, Kind: e.Kind, Title: e.Title, Seconds: e.Seconds, Retired: e.Retired}
	}
	return domain.Module{
		ID: it.ID, OrgID: it.OrgID, Name: it.Name, Description: it.Description, Items: items,
		CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt, Revision: it.Rev, Seconds: it.Seconds,
		Assignments: it.Assignments,
	}
}

// assignmentItem is an assignment with its exact counters, changed in the
// same transaction as its people's progress, and the people still to write.
type assignmentItem struct {
	key
	Type       string   `dynamodbav:"type"`
	ID         string   `dynamodbav:"id"`
	OrgID      string   `dynamodbav:"orgId"`
	ModuleID   string   `dynamodbav:"moduleId"`
	ModuleName string   `dynamodbav:"moduleName"`
	ItemCount  int      `dynamodbav:"itemCount"`
	DueOn      string   `dynamodbav:"dueOn"`
	Status     string   `dynamodbav:"status"`
	UserIDs    []string `dynamodbav:"userIds,stringset,omitempty"`
	TeamIDs    []string `dynamodbav:"teamIds,stringset,omitempty"`
	Assignees  int      `dynamodbav:"assignees"`
	Completed  int      `dynamodbav:"completed"`
	InProgress int      `dynamodbav:"inProgress"`
	NotStarted int      `dynamodbav:"notStarted"`
	// Pending are the people still to write: "{user}" or "{user}#{team}".
	Pending     []string  `dynamodbav:"pending,stringset,omitempty"`
	CreatedAt   time.Time `dynamodbav:"createdAt"`
	CreatedBy   string    `dynamodbav:"createdBy"`
	CancelledAt time.Time `dynamodbav:"cancelledAt,omitempty"`
	GSI1PK      string    `dynamodbav:"gsi1pk"`
	GSI1SK      string    `dynamodbav:"gsi1sk"`
	// GSI2 (while open): DUEON#{dueOn} / {org}#{assignment}, for reminders.
	GSI2PK string `dynamodbav:"gsi2pk,omitempty"`
	GSI2SK string `dynamodbav:"gsi2sk,omitempty"`
}

// Counter attributes of an assignment, by progress state.
var stateCounter = map[string]string{
	domain.ProgressNotStarted: "notStarted",
	domain.ProgressInProgress: "inProgress",
	domain.ProgressCompleted:  "completed",
}

// setOf is a string set as the SDK encodes one: nil when empty (an empty
// slice would be stored as NULL, which ADD cannot add to).
func setOf(values []string) []string {
	if len(values) == 0 {
		return nil
	}
	return values
}

func pendingEntry(p domain.PendingAssignee) string {
	if p.TeamID == "" {
		return p.UserID
	}
	return p.UserID + "#" + p.TeamID
}

func toAssignmentItem(a domain.Assignment) assignmentItem {
	due := a.DueOn.Format(domain.DateLayout)
	it := assignmentItem{
		key: assignmentKey(a.OrgID, a.ID), Type: "assignment", ID: a.ID, OrgID: a.OrgID,
		ModuleID: a.ModuleID, ModuleName: a.ModuleName, ItemCount: a.ItemCount, DueOn: due, Status: a.Status,
		UserIDs: setOf(a.UserIDs), TeamIDs: setOf(a.TeamIDs),
		Assignees: a.Counts.Assignees, Completed: a.Counts.Completed, InProgress: a.Counts.InProgress, NotStarted: a.Counts.NotStarted,
		CreatedAt: a.CreatedAt, CreatedBy: a.CreatedBy, CancelledAt: a.CancelledAt,
		GSI1PK: assignmentsPK(a.OrgID, a.Status), GSI1SK: assignmentsSK(due, a.ID),
	}
	if a.Status == domain.AssignmentOpen {
		it.GSI2PK, it.GSI2SK = dueOnPK(due), dueOnSK(a.OrgID, a.ID)
	}
	for _, p := range a.Pending {
		it.Pending = append(it.Pending, pendingEntry(p))
	}
	return it
}

func (it assignmentItem) toDomain() domain.Assignment {
	due, _ := time.Parse(domain.DateLayout, it.DueOn)
	a := domain.Assignment{
		ID: it.ID, OrgID: it.OrgID, ModuleID: it.ModuleID, ModuleName: it.ModuleName, ItemCount: it.ItemCount,
		DueOn: due, Status: it.Status, UserIDs: it.UserIDs, TeamIDs: it.TeamIDs,
		Counts: domain.AssignmentCounts{
			Assignees: it.Assignees, Completed: it.Completed, InProgress: it.InProgress, NotStarted: it.NotStarted,
		},
		CreatedAt: it.CreatedAt, CreatedBy: it.CreatedBy, CancelledAt: it.CancelledAt,
	}
	slices.Sort(it.Pending)
	for _, e := range it.Pending {
		user, team, _ := strings.Cut(e, "#")
		a.Pending = append(a.Pending, domain.PendingAssignee{UserID: user, TeamID: team})
	}
	return a
}

// contentItem is an assignment's copy of its module.
type contentItem struct {
	key
	Type         string         `dynamodbav:"type"`
	AssignmentID string         `dynamodbav:"assignmentId"`
	Items        []contentEntry `dynamodbav:"items"`
}

type contentEntry struct {
	ID         string   `dynamodbav:"id"`
	Kind       string   `dynamodbav:"kind"`
	Title      string   `dynamodbav:"title"`
	EpisodeIDs []string `dynamodbav:"episodeIds,omitempty"`
}

func toContentItem(orgID string, c domain.AssignmentContent) contentItem {
	it := contentItem{key: assignmentContentKey(orgID, c.AssignmentID), Type: "assignmentContent", AssignmentID: c.AssignmentID}
	for _, e := range c.Items {
		it.Items = append(it.Items, contentEntry{ID: e.ID, Kind: e.Kind, Title: e.Title, EpisodeIDs: e.EpisodeIDs})
	}
	return it
}

func (it contentItem) toDomain() domain.AssignmentContent {
	c := domain.AssignmentContent{AssignmentID: it.AssignmentID, Items: make([]domain.AssignmentItem, len(it.Items))}
	for i, e := range it.Items {
		c.Items[i] = domain.AssignmentItem{ID: e.ID, Kind: e.Kind, Title: e.Title, EpisodeIDs: e.EpisodeIDs}
	}
	return c
}

// assigneeItem is one person's progress in an assignment, listed by state
// (GSI1), among the user's assignments (GSI2) and among all of the
// assignment's people (GSI3), the lists by name.
type assigneeItem struct {
	key
	Type         string    `dynamodbav:"type"`
	AssignmentID string    `dynamodbav:"assignmentId"`
	OrgID        string    `dynamodbav:"orgId"`
	UserID       string    `dynamodbav:"userId"`
	TeamID       string    `dynamodbav:"teamId,omitempty"`
	SortName     string    `dynamodbav:"sortName"`
	State        string    `dynamodbav:"state"`
	Done         []string  `dynamodbav:"done,stringset,omitempty"`
	ItemsDone    int       `dynamodbav:"itemsDone"`
	ItemCount    int       `dynamodbav:"itemCount"`
	Rev          int       `dynamodbav:"rev"`
	AssignedAt   time.Time `dynamodbav:"assignedAt"`
	StartedAt    time.Time `dynamodbav:"startedAt,omitempty"`
	CompletedAt  time.Time `dynamodbav:"completedAt,omitempty"`
	// Reminded are the reminders this person was sent ({kind}#{dueOn}),
	// each added on condition that it was not there (ClaimAssigneeReminder).
	Reminded []string `dynamodbav:"reminded,stringset,omitempty"`
	GSI1PK   string   `dynamodbav:"gsi1pk"`
	GSI1SK   string   `dynamodbav:"gsi1sk"`
	GSI2PK   string   `dynamodbav:"gsi2pk"`
	GSI2SK   string   `dynamodbav:"gsi2sk"`
	GSI3PK   string   `dynamodbav:"gsi3pk"`
	GSI3SK   string   `dynamodbav:"gsi3sk"`
}

func toAssigneeItem(a domain.Assignee) assigneeItem {
	byName := userSortKey(a.SortName, a.UserID)
	return assigneeItem{
		key: assigneeKey(a.OrgID, a.AssignmentID, a.UserID), Type: "assignee", AssignmentID: a.AssignmentID, OrgID: a.OrgID,
		UserID: a.UserID, TeamID: a.TeamID, SortName: a.SortName, State: a.State, Done: setOf(a.Done),
		ItemsDone: a.ItemsDone, ItemCount: a.ItemCount, Rev: a.Revision,
		AssignedAt: a.AssignedAt, StartedAt: a.StartedAt, CompletedAt: a.CompletedAt, Reminded: setOf(a.Reminded),
		GSI1PK: assigneesByStatePK(a.OrgID, a.AssignmentID, a.State), GSI1SK: byName,
		GSI2PK: userAssignmentsPK(a.OrgID, a.UserID), GSI2SK: "ASSIGNMENT#" + a.AssignmentID,
		GSI3PK: allAssigneesPK(a.OrgID, a.AssignmentID), GSI3SK: byName,
	}
}

func (it assigneeItem) toDomain() domain.Assignee {
	return domain.Assignee{
		AssignmentID: it.AssignmentID, OrgID: it.OrgID, UserID: it.UserID, TeamID: it.TeamID, SortName: it.SortName,
		State: it.State, Done: it.Done, ItemsDone: it.ItemsDone, ItemCount: it.ItemCount, Revision: it.Rev,
		AssignedAt: it.AssignedAt, StartedAt: it.StartedAt, CompletedAt: it.CompletedAt, Reminded: it.Reminded,
	}
}
