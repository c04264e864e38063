package domain

import (
	"slices"
	"time"
)

// Assignment statuses.
const (
	// AssignmentOpen assignments are worked on and counted on the dashboard.
	AssignmentOpen = "open"
	// AssignmentCancelled assignments are kept, readable, for their history.
	AssignmentCancelled = "cancelled"
)

// Where an assignee stands.
const (
	ProgressNotStarted = "not_started"
	ProgressInProgress = "in_progress"
	ProgressCompleted  = "completed"
)

// Limits of assignments, checked before anything is written.
const (
	// MaxAssignees is the most people one assignment may have.
	MaxAssignees = 2000
	// MaxAssignTeams is the most teams one request may name.
	MaxAssignTeams = 50
	// MaxDueYears is how far ahead a due date may be.
	MaxDueYears = 5
)

// Assignment gives a module to people with a due date. It keeps a copy of the
// module's name and items (AssignmentContent), so that editing or deleting the
// module later leaves the assignment readable and its progress unchanged.
type Assignment struct {
	ID         string
	OrgID      string
	ModuleID   string
	ModuleName string
	ItemCount  int
	// DueOn is a calendar day in the organization's time zone (midnight UTC
	// stands for the day).
	DueOn  time.Time
	Status string
	// UserIDs and TeamIDs are who was chosen: people directly, and teams
	// whose active members were assigned at the time.
	UserIDs []string
	TeamIDs []string
	// Counts are exact: kept in the same transaction as each assignee's progress.
	Counts AssignmentCounts
	// Pending are people chosen but not yet assigned: left by a failure half
	// way, and finished by the next AddAssignees (or Resume).
	Pending     []PendingAssignee
	CreatedAt   time.Time
	CreatedBy   string
	CancelledAt time.Time
}

// AssignmentCounts counts an assignment's people by where they stand.
type AssignmentCounts struct {
	Assignees  int
	Completed  int
	InProgress int
	NotStarted int
}

// PendingAssignee is a person an assignment still has to write, with the team
// they came through ("" when chosen directly).
type PendingAssignee struct {
	UserID string
	TeamID string
}

// Overdue says whether the due day has passed on today (a calendar day in the
// organization's time zone) while the assignment is open.
func (a Assignment) Overdue(today time.Time) bool {
	return a.Status == AssignmentOpen && today.After(a.DueOn)
}

// OverdueCount is how many of its people are overdue on today.
func (a Assignment) OverdueCount(today time.Time) int {
	if !a.Overdue(today) {
		return 0
	}
	return a.Counts.NotStarted + a.Counts.InProgress
}

// AssignmentItem is one item of an assignment's copy of its module. A course
// carries its episodes: it is complete when all of them are.
type AssignmentItem struct {
	ID         string
	Kind       string
	Title      string
	EpisodeIDs []string
}

// AssignmentContent is the copy of a module an assignment was made from.
type AssignmentContent struct {
	AssignmentID string
	Items        []AssignmentItem
}

// itemsDone counts the items that done (catalog ids completed) completes.
func (c AssignmentContent) itemsDone(done []string) int {
	n := 0
	for _, it := range c.Items {
		if it.completeBy(done) {
			n++
		}
	}
	return n
}

func (it AssignmentItem) completeBy(done []string) bool {
	if slices.Contains(done, it.ID) {
		return true
	}
	if it.Kind != KindCourse || len(it.EpisodeIDs) == 0 {
		return false
	}
	for _, ep := range it.EpisodeIDs {
		if !slices.Contains(done, ep) {
			return false
		}
	}
	return true
}

// relevant keeps the catalog ids that count toward the content's items.
func (c AssignmentContent) relevant(ids []string) []string {
	var out []string
	for _, id := range ids {
		for _, it := range c.Items {
			if it.ID == id || slices.Contains(it.EpisodeIDs, id) {
				out = append(out, id)
				break
			}
		}
	}
	return out
}

// Assignee is one person's progress in an assignment.
type Assignee struct {
	AssignmentID string
	OrgID        string
	UserID       string
	// TeamID is the team they were assigned through; "" when chosen directly.
	TeamID string
	// SortName is the user's sort name when assigned: the order of the list.
	SortName string
	State    string
	// Done are the catalog ids (items, episodes) completed that count here.
	Done      []string
	ItemsDone int
	ItemCount int
	// Revision counts saved changes; a change of an older revision is refused.
	Revision    int
	AssignedAt  time.Time
	StartedAt   time.Time
	CompletedAt time.Time
	// Reminded are the due-date reminders sent to this person, as
	// "{kind}#{dueOn}" (see Reminders): kept with the progress, so a
	// progress change keeps them.
	Reminded []string
}

// Percent is the share of the module's items completed, 0 to 100.
func (a Assignee) Percent() int {
	if a.ItemCount == 0 {
		return 0
	}
	return a.ItemsDone * 100 / a.ItemCount
}

// stateOf is where someone with itemsDone of count items (and done ids at
// all) stands.
func stateOf(itemsDone, count int, anyDone bool) string {
	switch {
	case count > 0 && itemsDone >= count:
		return ProgressCompleted
	case anyDone:
		return ProgressInProgress
	default:
		return ProgressNotStarted
	}
}

// ProgressChange moves one assignee's progress; the store writes it with the
// assignment's counters in one transaction, on condition that the assignee is
// still at Before's revision.
type ProgressChange struct {
	Before Assignee
	After  Assignee
}

// DayIn is the calendar day of t in loc, as midnight UTC.
func DayIn(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
