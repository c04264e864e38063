package domain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Team is a named group of users, for filtering, assignments and reports.
type Team struct {
	ID        string
	OrgID     string
	Name      string
	CreatedAt time.Time
	// Members counts the team's members by status; it moves in the same
	// transaction as every change of a member.
	Members MemberCounts
	// Deleting is set when the team's deletion has started: it takes no new
	// members and is gone once its last member is removed.
	Deleting bool
	// LastChangeID is the team's latest change of many members (TeamChange).
	LastChangeID string
	// AssignmentCompletion is the share (0–100) of the people of the open
	// assignments given to the team who completed them; Teams.List fills it
	// in, nil when the team was given none.
	AssignmentCompletion *int
}

// MemberCounts are a team's members by status.
type MemberCounts struct {
	Active   int
	Invited  int
	Inactive int
}

// Total is the number of members in every status.
func (c MemberCounts) Total() int { return c.Active + c.Invited + c.Inactive }

// Limits on teams.
const (
	// MaxTeamNameLength is the longest team name, in characters.
	MaxTeamNameLength = 80
	// MaxTeamChangeUsers is the most people one request may add to a team.
	MaxTeamChangeUsers = 1000
	// InlineTeamChange is how many members a request changes itself before
	// it hands the rest to the ContinueTeamChange job: small changes finish
	// within the request, large ones do not hold it.
	InlineTeamChange = 10
	// InlineTeamChangeTime bounds the time a request spends on those members
	// (real time, whatever the service's clock): a slow store (moto, or
	// DynamoDB under throttling) hands over sooner.
	InlineTeamChangeTime = 2 * time.Second
)

// budget is how much of a change one run makes: all of it (the job), or
// up to a number of steps and a time (a request).
type budget struct {
	steps int // < 0: no limit
	until time.Time
}

// all is the job's budget: the whole change.
var all = budget{steps: -1}

func (s *Teams) inline() budget {
	return budget{steps: InlineTeamChange, until: time.Now().Add(s.inlineTime)}
}

// left reports whether a run that made done steps may make another.
func (b budget) left(done int) bool {
	if b.steps < 0 {
		return true
	}
	return done < b.steps && time.Now().Before(b.until)
}

// limited reports a request's budget (which hands the rest over).
func (b budget) limited() bool { return b.steps >= 0 }

// TeamChange kinds.
const (
	// ChangeAdd adds UserIDs to the team (creating a team with members too).
	ChangeAdd = "add"
	// ChangeDelete removes every member, then the team.
	ChangeDelete = "delete"
)

// TeamChange statuses.
const (
	ChangeRunning = "running"
	// ChangeDone: every member was changed.
	ChangeDone = "done"
	// ChangeFailed: the change ended, and Failures says who was not changed and why.
	ChangeFailed = "failed"
)

// TeamChange is a change of many members of one team, made a member at a
// time (one transaction each, which also moves Next and Done), so that it can
// stop anywhere and go on from where it stopped. It says exactly who was
// changed, who was not, and why.
type TeamChange struct {
	ID     string
	OrgID  string
	TeamID string
	Kind   string
	// UserIDs are the people an add is for, in order; a delete removes
	// whoever is in the team.
	UserIDs []string
	// Next is the position in UserIDs where an add goes on.
	Next int
	// Total is how many members the change is for.
	Total int
	// Done is how many of them were changed (or were so already).
	Done int
	// Failures are the members that were not changed, and why.
	Failures  []ChangeFailure
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
	// By is the admin who asked for the change, and Source where they asked
	// from: each member's audit entry names them, in the request or the job.
	By     AuditActor
	Source string
	// TeamName is the team's name when the change began, for the entries.
	TeamName string
}

// memberAudit gives a member's change of the team change its audit entry
// (user.teams_changed, Via "team-change:<id>"), made by whoever asked for
// the change.
func (c TeamChange) memberAudit(uc *UserChange, now time.Time) {
	e := AuditEntry{
		ID: NewID(), OrgID: c.OrgID, At: now.UTC(), Kind: AuditUserTeamsChanged,
		Actor: c.By, Target: UserTarget(uc.Before), Source: c.Source,
		Changes: UserChanges(uc.Before, uc.After), Via: "team-change:" + c.ID,
	}
	if e.Actor.ID == "" {
		// A change begun before changes said who asked for them.
		e.Actor = AuditActor{Kind: ActorUser, ID: "unknown", Name: "An admin"}
	}
	switch c.Kind {
	case ChangeAdd:
		e.Detail = "added to " + c.TeamName
	default:
		e.Detail = "removed from " + c.TeamName
	}
	uc.Audit = &e
}

