package domain

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// The reports each kind of export writes (docs/api.md, "Exports"). Rows are
// read as they are written: events page by page, never all at once. Totals
// on the summary come from the activity aggregates, so they are known before
// the first row.

// exportData is what every report of an export reads first.
type exportData struct {
	org     Organization
	loc     *time.Location
	start   time.Time // the first day's midnight, in the organization's zone
	end     time.Time // the midnight after the last day
	users   map[string]User
	catalog map[string]CatalogItem
	teams   map[string]string // team names by id
}

func (s *workbooks) buildReport(ctx context.Context, e *Export) (Report, error) {
	org, err := s.store.FindOrganization(ctx, e.OrgID)
	if err != nil {
		return Report{}, fmt.Errorf("report: %w", err)
	}
	loc := org.Location()
	if e.TimeZone != "" {
		if l, err := time.LoadLocation(e.TimeZone); err == nil {
			loc = l
		}
	}
	d := &exportData{
		org: org, loc: loc,
		start: time.Date(e.From.Year(), e.From.Month(), e.From.Day(), 0, 0, 0, 0, loc),
		end:   time.Date(e.To.Year(), e.To.Month(), e.To.Day()+1, 0, 0, 0, 0, loc),
		users: map[string]User{}, catalog: map[string]CatalogItem{}, teams: map[string]string{},
	}
	if e.Kind == ExportUserActivity {
		u, err := s.store.FindUserByID(ctx, e.OrgID, e.UserID)
		if err != nil {
			return Report{}, fmt.Errorf("report: %w", err)
		}
		d.users[u.ID] = u
	} else if err := s.store.EachUser(ctx, e.OrgID, func(u User) error { d.users[u.ID] = u; return nil }); err != nil {
		return Report{}, fmt.Errorf("report: users: %w", err)
	}
	items, err := s.store.FindCatalog(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("report: catalog: %w", err)
	}
	for _, it := range items {
		d.catalog[it.ID] = it
	}
	teams, err := s.store.FindTeams(ctx, e.OrgID)
	if err != nil {
		return Report{}, fmt.Errorf("report: teams: %w", err)
	}
	for _, t := range teams {
		d.teams[t.ID] = t.Name
	}
	r := Report{
		Organization: org.Name, Kind: e.Kind, From: e.From, To: e.To,
		GeneratedAt: s.now().UTC(), Location: loc,
	}
	switch e.Kind {
	case ExportViewings, ExportLabs, ExportLogins:
		err = s.orgEventsReport(ctx, e, d, &r)
	case ExportUserActivity:
		err = s.userReport(ctx, e, d, &r)
	case ExportTeamActivity:
		err = s.teamReport(ctx, e, d, &r)
	case ExportAssignmentActivity, ExportAssignments:
		err = s.assignmentsReport(ctx, e, d, &r)
	case ExportIdleSeats:
		idleSeatsReport(e, d, &r, s.now())
	case ExportAudit:
		err = s.auditReport(ctx, e, d, &r)
	default:
		err = fmt.Errorf("no report for kind %q", e.Kind)
	}
	return r, err
}

func (d *exportData) days() (string, string) {
	return d.start.Format(DateLayout), d.end.AddDate(0, 0, -1).Format(DateLayout)
}

func sumUsage(days []UsagePeriod) Usage {
	var u Usage
	for _, p := range days {
		u.Viewings += p.Viewings
		u.Seconds += p.Seconds
		u.Completed += p.Completed
		u.LabsStarted += p.LabsStarted
		u.LabsCompleted += p.LabsCompleted
		u.Logins += p.Logins
		u.ActiveLearners += p.ActiveLearners
	}
	return u
}

// weeklyChart sums the days into weeks (starting on Monday) with value.
func weeklyChart(title, series string, from, to time.Time, days []UsagePeriod, value func(Usage) int) *ReportChart {
	byDay := map[string]Usage{}
	for _, p := range days {
		byDay[p.Start] = p.Usage
	}
	c := &ReportChart{Title: title, Series: []ReportSeries{{Name: series}}}
	for day := from; !day.After(to); day = day.AddDate(0, 0, 1) {
		monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		week := "Week of " + monday.Format(DateLayout)
		if len(c.Categories) == 0 || c.Categories[len(c.Categories)-1] != week {
			c.Categories = append(c.Categories, week)
			c.Series[0].Values = append(c.Series[0].Values, 0)
		}
		c.Series[0].Values[len(c.Series[0].Values)-1] += float64(value(byDay[day.Format(DateLayout)]))
	}
	return c
}

