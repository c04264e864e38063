package domain

import (
	"html"
	"strings"
)

// idleData is what an idle-seat reminder says; in the HTML part every value
// is escaped (see escaped).
type idleData struct {
	Product, Organization, FirstName, LastSeen, Until, Learning string
	// Assignments are "module (due day)" lines.
	Assignments []string
}

func (d idleData) escaped() idleData {
	e := html.EscapeString
	out := idleData{
		Product: e(d.Product), Organization: e(d.Organization), FirstName: e(d.FirstName),
		LastSeen: e(d.LastSeen), Until: e(d.Until), Learning: e(d.Learning),
	}
	for _, a := range d.Assignments {
		out.Assignments = append(out.Assignments, e(a))
	}
	return out
}

func idleLead(d idleData) string {
	return "You hold a training seat on " + d.Organization + "'s " + d.Product + " subscription, but we have not seen you on the learning platform " + d.LastSeen + "."
}

func idleText(d idleData) string {
	var b strings.Builder
	b.WriteString("Hello " + d.FirstName + ",\n\n" + idleLead(d) + "\n\n")
	b.WriteString("Your seat gives you the whole training catalog: courses, labs and practice exams, until " + d.Until + ".\n")
	if len(d.Assignments) > 0 {
		b.WriteString("\nAssigned to you and still open:\n")
		for _, a := range d.Assignments {
			b.WriteString("- " + a + "\n")
		}
	}
	if d.Learning != "" {
		b.WriteString("\nStart learning at " + d.Learning + "\n")
	}
	b.WriteString("\nIf you no longer need the seat, tell your administrators at " + d.Organization + " so that someone else can use it.\n")
	return b.String()
}

func idleHTML(d idleData) string {
	var b strings.Builder
	b.WriteString(mailTop(d.Product, d.Organization, d.FirstName))
	b.WriteString("<p>" + idleLead(d) + "</p>\n")
	b.WriteString("<p>Your seat gives you the whole training catalog: courses, labs and practice exams, until " + d.Until + ".</p>\n")
	if len(d.Assignments) > 0 {
		b.WriteString("<p>Assigned to you and still open:</p>\n<ul>\n")
		for _, a := range d.Assignments {
			b.WriteString("<li>" + a + "</li>\n")
		}
		b.WriteString("</ul>\n")
	}
	if d.Learning != "" {
		b.WriteString(`<p><a href="` + d.Learning + `" style="display:inline-block;background:#1f5fbf;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none">Start learning</a></p>
`)
	}
	b.WriteString("<p style=\"font-size:14px;color:#52606d\">If you no longer need the seat, tell your administrators at " + d.Organization + " so that someone else can use it.</p>\n")
	b.WriteString(mailBottom(d.Product, d.Organization))
	return b.String()
}

// idleReminderMail is the reminder to a seat holder who has been idle:
// what their seat gives them, and their open assignments.
func idleReminderMail(org Organization, sub Subscription, to User, open []Assignment, links Links) Mail {
	seen := to.LastSeen()
	lastSeen := "since " + seen.Format("2 January 2006")
	if to.LastActiveAt.IsZero() && to.LastLoginAt.IsZero() {
		lastSeen = "yet: your seat has been waiting for you since " + seen.Format("2 January 2006")
	}
	d := idleData{
		Product: ProductName, Organization: displayText(org.Name), FirstName: displayText(to.FirstName),
		LastSeen: lastSeen, Until: sub.EndsOn.Format("2 January 2006"), Learning: links.Learning,
	}
	for _, a := range open {
		d.Assignments = append(d.Assignments, displayText(a.ModuleName)+" (due "+formatDay(a.DueOn)+")")
	}
	return Mail{
		To: to.Email, ToName: displayText(to.FullName()),
		Subject: "Your " + ProductName + " training seat at " + d.Organization + " is waiting for you",
		Text:    idleText(d), HTML: idleHTML(d.escaped()),
	}
}