// teamTarget names a team as a target.
func teamTarget(t Team) AuditTarget {
	return AuditTarget{Kind: TargetTeam, ID: t.ID, Name: t.Name}
}

// membersDetail is a members_changed entry's detail: "+N −M".
func membersDetail(added, removed int) string {
	return fmt.Sprintf("+%d −%d", added, removed)
}

// Remaining is how many members the change has still to go through.
func (c TeamChange) Remaining() int { return max(c.Total-c.Done-len(c.Failures), 0) }

// ChangeFailure is a member a team change could not change, and why.
type ChangeFailure struct {
	UserID  string
	Code    string
	Message string
}

// ChangeStep is one member's part of a team change, written in the same
// transaction as the member: At is the change's position it claims (an add's
// Next; -1 for a delete, which only counts), so two runs of the same change
// never do one member twice.
type ChangeStep struct {
	OrgID    string
	TeamID   string
	ChangeID string
	At       int
	// When is when the step is made.
	When time.Time
	// Failure records the member as not changed instead of done.
	Failure *ChangeFailure
}

// TeamStore is the persistence the teams service needs.
type TeamStore interface {
	// FindTeams returns the organization's teams by name.
	FindTeams(ctx context.Context, orgID string) ([]Team, error)
	assignmentLister
	FindTeam(ctx context.Context, orgID, teamID string) (Team, error)
	// CreateTeamAndChange writes a team (conflict when the organization has
	// a team of that name in any case) and, when not nil, the change that
	// adds its first members, with the audit entry, in one transaction.
	CreateTeamAndChange(ctx context.Context, t Team, change *TeamChange, audit AuditEntry) error
	// RenameTeam renames a team (conflict when the name is taken), with the
	// audit entry in the same transaction.
	RenameTeam(ctx context.Context, before Team, name string, audit AuditEntry) error
	// StartTeamChange writes a change and makes it the team's latest, with
	// the audit entry of the request, in one transaction; a delete marks the
	// team as deleting. It fails (conflict) when the team is being deleted
	// and the change adds members.
	StartTeamChange(ctx context.Context, c TeamChange, audit AuditEntry) error
	FindTeamChange(ctx context.Context, orgID, teamID, changeID string) (TeamChange, error)
	// SaveMember writes one member's change of a team change, with its step,
	// in one transaction; conflict when the step was claimed already.
	SaveMember(ctx context.Context, c UserChange, step ChangeStep) error
	// SkipMember records a step that changed nothing (already so, or failed).
	SkipMember(ctx context.Context, step ChangeStep) error
	// FinishTeamChange sets a change's final status.
	FinishTeamChange(ctx context.Context, c TeamChange, status string) error
	// FindMemberIDs returns a page of the ids of a team's members, and where
	// the next one starts ("" after the last).
	FindMemberIDs(ctx context.Context, orgID, teamID, after string) ([]string, string, error)
	// DeleteTeam deletes a team that has no members left (conflict otherwise).
	DeleteTeam(ctx context.Context, t Team) error
	FindUserByID(ctx context.Context, orgID, userID string) (User, error)
	// FindUsersByID returns the users of an organization with these ids, in
	// their order; ids of nobody in it are left out.
	FindUsersByID(ctx context.Context, orgID string, ids []string) ([]User, error)
	SaveUser(ctx context.Context, c UserChange) error
}

// Queue hands work to a background job; the message says what to do.
type Queue interface {
	Send(ctx context.Context, message string) error
}

// Teams is the organization's teams and their members.
type Teams struct {
	store TeamStore
	queue Queue
	now   Clock
	log   *slog.Logger
	// inlineTime bounds a request's share of a change (InlineTeamChangeTime).
	inlineTime time.Duration
}

