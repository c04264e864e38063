package domain

import (
	"html"
	"strconv"
	"strings"
	"time"
)

// The mail of a scheduled report, written by plain functions like mail.go's
// (no template engine: see there), every value escaped once, in escaped.

// reportMailData is what a report's mail says, as text.
type reportMailData struct {
	Product, Organization, Schedule, Report, Period string
	// Figures are the period's totals, label and value.
	Figures [][2]string
	// Courses are the top courses, "Title (n viewings)".
	Courses []string
	// File is the attachment's name and size ("… .xlsx, 1.2 MB"); Link the
	// download page with its token and Expires its end, when it is linked.
	File, Link, Expires string
	Address             string
}

func (d reportMailData) escaped() reportMailData {
	e := html.EscapeString
	out := reportMailData{
		Product: e(d.Product), Organization: e(d.Organization), Schedule: e(d.Schedule), Report: e(d.Report),
		Period: e(d.Period), File: e(d.File), Link: e(d.Link), Expires: e(d.Expires), Address: e(d.Address),
	}
	for _, f := range d.Figures {
		out.Figures = append(out.Figures, [2]string{e(f[0]), e(f[1])})
	}
	for _, c := range d.Courses {
		out.Courses = append(out.Courses, e(c))
	}
	return out
}

// reportKindNames name each kind of scheduled report in its mail.
var reportKindNames = map[string]string{
	ExportViewings: "viewings", ExportAssignments: "assignments", ExportLabs: "labs",
	ExportLogins: "sign-ins", ExportTeamActivity: "team activity",
}

// reportSubject is "Weekly viewings report: 30 Nov – 6 Dec 2026".
func reportSubject(sc Schedule, from, to time.Time) string {
	cadence := "Weekly"
	if sc.Frequency == Monthly {
		cadence = "Monthly"
	}
	return cadence + " " + reportKindNames[sc.Kind] + " report: " + formatPeriod(from, to)
}

// formatPeriod writes a period's days for people: "30 Nov – 6 Dec 2026",
// "1 – 7 Dec 2026", "29 Dec 2025 – 4 Jan 2026", or a whole month,
// "November 2026".
func formatPeriod(from, to time.Time) string {
	switch {
	case from.Day() == 1 && to.Year() == from.Year() && to.Month() == from.Month() && to.AddDate(0, 0, 1).Day() == 1:
		return from.Format("January 2006")
	case from.Year() != to.Year():
		return from.Format("2 Jan 2006") + " – " + to.Format("2 Jan 2006")
	case from.Month() != to.Month():
		return from.Format("2 Jan") + " – " + to.Format("2 Jan 2006")
	}
	return strconv.Itoa(from.Day()) + " – " + to.Format("2 Jan 2006")
}

