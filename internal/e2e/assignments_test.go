package e2e

import (
	"context"
	"strings"
	"testing"
)

// TestAssignAModule assigns a learning module to a team with a due date in a
// real browser, at 1280 px and again at 390 px, and sees it on the
// Assignments page, on its own page (every member's progress) and in the
// dashboard's assignment-progress card.
func TestAssignAModule(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: drives Chromium through the portal; make test runs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	browserPath := chromium(t)
	p := startPortal(t, true)
	b := startBrowser(t, ctx, browserPath, p.URL, "assignments-")
	progressCard := role("region", "Assignment progress")
	rows := func() int { return evalJS[int](t, b, `document.querySelectorAll('.assignment-row').length`) }

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"1 the dashboard card links to the Assignments page at 1280 px", func(t *testing.T) {
			b.step(t, signedOutMe)
			b.resize(t, 1280, 900, false)
			b.signIn(t, "admin@demo.test", demoPassword)
			b.waitFor(t, role("heading", "Dashboard"))
			b.waitFor(t, progressCard.with("4 open assignments to"))
			b.click(t, role("link", "View assignments").in(progressCard))
			b.waitFor(t, role("heading", "Assignments"))
			b.waitFor(t, role("link", "Network fundamentals"))
			if n := rows(); n != 4 {
				t.Errorf("the Assignments page lists %d assignments, want the demo's 4", n)
			}
			b.shot(t, "assignments-1280")
		}},
		{"2 admin assigns a module to Sales at 1280 px", func(t *testing.T) {
			b.step(t)
			b.assignModule(t, "1280", "AWS cloud onboarding", "Sales")
			b.click(t, role("link", "All assignments"))
			b.waitFor(t, role("heading", "Assignments"))
			b.waitFor(t, role("link", "AWS cloud onboarding"))
			if n := rows(); n != 5 {
				t.Errorf("the Assignments page lists %d assignments after assigning, want 5", n)
			}
			b.shot(t, "assignments-after-1280")
			b.click(t, role("link", "Dashboard").in(mainNav))
			b.waitFor(t, progressCard.with("5 open assignments to"))
			b.shot(t, "dashboard-1280")
		}},
		{"3 admin assigns a module to Support on a phone", func(t *testing.T) {
			b.step(t)
			b.resize(t, phoneWidth, phoneHeight, true)
			b.open(t, "/assignments")
			b.waitFor(t, role("heading", "Assignments"))
			b.waitFor(t, role("link", "Network fundamentals"))
			b.shot(t, "assignments-390")
			b.assignModule(t, "390", "Network fundamentals", "Support")
			b.open(t, "/")
			b.waitFor(t, progressCard.with("6 open assignments to"))
			b.shot(t, "dashboard-390")
		}},
	}
	for _, s := range steps {
		if !t.Run(s.name, s.run) {
			t.Fatalf("step %q failed; the steps after it need it", s.name)
		}
	}
	t.Logf("screenshots in %s: %s", b.shots.dir, strings.Join(b.shots.names, ", "))
}

// assignModule picks a module by its name and a team in the New assignment
// dialog of the Assignments page, keeps the due date the form proposes (two
// weeks ahead), assigns, and lands on the assignment's page.
func (b *browser) assignModule(t *testing.T, width, module, team string) {
	t.Helper()
	newDialog := role("dialog", "New assignment")
	b.click(t, role("button", "New assignment"))
	b.waitFor(t, newDialog)
	// The module's option, once the modules have loaded.
	id := evalJS[string](t, b, `new Promise((resolve) => { const find = () => {
		const o = [...document.querySelectorAll('option')].find((o) => o.textContent === `+jsString(module)+`);
		o ? resolve(o.value) : setTimeout(find, 50); }; find(); })`)
	b.choose(t, field("Module"), id)
	b.click(t, role("checkbox", team).in(newDialog))
	b.waitFor(t, text("1 team and 0 people chosen"))
	b.shot(t, "new-assignment-"+width)
	b.click(t, role("button", "Assign").in(newDialog))
	b.waitFor(t, role("heading", module))
	b.waitFor(t, anyRole("table").with(team))
	b.waitFor(t, text("Not started"))
	b.shot(t, "assignment-"+width)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
