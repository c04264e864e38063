package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"proportal/internal/testenv"
)

const (
	// waitTimeout is how long the page gets to show what a step waits for:
	// generous, for a busy machine running every package's tests at once.
	waitTimeout = 15 * time.Second
	// pollInterval is how often a wait looks again.
	pollInterval = 25 * time.Millisecond
)

// browser is one headless Chromium tab on the portal, shared by the steps of
// a test. Its methods take the step's *testing.T: a step that cannot go on
// fails there, with a screenshot of what the page showed.
type browser struct {
	ctx   context.Context
	base  string
	rec   *recorder
	shots *screenshots
	// output is what Chromium printed, shown when the test fails.
	output *testenv.Buffer
	// reported are the accessibility problems reported so far.
	reported map[string]bool
	// width is the window's width in CSS pixels (a phone's layout viewport
	// grows with content that is too wide, so shot checks against this).
	width int
}

// chromium is the browser to run, $CHROMIUM or Debian's chromium; the test
// fails at once when it is not there.
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(path); err != nil {
		t.Fatalf("no Chromium at %s (%v): install Debian's chromium (apt-get install -y chromium), or set CHROMIUM to a Chromium or Chrome binary", path, err)
	}
	return path
}

// startBrowser starts headless Chromium (path) on a new, empty profile and
// opens a tab on the portal at base; parent bounds its life. Screenshots are
// named prefix + their number.
func startBrowser(t *testing.T, parent context.Context, path, base, prefix string) *browser {
	t.Helper()
	profile := t.TempDir() // removed after the browser has ended (cleanups run last-in, first-out)
	output := &testenv.Buffer{}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // root in containers; the pages are our own
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// /dev/shm is 64 MB in a default container; Chromium crashes when it fills.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(output),
	)
	rec := newRecorder()
	// WithListener sees every event of the tab from its very first one, in
	// the order Chromium sent them.
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(rec.listen))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		if t.Failed() {
			t.Logf("what the browser saw:\n%s", rec.all())
			if out := chromiumOutput(output.String()); out != "" {
				t.Logf("Chromium's output:\n%s", out)
			}
		}
	})
	// The first action starts the browser and binds it to ctx.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium (%s): %v\n%s", path, err, output)
	}
	return &browser{ctx: ctx, base: base, rec: rec, shots: newScreenshots(t, prefix), output: output, reported: map[string]bool{}, width: 1280}
}

// chromiumOutput is what Chromium printed, without the noise of a machine
// without D-Bus and of Debian's start script.
func chromiumOutput(s string) string {
	var keep []string
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "dbus") || strings.Contains(line, "unexpected operator") || strings.Contains(line, "devtools_pipe_handler") || strings.TrimSpace(line) == "" {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

// step starts a step of a test: problems the page reports from now on fail
// t, unless one of allowed expects them (see allowance).
func (b *browser) step(t *testing.T, allowed ...allowance) {
	t.Helper()
	b.rec.startStep(allowed)
	t.Cleanup(func() {
		// A round trip: every event sent before its answer has been seen.
		b.ping()
		if bad := b.rec.unexpected(); len(bad) > 0 {
			t.Errorf("the page reported %d unexpected problem(s) in this step:\n  %s", len(bad), strings.Join(bad, "\n  "))
		}
	})
}

func (b *browser) ping() {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	_, _ = chromedp.Run(ctx, chromedp.Evaluate[int]("1"))
}

// open loads a page of the portal, as typing its address does.
func (b *browser) open(t *testing.T, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(b.base+path)); err != nil {
		b.fail(t, "open %s: %v", path, err)
	}
}

// waitFor waits until the page shows what x finds.
func (b *browser) waitFor(t *testing.T, x q) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Query(x.sel(), chromedp.RetryInterval(pollInterval))); err != nil {
		b.fail(t, "waiting for %s: %v", x, err)
	}
}

// waitGone waits until the page no longer shows what x finds.
func (b *browser) waitGone(t *testing.T, x q) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Query(x.sel(), chromedp.NodeNotPresent, chromedp.RetryInterval(pollInterval))); err != nil {
		b.fail(t, "waiting for %s to go away: %v", x, err)
	}
}