// NewTeams returns the teams service; queue takes the rest of a large team
// change to the ContinueTeamChange job.
func NewTeams(store TeamStore, queue Queue, now Clock, log *slog.Logger) *Teams {
	return &Teams{store: store, queue: queue, now: now, log: log, inlineTime: InlineTeamChangeTime}
}

// WithInlineTime sets how long a request may spend on a change's members
// before it hands the rest over: tests that count on a small change ending
// within its request, on a machine too busy to answer in time, give it more.
func (s *Teams) WithInlineTime(d time.Duration) *Teams {
	s.inlineTime = d
	return s
}

// List lists the organization's teams by name, teams being deleted included.
// Each team's AssignmentCompletion is the share of the people of the open
// assignments given to it who completed them (nil when it was given none),
// read from the assignments' exact counters: one Query per page of open
// assignments, whatever the number of people.
func (s *Teams) List(ctx context.Context, p *Principal) ([]Team, error) {
	teams, err := s.store.FindTeams(ctx, p.OrgID())
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	open, err := openAssignments(ctx, s.store, p.OrgID())
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	for i := range teams {
		teams[i].AssignmentCompletion = teamCompletion(teams[i].ID, open)
	}
	return teams, nil
}

// teamCompletion is the whole percentage of completed people over the
// assignments given to a team, or nil when none was.
func teamCompletion(teamID string, open []Assignment) *int {
	var people, completed int
	given := false
	for _, a := range open {
		if slices.Contains(a.TeamIDs, teamID) {
			given = true
			people += a.Counts.Assignees
			completed += a.Counts.Completed
		}
	}
	if !given {
		return nil
	}
	share := 0
	if people > 0 {
		share = completed * 100 / people
	}
	return &share
}

// TeamDetail is one team and its latest change of many members.
type TeamDetail struct {
	Team Team
	// LastChange is nil when the team has had none.
	LastChange *TeamChange
}

// Get returns one team of the principal's organization, with its latest change.
func (s *Teams) Get(ctx context.Context, p *Principal, teamID string) (TeamDetail, error) {
	t, err := s.find(ctx, p, teamID)
	if err != nil {
		return TeamDetail{}, err
	}
	d := TeamDetail{Team: t}
	if t.LastChangeID != "" {
		c, err := s.store.FindTeamChange(ctx, p.OrgID(), t.ID, t.LastChangeID)
		if err != nil && ErrorCode(err) != CodeNotFound {
			return TeamDetail{}, fmt.Errorf("get team: %w", err)
		}
		if err == nil {
			d.LastChange = &c
		}
	}
	return d, nil
}

func (s *Teams) find(ctx context.Context, p *Principal, teamID string) (Team, error) {
	if !ValidID(teamID) {
		return Team{}, NotFound("team")
	}
	t, err := s.store.FindTeam(ctx, p.OrgID(), teamID)
	if err != nil {
		return Team{}, fmt.Errorf("find team: %w", err)
	}
	return t, nil
}

// NewTeam is a team to create, with its first members.
type NewTeam struct {
	Name    string
	UserIDs []string
}

// Created is a new team and the change that adds its members (nil without members).
type Created struct {
	Team   Team
	Change *TeamChange
}

// Create creates a team with its first members: active people of the
// organization, at most MaxTeamChangeUsers. The first InlineTeamChange
// members join within the request, the others in the ContinueTeamChange job.
func (s *Teams) Create(ctx context.Context, p *Principal, in NewTeam) (Created, error) {
	name, probs := teamName(in.Name)
	ids := checkUserIDs(probs, in.UserIDs, true)
	if err := probs.Err(); err != nil {
		return Created{}, err
	}
	users, err := s.activeUsers(ctx, p, ids)
	if err != nil {
		return Created{}, err
	}
	now := s.now()
	t := Team{ID: NewID(), OrgID: p.OrgID(), Name: name, CreatedAt: now}
	audit := NewAuditEntry(p, AuditTeamCreated, teamTarget(t), now)
	audit.Changes = []AuditChange{{Field: "name", After: name}}
	var change *TeamChange
	if len(ids) > 0 {
		c := s.newChange(p, t, ChangeAdd, ids)
		change = &c
		t.LastChangeID = c.ID
		audit.Detail = membersDetail(len(ids), 0)
	}
	if err := s.store.CreateTeamAndChange(ctx, t, change, audit); err != nil {
		return Created{}, fmt.Errorf("create team: %w", err)
	}
	if change == nil {
		return Created{Team: t}, nil
	}
	c, err := s.runInline(ctx, *change, users)
	if err != nil {
		return Created{}, err
	}
	t, err = s.store.FindTeam(ctx, p.OrgID(), t.ID)
	if err != nil {
		return Created{}, fmt.Errorf("create team: %w", err)
	}
	return Created{Team: t, Change: &c}, nil
}

