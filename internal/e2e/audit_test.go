package e2e

import (
	"context"
	"strings"
	"testing"

	"proportal/internal/domain"
)

// TestAuditLog makes a few changes the way an admin does (invite a person,
// deactivate them, give them admin rights), then reads them back: on the
// Audit log page (newest first, filtered, exported as a workbook), on the
// person's page (History) and as the seats used per day on the Subscription
// page; in a desktop window (1280 px) and a phone's (390 px).
func TestAuditLog(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: drives Chromium through the portal; make test runs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	browserPath := chromium(t)
	p := startPortal(t, true)
	b := startBrowser(t, ctx, browserPath, p.URL, "audit-")

	const (
		first, last = "Alan", "Auditee"
		name        = first + " " + last
		email       = "alan.auditee@example.com"
	)
	row := anyRole("row").has(textIs(name)).in(usersTable)
	actions := role("button", "Actions for "+name)
	entries := role("list", "Audit entries, newest first")
	var person domain.User

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"1280 an admin invites, deactivates and makes an admin", func(t *testing.T) {
			b.step(t, signedOutMe)
			b.resize(t, 1280, 900, false)
			b.signIn(t, "admin@demo.test", demoPassword)
			b.waitFor(t, role("heading", "Dashboard"))
			b.click(t, role("link", "Users").in(mainNav))
			b.waitFor(t, role("heading", "Users"))
			b.click(t, role("button", "Invite people"))
			dialog := role("dialog", "Invite a person")
			b.waitFor(t, dialog)
			b.fill(t, field("First name").in(dialog), first)
			b.fill(t, field("Last name").in(dialog), last)
			b.fill(t, field("Email").in(dialog), email)
			b.click(t, role("radio", "Learner seat").in(dialog))
			b.click(t, role("button", "Send invite").in(dialog))
			b.waitFor(t, status.with("Invitation sent to "+email+"."))
			b.waitGone(t, dialog)

			b.fill(t, field("Search users"), "auditee")
			b.waitFor(t, row)
			b.openMenu(t, actions)
			b.click(t, role("menuitem", "Deactivate subscription").in(menu))
			b.waitFor(t, confirmDialog)
			b.click(t, role("button", "Deactivate").in(confirmDialog))
			b.waitFor(t, status.with(name, "subscription was deactivated."))
			b.waitGone(t, confirmDialog)
			b.openMenu(t, actions)
			b.click(t, role("menuitem", "Give admin rights").in(menu))
			b.waitFor(t, status.with(name+" now has admin rights"))
			var err error
			if person, err = p.App.Store.FindUserByEmail(context.Background(), email); err != nil {
				t.Fatalf("the invited person: %v", err)
			}
		}},
		{"1280 the Audit log page shows them, newest first", func(t *testing.T) {
			b.step(t)
			b.click(t, role("link", "Audit log").in(mainNav))
			b.waitFor(t, role("heading", "Audit log"))
			b.waitFor(t, entries)
			// Newest first: the three changes, each with who and from where.
			b.waitFor(t, text("Admin rights granted", name).in(entries))
			b.waitFor(t, text("Deactivated", name, "Seat: Yes → No").in(entries))
			b.waitFor(t, text("Invited", name, "By Dana Admin (admin@demo.test) from").in(entries))
			order := evalJS[[]string](t, b, `[...document.querySelectorAll('.audit-entry .audit-entry-what strong')].slice(0, 3).map(e => e.textContent)`)
			if strings.Join(order, ", ") != "Admin rights granted, Deactivated, Invited" {
				t.Errorf("the first entries are %v, want admin rights granted, deactivated, invited (newest first)", order)
			}
			b.shot(t, "page-1280")

			// Filtered by what was done (through the URL, as a link would).
			b.open(t, "/audit?kind=user.deactivated")
			b.waitFor(t, role("heading", "Audit log"))
			b.waitFor(t, text("Deactivated", name).in(entries))
			b.waitGone(t, text("Admin rights granted").in(entries))
			b.shot(t, "filtered-1280")

			// The person's entries, exported with the page's filter.
			b.open(t, "/audit?targetId="+person.ID)
			b.waitFor(t, text("Invited", name).in(entries))
			b.click(t, role("button", "Export to Excel"))
			link := roleNamed("link", "Download proportal-audit-")
			b.waitFor(t, link)
			b.shot(t, "export-1280")
			f := fetchWorkbook(t, b, link)
			rows, err := f.GetRows("Audit log")
			if err != nil || len(rows) != 4 {
				t.Fatalf("the Audit log sheet has %d rows (%v), want a header and 3 entries: %v", len(rows), err, rows)
			}
			if got := strings.Join(rows[0], ","); got != "When,Actor,Actor email,What,Target,Target email,Changes,Source" {
				t.Errorf("header %s", got)
			}
			for i, what := range []string{"Admin rights granted", "Deactivated", "Invited"} {
				if r := rows[i+1]; len(r) < 6 || r[1] != "Dana Admin" || r[3] != what || r[4] != name || r[5] != email {
					t.Errorf("row %d: %v, want Dana Admin, %s, %s", i+1, r, what, name)
				}
			}
		}},
		{"1280 the person's page shows their history", func(t *testing.T) {
			b.step(t)
			b.open(t, "/users/"+person.ID)
			b.waitFor(t, role("heading", name))
			history := role("region", "History")
			b.waitFor(t, text("Admin rights granted").in(history))
			b.waitFor(t, text("Invited").in(history))
			b.waitFor(t, role("link", "Open in the audit log").in(history))
			b.shot(t, "history-1280")
		}},
		{"1280 the Subscription page charts the seats used per day", func(t *testing.T) {
			b.step(t)
			b.click(t, role("link", "Subscription").in(mainNav))
			chart := role("region", "Seats used per day")
			b.waitFor(t, roleNamed("img", "Seats used per day").in(chart))
			b.waitFor(t, text("Seats total (50)").in(chart))
			b.shot(t, "seats-1280")
		}},
		{"390 the same pages on a phone", func(t *testing.T) {
			b.step(t)
			b.resize(t, phoneWidth, phoneHeight, true)
			b.open(t, "/audit")
			b.waitFor(t, role("heading", "Audit log"))
			b.waitFor(t, text("Admin rights granted", name).in(entries))
			if w := evalJS[float64](t, b, `document.documentElement.scrollWidth`); w > float64(phoneWidth) {
				t.Errorf("the Audit log page is %v px wide at %d px: it scrolls sideways", w, phoneWidth)
			}
			b.shot(t, "page-390")
			b.open(t, "/users/"+person.ID)
			b.waitFor(t, text("Admin rights granted").in(role("region", "History")))
			b.shot(t, "history-390")
			b.open(t, "/subscription")
			b.waitFor(t, roleNamed("img", "Seats used per day").in(role("region", "Seats used per day")))
			if w := evalJS[float64](t, b, `document.documentElement.scrollWidth`); w > float64(phoneWidth) {
				t.Errorf("the Subscription page is %v px wide at %d px: it scrolls sideways", w, phoneWidth)
			}
			b.shot(t, "seats-390")
		}},
	}
	for _, s := range steps {
		if !t.Run(s.name, s.run) {
			t.Fatalf("step %q failed; the steps after it need it", s.name)
		}
	}
}
