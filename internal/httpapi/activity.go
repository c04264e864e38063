package httpapi

import (
	"context"
	"net/http"
	"time"
)

var (
	// GetUserActivity answers GET /api/users/{userId}/activity.
	GetUserActivity = Action{"GetUserActivity", getUserActivity}
	// GetTeamActivity answers GET /api/teams/{teamId}/activity.
	GetTeamActivity = Action{"GetTeamActivity", getTeamActivity}
)

type loginJSONAt struct {
	At time.Time `json:"at"`
}

// learnerSummaryJSON is a learner's running totals.
type learnerSummaryJSON struct {
	Logins            int        `json:"logins"`
	LastLoginAt       *time.Time `json:"lastLoginAt"`
	Viewings          int        `json:"viewings"`
	Seconds           int        `json:"seconds"`
	EpisodesCompleted int        `json:"episodesCompleted"`
	LabsStarted       int        `json:"labsStarted"`
	LabsCompleted     int        `json:"labsCompleted"`
	FirstActiveAt     *time.Time `json:"firstActiveAt"`
	LastActiveAt      *time.Time `json:"lastActiveAt"`
}

// courseProgressJSON is how far a learner is through one course.
type courseProgressJSON struct {
	ID                string     `json:"id"`
	Title             string     `json:"title"`
	EpisodesCompleted int        `json:"episodesCompleted"`
	Episodes          int        `json:"episodes"`
	Seconds           int        `json:"seconds"`
	LastViewedAt      time.Time  `json:"lastViewedAt"`
	CompletedAt       *time.Time `json:"completedAt"`
}

// episodeProgressJSON is a learner's viewing of one episode.
type episodeProgressJSON struct {
	ID           string     `json:"id"`
	Title        string     `json:"title"`
	CourseID     string     `json:"courseId"`
	CourseTitle  string     `json:"courseTitle"`
	Viewings     int        `json:"viewings"`
	Seconds      int        `json:"seconds"`
	LastViewedAt time.Time  `json:"lastViewedAt"`
	CompletedAt  *time.Time `json:"completedAt"`
}

// viewedJSON are the courses and episodes viewed completely, or in progress.
type viewedJSON struct {
	Courses  []courseProgressJSON  `json:"courses"`
	Episodes []episodeProgressJSON `json:"episodes"`
}

// labProgressJSON is a learner's attempts at one lab.
type labProgressJSON struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Attempts    int        `json:"attempts"`
	Completions int        `json:"completions"`
	Completed   bool       `json:"completed"`
	BestScore   *int       `json:"bestScore"`
	LastAt      time.Time  `json:"lastAt"`
	CompletedAt *time.Time `json:"completedAt"`
}

type activityJSON struct {
	User    userJSON           `json:"user"`
	Teams   []teamJSON         `json:"teams"`
	Summary learnerSummaryJSON `json:"summary"`
	// Logins are the last sign-ins, newest first (at most 20).
	Logins           []loginJSONAt       `json:"logins"`
	ViewedCompletely viewedJSON          `json:"viewedCompletely"`
	InProgress       viewedJSON          `json:"inProgress"`
	Labs             []labProgressJSON   `json:"labs"`
	Assignments      userAssignmentsJSON `json:"assignments"`
	// Weeks are the last 12 weeks, oldest first, zero-filled.
	Weeks []usageWeekJSON `json:"weeks"`
}