// Rename renames a team; the name is unique in the organization, in any case.
func (s *Teams) Rename(ctx context.Context, p *Principal, teamID, name string) (Team, error) {
	name, probs := teamName(name)
	if err := probs.Err(); err != nil {
		return Team{}, err
	}
	t, err := s.find(ctx, p, teamID)
	if err != nil {
		return Team{}, err
	}
	if t.Deleting {
		return Team{}, Errorf(CodeConflict, "The team %s is being deleted.", t.Name)
	}
	if t.Name == name {
		return t, nil
	}
	audit := NewAuditEntry(p, AuditTeamRenamed, teamTarget(t), s.now())
	audit.Changes = []AuditChange{{Field: "name", Before: t.Name, After: name}}
	if err := s.store.RenameTeam(ctx, t, name, audit); err != nil {
		return Team{}, fmt.Errorf("rename team: %w", err)
	}
	t.Name = name
	return t, nil
}

// AddMembers adds active people of the organization to a team, at most
// MaxTeamChangeUsers at once; people in it already are left as they are.
// The first InlineTeamChange join within the request, the others in the
// ContinueTeamChange job; the change says how far it got.
func (s *Teams) AddMembers(ctx context.Context, p *Principal, teamID string, userIDs []string) (TeamChange, error) {
	probs := Problems{}
	ids := checkUserIDs(probs, userIDs, false)
	if err := probs.Err(); err != nil {
		return TeamChange{}, err
	}
	t, err := s.find(ctx, p, teamID)
	if err != nil {
		return TeamChange{}, err
	}
	if t.Deleting {
		return TeamChange{}, Errorf(CodeConflict, "The team %s is being deleted; it takes no new members.", t.Name)
	}
	users, err := s.activeUsers(ctx, p, ids)
	if err != nil {
		return TeamChange{}, err
	}
	c := s.newChange(p, t, ChangeAdd, ids)
	audit := NewAuditEntry(p, AuditTeamMembersChanged, teamTarget(t), c.CreatedAt)
	audit.Detail = membersDetail(len(ids), 0)
	if err := s.store.StartTeamChange(ctx, c, audit); err != nil {
		return TeamChange{}, fmt.Errorf("add members: %w", err)
	}
	return s.runInline(ctx, c, users)
}

// RemoveMember takes a person out of a team; their history stays. Someone
// who is not a member is left as they are. An unknown team or person is the
// same not_found, so that neither says whether the other exists.
func (s *Teams) RemoveMember(ctx context.Context, p *Principal, teamID, userID string) error {
	t, err := s.find(ctx, p, teamID)
	if ErrorCode(err) == CodeNotFound {
		return NotFound("team member")
	}
	if err != nil {
		return err
	}
	u, err := findUser(ctx, s.store, p, userID)
	if ErrorCode(err) == CodeNotFound {
		return NotFound("team member")
	}
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		if !u.InTeam(t.ID) {
			return nil
		}
		change := UserChange{Before: u, After: withoutTeam(u, t.ID)}
		change.audit(p, AuditUserTeamsChanged, s.now())
		change.Audit.Detail = "removed from " + t.Name
		team := NewAuditEntry(p, AuditTeamMembersChanged, teamTarget(t), s.now())
		team.Detail = membersDetail(0, 1)
		change.MoreAudit = []AuditEntry{team}
		err := s.store.SaveUser(ctx, change)
		if err == nil || ErrorCode(err) != CodeConflict || attempt == 2 {
			return err
		}
		// Someone changed the person meanwhile: read them again.
		if u, err = findUser(ctx, s.store, p, userID); err != nil {
			return err
		}
	}
}

