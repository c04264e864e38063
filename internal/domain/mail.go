package domain

import (
	"fmt"
	"html"
	"net/url"
	"time"
)

// ProductName is how mail and pages name the product.
const ProductName = "ProPortal"

// Mail is one message to one person, with a plain-text and an HTML part.
type Mail struct {
	To      string
	ToName  string
	Subject string
	Text    string
	HTML    string
	// Attachments are files sent with the mail (a scheduled report's workbook).
	Attachments []Attachment
	// Tags go with the mail to SES (EmailTags) and come back in its bounce
	// and complaint events: a scheduled report's org, schedule and delivery.
	// Keys and values: letters, digits, _ and - only.
	Tags map[string]string
}

// Links builds the portal's links from its configured base URL, never from a
// request. Tokens go in the fragment, which browsers do not send to servers,
// so they cannot end up in access logs.
type Links struct {
	Base *url.URL
	// Learning is the address of the learning platform, where people with a
	// seat learn (the portal is for admins); empty when none is configured.
	Learning string
}

// SetPassword is the link to the password page for a one-time token.
func (l Links) SetPassword(token string) string {
	return l.page("/set-password", "token="+token)
}

// Reset is the link to the password page for a reset token: the page says
// "Choose a new password" rather than "Create your password". The purpose is
// only wording; the token alone decides what the link does.
func (l Links) Reset(token string) string {
	return l.page("/set-password", "token="+token+"&purpose=reset")
}

// ReportDownload is the link of a scheduled report's file: the download
// page, which posts the token (kept in the fragment) for a fresh link.
func (l Links) ReportDownload(token string) string {
	return l.page("/report-download", "token="+token)
}

// SignIn is the link to the sign-in page.
func (l Links) SignIn() string { return l.page("/sign-in", "") }

func (l Links) page(path, fragment string) string {
	u := *l.Base
	u.Path = path
	u.RawQuery = ""
	u.Fragment = fragment
	return u.String()
}

// mailData is what every mail may say. In the HTML part every value is
// escaped (see escaped).
type mailData struct {
	Product      string
	Organization string
	FirstName    string
	InvitedBy    string
	Link         string
	Expires      string
	SignIn       string
	// Learning is where the person learns, said in the invite of a person
	// with a seat; empty to say nothing.
	Learning string
}

// escaped returns d with every value escaped for HTML text and attributes.
func (d mailData) escaped() mailData {
	e := html.EscapeString
	return mailData{
		Product: e(d.Product), Organization: e(d.Organization), FirstName: e(d.FirstName),
		InvitedBy: e(d.InvitedBy), Link: e(d.Link), Expires: e(d.Expires), SignIn: e(d.SignIn),
		Learning: e(d.Learning),
	}
}

// Mail is written by plain functions rather than text/template and
// html/template: a binary that links a template engine keeps every exported
// method of every type the linker cannot rule out for reflection, which made
// each mail-sending Lambda 6 MB larger (see docs/architecture.md). There are
// three short messages; escaping is done once, in escaped.

// mailText is the plain-text part of kind.
func mailText(kind string, d mailData) string {
	by := ""
	if d.InvitedBy != "" {
		by = " by " + d.InvitedBy
	}
	sign := "\n— " + d.Product + " for " + d.Organization + "\n"
	switch kind {
	case "invite":
		return "Hello " + d.FirstName + ",\n\n" +
			d.InvitedBy + " invited you to " + d.Organization + " on " + d.Product + ".\n\n" +
			"Create your password to get started:\n" + d.Link + "\n\n" +
			"The link works once, until " + d.Expires + ". If it has expired, ask " + d.InvitedBy +
			" to send a new invite, or use \"Forgot password\" on the sign-in page.\n" + learnText(d) + sign
	case "reset":
		return "Hello " + d.FirstName + ",\n\n" +
			"A password reset was requested for your " + d.Product + " account at " + d.Organization + by + ".\n\n" +
			"Choose a new password here:\n" + d.Link + "\n\n" +
			"The link works once, for 15 minutes (until " + d.Expires + "). If you did not ask for this, " +
			"you can ignore this mail: your password stays as it is.\n" + sign
	case "admin":
		return "Hello " + d.FirstName + ",\n\n" +
			d.InvitedBy + " gave you admin rights for " + d.Organization + " on " + d.Product + ".\n\n" +
			"You can now manage your organization's seats, people and reports in the portal. Sign in here:\n" + d.SignIn + "\n\n" +
			"If you have not created your password yet, use the link in your invite first.\n" + sign
	default: // changed
		return "Hello " + d.FirstName + ",\n\n" +
			"The password of your " + d.Product + " account at " + d.Organization +
			" was just changed, and every other session was signed out.\n\n" +
			"If this was not you, reset your password at once from the sign-in page (" + d.SignIn +
			") and tell your administrator.\n" + sign
	}
}

