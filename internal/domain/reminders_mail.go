package domain

import (
	"html"
	"strconv"
	"strings"
	"time"
)

// The reminders' mail, written like mail.go's: plain functions, every value
// escaped once for the HTML part (reminderData.escaped, digestData.escaped).

// Assignment is the portal's page of an assignment.
func (l Links) Assignment(id string) string { return l.page("/assignments/"+id, "") }

// Assignments is the portal's list of assignments.
func (l Links) Assignments() string { return l.page("/assignments", "") }

// formatDay writes a calendar day for people: "Wednesday 9 December 2026".
func formatDay(day time.Time) string { return day.Format("Monday 2 January 2006") }

// reminderData is what a reminder says; in the HTML part every value is
// escaped (see escaped).
type reminderData struct {
	Product, Organization, FirstName, Module, Due, Learning string
	Left                                                    []string
	ItemCount                                               int
}

func (d reminderData) escaped() reminderData {
	e := html.EscapeString
	out := reminderData{
		Product: e(d.Product), Organization: e(d.Organization), FirstName: e(d.FirstName),
		Module: e(d.Module), Due: e(d.Due), Learning: e(d.Learning), ItemCount: d.ItemCount,
	}
	for _, l := range d.Left {
		out.Left = append(out.Left, e(l))
	}
	return out
}

// reminderLead is the sentence that says when the assignment is due.
func reminderLead(kind string, d reminderData) string {
	switch kind {
	case ReminderSoon:
		return "“" + d.Module + "” is due in " + strconv.Itoa(ReminderLeadDays) + " days, on " + d.Due + "."
	case ReminderDue:
		return "“" + d.Module + "” is due today, " + d.Due + "."
	default:
		return "“" + d.Module + "” is overdue: it was due yesterday, " + d.Due + "."
	}
}

// reminderSubject is the subject of a reminder of kind.
func reminderSubject(kind string, d reminderData) string {
	switch kind {
	case ReminderSoon:
		return "Reminder: “" + d.Module + "” is due on " + d.Due
	case ReminderDue:
		return "“" + d.Module + "” is due today"
	default:
		return "“" + d.Module + "” is overdue"
	}
}

// reminderText is the plain-text part of a reminder.
func reminderText(kind string, d reminderData) string {
	var b strings.Builder
	b.WriteString("Hello " + d.FirstName + ",\n\n" + reminderLead(kind, d) + "\n\n")
	b.WriteString("What is left (" + strconv.Itoa(len(d.Left)) + " of " + strconv.Itoa(d.ItemCount) + " items):\n")
	for _, l := range d.Left {
		b.WriteString("- " + l + "\n")
	}
	if d.Learning != "" {
		b.WriteString("\nContinue on the learning platform:\n" + d.Learning + "\n")
	} else {
		b.WriteString("\nContinue on the learning platform where you take your training.\n")
	}
	b.WriteString("\nYour administrators at " + d.Organization + " assigned this to you; they can turn these reminders off.\n")
	b.WriteString("\n— " + d.Product + " for " + d.Organization + "\n")
	return b.String()
}

// reminderHTML is the HTML part of a reminder; d must be escaped already.
func reminderHTML(kind string, d reminderData) string {
	var b strings.Builder
	b.WriteString(mailTop(d.Product, d.Organization, d.FirstName))
	b.WriteString(`<p>` + reminderLead(kind, d) + `</p>
<p>What is left (` + strconv.Itoa(len(d.Left)) + ` of ` + strconv.Itoa(d.ItemCount) + ` items):</p>
<ul>
`)
	for _, l := range d.Left {
		b.WriteString(`<li>` + l + `</li>
`)
	}
	b.WriteString(`</ul>
`)
	if d.Learning != "" {
		b.WriteString(`<p style="margin:24px 0"><a href="` + d.Learning + `" style="background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">Continue learning</a></p>
<p style="font-size:12px;color:#7b8794;word-break:break-all">` + d.Learning + `</p>
`)
	} else {
		b.WriteString(`<p>Continue on the learning platform where you take your training.</p>
`)
	}
	b.WriteString(`<p style="font-size:14px;color:#52606d">Your administrators at ` + d.Organization + ` assigned this to you; they can turn these reminders off.</p>
`)
	b.WriteString(mailBottom(d.Product, d.Organization))
	return b.String()
}

// reminderMail is the reminder of kind to one assignee, listing left (the
// items they have not done).
func reminderMail(kind string, org Organization, a Assignment, left []string, to User, links Links) Mail {
	d := reminderData{
		Product: ProductName, Organization: displayText(org.Name), FirstName: displayText(to.FirstName),
		Module: displayText(a.ModuleName), Due: formatDay(a.DueOn), Learning: links.Learning,
		Left: left, ItemCount: max(a.ItemCount, len(left)),
	}
	return Mail{
		To: to.Email, ToName: displayText(to.FullName()), Subject: reminderSubject(kind, d),
		Text: reminderText(kind, d), HTML: reminderHTML(kind, d.escaped()),
	}
}

// digestData is what the admins' digest says; in the HTML part every value
// is escaped (see escaped).
type digestData struct {
	Product, Organization, FirstName, Monday, AllLink string
	Teams                                             []digestTeamData
}

type digestTeamData struct {
	Name string
	Rows []digestRowData
}

type digestRowData struct {
	Module, Due, NotDone, Names, Link string
}

