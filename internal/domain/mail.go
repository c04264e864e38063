package domain

import (
	"bytes"
	"context"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	texttemplate "text/template"
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
}

// Mailer sends mail. The SES adapter in internal/ses implements it.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// Links builds the portal's links from its configured base URL, never from a
// request. Tokens go in the fragment, which browsers do not send to servers,
// so they cannot end up in access logs.
type Links struct {
	Base *url.URL
}

// SetPassword is the link to the password page for a one-time token.
func (l Links) SetPassword(token string) string {
	return l.page("/set-password", "token="+token)
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

// mailData is what every template may use. Every value is escaped by
// html/template in the HTML part.
type mailData struct {
	Product      string
	Organization string
	FirstName    string
	InvitedBy    string
	Link         string
	Expires      string
	SignIn       string
}

var textTemplates = texttemplate.Must(texttemplate.New("").Parse(`
{{define "invite"}}Hello {{.FirstName}},

{{.InvitedBy}} invited you to {{.Organization}} on {{.Product}}.

Create your password to get started:
{{.Link}}

The link works once, until {{.Expires}}. If it has expired, ask {{.InvitedBy}} to send a new invite, or use "Forgot password" on the sign-in page.

— {{.Product}} for {{.Organization}}
{{end}}
{{define "reset"}}Hello {{.FirstName}},

A password reset was requested for your {{.Product}} account at {{.Organization}}{{if .InvitedBy}} by {{.InvitedBy}}{{end}}.

Choose a new password here:
{{.Link}}

The link works once, for 15 minutes (until {{.Expires}}). If you did not ask for this, you can ignore this mail: your password stays as it is.

— {{.Product}} for {{.Organization}}
{{end}}
{{define "changed"}}Hello {{.FirstName}},

The password of your {{.Product}} account at {{.Organization}} was just changed, and every other session was signed out.

If this was not you, reset your password at once from the sign-in page ({{.SignIn}}) and tell your administrator.

— {{.Product}} for {{.Organization}}
{{end}}`))

var htmlTemplates = htmltemplate.Must(htmltemplate.New("").Parse(`
{{define "top"}}<!doctype html><html lang="en"><body style="margin:0;padding:24px;background:#f4f5f7;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1f2933">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:8px;padding:32px;text-align:left">
<tr><td style="font-size:14px;color:#52606d;padding-bottom:16px">{{.Product}} · {{.Organization}}</td></tr>{{end}}
{{define "bottom"}}<tr><td style="font-size:12px;color:#7b8794;padding-top:24px">{{.Product}} for {{.Organization}}</td></tr>
</table></td></tr></table></body></html>{{end}}
{{define "button"}}<p style="margin:24px 0"><a href="{{.}}" style="background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">{{end}}
{{define "invite"}}{{template "top" .}}
<tr><td style="font-size:16px;line-height:1.5">
<p>Hello {{.FirstName}},</p>
<p>{{.InvitedBy}} invited you to <strong>{{.Organization}}</strong> on {{.Product}}.</p>
{{template "button" .Link}}Create your password</a></p>
<p style="font-size:14px;color:#52606d">The link works once, until {{.Expires}}. If it has expired, ask {{.InvitedBy}} for a new invite, or use “Forgot password” on the sign-in page.</p>
<p style="font-size:12px;color:#7b8794;word-break:break-all">{{.Link}}</p>
</td></tr>{{template "bottom" .}}{{end}}
{{define "reset"}}{{template "top" .}}
<tr><td style="font-size:16px;line-height:1.5">
<p>Hello {{.FirstName}},</p>
<p>A password reset was requested for your {{.Product}} account at <strong>{{.Organization}}</strong>{{if .InvitedBy}} by {{.InvitedBy}}{{end}}.</p>
{{template "button" .Link}}Choose a new password</a></p>
<p style="font-size:14px;color:#52606d">The link works once, for 15 minutes (until {{.Expires}}). If you did not ask for this, ignore this mail: your password stays as it is.</p>
<p style="font-size:12px;color:#7b8794;word-break:break-all">{{.Link}}</p>
</td></tr>{{template "bottom" .}}{{end}}
{{define "changed"}}{{template "top" .}}
<tr><td style="font-size:16px;line-height:1.5">
<p>Hello {{.FirstName}},</p>
<p>The password of your {{.Product}} account at <strong>{{.Organization}}</strong> was just changed, and every other session was signed out.</p>
<p>If this was not you, <a href="{{.SignIn}}">reset your password</a> at once from the sign-in page and tell your administrator.</p>
</td></tr>{{template "bottom" .}}{{end}}`))

var subjects = map[string]string{
	"invite":  "%s invited you to %s on " + ProductName,
	"reset":   "Reset your " + ProductName + " password",
	"changed": "Your " + ProductName + " password was changed",
}

// renderMail fills the template kind ("invite", "reset", "changed") for a user.
func renderMail(kind string, to User, d mailData) (Mail, error) {
	d.Product = ProductName
	d.FirstName = to.FirstName
	var text, html bytes.Buffer
	if err := textTemplates.ExecuteTemplate(&text, kind, d); err != nil {
		return Mail{}, fmt.Errorf("render %s mail: %w", kind, err)
	}
	if err := htmlTemplates.ExecuteTemplate(&html, kind, d); err != nil {
		return Mail{}, fmt.Errorf("render %s mail: %w", kind, err)
	}
	subject := subjects[kind]
	if kind == "invite" {
		subject = fmt.Sprintf(subject, d.InvitedBy, d.Organization)
	}
	return Mail{
		To: to.Email, ToName: to.FirstName + " " + to.LastName, Subject: subject,
		Text: text.String(), HTML: html.String(),
	}, nil
}

// formatExpiry writes a link's end time for people, in UTC.
func formatExpiry(t time.Time) string {
	return t.UTC().Format("Monday 2 January 2006, 15:04 UTC")
}
