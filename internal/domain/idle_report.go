package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// idleSeatsReport is the idle seats view as a workbook: the seat holders idle
// for e.Days days or more (DefaultIdleDays for a scheduled one), the longest
// idle first, and the exception list. It reads nothing more than every
// report does (the organization's people, read page by page into d.users).
func idleSeatsReport(e *Export, d *exportData, r *Report, now time.Time) {
	days := e.Days
	if days == 0 {
		days = DefaultIdleDays
	}
	cutoff := IdleCutoff(now, days)
	var idle, kept []User
	seats := 0
	for _, u := range d.users {
		if !u.Seat {
			continue
		}
		seats++
		switch {
		case u.KeepSeat:
			kept = append(kept, u)
		case u.LastSeen().Before(cutoff):
			idle = append(idle, u)
		}
	}
	byIdle := func(a, b User) int {
		if c := a.LastSeen().Compare(b.LastSeen()); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}
	slices.SortFunc(idle, byIdle)
	slices.SortFunc(kept, byIdle)
	e.ExpectedRows = len(idle) + len(kept)
	r.Title = "Idle seats: no activity for " + strconv.Itoa(days) + " days or more"
	r.Facts = []ReportFact{
		{Label: "Seats held", Value: seats, Type: ColumnInteger},
		{Label: "Idle " + strconv.Itoa(days) + "+ days", Value: len(idle), Type: ColumnInteger},
		{Label: "On the exception list", Value: len(kept), Type: ColumnInteger},
	}
	r.Sheets = []ReportSheet{idleSheet("Idle seats", d, idle, now), idleSheet("Exceptions", d, kept, now)}
}

func idleSheet(name string, d *exportData, users []User, now time.Time) ReportSheet {
	cols := append(slices.Clone(personColumns),
		ReportColumn{Title: "Status", Type: ColumnText, Width: 10},
		ReportColumn{Title: "Teams", Type: ColumnText, Width: 24},
		ReportColumn{Title: "Idle since", Type: ColumnDateTime, Width: 18},
		ReportColumn{Title: "Days idle", Type: ColumnInteger, Width: 10},
		ReportColumn{Title: "Last activity", Type: ColumnDateTime, Width: 18},
		ReportColumn{Title: "Invited", Type: ColumnDateTime, Width: 18},
		ReportColumn{Title: "Reminded", Type: ColumnDateTime, Width: 18},
	)
	optional := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t
	}
	return ReportSheet{Name: name, Columns: cols, Rows: func(emit func([]any) error) error {
		for _, u := range users {
			seat := toIdleSeat(u, d.teams)
			var teams []string
			for _, t := range seat.Teams {
				teams = append(teams, t.Name)
			}
			last := u.LastActiveAt
			if u.LastLoginAt.After(last) {
				last = u.LastLoginAt
			}
			row := []any{u.FirstName, u.LastName, u.Email, u.Status, strings.Join(teams, ", "),
				seat.IdleSince, int(now.Sub(seat.IdleSince).Hours() / 24), optional(last), optional(seat.InvitedAt), optional(u.RemindedAt)}
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	}}
}
