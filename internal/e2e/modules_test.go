package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBuildAModule builds a learning module from the demo catalog in a real
// browser, at 1280 px and again at 390 px: search the catalog, filter by
// type, add items, put them in order with the keyboard, save; then
// duplicate and delete from the list, which asks first.
func TestBuildAModule(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: drives Chromium through the portal; make test runs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	browserPath := chromium(t)
	p := startPortal(t, true)
	b := startBrowser(t, ctx, browserPath, p.URL, "modules-")
	moduleList := role("list", "Learning modules")
	created := func(name string) q { return anyRole("listitem").has(role("link", name)).in(moduleList) }

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"1 admin opens the modules at 1280 px", func(t *testing.T) {
			b.step(t, signedOutMe)
			b.resize(t, 1280, 900, false)
			b.signIn(t, "admin@demo.test", demoPassword)
			b.waitFor(t, role("heading", "Dashboard"))
			b.click(t, role("link", "Modules").in(mainNav))
			b.waitFor(t, role("heading", "Learning modules"))
			b.waitFor(t, created("New hire security basics"))
			b.waitFor(t, created("Network fundamentals"))
			b.shot(t, "modules-1280")
		}},
		{"2 admin builds a module from the catalog at 1280 px", func(t *testing.T) {
			b.step(t)
			b.buildModule(t, 1280, "Helpdesk networking")
		}},
		{"3 admin edits, duplicates and deletes it", func(t *testing.T) {
			b.step(t)
			b.click(t, role("link", "Edit Helpdesk networking"))
			b.waitFor(t, role("heading", "Edit “Helpdesk networking”"))
			b.click(t, role("button", "Remove CCNA 200-301 Practice Exam"))
			b.fill(t, field("Name"), "Helpdesk networking basics")
			b.click(t, role("button", "Save changes"))
			b.waitFor(t, text("All changes saved."))
			b.shot(t, "builder-saved-1280")
			b.click(t, role("link", "← Learning modules"))
			b.waitFor(t, created("Helpdesk networking basics").with("2 items"))
			b.click(t, role("button", "Duplicate Helpdesk networking basics"))
			b.waitFor(t, status.with("Copied “Helpdesk networking basics” as “Copy of Helpdesk networking basics”."))
			b.waitFor(t, created("Copy of Helpdesk networking basics"))
			b.click(t, role("button", "Delete Copy of Helpdesk networking basics"))
			b.waitFor(t, confirmDialog.with("It is not assigned to anyone."))
			b.shot(t, "confirm-delete-1280")
			b.click(t, role("button", "Delete module").in(confirmDialog))
			b.waitFor(t, status.with("Deleted “Copy of Helpdesk networking basics”."))
			b.waitGone(t, created("Copy of Helpdesk networking basics"))
		}},
		{"4 admin builds a module on a phone", func(t *testing.T) {
			b.step(t)
			b.resize(t, phoneWidth, phoneHeight, true)
			b.open(t, "/modules")
			b.waitFor(t, role("heading", "Learning modules"))
			b.waitFor(t, created("Helpdesk networking basics"))
			b.shot(t, "modules-390")
			b.buildModule(t, phoneWidth, "Phone-built networking")
		}},
	}
	for _, s := range steps {
		if !t.Run(s.name, s.run) {
			t.Fatalf("step %q failed; the steps after it need it", s.name)
		}
	}
	t.Logf("screenshots in %s: %s", b.shots.dir, strings.Join(b.shots.names, ", "))
}

// buildModule builds a module of three catalog items on the Modules page: the
// VLAN lab, the CCNA course and its practice exam, found by title words and
// type; it moves the course first with the keyboard, creates the module and
// sees it listed.
func (b *browser) buildModule(t *testing.T, width int64, name string) {
	t.Helper()
	moduleList := role("list", "Learning modules")
	created := func(name string) q { return anyRole("listitem").has(role("link", name)).in(moduleList) }
	b.click(t, role("link", "New module"))
	b.waitFor(t, role("heading", "New module"))
	b.fill(t, field("Name"), name)
	b.fill(t, field("Description (optional)"), "Addressing and VLANs for the service desk, then a practice exam.")
	b.waitFor(t, text("matches"))

	// Search by the start of title words: the VLAN lab.
	b.fill(t, field("Search titles"), "vlan conf")
	b.click(t, role("button", "Add Configure VLANs and Trunks"))
	b.waitFor(t, role("button", "Configure VLANs and Trunks is in the module"))

	// Filter by type: the CCNA course among the courses.
	b.choose(t, field("Type"), "course")
	b.fill(t, field("Search titles"), "ccna fundamentals")
	b.click(t, role("button", "Add CCNA 200-301: Network Fundamentals"))
	b.choose(t, field("Type"), "exam")
	b.fill(t, field("Search titles"), "ccna")
	b.click(t, role("button", "Add CCNA 200-301 Practice Exam"))
	b.shot(t, "builder-"+itoa(width))

	// The course goes first, with the keyboard: focus stays on it.
	b.press(t, role("button", "Move CCNA 200-301: Network Fundamentals up"), kb.Enter)
	b.waitFor(t, status.with("CCNA 200-301: Network Fundamentals moved to position 1 of 3."))
	order := evalJS[[]string](t, b, `[...document.querySelectorAll('.builder-item-title')].map((e) => e.textContent)`)
	want := []string{"CCNA 200-301: Network Fundamentals", "Configure VLANs and Trunks", "CCNA 200-301 Practice Exam"}
	if strings.Join(order, "|") != strings.Join(want, "|") {
		t.Errorf("items in order %q, want %q", order, want)
	}
	if f := evalJS[string](t, b, `document.activeElement.getAttribute('aria-label')`); f != "Move CCNA 200-301: Network Fundamentals down" {
		t.Errorf("after moving the course to the top, focus is on %q; want its Move down button", f)
	}
	b.shot(t, "builder-ordered-"+itoa(width))
	b.click(t, role("button", "Create module"))
	b.waitFor(t, role("heading", "Learning modules"))
	b.waitFor(t, status.with("Created “"+name+"”: 3 items"))
	b.waitFor(t, created(name).with("3 items", "Not assigned"))
	b.shot(t, "modules-created-"+itoa(width))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// press focuses what x finds and presses a key, as a keyboard user does.
func (b *browser) press(t *testing.T, x q, key string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Focus(x.sel(), chromedp.NodeVisible, chromedp.RetryInterval(pollInterval))); err != nil {
		b.fail(t, "focus %s: %v", x, err)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
		b.fail(t, "press a key on %s: %v", x, err)
	}
}

// choose picks the option whose value is value in the select x finds, with
// the arrow keys, as a keyboard user does.
func (b *browser) choose(t *testing.T, x q, value string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Focus(x.sel(), chromedp.NodeVisible, chromedp.RetryInterval(pollInterval))); err != nil {
		b.fail(t, "focus %s: %v", x, err)
	}
	// Home, then down one option at a time: at most 30 options.
	keys := []string{kb.Home}
	for range 30 {
		keys = append(keys, kb.ArrowDown)
	}
	for _, key := range keys {
		got, err := chromedp.Run(ctx, chromedp.Value(x.sel()))
		if err != nil {
			b.fail(t, "read %s: %v", x, err)
		}
		if got == value {
			return
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
			b.fail(t, "press a key on %s: %v", x, err)
		}
	}
	b.fail(t, "%s has no option %q", x, value)
}
