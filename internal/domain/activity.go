package domain

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// ActivityStore is the persistence the activity service needs.
type ActivityStore interface {
	FindUserByID(ctx context.Context, orgID, userID string) (User, error)
	FindTeams(ctx context.Context, orgID string) ([]Team, error)
	FindTeam(ctx context.Context, orgID, teamID string) (Team, error)
	FindOrganization(ctx context.Context, orgID string) (Organization, error)
	// FindCatalog gives the titles of what learners watched and did.
	FindCatalog(ctx context.Context) ([]CatalogItem, error)

	// Reads of the aggregates ingestion keeps (docs/data-model.md, "Activity").
	FindLearnerSummary(ctx context.Context, orgID, userID string) (LearnerSummary, error)
	FindLearnerEpisodes(ctx context.Context, orgID, userID string) ([]EpisodeProgress, error)
	FindLearnerLabs(ctx context.Context, orgID, userID string) ([]LabProgress, error)
	// FindLearnerWeeks and FindTeamUsageWeeks return the weeks with
	// activity whose Mondays are from to to, both included, oldest first.
	FindLearnerWeeks(ctx context.Context, orgID, userID string, from, to time.Time) ([]UsagePeriod, error)
	FindTeamUsageWeeks(ctx context.Context, orgID, teamID string, from, to time.Time) ([]UsagePeriod, error)
	// FindRecentLogins returns a learner's last sign-in events, newest first.
	FindRecentLogins(ctx context.Context, orgID, userID string, limit int) ([]Event, error)
}

// Activity is what learners did: sign-ins, viewings, labs and assignment
// progress, read from the aggregates ingestion keeps, so that every read is
// a fixed number of calls whatever the organization's size.
type Activity struct {
	store       ActivityStore
	assignments *Assignments
	now         Clock
}

// NewActivity returns the activity service; assignments gives a learner's
// assignments with their progress.
func NewActivity(store ActivityStore, assignments *Assignments, now Clock) *Activity {
	return &Activity{store: store, assignments: assignments, now: now}
}

// UsageWeeks is how many weeks the activity charts show: the current week
// and the eleven before it.
const UsageWeeks = 12

// RecentLogins is how many of a learner's sign-ins their activity lists.
const RecentLogins = 20

// MondayOf is the Monday of the week of t in loc (weeks start on Monday), as
// midnight UTC like DayIn: the week ingestion files the instant under.
func MondayOf(t time.Time, loc *time.Location) time.Time {
	return WeekOf(DayIn(t, loc))
}

// lastWeeks returns the Mondays of the first and the last of the n weeks
// that end with the week of now in loc.
func lastWeeks(now time.Time, loc *time.Location, n int) (from, to time.Time) {
	to = MondayOf(now, loc)
	return to.AddDate(0, 0, -7*(n-1)), to
}

// fillWeeks returns one period per week from the Monday from, n of them,
// oldest first: the usage found for that week, or zero.
func fillWeeks(found []UsagePeriod, from time.Time, n int) []UsagePeriod {
	byStart := make(map[string]Usage, len(found))
	for _, p := range found {
		byStart[p.Start] = p.Usage
	}
	out := make([]UsagePeriod, n)
	for i := range out {
		start := from.AddDate(0, 0, 7*i).Format(DateLayout)
		out[i] = UsagePeriod{Start: start, Usage: byStart[start]}
	}
	return out
}

// UserActivity is what is known of one user's learning and sign-ins. It
// stays when the user is deactivated.
type UserActivity struct {
	User  User
	Teams []Team
	// Summary holds the running totals; LastLoginAt and Logins include the
	// sign-ins recorded on the user before activity was recorded apart.
	Summary LearnerSummary
	// Logins are the last RecentLogins sign-in times, newest first.
	Logins []time.Time
	// Courses are the courses of the episodes viewed, most recent first.
	Courses []CourseProgress
	// Episodes are the episodes viewed, most recently viewed first.
	Episodes []EpisodeView
	// Labs are the labs started, most recent first.
	Labs []LabView
	// Weeks are the UsageWeeks weeks ending with the current one, oldest
	// first, zero-filled.
	Weeks []UsagePeriod
	// Assignments are the user's assignments with their progress.
	Assignments UserAssignments
}

// CourseProgress is how far a learner is through one course.
type CourseProgress struct {
	CourseID string
	Title    string
	// EpisodesCompleted counts the course's episodes watched completely, of
	// Episodes in the course.
	EpisodesCompleted int
	Episodes          int
	Seconds           int
	LastViewedAt      time.Time
	// CompletedAt is when the last of the course's episodes was completed;
	// zero while the course is in progress.
	CompletedAt time.Time
}