// Delete deletes a team: every member is taken out (they stay users, and
// their history stays), then the team goes. The first InlineTeamChange
// members are taken out within the request, the others in the
// ContinueTeamChange job. Deleting a team that is being deleted starts
// again with whoever is still in it.
func (s *Teams) Delete(ctx context.Context, p *Principal, teamID string) (TeamChange, error) {
	t, err := s.find(ctx, p, teamID)
	if err != nil {
		return TeamChange{}, err
	}
	c := s.newChange(p, t, ChangeDelete, nil)
	c.Total = t.Members.Total()
	audit := NewAuditEntry(p, AuditTeamDeleted, teamTarget(t), c.CreatedAt)
	audit.Detail = membersDetail(0, c.Total)
	if err := s.store.StartTeamChange(ctx, c, audit); err != nil {
		return TeamChange{}, fmt.Errorf("delete team: %w", err)
	}
	return s.runInline(ctx, c, nil)
}

// GetChange returns a team change, to watch its progress.
func (s *Teams) GetChange(ctx context.Context, p *Principal, teamID, changeID string) (TeamChange, error) {
	if !ValidID(teamID) || !ValidID(changeID) {
		return TeamChange{}, NotFound("team change")
	}
	c, err := s.store.FindTeamChange(ctx, p.OrgID(), teamID, changeID)
	if err != nil {
		return TeamChange{}, fmt.Errorf("get team change: %w", err)
	}
	return c, nil
}

// ChangeRef names a team change, in the message that hands it to the job.
type ChangeRef struct {
	OrgID    string
	TeamID   string
	ChangeID string
}

// Message is the queue message of the reference: "org/team/change".
func (r ChangeRef) Message() string { return r.OrgID + "/" + r.TeamID + "/" + r.ChangeID }

// ParseChangeRef reads a queue message made by ChangeRef.Message.
func ParseChangeRef(message string) (ChangeRef, error) {
	parts := strings.Split(strings.TrimSpace(message), "/")
	if len(parts) != 3 || !ValidID(parts[0]) || !ValidID(parts[1]) || !ValidID(parts[2]) {
		return ChangeRef{}, Errorf(CodeValidationFailed, "%q is not a team change (org/team/change)", message)
	}
	return ChangeRef{OrgID: parts[0], TeamID: parts[1], ChangeID: parts[2]}, nil
}

// Continue goes on with a team change from where it stopped, to the end: the
// ContinueTeamChange job. Running it again, or twice at once, is harmless:
// every member's step is claimed by a conditional write.
func (s *Teams) Continue(ctx context.Context, ref ChangeRef) (TeamChange, error) {
	c, err := s.store.FindTeamChange(ctx, ref.OrgID, ref.TeamID, ref.ChangeID)
	if err != nil {
		return TeamChange{}, fmt.Errorf("continue team change %s: %w", ref.ChangeID, err)
	}
	if c.Status != ChangeRunning {
		return c, nil
	}
	return s.run(ctx, c, nil, all)
}

func (s *Teams) newChange(p *Principal, t Team, kind string, ids []string) TeamChange {
	now := s.now()
	return TeamChange{
		ID: NewID(), OrgID: t.OrgID, TeamID: t.ID, Kind: kind, UserIDs: ids, Total: len(ids),
		Status: ChangeRunning, CreatedAt: now, UpdatedAt: now,
		By: UserActor(p.User), Source: p.Source, TeamName: t.Name,
	}
}

// runInline makes the first InlineTeamChange steps of a change and hands the
// rest to the job. users are the people of an add, as read to check them.
func (s *Teams) runInline(ctx context.Context, c TeamChange, users []User) (TeamChange, error) {
	c, err := s.run(ctx, c, users, s.inline())
	if err != nil {
		return TeamChange{}, err
	}
	if c.Status != ChangeRunning {
		return c, nil
	}
	if err := s.queue.Send(ctx, ChangeRef{OrgID: c.OrgID, TeamID: c.TeamID, ChangeID: c.ID}.Message()); err != nil {
		// The change is stored and resumable; it is not lost, but it stands
		// still until it is handed over again (DELETE again, or the job).
		return TeamChange{}, fmt.Errorf("hand team change %s to the job: %w", c.ID, err)
	}
	return c, nil
}