// waitAny waits until the page shows one of xs and says which (its index).
func (b *browser) waitAny(t *testing.T, xs ...q) int {
	t.Helper()
	specs, _ := json.Marshal(xs)
	expr := "(() => { const find = " + findJS + "; return " + string(specs) + ".findIndex((s) => find(s).length > 0); })()"
	deadline := time.Now().Add(waitTimeout)
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
		i, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
		cancel()
		if err == nil && i >= 0 {
			return i
		}
		if time.Now().After(deadline) {
			names := make([]string, len(xs))
			for i, x := range xs {
				names[i] = x.String()
			}
			b.fail(t, "waiting for one of %s: not there after %s (last error: %v)", strings.Join(names, ", "), waitTimeout, err)
		}
		select {
		case <-tick.C:
		case <-b.ctx.Done():
			b.fail(t, "waiting for one of %d things: %v", len(xs), b.ctx.Err())
		}
	}
}

// click clicks what x finds, with the mouse, once it is there.
func (b *browser) click(t *testing.T, x q) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(x.sel(), chromedp.NodeVisible, chromedp.RetryInterval(pollInterval))); err != nil {
		b.fail(t, "click %s: %v", x, err)
	}
}

// fill types value into the field x finds, key by key, in place of what it
// holds (select all, delete, as a person does).
func (b *browser) fill(t *testing.T, x q, value string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Focus(x.sel(), chromedp.NodeVisible, chromedp.RetryInterval(pollInterval))); err != nil {
		b.fail(t, "focus %s: %v", x, err)
	}
	old, err := chromedp.Run(ctx, chromedp.Value(x.sel()))
	if err != nil {
		b.fail(t, "read %s: %v", x, err)
	}
	if old != "" {
		err := chromedp.Do(ctx,
			chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
			chromedp.KeyEvent(kb.Backspace),
		)
		if err != nil {
			b.fail(t, "empty %s: %v", x, err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(x.sel(), value, chromedp.NodeVisible, chromedp.RetryInterval(pollInterval))); err != nil {
		b.fail(t, "type into %s: %v", x, err)
	}
	got, err := chromedp.Run(ctx, chromedp.Value(x.sel()))
	if err != nil {
		b.fail(t, "read %s: %v", x, err)
	}
	if got != value {
		b.fail(t, "%s holds %q after typing %q into it", x, got, value)
	}
}

// resize makes the tab's viewport width × height CSS pixels; a phone's
// (mobile) is touch-sized, as Chromium's device emulation makes it.
func (b *browser) resize(t *testing.T, width, height int64, mobile bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, opts...)); err != nil {
		b.fail(t, "resize the tab to %d×%d: %v", width, height, err)
	}
	b.width = int(width)
}

// evalJS evaluates the JavaScript expression js in the page; its answer is a T.
// A promise is awaited.
func evalJS[T any](t *testing.T, b *browser, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail(t, "evaluate %s: %v", js, err)
	}
	return v
}

// location is the address the tab shows.
func (b *browser) location(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.fail(t, "read the address: %v", err)
	}
	return loc
}

// shot writes a full-page screenshot of what the tab shows now, and checks
// the page for what assistive technology would trip over (once per problem).
func (b *browser) shot(t *testing.T, name string) {
	t.Helper()
	if err := b.shots.take(b.ctx, name); err != nil {
		b.fail(t, "screenshot %s: %v", name, err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](libJS+".audit()"))
	if err != nil {
		b.fail(t, "check the page %s: %v", name, err)
	}
	// No page scrolls sideways, at any width the tests use.
	widths, err := chromedp.Run(ctx, chromedp.Evaluate[[]int]("[document.documentElement.scrollWidth, window.innerWidth]"))
	if err != nil {
		b.fail(t, "measure the page %s: %v", name, err)
	}
	if widths[0] > widths[1] || widths[0] > b.width {
		t.Errorf("page %s scrolls sideways: %d px wide in a %d px window", name, widths[0], b.width)
	}
	for _, p := range problems {
		if !b.reported[p] {
			b.reported[p] = true
			t.Errorf("accessibility, page %s: %s", name, p)
		}
	}
}