func getUserActivity(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		a, err := s.Activity.ForUser(ctx, r.principal, r.pathParam("userId"))
		if err != nil {
			return response{}, err
		}
		sum := a.Summary
		out := activityJSON{
			User: toUserJSON(a.User), Teams: make([]teamJSON, 0, len(a.Teams)), Logins: make([]loginJSONAt, 0, len(a.Logins)),
			Summary: learnerSummaryJSON{
				Logins: sum.Logins, LastLoginAt: optionalTime(sum.LastLoginAt), Viewings: sum.Viewings, Seconds: sum.Seconds,
				EpisodesCompleted: sum.EpisodesCompleted, LabsStarted: sum.LabsStarted, LabsCompleted: sum.LabsCompleted,
				FirstActiveAt: optionalTime(sum.FirstActiveAt), LastActiveAt: optionalTime(sum.LastActiveAt),
			},
			ViewedCompletely: viewedJSON{Courses: []courseProgressJSON{}, Episodes: []episodeProgressJSON{}},
			InProgress:       viewedJSON{Courses: []courseProgressJSON{}, Episodes: []episodeProgressJSON{}},
			Labs:             make([]labProgressJSON, 0, len(a.Labs)),
			Assignments:      toUserAssignmentsJSON(a.Assignments),
			Weeks:            toWeeksJSON(a.Weeks),
		}
		for _, t := range a.Teams {
			out.Teams = append(out.Teams, toTeamJSON(t))
		}
		for _, at := range a.Logins {
			out.Logins = append(out.Logins, loginJSONAt{At: at.UTC()})
		}
		for _, c := range a.Courses {
			j := courseProgressJSON{
				ID: c.CourseID, Title: c.Title, EpisodesCompleted: c.EpisodesCompleted, Episodes: c.Episodes,
				Seconds: c.Seconds, LastViewedAt: c.LastViewedAt.UTC(), CompletedAt: optionalTime(c.CompletedAt),
			}
			if c.Completed() {
				out.ViewedCompletely.Courses = append(out.ViewedCompletely.Courses, j)
			} else {
				out.InProgress.Courses = append(out.InProgress.Courses, j)
			}
		}
		for _, e := range a.Episodes {
			j := episodeProgressJSON{
				ID: e.EpisodeID, Title: e.Title, CourseID: e.CourseID, CourseTitle: e.CourseTitle, Viewings: e.Viewings,
				Seconds: e.Seconds, LastViewedAt: e.LastAt.UTC(), CompletedAt: optionalTime(e.CompletedAt),
			}
			if e.CompletedAt.IsZero() {
				out.InProgress.Episodes = append(out.InProgress.Episodes, j)
			} else {
				out.ViewedCompletely.Episodes = append(out.ViewedCompletely.Episodes, j)
			}
		}
		for _, l := range a.Labs {
			j := labProgressJSON{
				ID: l.LabID, Title: l.Title, Attempts: l.Attempts, Completions: l.Completions, Completed: l.Completions > 0,
				LastAt: l.LastAt.UTC(), CompletedAt: optionalTime(l.CompletedAt),
			}
			if l.Completions > 0 {
				j.BestScore = &l.BestScore
			}
			out.Labs = append(out.Labs, j)
		}
		return response{status: http.StatusOK, body: out}, nil
	}
}

// teamActivityJSON is a team's activity over the last 12 weeks.
type teamActivityJSON struct {
	Team teamJSON `json:"team"`
	// Weeks are the last 12 weeks, oldest first, zero-filled.
	Weeks []usageWeekJSON `json:"weeks"`
	// Totals sums the weeks (weekStart is the first week's); its
	// activeLearners is the busiest week's, as people active in several
	// weeks would otherwise be counted again.
	Totals usageWeekJSON `json:"totals"`
}

func getTeamActivity(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		a, err := s.Activity.ForTeam(ctx, r.principal, r.pathParam("teamId"))
		if err != nil {
			return response{}, err
		}
		start := ""
		if len(a.Weeks) > 0 {
			start = a.Weeks[0].Start
		}
		return response{status: http.StatusOK, body: teamActivityJSON{
			Team: toTeamJSON(a.Team), Weeks: toWeeksJSON(a.Weeks), Totals: toUsageJSON(start, a.Totals),
		}}, nil
	}
}

// optionalTime is t in UTC, or nil (JSON null) when it is zero.
func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