// run makes the steps of a change its budget allows and finishes the change
// when none are left.
func (s *Teams) run(ctx context.Context, c TeamChange, users []User, limit budget) (TeamChange, error) {
	var err error
	switch c.Kind {
	case ChangeAdd:
		c, err = s.runAdd(ctx, c, users, limit)
	case ChangeDelete:
		c, err = s.runDelete(ctx, c, limit)
	default:
		err = fmt.Errorf("team change %s has an unknown kind %q", c.ID, c.Kind)
	}
	if err != nil {
		return TeamChange{}, err
	}
	return c, nil
}

// runAdd adds UserIDs[Next:] in order, one member a transaction, reading
// the people batchRead at a time.
func (s *Teams) runAdd(ctx context.Context, c TeamChange, users []User, limit budget) (TeamChange, error) {
	known := make(map[string]User, len(users))
	looked := make(map[string]bool, len(users))
	for _, u := range users {
		known[u.ID], looked[u.ID] = u, true
	}
	for steps := 0; c.Next < len(c.UserIDs) && limit.left(steps); steps++ {
		if err := s.readAhead(ctx, c, known, looked); err != nil {
			return TeamChange{}, err
		}
		u, found := known[c.UserIDs[c.Next]]
		done, failure, err := s.addOne(ctx, c, u, found)
		if isStepClaimed(err) {
			// Another run made this step: go on from where it got.
			return s.reread(ctx, c, limit)
		}
		if err != nil {
			return TeamChange{}, err
		}
		c.Next++
		if done {
			c.Done++
		} else {
			c.Failures = append(c.Failures, *failure)
		}
	}
	if c.Next >= len(c.UserIDs) {
		return s.finish(ctx, c)
	}
	return c, nil
}

// batchRead is how many of an add's people are read at once (one BatchGetItem).
const batchRead = 100

// readAhead reads the people of the next batchRead steps not looked for yet.
func (s *Teams) readAhead(ctx context.Context, c TeamChange, known map[string]User, looked map[string]bool) error {
	if looked[c.UserIDs[c.Next]] {
		return nil
	}
	var ids []string
	for _, id := range c.UserIDs[c.Next:min(len(c.UserIDs), c.Next+batchRead)] {
		if !looked[id] {
			ids = append(ids, id)
			looked[id] = true
		}
	}
	users, err := s.store.FindUsersByID(ctx, c.OrgID, ids)
	if err != nil {
		return fmt.Errorf("team change %s: read members: %w", c.ID, err)
	}
	for _, u := range users {
		known[u.ID] = u
	}
	return nil
}

// reread takes up a change another run has moved on.
func (s *Teams) reread(ctx context.Context, c TeamChange, limit budget) (TeamChange, error) {
	fresh, err := s.store.FindTeamChange(ctx, c.OrgID, c.TeamID, c.ID)
	if err != nil {
		return TeamChange{}, fmt.Errorf("team change %s: %w", c.ID, err)
	}
	if fresh.Status != ChangeRunning || limit.limited() {
		return fresh, nil
	}
	return s.run(ctx, fresh, nil, limit)
}

// addOne makes one step of an add: the person joins, or is in the team
// already (done, without a write of the member), or cannot join (a failure,
// recorded). It retries a person changed by someone else meanwhile.
func (s *Teams) addOne(ctx context.Context, c TeamChange, u User, found bool) (bool, *ChangeFailure, error) {
	step := ChangeStep{OrgID: c.OrgID, TeamID: c.TeamID, ChangeID: c.ID, At: c.Next, When: s.now()}
	for attempt := 0; ; attempt++ {
		var failure *ChangeFailure
		switch {
		case !found:
			failure = &ChangeFailure{UserID: c.UserIDs[c.Next], Code: CodeNotFound, Message: "This person is no longer in the organization."}
		case u.Status != StatusActive:
			failure = &ChangeFailure{UserID: u.ID, Code: CodeConflict, Message: fmt.Sprintf("%s is %s now; only active people join teams.", u.FullName(), u.Status)}
		}
		if failure != nil {
			step.Failure = failure
			return false, failure, s.store.SkipMember(ctx, step)
		}
		if u.InTeam(c.TeamID) {
			return true, nil, s.store.SkipMember(ctx, step)
		}
		after := u
		after.TeamIDs = append(append([]string(nil), u.TeamIDs...), c.TeamID)
		change := UserChange{Before: u, After: after}
		c.memberAudit(&change, step.When)
		err := s.store.SaveMember(ctx, change, step)
		if err == nil {
			return true, nil, nil
		}
		if !isUserConflict(err) || attempt == 2 {
			return s.failStep(ctx, step, u, err)
		}
		fresh, ferr := s.store.FindUserByID(ctx, c.OrgID, u.ID)
		found = ferr == nil
		if ferr != nil && ErrorCode(ferr) != CodeNotFound {
			return false, nil, ferr
		}
		u = fresh
	}
}

