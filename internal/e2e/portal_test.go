package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"proportal/internal/app"
)

// testTimeout bounds a whole browser test; it normally takes well under a
// minute.
const testTimeout = 3 * time.Minute

// The HTTP error answers the portal's design expects. Each step lists the ones
// it may see; any other answer of 400 or more fails the step, and so does any
// console error, uncaught exception, browser log error or failed request,
// except one that is no failure (recorder.listen): a GET /api/… the app
// aborts because its page went away (web/src/hooks/useLoad.ts).
var (
	// The app asks GET /api/me once when it starts; 401 there means nobody is
	// signed in, and the sign-in page shows (docs/api.md, web/src/session.tsx).
	signedOutMe = allowance{"GET", "/api/me", 401, "the app starts signed out"}
	// A wrong password is answered 401 invalid_credentials, shown as an alert.
	wrongPassword = allowance{"POST", "/api/auth/login", 401, "the wrong-password step"}
)

// The learner this test invites.
const (
	learnerFirst    = "Grace"
	learnerLast     = "Tester"
	learnerName     = learnerFirst + " " + learnerLast
	learnerEmail    = "grace.tester@example.com"
	learnerPassword = "a long and unusual passphrase 42"
)

// The subjects of the mail the test follows (internal/domain/mail.go).
const (
	inviteSubject = "Dana Admin invited you to Demo Company on ProPortal"
	resetSubject  = "Reset your ProPortal password"
)

// Texts and names of the portal (the UI contract).
var (
	signInHeading = role("heading", "Sign in to ProPortal")
	signOut       = role("button", "Sign out")
	mainNav       = role("navigation", "Main")
	usersTable    = role("table", "Users")
	learnerRow    = anyRole("row").has(textIs(learnerName)).in(usersTable)
	learnerMenu   = role("button", "Actions for "+learnerName)
	menu          = anyRole("menu")
	confirmDialog = anyRole("alertdialog")
	status        = anyRole("status")
)

