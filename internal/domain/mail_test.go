package domain

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRenderMailEscapesNamesInHTML(t *testing.T) {
	to := User{FirstName: `<script>alert(1)</script>`, LastName: "O'Brien", Email: "x@example.com"}
	d := mailData{
		Organization: `Acme & <Sons>`, InvitedBy: `Eve "the admin"`,
		Link: "https://portal.example.com/set-password#token=abc", Expires: "soon",
	}
	for _, kind := range []string{"invite", "reset", "changed"} {
		m, err := renderMail(kind, to, d)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if strings.Contains(m.HTML, "<script>") || strings.Contains(m.HTML, "<Sons>") {
			t.Errorf("%s: a name reached the HTML unescaped:\n%s", kind, m.HTML)
		}
		if !strings.Contains(m.HTML, "&lt;script&gt;") {
			t.Errorf("%s: the first name is missing from the HTML", kind)
		}
		if !strings.Contains(m.Text, to.FirstName) || !strings.Contains(m.Text, "Acme & <Sons>") {
			t.Errorf("%s: the plain text lacks the names as written:\n%s", kind, m.Text)
		}
		if !strings.Contains(m.Text, ProductName) || !strings.Contains(m.HTML, ProductName) {
			t.Errorf("%s: the product's name is missing", kind)
		}
		if m.To != "x@example.com" || m.Subject == "" {
			t.Errorf("%s: to %q subject %q", kind, m.To, m.Subject)
		}
	}
	invite, _ := renderMail("invite", to, d)
	if !strings.Contains(invite.Text, d.Link) || !strings.Contains(invite.HTML, `href="https://portal.example.com/set-password#token=abc"`) {
		t.Errorf("the invite does not carry its link in both parts")
	}
	if !strings.Contains(invite.Subject, `Eve "the admin"`) || !strings.Contains(invite.Text, "Eve \"the admin\" invited you") {
		t.Errorf("the invite does not say who invited: %q", invite.Subject)
	}
}

func TestLinksComeFromTheConfiguredBase(t *testing.T) {
	base, _ := url.Parse("https://portal.example.com/ignored?x=1")
	l := Links{Base: base}
	if got := l.SetPassword("tok"); got != "https://portal.example.com/set-password#token=tok" {
		t.Errorf("SetPassword = %q", got)
	}
	if got := l.SignIn(); got != "https://portal.example.com/sign-in" {
		t.Errorf("SignIn = %q", got)
	}
}

func TestFormatExpiryIsUTC(t *testing.T) {
	got := formatExpiry(time.Date(2026, 12, 2, 18, 4, 0, 0, time.FixedZone("CET", 3600)))
	if got != "Wednesday 2 December 2026, 17:04 UTC" {
		t.Errorf("formatExpiry = %q", got)
	}
}

// TestRenderMailNeutralizesNames: names stored before they were refused at
// the door cannot reverse or overprint a subject or the text.
func TestRenderMailNeutralizesNames(t *testing.T) {
	zalgo := "Z" + strings.Repeat("\u0336\u0353\u0301", 10) + "oe"
	to := User{FirstName: "Eve\u202Egpj.exe", LastName: zalgo, Email: "x@example.com"}
	d := mailData{Organization: "Acme\u2067 Corp", InvitedBy: "Mallory\u202E " + zalgo, Link: "https://portal.example.com/set-password#token=abc", Expires: "soon"}
	for _, kind := range []string{"invite", "reset", "changed"} {
		m, err := renderMail(kind, to, d)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		for part, text := range map[string]string{"subject": m.Subject, "to name": m.ToName, "text": m.Text, "html": m.HTML} {
			if strings.ContainsFunc(text, bidiControl) {
				t.Errorf("%s: the %s keeps a direction control: %q", kind, part, text)
			}
			if n := longestMarkRun(text); n > maxCombiningMarks {
				t.Errorf("%s: the %s stacks %d marks", kind, part, n)
			}
		}
	}
}
