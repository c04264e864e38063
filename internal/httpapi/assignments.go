package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"proportal/internal/domain"
)

var (
	// ListAssignments answers GET /api/assignments.
	ListAssignments = Action{"ListAssignments", listAssignments}
	// CreateAssignment answers POST /api/assignments.
	CreateAssignment = Action{"CreateAssignment", createAssignment}
	// GetAssignment answers GET /api/assignments/{assignmentId}.
	GetAssignment = Action{"GetAssignment", getAssignment}
	// UpdateAssignment answers PATCH /api/assignments/{assignmentId}.
	UpdateAssignment = Action{"UpdateAssignment", updateAssignment}
	// CancelAssignment answers DELETE /api/assignments/{assignmentId}.
	CancelAssignment = Action{"CancelAssignment", cancelAssignment}
	// ListAssignees answers GET /api/assignments/{assignmentId}/assignees.
	ListAssignees = Action{"ListAssignees", listAssignees}
	// AddAssignees answers POST /api/assignments/{assignmentId}/assignees.
	AddAssignees = Action{"AddAssignees", addAssignees}
	// ListUserAssignments answers GET /api/users/{userId}/assignments.
	ListUserAssignments = Action{"ListUserAssignments", listUserAssignments}
	// ListTeamAssignments answers GET /api/teams/{teamId}/assignments.
	ListTeamAssignments = Action{"ListTeamAssignments", listTeamAssignments}
)

type assignmentCountsJSON struct {
	Assignees  int `json:"assignees"`
	Completed  int `json:"completed"`
	InProgress int `json:"inProgress"`
	NotStarted int `json:"notStarted"`
	Overdue    int `json:"overdue"`
	// Pending are people chosen but not yet assigned (after a failure half way).
	Pending int `json:"pending"`
}

type assignmentJSON struct {
	ID          string               `json:"id"`
	ModuleID    string               `json:"moduleId"`
	ModuleName  string               `json:"moduleName"`
	ItemCount   int                  `json:"itemCount"`
	DueOn       string               `json:"dueOn"`
	Status      string               `json:"status"`
	Overdue     bool                 `json:"overdue"`
	UserIDs     []string             `json:"userIds"`
	TeamIDs     []string             `json:"teamIds"`
	Counts      assignmentCountsJSON `json:"counts"`
	CreatedAt   time.Time            `json:"createdAt"`
	CancelledAt *time.Time           `json:"cancelledAt"`
}

func toAssignmentJSON(a domain.Assignment, today time.Time) assignmentJSON {
	out := assignmentJSON{
		ID: a.ID, ModuleID: a.ModuleID, ModuleName: a.ModuleName, ItemCount: a.ItemCount,
		DueOn: a.DueOn.Format(domain.DateLayout), Status: a.Status, Overdue: a.Overdue(today),
		UserIDs: a.UserIDs, TeamIDs: a.TeamIDs,
		Counts: assignmentCountsJSON{
			Assignees: a.Counts.Assignees, Completed: a.Counts.Completed, InProgress: a.Counts.InProgress,
			NotStarted: a.Counts.NotStarted, Overdue: a.OverdueCount(today), Pending: len(a.Pending),
		},
		CreatedAt: a.CreatedAt.UTC(),
	}
	if out.UserIDs == nil {
		out.UserIDs = []string{}
	}
	if out.TeamIDs == nil {
		out.TeamIDs = []string{}
	}
	if !a.CancelledAt.IsZero() {
		t := a.CancelledAt.UTC()
		out.CancelledAt = &t
	}
	return out
}

type assignmentItemJSON struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Episodes int    `json:"episodes"`
}

type assignmentDetailsJSON struct {
	assignmentJSON
	Items []assignmentItemJSON `json:"items"`
	// Today is the day in the organization's time zone that overdue is judged on.
	Today string `json:"today"`
}

type assignmentPageJSON struct {
	Items      []assignmentJSON `json:"items"`
	NextCursor string           `json:"nextCursor,omitempty"`
	Today      string           `json:"today"`
}

func toAssignmentPage(p domain.AssignmentPage) assignmentPageJSON {
	out := assignmentPageJSON{Items: make([]assignmentJSON, len(p.Assignments)), NextCursor: p.NextCursor, Today: p.Today.Format(domain.DateLayout)}
	for i, a := range p.Assignments {
		out.Items[i] = toAssignmentJSON(a, p.Today)
	}
	return out
}

func listAssignments(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		q := r.event.QueryStringParameters
		page, err := s.Assignments.List(ctx, r.principal, q["status"], q["cursor"])
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toAssignmentPage(page)}, nil
	}
}

type newAssignmentJSON struct {
	ModuleID string   `json:"moduleId"`
	UserIDs  []string `json:"userIds"`
	TeamIDs  []string `json:"teamIds"`
	DueOn    string   `json:"dueOn"`
}

func createAssignment(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in newAssignmentJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		v, err := s.Assignments.Create(ctx, r.principal, domain.NewAssignment{
			ModuleID: in.ModuleID, UserIDs: in.UserIDs, TeamIDs: in.TeamIDs, DueOn: in.DueOn,
		})
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusCreated, body: toAssignmentJSON(v.Assignment, v.Today)}, nil
	}
}