// failStep records a member a step could not change when the reason is one
// the person's state explains (a conflict that would not go away, the team
// being deleted); a claimed step, or an error of the store, is returned.
func (s *Teams) failStep(ctx context.Context, step ChangeStep, u User, err error) (bool, *ChangeFailure, error) {
	switch {
	case isStepClaimed(err):
		return false, nil, err
	case ErrorCode(err) == CodeInternal || ErrorCode(err) == CodeUnavailable:
		return false, nil, err
	}
	e, _ := errors.AsType[*Error](err)
	step.Failure = &ChangeFailure{UserID: u.ID, Code: e.Code, Message: e.Message}
	return false, step.Failure, s.store.SkipMember(ctx, step)
}

// Conflicts the store answers that a team change tells apart.
var (
	// ErrStepClaimed: another run of the change made this step already.
	ErrStepClaimed = &Error{Code: CodeConflict, Message: "This step of the team change was made already."}
	// ErrTeamDeleting: the team is being deleted and takes no members.
	ErrTeamDeleting = &Error{Code: CodeConflict, Message: "The team is being deleted; it takes no new members."}
	// ErrUserChanged: the person changed since they were read.
	ErrUserChanged = &Error{Code: CodeConflict, Message: "Someone changed this user at the same time; reload and try again."}
)

func isStepClaimed(err error) bool  { return errors.Is(err, ErrStepClaimed) }
func isUserConflict(err error) bool { return errors.Is(err, ErrUserChanged) }

// runDelete takes members out, a page of them at a time, and deletes the
// team when nobody is left.
func (s *Teams) runDelete(ctx context.Context, c TeamChange, limit budget) (TeamChange, error) {
	steps := 0
	failed := map[string]bool{}
	for _, f := range c.Failures {
		failed[f.UserID] = true
	}
	after := ""
	for {
		ids, next, err := s.store.FindMemberIDs(ctx, c.OrgID, c.TeamID, after)
		if err != nil {
			return TeamChange{}, fmt.Errorf("team change %s: %w", c.ID, err)
		}
		for _, id := range ids {
			if failed[id] {
				continue
			}
			if !limit.left(steps) {
				return c, nil // the rest is the job's
			}
			done, failure, err := s.removeOne(ctx, c, id)
			if isStepClaimed(err) {
				return s.reread(ctx, c, limit)
			}
			if err != nil {
				return TeamChange{}, err
			}
			steps++
			if done {
				c.Done++
			} else {
				c.Failures = append(c.Failures, *failure)
				failed[id] = true
			}
		}
		if next == "" {
			return s.finish(ctx, c)
		}
		after = next
	}
}

// removeOne takes one person out of the team being deleted.
func (s *Teams) removeOne(ctx context.Context, c TeamChange, userID string) (bool, *ChangeFailure, error) {
	step := ChangeStep{OrgID: c.OrgID, TeamID: c.TeamID, ChangeID: c.ID, At: -1, When: s.now()}
	for attempt := 0; ; attempt++ {
		u, err := s.store.FindUserByID(ctx, c.OrgID, userID)
		if err != nil {
			return false, nil, fmt.Errorf("team change %s: %w", c.ID, err)
		}
		if !u.InTeam(c.TeamID) {
			// Taken out already (by an earlier run): nothing to count.
			return true, nil, s.store.SkipMember(ctx, step)
		}
		change := UserChange{Before: u, After: withoutTeam(u, c.TeamID)}
		c.memberAudit(&change, step.When)
		err = s.store.SaveMember(ctx, change, step)
		if err == nil {
			return true, nil, nil
		}
		if !isUserConflict(err) || attempt == 2 {
			return s.failStep(ctx, step, u, err)
		}
	}
}