// TestPortal walks through what a seat admin does in the portal, in a real
// browser: sign in, invite a learner, who sets a password from the mail and
// finds the portal is for admins; deactivate and activate her, send her a
// password reset, a wrong password, the subscription and activity pages.
func TestPortal(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: drives Chromium through the portal; make test runs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	browserPath := chromium(t)
	p := startPortal(t, true)
	b := startBrowser(t, ctx, browserPath, p.URL, "")

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"1 admin signs in and sees the dashboard", func(t *testing.T) {
			b.step(t, signedOutMe)
			b.open(t, "/")
			b.waitFor(t, signInHeading) // nobody is signed in: / sends to /sign-in
			if loc := b.location(t); !strings.HasSuffix(loc, "/sign-in") {
				t.Errorf("signed out, / went to %s; want /sign-in", loc)
			}
			b.waitFor(t, role("link", "Forgot password?"))
			b.waitFor(t, role("link", "Mailbox"))
			b.shot(t, "sign-in")
			b.signIn(t, "admin@demo.test", demoPassword)
			b.waitFor(t, role("heading", "Dashboard"))
			for _, name := range []string{"Dashboard", "Users", "Subscription"} {
				b.waitFor(t, role("link", name).in(mainNav))
			}
			b.waitFor(t, text("Demo Company"))
			b.waitFor(t, signOut)
			b.waitFor(t, text("Seats allocated", "31 of 50"))
			b.waitFor(t, text("Available seats", "19"))
			// The demo's 90 days of seeded activity: the usage chart draws.
			b.waitFor(t, roleNamed("img", "Viewings and active learners per week").in(role("region", "Usage over the last 12 weeks")))
			b.waitFor(t, role("region", "Assignment progress").with("4 open assignments to"))
			b.shot(t, "dashboard")
		}},
		{"2 admin invites a learner", func(t *testing.T) {
			b.step(t)
			b.click(t, role("link", "Users").in(mainNav))
			b.waitFor(t, role("heading", "Users"))
			b.waitFor(t, text("31 of 50 seats in use"))
			b.waitFor(t, usersTable)
			b.shot(t, "users")
			b.click(t, role("button", "Invite people"))
			dialog := role("dialog", "Invite a person")
			b.waitFor(t, dialog)
			b.fill(t, field("First name").in(dialog), learnerFirst)
			b.fill(t, field("Last name").in(dialog), learnerLast)
			b.fill(t, field("Email").in(dialog), learnerEmail)
			b.waitFor(t, role("combobox", "Team").in(dialog))
			b.waitFor(t, role("radiogroup", "Access").in(dialog))
			b.waitFor(t, role("radio", "Portal admin").in(dialog))
			b.waitFor(t, role("radio", "Both").in(dialog))
			b.click(t, role("radio", "Learner seat").in(dialog))
			b.shot(t, "invite-dialog")
			b.click(t, role("button", "Send invite").in(dialog))
			b.waitFor(t, status.with("Invitation sent to "+learnerEmail+"."))
			b.waitGone(t, dialog)
			b.waitFor(t, text("32 of 50 seats in use"))
			b.shot(t, "users-invited")
		}},
		{"3 the learner sets her password from the invite mail", func(t *testing.T) {
			b.step(t)
			b.open(t, "/dev/mailbox")
			b.waitFor(t, role("heading", "Mailbox"))
			b.waitFor(t, role("button", "Refresh"))
			b.waitFor(t, mailItem(inviteSubject, learnerEmail))
			b.shot(t, "mailbox")
			b.openMail(t, inviteSubject, learnerEmail)
			b.waitFor(t, roleNamed("link", app.DefaultLearningURL)) // learners learn there
			b.shot(t, "mailbox-invite")
			b.click(t, roleNamed("link", "/set-password#token="))
			b.waitFor(t, role("heading", "Create your password"))
			if loc := b.location(t); strings.Contains(loc, "token=") {
				t.Errorf("the set-password page keeps the token in the address bar: %s", loc)
			}
			b.shot(t, "set-password")
			b.fill(t, field("New password"), learnerPassword)
			b.fill(t, field("Confirm password"), learnerPassword)
			b.click(t, role("button", "Set password"))
			b.waitFor(t, status.with("Your password is set."))
			// She is a learner: the page sends her to the learning platform.
			b.waitFor(t, role("link", "Start learning").attr("href", app.DefaultLearningURL))
			b.shot(t, "password-set")
		}},
		{"4 the learner signs in and finds the portal is for admins", func(t *testing.T) {
			b.step(t, signedOutMe)
			// The admin is still signed in in this browser.
			b.open(t, "/sign-in")
			if b.waitAny(t, signInHeading, signOut) == 1 {
				b.click(t, signOut)
				b.waitFor(t, signInHeading)
			}
			b.signIn(t, learnerEmail, learnerPassword)
			b.waitFor(t, role("heading", "This portal is for admins"))
			b.waitFor(t, signOut)
			b.shot(t, "admins-only")
			b.click(t, signOut)
			b.waitFor(t, signInHeading)
		}},
		{"5 admin deactivates and activates the learner", func(t *testing.T) {
			b.step(t, signedOutMe)
			b.signIn(t, "admin@demo.test", demoPassword)
			b.waitFor(t, role("heading", "Dashboard"))
			b.waitFor(t, text("Seats allocated", "32 of 50"))
			b.click(t, role("link", "Users").in(mainNav))
			b.waitFor(t, role("heading", "Users"))
			for _, name := range []string{"Active", "Invited", "Inactive", "Admins", "All"} {
				b.waitFor(t, role("radio", name).in(role("radiogroup", "Status")))
			}
			b.waitFor(t, role("combobox", "Team"))
			b.click(t, role("radio", "All"))
			b.waitFor(t, role("radio", "All").attr("aria-checked", "true"))
			b.searchUsers(t, "grace")
			b.shot(t, "users-search")

			b.openMenu(t, learnerMenu)
			for _, item := range []string{"Deactivate subscription", "Give admin rights", "Reset password", "Activity"} {
				b.waitFor(t, role("menuitem", item).in(menu))
			}
			b.shot(t, "actions-menu")
			b.click(t, role("menuitem", "Deactivate subscription").in(menu))
			b.waitFor(t, confirmDialog)
			b.waitFor(t, role("button", "Cancel").in(confirmDialog))
			b.shot(t, "confirm-deactivate")
			b.click(t, role("button", "Deactivate").in(confirmDialog))
			b.waitFor(t, status.with(learnerName, "subscription was deactivated."))
			b.waitGone(t, confirmDialog)
			b.waitFor(t, text("31 of 50 seats in use"))
			b.waitFor(t, learnerRow.has(textIs("Inactive")))
			b.shot(t, "deactivated")

			b.openMenu(t, learnerMenu)
			b.click(t, role("menuitem", "Activate subscription").in(menu))
			b.waitFor(t, status.with(learnerName, "subscription was activated."))
			b.waitFor(t, text("32 of 50 seats in use"))
			b.waitFor(t, learnerRow.has(textIs("Active")))
			b.shot(t, "activated")
		}},
		{"6 admin sends the learner a password reset", func(t *testing.T) {
			b.step(t)
			b.openMenu(t, learnerMenu)
			b.click(t, role("menuitem", "Reset password").in(menu))
			b.waitFor(t, status.with("A password-reset link was sent to "+learnerName+" ("+learnerEmail+")."))
			b.shot(t, "reset-sent")
			b.open(t, "/dev/mailbox")
			b.waitFor(t, role("heading", "Mailbox"))
			b.openMail(t, resetSubject, learnerEmail)
			b.waitFor(t, roleNamed("link", "/set-password#token="))
			b.shot(t, "mailbox-reset")
			b.click(t, roleNamed("link", "&purpose=reset"))
			b.waitFor(t, role("heading", "Choose a new password"))
			if loc := b.location(t); strings.Contains(loc, "token=") {
				t.Errorf("the reset page keeps the token in the address bar: %s", loc)
			}
			b.shot(t, "reset-password")
		}},
		{"7 a wrong password shows an error", func(t *testing.T) {
			b.step(t, signedOutMe, wrongPassword)
			b.open(t, "/")
			// Let the dashboard load before signing out: its requests still in
			// flight when the session ends would answer 401.
			b.waitFor(t, role("heading", "Dashboard"))
			b.waitFor(t, text("Seats allocated"))
			b.click(t, signOut)
			b.waitFor(t, signInHeading)
			b.signIn(t, "admin@demo.test", "not the password at all")
			b.waitFor(t, anyRole("alert").with("The email or password is incorrect."))
			b.waitFor(t, signInHeading) // still here
			b.shot(t, "wrong-password")
		}},
		{"8 admin opens the subscription and a user activity page", func(t *testing.T) {
			b.step(t, signedOutMe)
			b.signIn(t, "admin@demo.test", demoPassword)
			b.waitFor(t, role("heading", "Dashboard"))
			b.waitFor(t, text("Seats allocated", "32 of 50"))
			b.click(t, role("link", "Subscription").in(mainNav))
			b.waitFor(t, role("heading", "Subscription"))
			b.waitFor(t, text("Total seats", "50"))
			b.waitFor(t, text("In use", "32"))
			b.shot(t, "subscription")
			b.click(t, role("link", "Users").in(mainNav))
			b.waitFor(t, role("heading", "Users"))
			b.searchUsers(t, "grace")
			b.openMenu(t, learnerMenu)
			b.click(t, role("menuitem", "Activity").in(menu))
			b.waitFor(t, role("heading", learnerName))
			b.waitFor(t, role("heading", "Sign-ins"))
			b.waitFor(t, role("heading", "Teams"))
			b.waitFor(t, role("link", "All users"))
			b.waitFor(t, text(learnerEmail))
			b.shot(t, "user-activity")
		}},
	}
	for _, s := range steps {
		if !t.Run(s.name, s.run) {
			t.Fatalf("step %q failed; the steps after it need it", s.name)
		}
	}
	t.Logf("screenshots in %s: %s", b.shots.dir, strings.Join(b.shots.names, ", "))
}