func (d digestData) escaped() digestData {
	e := html.EscapeString
	out := digestData{
		Product: e(d.Product), Organization: e(d.Organization), FirstName: e(d.FirstName),
		Monday: e(d.Monday), AllLink: e(d.AllLink),
	}
	for _, t := range d.Teams {
		et := digestTeamData{Name: e(t.Name)}
		for _, r := range t.Rows {
			et.Rows = append(et.Rows, digestRowData{Module: e(r.Module), Due: e(r.Due), NotDone: e(r.NotDone), Names: e(r.Names), Link: e(r.Link)})
		}
		out.Teams = append(out.Teams, et)
	}
	return out
}

// digestText is the plain-text part of the digest.
func digestText(d digestData) string {
	var b strings.Builder
	b.WriteString("Hello " + d.FirstName + ",\n\nThese assignments at " + d.Organization + " are overdue (as of " + d.Monday + "), by team:\n")
	for _, t := range d.Teams {
		b.WriteString("\n" + t.Name + "\n")
		for _, r := range t.Rows {
			b.WriteString("- " + r.Module + ", due " + r.Due + ": " + r.NotDone + r.Names + "\n  " + r.Link + "\n")
		}
	}
	b.WriteString("\nAll assignments: " + d.AllLink + "\n\nYou get this digest on Mondays while assignments are overdue. " +
		"Reminders and this digest can be turned off in the organization's settings.\n")
	b.WriteString("\n— " + d.Product + " for " + d.Organization + "\n")
	return b.String()
}

// digestHTML is the HTML part of the digest; d must be escaped already.
func digestHTML(d digestData) string {
	var b strings.Builder
	b.WriteString(mailTop(d.Product, d.Organization, d.FirstName))
	b.WriteString(`<p>These assignments at <strong>` + d.Organization + `</strong> are overdue (as of ` + d.Monday + `), by team:</p>
`)
	for _, t := range d.Teams {
		b.WriteString(`<h2 style="font-size:16px;margin:20px 0 8px">` + t.Name + `</h2>
<table role="presentation" width="100%" cellpadding="6" cellspacing="0" style="border-collapse:collapse;font-size:14px">
<tr><th align="left">Assignment</th><th align="left">Due</th><th align="left">Not done</th></tr>
`)
		for _, r := range t.Rows {
			b.WriteString(`<tr style="border-top:1px solid #e4e7eb"><td><a href="` + r.Link + `">` + r.Module + `</a></td><td>` + r.Due + `</td><td>` + r.NotDone + r.Names + `</td></tr>
`)
		}
		b.WriteString(`</table>
`)
	}
	b.WriteString(`<p style="margin-top:24px"><a href="` + d.AllLink + `">All assignments in the portal</a></p>
<p style="font-size:14px;color:#52606d">You get this digest on Mondays while assignments are overdue. Reminders and this digest can be turned off in the organization’s settings.</p>
`)
	b.WriteString(mailBottom(d.Product, d.Organization))
	return b.String()
}

// digestMail is the week's digest of groups to one admin.
func digestMail(org Organization, monday time.Time, groups []DigestTeam, to User, links Links) Mail {
	d := digestData{
		Product: ProductName, Organization: displayText(org.Name), FirstName: displayText(to.FirstName),
		Monday: formatDay(monday), AllLink: links.Assignments(),
	}
	assignments := map[string]bool{}
	for _, g := range groups {
		t := digestTeamData{Name: displayText(g.Name)}
		for _, r := range g.Rows {
			assignments[r.Assignment.ID] = true
			people := "people"
			if r.NotDone == 1 {
				people = "person"
			}
			names := ""
			if len(r.Names) > 0 {
				names = " (" + strings.Join(r.Names, ", ")
				if more := r.NotDone - len(r.Names); more > 0 {
					names += " and " + strconv.Itoa(more) + " more"
				}
				names += ")"
			}
			t.Rows = append(t.Rows, digestRowData{
				Module: displayText(r.Assignment.ModuleName), Due: formatDay(r.Assignment.DueOn),
				NotDone: strconv.Itoa(r.NotDone) + " " + people + " not done", Names: names,
				Link: links.Assignment(r.Assignment.ID),
			})
		}
		d.Teams = append(d.Teams, t)
	}
	n := strconv.Itoa(len(assignments)) + " overdue assignments"
	if len(assignments) == 1 {
		n = "1 overdue assignment"
	}
	return Mail{
		To: to.Email, ToName: displayText(to.FullName()), Subject: n + " at " + d.Organization + " this week",
		Text: digestText(d), HTML: digestHTML(d.escaped()),
	}
}

// mailTop opens an HTML mail as mail.go's do; its values are escaped already.
func mailTop(product, org, firstName string) string {
	return `<!doctype html><html lang="en"><body style="margin:0;padding:24px;background:#f4f5f7;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1f2933">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:8px;padding:32px;text-align:left">
<tr><td style="font-size:14px;color:#52606d;padding-bottom:16px">` + product + ` · ` + org + `</td></tr>
<tr><td style="font-size:16px;line-height:1.5">
<p>Hello ` + firstName + `,</p>
`
}

// mailBottom closes what mailTop opened.
func mailBottom(product, org string) string {
	return `</td></tr><tr><td style="font-size:12px;color:#7b8794;padding-top:24px">` + product + ` for ` + org + `</td></tr>
</table></td></tr></table></body></html>`
}