// finish ends a change: a delete without failures deletes the team.
func (s *Teams) finish(ctx context.Context, c TeamChange) (TeamChange, error) {
	status := ChangeDone
	if len(c.Failures) > 0 {
		status = ChangeFailed
	}
	if c.Kind == ChangeDelete && status == ChangeDone {
		t, err := s.store.FindTeam(ctx, c.OrgID, c.TeamID)
		switch {
		case ErrorCode(err) == CodeNotFound:
		case err != nil:
			return TeamChange{}, fmt.Errorf("team change %s: %w", c.ID, err)
		default:
			if err := s.store.DeleteTeam(ctx, t); err != nil {
				return TeamChange{}, fmt.Errorf("team change %s: %w", c.ID, err)
			}
		}
	}
	c.UpdatedAt = s.now()
	if err := s.store.FinishTeamChange(ctx, c, status); err != nil {
		return TeamChange{}, fmt.Errorf("team change %s: %w", c.ID, err)
	}
	c.Status = status
	if status == ChangeFailed {
		s.log.WarnContext(ctx, "team change ended with failures", "orgId", c.OrgID, "teamId", c.TeamID,
			"changeId", c.ID, "kind", c.Kind, "done", c.Done, "failed", len(c.Failures))
	}
	return c, nil
}

// activeUsers reads the people of ids and checks that each is an active
// person of the organization: not_found for anyone else (another
// organization's people included), validation_failed for anyone not active.
func (s *Teams) activeUsers(ctx context.Context, p *Principal, ids []string) ([]User, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	users, err := s.store.FindUsersByID(ctx, p.OrgID(), ids)
	if err != nil {
		return nil, fmt.Errorf("read people: %w", err)
	}
	if len(users) != len(ids) {
		return nil, NotFound("user")
	}
	probs := Problems{}
	for i, u := range users {
		if u.Status != StatusActive {
			probs.Add(fmt.Sprintf("userIds[%d]", i), fmt.Sprintf("%s is %s; only active people can join a team", u.FullName(), u.Status))
		}
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return users, nil
}

// teamName normalizes a team's name and says what is wrong with it.
func teamName(raw string) (string, Problems) {
	name := norm.NFC.String(strings.Join(strings.Fields(raw), " "))
	p := Problems{}
	switch {
	case name == "":
		p.Add("name", "is required")
	case utf8.RuneCountInString(name) > MaxTeamNameLength:
		p.Add("name", fmt.Sprintf("must be at most %d characters", MaxTeamNameLength))
	case strings.ContainsFunc(name, unicode.IsControl), strings.ContainsFunc(name, bidiControl):
		p.Add("name", "must not contain control or direction characters")
	}
	return name, p
}

// TeamNameKey is the form in which team names are unique: lower case, NFC,
// single spaces.
func TeamNameKey(name string) string {
	return strings.ToLower(norm.NFC.String(strings.Join(strings.Fields(name), " ")))
}

// checkUserIDs checks a list of people to add: ids, none twice, at most
// MaxTeamChangeUsers, and not empty unless mayBeEmpty.
func checkUserIDs(p Problems, ids []string, mayBeEmpty bool) []string {
	switch {
	case len(ids) == 0 && !mayBeEmpty:
		p.Add("userIds", "must name at least one person")
		return nil
	case len(ids) > MaxTeamChangeUsers:
		p.Add("userIds", fmt.Sprintf("must name at most %d people at once", MaxTeamChangeUsers))
		return nil
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		switch {
		case !ValidID(id):
			p.Add(fmt.Sprintf("userIds[%d]", i), "is not a user id")
		case seen[id]:
			p.Add(fmt.Sprintf("userIds[%d]", i), "names a person already in the list")
		}
		seen[id] = true
	}
	return ids
}

func withoutTeam(u User, teamID string) User {
	after := u
	after.TeamIDs = nil
	for _, t := range u.TeamIDs {
		if t != teamID {
			after.TeamIDs = append(after.TeamIDs, t)
		}
	}
	return after
}