// Completed says whether every episode of the course has been watched completely.
func (c CourseProgress) Completed() bool { return !c.CompletedAt.IsZero() }

// EpisodeView is a learner's viewing of one episode, with its titles.
type EpisodeView struct {
	EpisodeProgress
	Title       string
	CourseTitle string
}

// LabView is a learner's attempts at one lab, with its title.
type LabView struct {
	LabProgress
	Title string
}

// ForUser returns a user's activity: sign-ins, courses, episodes and labs,
// weekly viewing, teams and assignments. The reads after the user's run at
// once; their number does not depend on the organization's size.
func (s *Activity) ForUser(ctx context.Context, p *Principal, userID string) (UserActivity, error) {
	u, err := findUser(ctx, s.store, p, userID)
	if err != nil {
		return UserActivity{}, err
	}
	orgID := p.OrgID()
	var (
		org      Organization
		teams    []Team
		catalog  []CatalogItem
		a        = UserActivity{User: u}
		episodes []EpisodeProgress
		labs     []LabProgress
		logins   []Event
	)
	err = together(
		func() (err error) { org, err = s.store.FindOrganization(ctx, orgID); return err },
		func() (err error) { teams, err = s.store.FindTeams(ctx, orgID); return err },
		func() (err error) { catalog, err = s.store.FindCatalog(ctx); return err },
		func() (err error) { a.Summary, err = s.store.FindLearnerSummary(ctx, orgID, u.ID); return err },
		func() (err error) { episodes, err = s.store.FindLearnerEpisodes(ctx, orgID, u.ID); return err },
		func() (err error) { labs, err = s.store.FindLearnerLabs(ctx, orgID, u.ID); return err },
		func() (err error) { logins, err = s.store.FindRecentLogins(ctx, orgID, u.ID, RecentLogins); return err },
	)
	if err != nil {
		return UserActivity{}, fmt.Errorf("user activity: %w", err)
	}
	// The weeks are the organization's, so they wait for its time zone; the
	// assignments go alongside.
	from, to := lastWeeks(s.now(), org.Location(), UsageWeeks)
	var weeks []UsagePeriod
	err = together(
		func() (err error) { weeks, err = s.store.FindLearnerWeeks(ctx, orgID, u.ID, from, to); return err },
		func() (err error) { a.Assignments, err = s.assignments.forUser(ctx, u, org); return err },
	)
	if err != nil {
		return UserActivity{}, fmt.Errorf("user activity: %w", err)
	}
	a.Weeks = fillWeeks(weeks, from, UsageWeeks)
	a.Teams = []Team{}
	for _, t := range teams {
		if u.InTeam(t.ID) {
			a.Teams = append(a.Teams, t)
		}
	}
	a.Logins = make([]time.Time, 0, len(logins))
	for _, e := range logins {
		a.Logins = append(a.Logins, e.At)
	}
	// Sign-ins from before they were recorded as events live on the user.
	if u.LastLoginAt.After(a.Summary.LastLoginAt) {
		a.Summary.LastLoginAt = u.LastLoginAt
		if len(a.Logins) == 0 || a.Logins[0].Before(u.LastLoginAt) {
			a.Logins = append([]time.Time{u.LastLoginAt}, a.Logins...)[:min(len(a.Logins)+1, RecentLogins)]
			a.Summary.Logins++
		}
	}
	byID := make(map[string]CatalogItem, len(catalog))
	for _, c := range catalog {
		byID[c.ID] = c
	}
	a.Episodes, a.Courses = episodesAndCourses(episodes, byID)
	a.Labs = make([]LabView, 0, len(labs))
	for _, l := range labs {
		a.Labs = append(a.Labs, LabView{LabProgress: l, Title: titleOf(byID, l.LabID)})
	}
	slices.SortStableFunc(a.Labs, func(x, y LabView) int { return y.LastAt.Compare(x.LastAt) })
	return a, nil
}