// TestSetPasswordWithABogusLink opens a set-password link whose token was
// never issued: the page says the link does not work and offers a new one,
// which the forgot-password page sends.
func TestSetPasswordWithABogusLink(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: drives Chromium; make test runs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	browserPath := chromium(t)
	p := startPortal(t, false)
	b := startBrowser(t, ctx, browserPath, p.URL, "bogus-link-")

	b.step(t,
		signedOutMe,
		// The page finds out that the link is bad by trying it: the API says
		// 400 invalid_token, and the page shows the alert.
		allowance{"POST", "/api/auth/set-password", 400, "a link that was never issued"},
	)
	b.open(t, "/set-password#token="+strings.Repeat("A", 43))
	b.waitFor(t, role("heading", "Create your password"))
	b.shot(t, "set-password")
	b.fill(t, field("New password"), learnerPassword)
	b.fill(t, field("Confirm password"), learnerPassword)
	b.click(t, role("button", "Set password"))
	b.waitFor(t, anyRole("alert").with("This link no longer works"))
	b.waitFor(t, role("button", "Send a new link"))
	b.shot(t, "link-does-not-work")

	// The new link comes from the forgot-password page; it answers the same
	// whether or not the address has an account.
	b.click(t, role("button", "Send a new link"))
	b.waitFor(t, role("heading", "Reset your password"))
	b.fill(t, field("Email"), "nobody@example.com")
	b.click(t, role("button", "Send reset link"))
	b.waitFor(t, status.with("If an account exists for that email"))
	b.shot(t, "forgot-password-sent")
}