// mailHTML is the HTML part of kind; d must be escaped already.
func mailHTML(kind string, d mailData) string {
	top := `<!doctype html><html lang="en"><body style="margin:0;padding:24px;background:#f4f5f7;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1f2933">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:8px;padding:32px;text-align:left">
<tr><td style="font-size:14px;color:#52606d;padding-bottom:16px">` + d.Product + ` · ` + d.Organization + `</td></tr>
<tr><td style="font-size:16px;line-height:1.5">
<p>Hello ` + d.FirstName + `,</p>
`
	bottom := `</td></tr><tr><td style="font-size:12px;color:#7b8794;padding-top:24px">` + d.Product + ` for ` + d.Organization + `</td></tr>
</table></td></tr></table></body></html>`
	button := func(label string) string {
		return `<p style="margin:24px 0"><a href="` + d.Link + `" style="background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">` + label + `</a></p>
`
	}
	rawLink := `<p style="font-size:12px;color:#7b8794;word-break:break-all">` + d.Link + `</p>
`
	switch kind {
	case "invite":
		return top + `<p>` + d.InvitedBy + ` invited you to <strong>` + d.Organization + `</strong> on ` + d.Product + `.</p>
` + button("Create your password") +
			`<p style="font-size:14px;color:#52606d">The link works once, until ` + d.Expires + `. If it has expired, ask ` + d.InvitedBy + ` for a new invite, or use “Forgot password” on the sign-in page.</p>
` + learnHTML(d) + rawLink + bottom
	case "reset":
		by := ""
		if d.InvitedBy != "" {
			by = " by " + d.InvitedBy
		}
		return top + `<p>A password reset was requested for your ` + d.Product + ` account at <strong>` + d.Organization + `</strong>` + by + `.</p>
` + button("Choose a new password") +
			`<p style="font-size:14px;color:#52606d">The link works once, for 15 minutes (until ` + d.Expires + `). If you did not ask for this, ignore this mail: your password stays as it is.</p>
` + rawLink + bottom
	case "admin":
		return top + `<p>` + d.InvitedBy + ` gave you admin rights for <strong>` + d.Organization + `</strong> on ` + d.Product + `.</p>
<p>You can now manage your organization’s seats, people and reports in the portal: <a href="` + d.SignIn + `">sign in</a>.</p>
<p style="font-size:14px;color:#52606d">If you have not created your password yet, use the link in your invite first.</p>
` + bottom
	default: // changed
		return top + `<p>The password of your ` + d.Product + ` account at <strong>` + d.Organization + `</strong> was just changed, and every other session was signed out.</p>
<p>If this was not you, <a href="` + d.SignIn + `">reset your password</a> at once from the sign-in page and tell your administrator.</p>
` + bottom
	}
}

// learnText says, in an invite to a person with a seat, where they learn:
// the portal itself is for admins.
func learnText(d mailData) string {
	if d.Learning == "" {
		return ""
	}
	return "\nYour training is on the learning platform: once your password is set, start learning at " + d.Learning + ".\n"
}

// learnHTML is learnText for the HTML part; d is escaped already.
func learnHTML(d mailData) string {
	if d.Learning == "" {
		return ""
	}
	return `<p>Your training is on the learning platform: once your password is set, start learning at <a href="` + d.Learning + `">` + d.Learning + `</a>.</p>
`
}

var subjects = map[string]string{
	"invite":  "%s invited you to %s on " + ProductName,
	"reset":   "Reset your " + ProductName + " password",
	"changed": "Your " + ProductName + " password was changed",
	"admin":   "You are now an admin of %s on " + ProductName,
}

// renderMail writes the mail kind ("invite", "reset", "changed") for a user.
func renderMail(kind string, to User, d mailData) (Mail, error) {
	if _, known := subjects[kind]; !known {
		return Mail{}, fmt.Errorf("render mail: no mail of kind %q", kind)
	}
	d.Product = ProductName
	// Names are shown as plain text, where a direction override or a stack of
	// marks would garble the subject or the lines around them.
	d.FirstName = displayText(to.FirstName)
	d.InvitedBy, d.Organization = displayText(d.InvitedBy), displayText(d.Organization)
	subject := subjects[kind]
	switch kind {
	case "invite":
		subject = fmt.Sprintf(subject, d.InvitedBy, d.Organization)
	case "admin":
		subject = fmt.Sprintf(subject, d.Organization)
	}
	return Mail{
		To: to.Email, ToName: displayText(to.FullName()), Subject: subject,
		Text: mailText(kind, d), HTML: mailHTML(kind, d.escaped()),
	}, nil
}

// formatExpiry writes a link's end time for people, in UTC.
func formatExpiry(t time.Time) string {
	return t.UTC().Format("Monday 2 January 2006, 15:04 UTC")
}