// episodesAndCourses titles a learner's episodes and sums them up by course.
// A course is complete when every one of its episodes (as the catalog lists
// them now) has been watched completely.
func episodesAndCourses(episodes []EpisodeProgress, catalog map[string]CatalogItem) ([]EpisodeView, []CourseProgress) {
	views := make([]EpisodeView, 0, len(episodes))
	courses := map[string]*CourseProgress{}
	completedAt := map[string]time.Time{}
	for _, e := range episodes {
		courseID := e.CourseID
		if c, ok := catalog[e.EpisodeID]; ok && c.CourseID != "" {
			courseID = c.CourseID
		}
		views = append(views, EpisodeView{EpisodeProgress: e, Title: titleOf(catalog, e.EpisodeID), CourseTitle: titleOf(catalog, courseID)})
		if courseID == "" {
			continue
		}
		cp := courses[courseID]
		if cp == nil {
			cp = &CourseProgress{CourseID: courseID, Title: titleOf(catalog, courseID), Episodes: len(catalog[courseID].EpisodeIDs)}
			courses[courseID] = cp
		}
		cp.Seconds += e.Seconds
		if e.LastAt.After(cp.LastViewedAt) {
			cp.LastViewedAt = e.LastAt
		}
		if !e.CompletedAt.IsZero() {
			completedAt[e.EpisodeID] = e.CompletedAt
		}
	}
	out := make([]CourseProgress, 0, len(courses))
	for _, cp := range courses {
		var last time.Time
		for _, id := range catalog[cp.CourseID].EpisodeIDs {
			if at, ok := completedAt[id]; ok {
				cp.EpisodesCompleted++
				if at.After(last) {
					last = at
				}
			}
		}
		if cp.Episodes > 0 && cp.EpisodesCompleted == cp.Episodes {
			cp.CompletedAt = last
		}
		out = append(out, *cp)
	}
	slices.SortFunc(out, func(x, y CourseProgress) int {
		return cmp.Or(y.LastViewedAt.Compare(x.LastViewedAt), cmp.Compare(x.Title, y.Title))
	})
	slices.SortStableFunc(views, func(x, y EpisodeView) int { return y.LastAt.Compare(x.LastAt) })
	return views, out
}

// titleOf is a catalog item's title, or its id when the catalog no longer has it.
func titleOf(catalog map[string]CatalogItem, id string) string {
	if c, ok := catalog[id]; ok && c.Title != "" {
		return c.Title
	}
	return id
}

// TeamActivity is a team's activity over the last UsageWeeks weeks: its
// members' while they were in it.
type TeamActivity struct {
	Team Team
	// Weeks are the UsageWeeks weeks ending with the current one, oldest
	// first, zero-filled.
	Weeks []UsagePeriod
	// Totals sums the weeks; its ActiveLearners is the most active learners
	// of any one week (people are counted in each week they were active,
	// so a sum would count them again).
	Totals Usage
}

// ForTeam returns a team's weekly activity and its totals: two GetItem (the
// team, the organization's time zone) and one Query.
func (s *Activity) ForTeam(ctx context.Context, p *Principal, teamID string) (TeamActivity, error) {
	if !ValidID(teamID) {
		return TeamActivity{}, NotFound("team")
	}
	var (
		team Team
		org  Organization
	)
	err := together(
		func() (err error) { team, err = s.store.FindTeam(ctx, p.OrgID(), teamID); return err },
		func() (err error) { org, err = s.store.FindOrganization(ctx, p.OrgID()); return err },
	)
	if err != nil {
		return TeamActivity{}, fmt.Errorf("team activity: %w", err)
	}
	from, to := lastWeeks(s.now(), org.Location(), UsageWeeks)
	found, err := s.store.FindTeamUsageWeeks(ctx, p.OrgID(), team.ID, from, to)
	if err != nil {
		return TeamActivity{}, fmt.Errorf("team activity: %w", err)
	}
	out := TeamActivity{Team: team, Weeks: fillWeeks(found, from, UsageWeeks)}
	out.Totals = sumWeeks(out.Weeks)
	return out, nil
}

// sumWeeks adds up weeks of usage; ActiveLearners is the busiest week's.
func sumWeeks(weeks []UsagePeriod) Usage {
	var t Usage
	for _, w := range weeks {
		t.Viewings += w.Viewings
		t.Seconds += w.Seconds
		t.Completed += w.Completed
		t.LabsStarted += w.LabsStarted
		t.LabsCompleted += w.LabsCompleted
		t.Logins += w.Logins
		t.ActiveLearners = max(t.ActiveLearners, w.ActiveLearners)
	}
	return t
}

// together runs reads at once and returns the first error of them, in
// their order, once all have ended.
func together(reads ...func() error) error {
	errs := make([]error, len(reads))
	var wg sync.WaitGroup
	for i, read := range reads {
		wg.Go(func() { errs[i] = read() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