func getAssignment(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		d, err := s.Assignments.Get(ctx, r.principal, r.pathParam("assignmentId"))
		if err != nil {
			return response{}, err
		}
		out := assignmentDetailsJSON{
			assignmentJSON: toAssignmentJSON(d.Assignment, d.Today),
			Items:          make([]assignmentItemJSON, len(d.Content.Items)),
			Today:          d.Today.Format(domain.DateLayout),
		}
		for i, it := range d.Content.Items {
			out.Items[i] = assignmentItemJSON{ID: it.ID, Kind: it.Kind, Title: it.Title, Episodes: len(it.EpisodeIDs)}
		}
		return response{status: http.StatusOK, body: out}, nil
	}
}

type assignmentChangeJSON struct {
	DueOn string `json:"dueOn"`
}

func updateAssignment(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in assignmentChangeJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		v, err := s.Assignments.Update(ctx, r.principal, r.pathParam("assignmentId"), domain.AssignmentChange{DueOn: in.DueOn})
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toAssignmentJSON(v.Assignment, v.Today)}, nil
	}
}

func cancelAssignment(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		v, err := s.Assignments.Cancel(ctx, r.principal, r.pathParam("assignmentId"))
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toAssignmentJSON(v.Assignment, v.Today)}, nil
	}
}

type assigneeUserJSON struct {
	ID        string `json:"id"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
	Status    string `json:"status"`
}

type progressJSON struct {
	TeamID      string     `json:"teamId"`
	State       string     `json:"state"`
	Overdue     bool       `json:"overdue"`
	ItemsDone   int        `json:"itemsDone"`
	ItemCount   int        `json:"itemCount"`
	Percent     int        `json:"percent"`
	AssignedAt  time.Time  `json:"assignedAt"`
	CompletedAt *time.Time `json:"completedAt"`
}

func toProgressJSON(a domain.Assignee, overdue bool) progressJSON {
	out := progressJSON{
		TeamID: a.TeamID, State: a.State, Overdue: overdue && a.State != domain.ProgressCompleted,
		ItemsDone: a.ItemsDone, ItemCount: a.ItemCount, Percent: a.Percent(), AssignedAt: a.AssignedAt.UTC(),
	}
	if !a.CompletedAt.IsZero() {
		t := a.CompletedAt.UTC()
		out.CompletedAt = &t
	}
	return out
}

type assigneeJSON struct {
	User assigneeUserJSON `json:"user"`
	progressJSON
}

type assigneePageJSON struct {
	Items      []assigneeJSON `json:"items"`
	NextCursor string         `json:"nextCursor,omitempty"`
}

func listAssignees(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		q := r.event.QueryStringParameters
		f := domain.AssigneeFilter{TeamID: q["team"], State: q["state"], Cursor: q["cursor"]}
		if raw, ok := q["limit"]; ok {
			n, err := strconv.Atoi(raw)
			if err != nil {
				return response{}, domain.Problems{"limit": "must be a whole number between 1 and 200"}.Err()
			}
			f.Limit = n
		}
		page, err := s.Assignments.Assignees(ctx, r.principal, r.pathParam("assignmentId"), f)
		if err != nil {
			return response{}, err
		}
		overdue := page.Assignment.Overdue(page.Today)
		out := assigneePageJSON{Items: make([]assigneeJSON, len(page.Rows)), NextCursor: page.NextCursor}
		for i, row := range page.Rows {
			u := row.User
			out.Items[i] = assigneeJSON{
				User:         assigneeUserJSON{ID: row.Assignee.UserID, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Status: u.Status},
				progressJSON: toProgressJSON(row.Assignee, overdue),
			}
		}
		return response{status: http.StatusOK, body: out}, nil
	}
}

type assigneeChangeJSON struct {
	UserIDs []string `json:"userIds"`
	TeamIDs []string `json:"teamIds"`
}

func addAssignees(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in assigneeChangeJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		v, err := s.Assignments.AddAssignees(ctx, r.principal, r.pathParam("assignmentId"), domain.AssigneeChange{UserIDs: in.UserIDs, TeamIDs: in.TeamIDs})
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toAssignmentJSON(v.Assignment, v.Today)}, nil
	}
}

type userAssignmentJSON struct {
	Assignment assignmentJSON `json:"assignment"`
	Progress   progressJSON   `json:"progress"`
}

type userAssignmentsJSON struct {
	Items []userAssignmentJSON `json:"items"`
	Today string               `json:"today"`
}

func listUserAssignments(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		ua, err := s.Assignments.ForUser(ctx, r.principal, r.pathParam("userId"))
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toUserAssignmentsJSON(ua)}, nil
	}
}

func toUserAssignmentsJSON(ua domain.UserAssignments) userAssignmentsJSON {
	out := userAssignmentsJSON{Items: make([]userAssignmentJSON, len(ua.Items)), Today: ua.Today.Format(domain.DateLayout)}
	for i, it := range ua.Items {
		out.Items[i] = userAssignmentJSON{
			Assignment: toAssignmentJSON(it.Assignment, ua.Today),
			Progress:   toProgressJSON(it.Progress, it.Assignment.Overdue(ua.Today)),
		}
	}
	return out
}

func listTeamAssignments(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		page, err := s.Assignments.ForTeam(ctx, r.principal, r.pathParam("teamId"))
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toAssignmentPage(page)}, nil
	}
}