// signIn fills in and sends the sign-in form, which the tab shows.
func (b *browser) signIn(t *testing.T, email, password string) {
	t.Helper()
	if !strings.HasSuffix(b.location(t), "/sign-in") {
		b.open(t, "/sign-in")
	}
	b.waitFor(t, signInHeading)
	b.fill(t, field("Email"), email)
	b.fill(t, field("Password"), password)
	b.click(t, role("button", "Sign in"))
}

// openMenu opens an actions menu of the users table once the table is not
// loading (a refresh re-renders the rows, which closes an open menu).
func (b *browser) openMenu(t *testing.T, button q) {
	t.Helper()
	b.waitFor(t, usersTable.attr("aria-busy", "false"))
	b.click(t, button)
	b.waitFor(t, menu)
}

// searchUsers types a search into the users page and waits until the table
// shows its results: the learner, and no longer Ada Lovelace (whom the search
// leaves out); a menu opened before would close when the rows change.
func (b *browser) searchUsers(t *testing.T, search string) {
	t.Helper()
	b.fill(t, field("Search users"), search)
	b.waitGone(t, anyRole("row").has(textIs("Ada Lovelace")).in(usersTable))
	b.waitFor(t, learnerRow)
	b.waitFor(t, usersTable.attr("aria-busy", "false"))
}

// mailItem is the mail with the subject to the address in the mailbox page's
// list.
func mailItem(subject, to string) q { return anyRole("button").with(subject, to) }

// openMail selects the mail with the subject to the address in the mailbox
// page's list, and waits for it to show.
func (b *browser) openMail(t *testing.T, subject, to string) {
	t.Helper()
	b.click(t, mailItem(subject, to))
	b.waitFor(t, anyRole("article").has(role("heading", subject)).with(to))
}
