package domain

import (
	"context"
	"fmt"
	"time"
)

// demoAssignment is one of the demo organization's assignments: a module, who
// (team names, or learners by their index in demoPeople) and the due day,
// in days from today (negative: overdue).
type demoAssignment struct {
	module  string
	teams   []string
	learner []int
	dueIn   int
}

var demoAssignments = []demoAssignment{
	{module: "New hire security basics", teams: []string{"Engineering", "Sales", "Support"}, dueIn: 30},
	{module: "Network fundamentals", teams: []string{"Engineering"}, dueIn: -10},
	{module: "AWS cloud onboarding", learner: []int{0, 1, 2, 4, 6, 9}, dueIn: 7},
	{module: "Linux on-call readiness", teams: []string{"Support"}, dueIn: -3},
}

// seedAssignments gives the demo's modules to its teams and people, then
// records realistic, mixed progress through RecordCompleted (the way activity
// will): some finished, some part way, some not started, two overdue.
func (s *Assignments) seedAssignments(ctx context.Context, orgID, adminID string, teams map[string]string, learners []User, modules []Module) error {
	byName := map[string]Module{}
	for _, m := range modules {
		byName[m.Name] = m
	}
	today := DayIn(s.now(), time.UTC)
	for i, d := range demoAssignments {
		m, ok := byName[d.module]
		if !ok || len(m.Items) == 0 {
			continue
		}
		content, err := s.contentOf(ctx, m)
		if err != nil {
			return err
		}
		var userIDs, teamIDs []string
		for _, li := range d.learner {
			userIDs = append(userIDs, learners[li].ID)
		}
		for _, name := range d.teams {
			teamIDs = append(teamIDs, teams[name])
		}
		people, users, err := s.resolve(ctx, orgID, userIDs, teamIDs)
		if err != nil {
			return fmt.Errorf("seed assignment %s: %w", d.module, err)
		}
		a := Assignment{
			ID: NewID(), OrgID: orgID, ModuleID: m.ID, ModuleName: m.Name, DueOn: today.AddDate(0, 0, d.dueIn),
			UserIDs: userIDs, TeamIDs: teamIDs, CreatedBy: adminID,
		}
		audit := operatorEntry(orgID, AuditAssignmentCreated, assignmentTarget(a), s.now())
		if _, err := s.assign(ctx, a, content, people, users, audit); err != nil {
			return fmt.Errorf("seed assignment %s: %w", d.module, err)
		}
		// Progress: a pattern per person, shifted per assignment, so that each
		// assignment has people done, part way and not started.
		var completions []Completion
		for j, pa := range people {
			var done []string
			switch (j + i) % 5 {
			case 0, 1: // everything
				done = allOf(content)
			case 2: // the first item, or its first episode
				done = firstOf(content)
			case 3: // all but the last item
				all := allOf(content)
				done = all[:len(all)-1]
			}
			if len(done) == 0 {
				continue
			}
			at := s.now().Add(-time.Duration(j+1) * 7 * time.Hour)
			completions = append(completions, Completion{UserID: pa.UserID, CatalogIDs: done, At: at})
		}
		if err := s.RecordCompleted(ctx, orgID, completions); err != nil {
			return fmt.Errorf("seed progress: %w", err)
		}
	}
	return nil
}

// allOf is every completable id of the content: episodes of courses, other items.
func allOf(c AssignmentContent) []string {
	var ids []string
	for _, it := range c.Items {
		if len(it.EpisodeIDs) > 0 {
			ids = append(ids, it.EpisodeIDs...)
		} else {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

func firstOf(c AssignmentContent) []string {
	all := allOf(c)
	if len(all) == 0 {
		return nil
	}
	return all[:1]
}