// fail ends the step: it says where the tab was and what it showed, and keeps
// a screenshot of it.
func (b *browser) fail(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(b.ctx), 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.body ? document.body.innerText : ''"))
	if r := []rune(text); len(r) > 3000 {
		text = string(r[:3000]) + " …"
	}
	name := "FAILED-" + regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(t.Name(), "-")
	if err := b.shots.takeAs(ctx, name); err != nil {
		name = fmt.Sprintf("(no screenshot: %v)", err)
	} else {
		name = filepath.Join(b.shots.dir, name+".png")
	}
	t.Fatalf("%s\n  at %s\n  screenshot: %s\n  the page shows:\n%s", msg, loc, name, indent(text, "    | "))
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n"+prefix)
}

// screenshots writes numbered full-page PNGs to test-artifacts/screenshots/.
type screenshots struct {
	dir    string
	prefix string
	mu     sync.Mutex
	n      int
	names  []string
}

func newScreenshots(t *testing.T, prefix string) *screenshots {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "test-artifacts", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshots: %v", err)
	}
	// Only this test's files from an earlier run go: a run of one test keeps
	// the other test's pictures.
	old, _ := filepath.Glob(filepath.Join(dir, prefix+"[0-9][0-9]-*.png"))
	failed, _ := filepath.Glob(filepath.Join(dir, "FAILED-"+t.Name()+"*.png"))
	for _, f := range append(old, failed...) {
		os.Remove(f)
	}
	return &screenshots{dir: dir, prefix: prefix}
}

func (s *screenshots) take(ctx context.Context, name string) error {
	s.mu.Lock()
	s.n++
	file := fmt.Sprintf("%s%02d-%s", s.prefix, s.n, name)
	s.names = append(s.names, file+".png")
	s.mu.Unlock()
	return s.takeAs(ctx, file)
}

func (s *screenshots) takeAs(ctx context.Context, file string) error {
	ctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(s.dir, file+".png"), png, 0o644)
}

// q finds elements the way assistive technology names them: by role and
// accessible name, by visible text, inside other elements. Its String is how
// a failure names it.
type q struct {
	Role string `json:"role,omitempty"`
	// Control is true for form controls (input, select, textarea), whatever
	// their role: a password field has none.
	Control bool `json:"control,omitempty"`
	// Name is the exact accessible name (whitespace collapsed).
	Name *string `json:"name,omitempty"`
	// NameHas is a part of the accessible name.
	NameHas string `json:"nameHas,omitempty"`
	// Text are parts of the visible text (innerText), all of them.
	Text []string `json:"text,omitempty"`
	// TextIs is the whole visible text.
	TextIs *string `json:"textIs,omitempty"`
	// Attrs are attributes it has, with these values.
	Attrs map[string]string `json:"attrs,omitempty"`
	// Has are elements inside it, one for each.
	Has []q `json:"has,omitempty"`
	// Within is the element it is inside.
	Within *q `json:"within,omitempty"`
}

// role finds elements of an ARIA role (explicit or implied by the element)
// with the accessible name name.
func role(r, name string) q { return q{Role: r, Name: &name} }

// field finds the form control (input, select, textarea) labelled name, as
// a person finds a field by its label.
func field(name string) q { return q{Control: true, Name: &name} }

// anyRole finds elements of an ARIA role, whatever their name.
func anyRole(r string) q { return q{Role: r} }

// roleNamed finds elements of a role whose accessible name contains part.
func roleNamed(r, part string) q { return q{Role: r, NameHas: part} }

// text finds the innermost elements whose visible text contains every part.
func text(parts ...string) q { return q{Text: parts} }

// textIs finds the innermost elements whose visible text is s.
func textIs(s string) q { return q{TextIs: &s} }

// with keeps the elements whose visible text also contains parts.
func (x q) with(parts ...string) q {
	x.Text = append(append([]string(nil), x.Text...), parts...)
	return x
}

// attr keeps the elements whose attribute name is value.
func (x q) attr(name, value string) q {
	attrs := map[string]string{name: value}
	for k, v := range x.Attrs {
		attrs[k] = v
	}
	x.Attrs = attrs
	return x
}

// has keeps the elements that contain an element y finds.
func (x q) has(y q) q {
	x.Has = append(append([]q(nil), x.Has...), y)
	return x
}

// in finds x only inside what parent finds.
func (x q) in(parent q) q {
	x.Within = &parent
	return x
}

