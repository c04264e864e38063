package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestTeams creates a team in three steps (a name, people picked by search, a
// review), adds a member and removes one, builds a module from the catalog and
// assigns it to the new team with a due date, then sees the assignment on the
// team's page, the Assignments page and the dashboard's card: issue 9's whole
// flow, in a desktop window (1280 px) and in a phone's (390 px), with
// screenshots of every step. No page may scroll sideways (shot
// checks it).
func TestTeams(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: drives Chromium through the portal; make test runs it")
	}
	sizes := []struct {
		name          string
		width, height int64
		mobile        bool
	}{
		{"desktop-1280", 1280, 900, false},
		{"phone-390", phoneWidth, phoneHeight, true},
	}
	for _, size := range sizes {
		t.Run(size.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			browserPath := chromium(t)
			p := startPortal(t, true)
			b := startBrowser(t, ctx, browserPath, p.URL, "teams-"+size.name+"-")
			teamName := fmt.Sprintf("Platform %d", size.width)
			moduleName := fmt.Sprintf("Platform onboarding %d", size.width)
			members := role("list", "Members of "+teamName)
			member := func(name string) q { return anyRole("listitem").has(role("link", name)).in(members) }

			steps := []struct {
				name string
				run  func(t *testing.T)
			}{
				{"1 the teams page lists the demo's teams with their counts", func(t *testing.T) {
					b.step(t, signedOutMe)
					b.resize(t, size.width, size.height, size.mobile)
					b.signIn(t, "admin@demo.test", demoPassword)
					b.waitFor(t, role("heading", "Dashboard"))
					b.open(t, "/teams")
					b.waitFor(t, role("heading", "Teams"))
					b.waitFor(t, anyRole("listitem").has(role("link", "Engineering")).with("active members").in(role("list", "Teams")))
					b.shot(t, "list")
				}},
				{"2 step one: a name, checked before going on", func(t *testing.T) {
					b.step(t)
					b.click(t, role("link", "New team"))
					b.waitFor(t, role("heading", "Name the team"))
					b.click(t, role("button", "Next: add people"))
					b.waitFor(t, text("Give the team a name."))
					b.fill(t, field("Team name"), strings.Repeat("x", 81))
					b.click(t, role("button", "Next: add people"))
					b.waitFor(t, text("at most 80 characters"))
					b.fill(t, field("Team name"), teamName)
					b.shot(t, "new-name")
					b.click(t, role("button", "Next: add people"))
				}},
				{"3 step two: people picked by search", func(t *testing.T) {
					b.step(t)
					b.waitFor(t, role("heading", "Add people"))
					b.waitFor(t, roleNamed("checkbox", "Ada Lovelace"))
					b.fill(t, field("Search people"), "lov")
					b.waitGone(t, roleNamed("checkbox", "Alan Turing"))
					b.click(t, roleNamed("checkbox", "Ada Lovelace"))
					b.fill(t, field("Search people"), "turing")
					b.waitGone(t, roleNamed("checkbox", "Ada Lovelace"))
					b.click(t, roleNamed("checkbox", "Alan Turing"))
					b.waitFor(t, text("2 people picked."))
					b.shot(t, "new-people")
					b.click(t, role("button", "Next: review"))
				}},
				{"4 step three: review and create", func(t *testing.T) {
					b.step(t)
					b.waitFor(t, role("heading", "Review and create"))
					b.waitFor(t, anyRole("listitem").with("Ada Lovelace").in(role("list", "People to add")))
					b.waitFor(t, anyRole("listitem").with("Alan Turing").in(role("list", "People to add")))
					b.shot(t, "new-review")
					b.click(t, role("button", "Create team"))
					b.waitFor(t, role("heading", teamName))
					b.waitFor(t, member("Ada Lovelace"))
					b.waitFor(t, member("Alan Turing"))
					b.waitFor(t, text("2 / 2 active members"))
					b.shot(t, "team")
				}},
				{"5 add a member with the picker", func(t *testing.T) {
					b.step(t)
					b.click(t, role("button", "Add people"))
					dialog := role("dialog", "Add people to "+teamName)
					b.waitFor(t, dialog)
					b.waitFor(t, roleNamed("checkbox", "Ada Lovelace").in(dialog).attr("disabled", ""))
					b.fill(t, field("Search people").in(dialog), "hopper")
					b.click(t, roleNamed("checkbox", "Grace Hopper").in(dialog))
					b.shot(t, "add-people")
					b.click(t, role("button", "Add 1 person").in(dialog))
					b.waitGone(t, dialog)
					b.waitFor(t, member("Grace Hopper"))
					b.waitFor(t, text("3 / 3 active members"))
					b.shot(t, "member-added")
				}},
				{"6 remove a member", func(t *testing.T) {
					b.step(t)
					b.click(t, role("button", "Remove Ada Lovelace from "+teamName))
					b.waitFor(t, confirmDialog)
					b.shot(t, "remove-confirm")
					b.click(t, role("button", "Remove").in(confirmDialog))
					b.waitGone(t, member("Ada Lovelace"))
					b.waitFor(t, text("Ada Lovelace is no longer in "+teamName+"."))
					b.waitFor(t, text("2 / 2 active members"))
					b.shot(t, "member-removed")
				}},
				{"7 build a module from the catalog and assign it to the new team", func(t *testing.T) {
					b.step(t)
					// Each page's list first: a click while it loads may land
					// on what the list pushes down.
					b.open(t, "/modules")
					b.waitFor(t, role("heading", "Learning modules"))
					b.waitFor(t, anyRole("listitem").has(role("link", "Network fundamentals")).in(role("list", "Learning modules")))
					b.buildModule(t, size.width, moduleName)
					b.open(t, "/assignments")
					b.waitFor(t, role("heading", "Assignments"))
					b.waitFor(t, role("link", "Network fundamentals"))
					b.assignModule(t, size.name, moduleName, teamName)
					// Both members who are left were assigned through the team.
					b.waitFor(t, anyRole("table").with("Alan Turing", "Grace Hopper"))
				}},
				{"8 the assignment shows on the team, the Assignments page and the dashboard", func(t *testing.T) {
					b.step(t)
					b.open(t, "/teams")
					b.waitFor(t, anyRole("listitem").has(role("link", teamName)).in(role("list", "Teams")))
					b.click(t, role("link", teamName))
					b.waitFor(t, role("heading", teamName))
					b.waitFor(t, role("region", "Assignments").has(role("link", moduleName)))
					b.shot(t, "team-assignments")
					b.open(t, "/assignments")
					b.waitFor(t, role("link", moduleName))
					b.shot(t, "assignments")
					b.open(t, "/")
					b.waitFor(t, role("region", "Assignment progress").with("5 open assignments to"))
					b.shot(t, "dashboard")
				}},
			}
			for _, s := range steps {
				if !t.Run(s.name, s.run) {
					break
				}
			}
		})
	}
}