// formatCount writes n with thousands separators: 12,345.
func formatCount(n int) string {
	s := strconv.Itoa(max(n, 0))
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// formatHours writes seconds as hours with one decimal: 12.5.
func formatHours(seconds int) string {
	return strconv.FormatFloat(float64(seconds)/3600, 'f', 1, 64)
}

// formatSize writes a file's size: 850 KB, 1.2 MB.
func formatSize(n int64) string {
	if n < 1<<20 {
		return strconv.FormatInt(max((n+512)>>10, 1), 10) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

// reportMail writes one recipient's mail of a delivery: the file attached
// when file is not nil, otherwise the download link (working until expires).
func reportMail(org Organization, sc Schedule, d Delivery, sum DeliverySummary, to string, file []byte, link string, expires time.Time) Mail {
	e := reportExport(sc, d)
	data := reportMailData{
		Product: ProductName, Organization: displayText(org.Name), Schedule: displayText(sc.Name),
		Report: reportKindNames[sc.Kind], Period: formatPeriod(d.From, d.To), Address: to,
		Figures: [][2]string{
			{"Viewings", formatCount(sum.Viewings)},
			{"Hours watched", formatHours(sum.Seconds)},
			{"Episodes completed", formatCount(sum.Completed)},
			{"Labs completed", formatCount(sum.LabsCompleted) + " (" + formatCount(sum.LabsStarted) + " started)"},
			{"Sign-ins", formatCount(sum.Logins)},
			{activeLabel(d), formatCount(sum.ActiveLearners)},
		},
		File: e.FileName() + ", " + formatSize(d.Bytes),
	}
	for _, c := range sum.TopCourses {
		views := "viewings"
		if c.Viewings == 1 {
			views = "viewing"
		}
		data.Courses = append(data.Courses, displayText(c.Title)+" ("+formatCount(c.Viewings)+" "+views+")")
	}
	m := Mail{
		To: to, Subject: reportSubject(sc, d.From, d.To),
		Tags: map[string]string{MailTagOrg: d.OrgID, MailTagSchedule: d.ScheduleID, MailTagDelivery: d.ID},
	}
	if file != nil {
		m.Attachments = []Attachment{{Name: e.FileName(), ContentType: XLSXContentType, Data: file}}
	} else {
		data.Link, data.Expires = link, formatExpiry(expires)
	}
	m.Text, m.HTML = reportText(data), reportHTML(data.escaped())
	return m
}

// activeLabel names the active learners figure: a month's is its busiest week's.
func activeLabel(d Delivery) string {
	if WeekOf(d.From).Equal(WeekOf(d.To)) {
		return "Active learners"
	}
	return "Active learners (busiest week)"
}

// reportText is the plain-text part.
func reportText(d reportMailData) string {
	var b strings.Builder
	b.WriteString("Hello,\n\nHere is the " + d.Report + " report of " + d.Organization + " for " + d.Period +
		" (\"" + d.Schedule + "\").\n\nIn this period:\n")
	for _, f := range d.Figures {
		b.WriteString("- " + f[0] + ": " + f[1] + "\n")
	}
	if len(d.Courses) > 0 {
		b.WriteString("\nMost viewed courses:\n")
		for i, c := range d.Courses {
			b.WriteString(strconv.Itoa(i+1) + ". " + c + "\n")
		}
	}
	if d.Link == "" {
		b.WriteString("\nThe workbook is attached (" + d.File + ").\n")
	} else {
		b.WriteString("\nDownload the workbook (" + d.File + ") here; the link works until " + d.Expires + ":\n" + d.Link + "\n")
	}
	b.WriteString("\nYou receive this because an administrator of " + d.Organization + " added " + d.Address +
		" to the scheduled report \"" + d.Schedule + "\". To stop it, ask them to remove the address.\n\n— " +
		d.Product + " for " + d.Organization + "\n")
	return b.String()
}

// reportHTML is the HTML part; d must be escaped already.
func reportHTML(d reportMailData) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><body style="margin:0;padding:24px;background:#f4f5f7;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1f2933">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:8px;padding:32px;text-align:left">
<tr><td style="font-size:14px;color:#52606d;padding-bottom:16px">` + d.Product + ` · ` + d.Organization + `</td></tr>
<tr><td style="font-size:16px;line-height:1.5">
<p>Hello,</p>
<p>Here is the ` + d.Report + ` report of <strong>` + d.Organization + `</strong> for <strong>` + d.Period + `</strong> (“` + d.Schedule + `”).</p>
<table role="presentation" cellpadding="0" cellspacing="0" style="margin:16px 0;font-size:15px">
`)
	for _, f := range d.Figures {
		b.WriteString(`<tr><td style="padding:2px 24px 2px 0;color:#52606d">` + f[0] + `</td><td style="padding:2px 0;font-weight:600;text-align:right">` + f[1] + "</td></tr>\n")
	}
	b.WriteString("</table>\n")
	if len(d.Courses) > 0 {
		b.WriteString("<p style=\"margin-bottom:4px\">Most viewed courses:</p>\n<ol style=\"margin-top:0\">\n")
		for _, c := range d.Courses {
			b.WriteString("<li>" + c + "</li>\n")
		}
		b.WriteString("</ol>\n")
	}
	if d.Link == "" {
		b.WriteString(`<p>The workbook is attached (` + d.File + `).</p>
`)
	} else {
		b.WriteString(`<p style="margin:24px 0"><a href="` + d.Link + `" style="background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">Download the workbook</a></p>
<p style="font-size:14px;color:#52606d">` + d.File + `. The link works until ` + d.Expires + `.</p>
<p style="font-size:12px;color:#7b8794;word-break:break-all">` + d.Link + `</p>
`)
	}
	b.WriteString(`<p style="font-size:12px;color:#7b8794">You receive this because an administrator of ` + d.Organization + ` added ` + d.Address +
		` to the scheduled report “` + d.Schedule + `”. To stop it, ask them to remove the address.</p>
</td></tr><tr><td style="font-size:12px;color:#7b8794;padding-top:24px">` + d.Product + ` for ` + d.Organization + `</td></tr>
</table></td></tr></table></body></html>`)
	return b.String()
}