var personColumns = []ReportColumn{
	{Title: "First name", Type: ColumnText, Width: 16},
	{Title: "Last name", Type: ColumnText, Width: 18},
	{Title: "Email", Type: ColumnText, Width: 30},
}

// person is a user's name and email cells (empty for someone unknown).
func (d *exportData) person(userID string) []any {
	u, ok := d.users[userID]
	if !ok {
		return []any{nil, nil, nil}
	}
	return []any{u.FirstName, u.LastName, u.Email}
}

func (d *exportData) title(id string) any {
	if it, ok := d.catalog[id]; ok {
		return it.Title
	}
	if id == "" {
		return nil
	}
	return id
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// Sheets of events, with or without the person's columns.
func viewingsSheet(d *exportData, withPerson bool, each func(func(Event) error) error) ReportSheet {
	cols := []ReportColumn{{Title: "Viewed at", Type: ColumnDateTime, Width: 18}}
	if withPerson {
		cols = append(cols, personColumns...)
	}
	cols = append(cols,
		ReportColumn{Title: "Course", Type: ColumnText, Width: 36},
		ReportColumn{Title: "Episode", Type: ColumnText, Width: 40},
		ReportColumn{Title: "Watched", Type: ColumnDuration, Width: 10},
		ReportColumn{Title: "Completed", Type: ColumnText, Width: 10},
	)
	return ReportSheet{Name: "Viewings", Columns: cols, Rows: func(emit func([]any) error) error {
		return each(func(ev Event) error {
			row := []any{ev.At}
			if withPerson {
				row = append(row, d.person(ev.UserID)...)
			}
			return emit(append(row, d.title(ev.CourseID), d.title(ev.EpisodeID), ev.Seconds, yesNo(ev.Completed)))
		})
	}}
}

func labsSheet(d *exportData, withPerson bool, each func(func(Event) error) error) ReportSheet {
	cols := []ReportColumn{{Title: "At", Type: ColumnDateTime, Width: 18}}
	if withPerson {
		cols = append(cols, personColumns...)
	}
	cols = append(cols,
		ReportColumn{Title: "Lab", Type: ColumnText, Width: 40},
		ReportColumn{Title: "Status", Type: ColumnText, Width: 11},
		ReportColumn{Title: "Score", Type: ColumnPercent, Width: 8},
	)
	return ReportSheet{Name: "Labs", Columns: cols, Rows: func(emit func([]any) error) error {
		return each(func(ev Event) error {
			row := []any{ev.At}
			if withPerson {
				row = append(row, d.person(ev.UserID)...)
			}
			var score any
			status := "Started"
			if ev.Status == LabCompleted {
				status, score = "Completed", float64(ev.Score)/100
			}
			return emit(append(row, d.title(ev.LabID), status, score))
		})
	}}
}

func loginsSheet(d *exportData, withPerson bool, each func(func(Event) error) error) ReportSheet {
	cols := []ReportColumn{{Title: "Signed in at", Type: ColumnDateTime, Width: 18}}
	if withPerson {
		cols = append(cols, personColumns...)
	}
	return ReportSheet{Name: "Sign-ins", Columns: cols, Rows: func(emit func([]any) error) error {
		return each(func(ev Event) error {
			row := []any{ev.At}
			if withPerson {
				row = append(row, d.person(ev.UserID)...)
			}
			return emit(row)
		})
	}}
}

// orgEventsReport is the Reports page's viewings, labs or logins: every
// event of the kind in the range, oldest first (pattern #19).
func (s *workbooks) orgEventsReport(ctx context.Context, e *Export, d *exportData, r *Report) error {
	from, to := d.days()
	days, err := s.store.FindUsageDays(ctx, e.OrgID, "", "", from, to)
	if err != nil {
		return fmt.Errorf("report: usage: %w", err)
	}
	u := sumUsage(days)
	kind := map[string]string{ExportViewings: EventViewing, ExportLabs: EventLab, ExportLogins: EventLogin}[e.Kind]
	each := func(fn func(Event) error) error {
		return s.store.EachOrgEvent(ctx, e.OrgID, kind, d.start, d.end, fn)
	}
	switch e.Kind {
	case ExportViewings:
		r.Title = "Viewings"
		e.ExpectedRows = u.Viewings
		r.Facts = []ReportFact{
			{Label: "Viewings", Value: u.Viewings, Type: ColumnInteger},
			{Label: "Time watched", Value: u.Seconds, Type: ColumnDuration},
			{Label: "Episodes completed", Value: u.Completed, Type: ColumnInteger},
		}
		r.Chart = weeklyChart("Viewings per week", "Viewings", e.From, e.To, days, func(u Usage) int { return u.Viewings })
		r.Sheets = []ReportSheet{viewingsSheet(d, true, each)}
	case ExportLabs:
		r.Title = "Labs"
		e.ExpectedRows = u.LabsStarted + u.LabsCompleted
		r.Facts = []ReportFact{
			{Label: "Labs started", Value: u.LabsStarted, Type: ColumnInteger},
			{Label: "Labs completed", Value: u.LabsCompleted, Type: ColumnInteger},
		}
		r.Chart = weeklyChart("Labs completed per week", "Labs completed", e.From, e.To, days, func(u Usage) int { return u.LabsCompleted })
		r.Sheets = []ReportSheet{labsSheet(d, true, each)}
	default:
		r.Title = "Sign-ins"
		e.ExpectedRows = u.Logins
		r.Facts = []ReportFact{{Label: "Sign-ins", Value: u.Logins, Type: ColumnInteger}}
		r.Chart = weeklyChart("Sign-ins per week", "Sign-ins", e.From, e.To, days, func(u Usage) int { return u.Logins })
		r.Sheets = []ReportSheet{loginsSheet(d, true, each)}
	}
	return nil
}

// userReport is one person's activity: their viewings, labs and sign-ins in
// the range (pattern #18), deactivated or not.
func (s *workbooks) userReport(ctx context.Context, e *Export, d *exportData, r *Report) error {
	u := d.users[e.UserID]
	from, to := d.days()
	days, err := s.store.FindUsageDays(ctx, e.OrgID, "", e.UserID, from, to)
	if err != nil {
		return fmt.Errorf("report: usage: %w", err)
	}
	sum := sumUsage(days)
	e.ExpectedRows = sum.Viewings + sum.LabsStarted + sum.LabsCompleted + sum.Logins
	r.Title = "Activity of " + u.FullName()
	r.Facts = []ReportFact{
		{Label: "Name", Value: u.FullName(), Type: ColumnText},
		{Label: "Email", Value: u.Email, Type: ColumnText},
		{Label: "Status", Value: u.Status, Type: ColumnText},
		{Label: "Viewings", Value: sum.Viewings, Type: ColumnInteger},
		{Label: "Time watched", Value: sum.Seconds, Type: ColumnDuration},
		{Label: "Episodes completed", Value: sum.Completed, Type: ColumnInteger},
		{Label: "Labs started", Value: sum.LabsStarted, Type: ColumnInteger},
		{Label: "Labs completed", Value: sum.LabsCompleted, Type: ColumnInteger},
		{Label: "Sign-ins", Value: sum.Logins, Type: ColumnInteger},
	}
	r.Chart = weeklyChart("Viewings per week", "Viewings", e.From, e.To, days, func(u Usage) int { return u.Viewings })
	each := func(kind string) func(func(Event) error) error {
		return func(fn func(Event) error) error {
			return s.store.EachUserEvent(ctx, e.OrgID, e.UserID, kind, d.start, d.end, fn)
		}
	}
	r.Sheets = []ReportSheet{
		viewingsSheet(d, false, each(EventViewing)),
		labsSheet(d, false, each(EventLab)),
		loginsSheet(d, false, each(EventLogin)),
	}
	return nil
}

// teamReport is a team's members with their totals over the range, from
// each learner's daily aggregates (one Query a member, a few at once).
func (s *workbooks) teamReport(ctx context.Context, e *Export, d *exportData, r *Report) error {
	t, err := s.store.FindTeam(ctx, e.OrgID, e.TeamID)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var members []User
	for _, status := range []string{StatusActive, StatusInvited, StatusInactive} {
		ids, err := s.store.FindTeamMemberIDs(ctx, e.OrgID, e.TeamID, status)
		if err != nil {
			return fmt.Errorf("report: team members: %w", err)
		}
		for _, id := range ids {
			if u, ok := d.users[id]; ok {
				members = append(members, u)
			}
		}
	}
	slices.SortFunc(members, func(a, b User) int {
		return strings.Compare(userSortKey(a), userSortKey(b))
	})
	from, to := d.days()
	teamDays, err := s.store.FindUsageDays(ctx, e.OrgID, e.TeamID, "", from, to)
	if err != nil {
		return fmt.Errorf("report: team usage: %w", err)
	}
	sum := sumUsage(teamDays)
	e.ExpectedRows = len(members)
	r.Title = "Activity of the team " + t.Name
	r.Facts = []ReportFact{
		{Label: "Team", Value: t.Name, Type: ColumnText},
		{Label: "Members", Value: len(members), Type: ColumnInteger},
		{Label: "Viewings", Value: sum.Viewings, Type: ColumnInteger},
		{Label: "Time watched", Value: sum.Seconds, Type: ColumnDuration},
		{Label: "Episodes completed", Value: sum.Completed, Type: ColumnInteger},
		{Label: "Labs completed", Value: sum.LabsCompleted, Type: ColumnInteger},
		{Label: "Sign-ins", Value: sum.Logins, Type: ColumnInteger},
	}
	r.Chart = weeklyChart("Viewings per week", "Viewings", e.From, e.To, teamDays, func(u Usage) int { return u.Viewings })
	cols := append(slices.Clone(personColumns),
		ReportColumn{Title: "Status", Type: ColumnText, Width: 10},
		ReportColumn{Title: "Viewings", Type: ColumnInteger},
		ReportColumn{Title: "Time watched", Type: ColumnDuration, Width: 13},
		ReportColumn{Title: "Episodes completed", Type: ColumnInteger},
		ReportColumn{Title: "Labs started", Type: ColumnInteger},
		ReportColumn{Title: "Labs completed", Type: ColumnInteger},
		ReportColumn{Title: "Sign-ins", Type: ColumnInteger},
		ReportColumn{Title: "Active days", Type: ColumnInteger},
		ReportColumn{Title: "Last active", Type: ColumnDate, Width: 12},
	)
	r.Sheets = []ReportSheet{{Name: "Members", Columns: cols, Rows: func(emit func([]any) error) error {
		const batch = 8
		for lo := 0; lo < len(members); lo += batch {
			part := members[lo:min(lo+batch, len(members))]
			usage := make([][]UsagePeriod, len(part))
			errs := make([]error, len(part))
			var wg sync.WaitGroup
			for i, m := range part {
				wg.Go(func() { usage[i], errs[i] = s.store.FindUsageDays(ctx, e.OrgID, "", m.ID, from, to) })
			}
			wg.Wait()
			for i, m := range part {
				if errs[i] != nil {
					return fmt.Errorf("usage of a member: %w", errs[i])
				}
				u := sumUsage(usage[i])
				var lastActive any
				active := 0
				for _, p := range usage[i] {
					if p.Viewings+p.LabsStarted+p.LabsCompleted+p.Logins > 0 {
						active++
						if day, err := time.Parse(DateLayout, p.Start); err == nil {
							lastActive = day
						}
					}
				}
				row := append(d.person(m.ID), m.Status, u.Viewings, u.Seconds, u.Completed,
					u.LabsStarted, u.LabsCompleted, u.Logins, active, lastActive)
				if err := emit(row); err != nil {
					return err
				}
			}
		}
		return nil
	}}}
	return nil
}

func userSortKey(u User) string { return u.SortName() + "\x1f" + u.ID }

var stateNames = map[string]string{
	ProgressNotStarted: "Not started", ProgressInProgress: "In progress", ProgressCompleted: "Completed",
}

// assignmentsReport is one assignment's people and their progress, or
// every open assignment's (the Reports page's assignments).
func (s *workbooks) assignmentsReport(ctx context.Context, e *Export, d *exportData, r *Report) error {
	var list []Assignment
	if e.Kind == ExportAssignmentActivity {
		a, err := s.store.FindAssignment(ctx, e.OrgID, e.AssignmentID)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		list = []Assignment{a}
		r.Title = "Assignment " + a.ModuleName
	} else {
		open, err := openAssignments(ctx, s.store, e.OrgID)
		if err != nil {
			return fmt.Errorf("report: assignments: %w", err)
		}
		list = open
		r.Title = "Assignments"
	}
	var c AssignmentCounts
	for _, a := range list {
		c.Assignees += a.Counts.Assignees
		c.Completed += a.Counts.Completed
		c.InProgress += a.Counts.InProgress
		c.NotStarted += a.Counts.NotStarted
	}
	e.ExpectedRows = c.Assignees
	if e.Kind == ExportAssignmentActivity {
		r.Facts = []ReportFact{
			{Label: "Module", Value: list[0].ModuleName, Type: ColumnText},
			{Label: "Due on", Value: list[0].DueOn, Type: ColumnDate},
			{Label: "Status", Value: list[0].Status, Type: ColumnText},
		}
	} else {
		r.Facts = []ReportFact{{Label: "Open assignments", Value: len(list), Type: ColumnInteger}}
	}
	completion := 0.0
	if c.Assignees > 0 {
		completion = float64(c.Completed) / float64(c.Assignees)
	}
	r.Facts = append(r.Facts,
		ReportFact{Label: "People assigned", Value: c.Assignees, Type: ColumnInteger},
		ReportFact{Label: "Completed", Value: c.Completed, Type: ColumnInteger},
		ReportFact{Label: "In progress", Value: c.InProgress, Type: ColumnInteger},
		ReportFact{Label: "Not started", Value: c.NotStarted, Type: ColumnInteger},
		ReportFact{Label: "Completion", Value: completion, Type: ColumnPercent},
	)
	r.Chart = &ReportChart{Title: "Where people stand", Categories: []string{"Completed", "In progress", "Not started"},
		Series: []ReportSeries{{Name: "People", Values: []float64{float64(c.Completed), float64(c.InProgress), float64(c.NotStarted)}}}}
	today := DayIn(s.now(), d.loc)
	var cols []ReportColumn
	if e.Kind == ExportAssignments {
		cols = append(cols, ReportColumn{Title: "Module", Type: ColumnText, Width: 30}, ReportColumn{Title: "Due on", Type: ColumnDate, Width: 12})
	}
	cols = append(cols, personColumns...)
	cols = append(cols,
		ReportColumn{Title: "Team", Type: ColumnText, Width: 18},
		ReportColumn{Title: "Progress", Type: ColumnText, Width: 12},
		ReportColumn{Title: "Items done", Type: ColumnInteger},
		ReportColumn{Title: "Items", Type: ColumnInteger},
		ReportColumn{Title: "Share done", Type: ColumnPercent},
		ReportColumn{Title: "Overdue", Type: ColumnText, Width: 9},
		ReportColumn{Title: "Assigned at", Type: ColumnDateTime, Width: 18},
		ReportColumn{Title: "Started at", Type: ColumnDateTime, Width: 18},
		ReportColumn{Title: "Completed at", Type: ColumnDateTime, Width: 18},
	)
	when := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t
	}
	r.Sheets = []ReportSheet{{Name: "People", Columns: cols, Rows: func(emit func([]any) error) error {
		for _, a := range list {
			after := ""
			for {
				page, next, err := s.store.FindAssignees(ctx, e.OrgID, a.ID, AssigneeQuery{Limit: 1000, After: after})
				if err != nil {
					return fmt.Errorf("people of assignment %s: %w", a.ID, err)
				}
				for _, p := range page {
					var row []any
					if e.Kind == ExportAssignments {
						row = append(row, a.ModuleName, a.DueOn)
					}
					var team any
					if name, ok := d.teams[p.TeamID]; ok {
						team = name
					}
					share := 0.0
					if p.ItemCount > 0 {
						share = float64(p.ItemsDone) / float64(p.ItemCount)
					}
					overdue := a.Status == AssignmentOpen && p.State != ProgressCompleted && today.After(a.DueOn)
					row = append(row, d.person(p.UserID)...)
					row = append(row, team, stateNames[p.State], p.ItemsDone, p.ItemCount, share, yesNo(overdue),
						when(p.AssignedAt), when(p.StartedAt), when(p.CompletedAt))
					if err := emit(row); err != nil {
						return err
					}
				}
				if next == "" {
					break
				}
				after = next
			}
		}
		return nil
	}}}
	return nil
}