func (x q) json() string {
	b, err := json.Marshal(x)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// sel is the chromedp selector of the first element x finds (null while
// there is none, so that the query waits).
func (x q) sel() chromedp.JSPath {
	return chromedp.JSPath("((" + findJS + ")(" + x.json() + ")[0] ?? null)")
}

func (x q) String() string {
	var s []string
	switch {
	case x.Control:
		s = append(s, "field")
	case x.Role != "":
		s = append(s, x.Role)
	case x.TextIs != nil:
		s = append(s, fmt.Sprintf("text %q", *x.TextIs))
	default:
		s = append(s, "element")
	}
	if x.Name != nil {
		s = append(s, fmt.Sprintf("%q", *x.Name))
	}
	if x.NameHas != "" {
		s = append(s, fmt.Sprintf("named …%q…", x.NameHas))
	}
	for _, t := range x.Text {
		s = append(s, fmt.Sprintf("with text %q", t))
	}
	for k, v := range x.Attrs {
		s = append(s, fmt.Sprintf("with %s=%q", k, v))
	}
	for _, h := range x.Has {
		s = append(s, "having ["+h.String()+"]")
	}
	if x.Within != nil {
		s = append(s, "in ["+x.Within.String()+"]")
	}
	return strings.Join(s, " ")
}

// libJS is a JavaScript object whose find(spec) gives the elements a q
// describes among the elements a person can perceive: not hidden, not under
// aria-hidden or inert (the page behind a modal dialog is inert). Roles and
// names follow WAI-ARIA and the accessible name computation, simplified to
// what a portal of forms, tables and dialogs uses. Its audit() lists what
// assistive technology would trip over in the page.
const libJS = `(() => {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const hidden = (el) =>
    !el.isConnected || el.closest('[aria-hidden="true"], [inert]') !== null ||
    !el.checkVisibility({ visibilityProperty: true }) || el.getClientRects().length === 0;
  const inputRole = (el) => {
    const type = (el.getAttribute('type') || 'text').toLowerCase();
    if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
    if (type === 'checkbox' || type === 'radio') return type;
    if (type === 'range') return 'slider';
    if (type === 'number') return 'spinbutton';
    if (type === 'hidden' || type === 'password') return ''; // a password field has no role
    if (el.hasAttribute('list')) return 'combobox';
    return type === 'search' ? 'searchbox' : 'textbox';
  };
  const roleOf = (el) => {
    const explicit = norm(el.getAttribute('role')).split(' ')[0];
    if (explicit) return explicit;
    switch (el.localName) {
      case 'a': case 'area': return el.hasAttribute('href') ? 'link' : '';
      case 'button': return 'button';
      case 'input': return inputRole(el);
      case 'textarea': return 'textbox';
      case 'select': return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
      case 'option': return 'option';
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': return 'heading';
      case 'nav': return 'navigation';
      case 'main': return 'main';
      case 'aside': return 'complementary';
      case 'form': return 'form';
      case 'section': return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'region' : '';
      case 'table': return 'table';
      case 'tr': return 'row';
      case 'td': return 'cell';
      case 'th': return el.closest('thead') ? 'columnheader' : 'rowheader';
      case 'ul': case 'ol': case 'menu': return 'list';
      case 'li': return 'listitem';
      case 'dialog': return 'dialog';
      case 'output': return 'status';
      case 'fieldset': return 'group';
      case 'img': return el.getAttribute('alt') === '' ? 'presentation' : 'img';
      case 'article': return 'article';
      case 'dl': return 'list';
      case 'progress': return 'progressbar';
    }
    return '';
  };
  // The text of a subtree as a name: hidden parts and form controls left out.
  const textOf = (node) => {
    let out = '';
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) { out += c.nodeValue; continue; }
      if (c.nodeType !== Node.ELEMENT_NODE || c.getAttribute('aria-hidden') === 'true') continue;
      if (['input', 'select', 'textarea', 'script', 'style', 'template'].includes(c.localName)) continue;
      const style = getComputedStyle(c);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      if (norm(c.getAttribute('aria-label'))) { out += ' ' + c.getAttribute('aria-label') + ' '; continue; }
      if (c.localName === 'img') { out += ' ' + (c.getAttribute('alt') || '') + ' '; continue; }
      const inline = style.display === 'inline' || style.display === 'contents';
      out += inline ? textOf(c) : ' ' + textOf(c) + ' ';
    }
    return out;
  };
  const fromContent = new Set(['button', 'link', 'heading', 'menuitem', 'menuitemradio', 'menuitemcheckbox',
    'option', 'tab', 'cell', 'columnheader', 'rowheader', 'row', 'radio', 'checkbox', 'switch', 'treeitem', 'tooltip']);
  const nameOf = (el) => {
    const by = norm(el.getAttribute('aria-labelledby'));
    if (by) {
      return norm(by.split(' ').map((id) => {
        const n = document.getElementById(id);
        return n ? norm(n.getAttribute('aria-label')) || textOf(n) : '';
      }).join(' '));
    }
    const label = norm(el.getAttribute('aria-label'));
    if (label) return label;
    if (el.labels && el.labels.length) return norm([...el.labels].map(textOf).join(' '));
    if (el.localName === 'input' && ['button', 'submit', 'reset'].includes(el.type)) return norm(el.value);
    if (el.localName === 'img') return norm(el.getAttribute('alt'));
    if (el.localName === 'fieldset') {
      const legend = el.querySelector(':scope > legend');
      if (legend) return norm(textOf(legend));
    }
    if (el.localName === 'table') {
      const caption = el.querySelector(':scope > caption');
      if (caption) return norm(textOf(caption));
    }
    if (fromContent.has(roleOf(el))) return norm(textOf(el));
    return norm(el.getAttribute('title'));
  };
  const matches = (el, s) => {
    if (s.role && roleOf(el) !== s.role) return false;
    if (s.control && !['input', 'select', 'textarea'].includes(el.localName)) return false;
    if (s.name !== undefined && nameOf(el) !== s.name) return false;
    if (s.nameHas && !nameOf(el).includes(s.nameHas)) return false;
    if (s.text || s.textIs !== undefined) {
      const t = norm(el.innerText);
      if (s.text && !s.text.every((part) => t.includes(part))) return false;
      if (s.textIs !== undefined && t !== s.textIs) return false;
    }
    if (s.attrs && !Object.entries(s.attrs).every(([k, v]) => el.getAttribute(k) === v)) return false;
    if (hidden(el)) return false;
    if (s.has && !s.has.every((h) => find(h, [el]).length > 0)) return false;
    return true;
  };
  const squash = (x) => (x || '').replace(/\s+/g, '').toLowerCase();
  const find = (s, roots) => {
    roots = roots || (s.within ? find(s.within) : [document.body]);
    // A subtree whose text lacks what s looks for holds no match: skip it
    // (innerText of every element of a long table on every poll is slow).
    const needles = [...(s.text || []), ...(s.textIs !== undefined ? [s.textIs] : [])].map(squash);
    const holds = (el) => {
      const all = squash(el.textContent);
      return needles.every((n) => all.includes(n));
    };
    // Text without a role wants the innermost elements: go down while a child
    // holds all the text, and test only where none does.
    const innermost = !s.role && !s.control && needles.length > 0;
    const found = [];
    const visit = (el) => {
      if (needles.length > 0 && !holds(el)) return;
      const inner = innermost ? [...el.children].filter(holds) : [];
      if (inner.length === 0 && !found.includes(el) && matches(el, s)) found.push(el);
      for (const c of innermost ? inner : el.children) visit(c);
    };
    for (const root of roots) for (const c of root.children) visit(c);
    // Text without a role: the innermost elements, not every ancestor.
    if (!s.role && !s.control) return found.filter((el) => !found.some((o) => o !== el && el.contains(o)));
    return found;
  };
  // What assistive technology would trip over in the page as it is now.
  const audit = () => {
    const problems = [];
    const describe = (el) => el.outerHTML.replace(/\s+/g, ' ').slice(0, 160);
    if (!document.documentElement.lang) problems.push('the html element has no lang');
    if (!norm(document.title)) problems.push('the page has no title');
    if (![...document.querySelectorAll('h1')].some((h) => h.checkVisibility())) problems.push('the page has no visible h1');
    const named = new Set(['button', 'link', 'textbox', 'searchbox', 'combobox', 'listbox', 'checkbox', 'radio', 'switch',
      'menuitem', 'menuitemradio', 'menuitemcheckbox', 'tab', 'slider', 'spinbutton', 'option', 'dialog', 'alertdialog',
      'radiogroup', 'menu', 'table', 'img', 'navigation']);
    const ids = new Map();
    for (const el of document.querySelectorAll('*')) {
      if (el.id) ids.set(el.id, (ids.get(el.id) || 0) + 1);
      for (const attr of ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-activedescendant', 'for']) {
        for (const ref of norm(el.getAttribute(attr)).split(' ').filter(Boolean)) {
          if (!document.getElementById(ref)) problems.push(attr + ' names a missing id "' + ref + '": ' + describe(el));
        }
      }
      if (!el.checkVisibility() || el.closest('[aria-hidden="true"]')) continue;
      const control = ['input', 'select', 'textarea'].includes(el.localName) && el.type !== 'hidden';
      const r = roleOf(el);
      if ((control || named.has(r)) && !nameOf(el)) {
        problems.push((r || el.localName) + ' without an accessible name: ' + describe(el));
      }
    }
    for (const [id, n] of ids) if (n > 1) problems.push('the id "' + id + '" is used ' + n + ' times');
    return problems;
  };
  return { find, audit, roleOf, nameOf };
})()`

// findJS is a JavaScript function (spec) => [elements] that finds what a q
// describes (see libJS).
const findJS = "((spec) => " + libJS + ".find(spec))"

// recorder keeps what the tab reports that can mean a broken page: console
// errors, uncaught exceptions, browser log errors, failed requests and HTTP
// error answers. Its listen runs on chromedp's event loop, in order.
type recorder struct {
	mu       sync.Mutex
	requests map[string]*request
	entries  []entry
	// checked is how many entries unexpected has looked at.
	checked int
	allowed []allowance
}

type request struct {
	method, url string
	status      int64
	// download: the answer was a file to save (Content-Disposition:
	// attachment), which the browser takes off the page's loads.
	download bool
}

// entry is one problem the page reported; allowed says which allowance, if
// any, expected it.
type entry struct {
	what    string
	allowed string
}

// allowance expects an HTTP error answer in a step: method and path of the
// request and the status. Why says why the design expects it.
type allowance struct {
	method, path string
	status       int64
	why          string
}

func (a allowance) String() string { return fmt.Sprintf("%s %s %d", a.method, a.path, a.status) }

func newRecorder() *recorder { return &recorder{requests: map[string]*request{}} }

// startStep sets what the step expects; events keep the allowances of the
// step they arrive in.
func (r *recorder) startStep(allowed []allowance) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.allowed = allowed
}

// unexpected returns the problems nobody expected that arrived since the
// last call (between steps too).
func (r *recorder) unexpected() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.entries[r.checked:] {
		if e.allowed == "" {
			out = append(out, e.what)
		}
	}
	r.checked = len(r.entries)
	return out
}

func (r *recorder) all() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.entries) == 0 {
		return "  no console errors, exceptions or failed requests"
	}
	var b strings.Builder
	for _, e := range r.entries {
		if e.allowed != "" {
			fmt.Fprintf(&b, "  expected:   %s (%s)\n", e.what, e.allowed)
		} else {
			fmt.Fprintf(&b, "  UNEXPECTED: %s\n", e.what)
		}
	}
	return b.String()
}

// add records a problem; req is the request it is about, if any.
func (r *recorder) add(req *request, what string) {
	e := entry{what: what}
	if req != nil {
		for _, a := range r.allowed {
			if req.method == a.method && pathOf(req.url) == a.path && req.status == a.status {
				e.allowed = a.String()
				break
			}
		}
	}
	r.entries = append(r.entries, e)
}

func pathOf(rawURL string) string {
	if i := strings.Index(rawURL, "://"); i >= 0 {
		rawURL = rawURL[i+3:]
		if j := strings.IndexByte(rawURL, '/'); j >= 0 {
			rawURL = rawURL[j:]
		} else {
			rawURL = "/"
		}
	}
	if i := strings.IndexAny(rawURL, "?#"); i >= 0 {
		rawURL = rawURL[:i]
	}
	return rawURL
}

// argText is a console argument as text.
func argText(raw []byte, description string) string {
	var s string
	if len(raw) > 0 && json.Unmarshal(raw, &s) == nil {
		return s
	}
	if len(raw) > 0 {
		return string(raw)
	}
	return description
}
