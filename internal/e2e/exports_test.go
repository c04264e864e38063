package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"proportal/internal/domain"
)

// TestExports runs exports the way an admin does, in a desktop window (1280
// px) and a phone's (390 px): the Viewings report from the Reports page and a
// learner's activity from their page. Each shows its progress bar, then the
// link the download started from; the test fetches the file from that link
// (moto's S3, another origin) and reads it back.
func TestExports(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: drives Chromium through the portal; make test runs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	browserPath := chromium(t)
	p := startPortal(t, true)
	learner := demoViewings(t, p)
	b := startBrowser(t, ctx, browserPath, p.URL, "exports-")
	// Downloads are not saved by the browser here: the test fetches the link.
	if _, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorDeny}); err != nil {
		t.Fatal(err)
	}

	sizes := []struct {
		name          string
		width, height int64
		mobile        bool
	}{
		{"1280", 1280, 900, false},
		{"390", phoneWidth, phoneHeight, true},
	}
	for i, size := range sizes {
		steps := []struct {
			name string
			run  func(t *testing.T)
		}{
			{"the Reports page exports viewings", func(t *testing.T) {
				if i == 0 {
					b.step(t, signedOutMe)
					b.resize(t, size.width, size.height, size.mobile)
					b.signIn(t, "admin@demo.test", demoPassword)
					b.waitFor(t, role("heading", "Dashboard"))
				} else {
					b.step(t)
					b.resize(t, size.width, size.height, size.mobile)
				}
				b.open(t, "/reports")
				b.waitFor(t, role("heading", "Reports"))
				b.waitFor(t, role("region", "Recent exports"))
				b.click(t, role("button", "Download Viewings"))
				b.waitFor(t, role("progressbar", "Viewings export"))
				b.shot(t, "reports-running-"+size.name)
				link := roleNamed("link", "Download proportal-viewings-")
				b.waitFor(t, link)
				b.shot(t, "reports-done-"+size.name)
				f := fetchWorkbook(t, b, link)
				checkViewings(t, f, "Viewings", 1)
				b.waitFor(t, text("Viewings", "Ready").in(role("table", "Recent exports")))
			}},
			{"a learner's page exports their activity", func(t *testing.T) {
				b.step(t)
				b.open(t, "/users/"+learner.ID)
				b.waitFor(t, role("heading", learner.FirstName+" "+learner.LastName))
				b.click(t, role("button", "Download Activity"))
				b.waitFor(t, roleNamed("progressbar", "activity export"))
				link := roleNamed("link", "Download proportal-user-activity-")
				b.waitFor(t, link)
				b.shot(t, "user-export-"+size.name)
				f := fetchWorkbook(t, b, link)
				if got := f.GetSheetList(); strings.Join(got, ",") != "Summary,Viewings,Labs,Sign-ins" {
					t.Errorf("sheets %v, want Summary, Viewings, Labs, Sign-ins", got)
				}
				checkViewings(t, f, "Viewings", 0)
			}},
		}
		for _, s := range steps {
			if !t.Run(size.name+" "+s.name, s.run) {
				t.Fatalf("step %q at %s px failed; the steps after it need it", s.name, size.name)
			}
		}
	}
}

// fetchWorkbook reads the href of the page's link and fetches the file, as
// the browser's download did, and opens it as a workbook.
func fetchWorkbook(t *testing.T, b *browser, link q) *excelize.File {
	t.Helper()
	href := evalJS[string](t, b, string(link.sel())+`.href`)
	if !strings.HasPrefix(href, "http") || strings.HasPrefix(href, b.base) {
		t.Fatalf("the download link %q is not the file store's", href)
	}
	res, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("the download answered %d (%s): %.200s", res.StatusCode, res.Header.Get("Content-Disposition"), body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the download is not a workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// checkViewings checks the first rows of a viewings sheet: the time and the
// time watched are numbers (with formats), names are text. withPerson says
// how many name columns come after the time (3 for the organization's
// viewings: first, last name and email).
func checkViewings(t *testing.T, f *excelize.File, sheet string, withPerson int) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) < 2 {
		t.Fatalf("%s has %d rows (%v), want a header and some", sheet, len(rows), err)
	}
	if sheets := f.GetSheetList(); sheets[0] != "Summary" {
		t.Errorf("the first sheet is %q, want Summary", sheets[0])
	}
	cols := "ABCDEFGH"
	watched := string(cols[3+3*withPerson])
	for _, cell := range []string{"A2", watched + "2"} {
		if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s!%s is of type %v, want a number", sheet, cell, typ)
		}
	}
	if withPerson > 0 {
		for _, cell := range []string{"B2", "C2", "D2"} {
			if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
				t.Errorf("%s!%s is of type %v, want text", sheet, cell, typ)
			}
		}
	}
}

// demoViewings stores a week of viewings of the demo's first five learners
// (as events, the way ingestion stores them) and returns the first learner.
func demoViewings(t *testing.T, p *portal) domain.User {
	t.Helper()
	ctx := context.Background()
	a := p.App
	var learners []domain.User
	for _, email := range []string{"learner01@demo.test", "learner02@demo.test", "learner03@demo.test", "learner04@demo.test", "learner05@demo.test"} {
		u, err := a.Store.FindUserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		learners = append(learners, u)
	}
	catalog, err := a.Store.FindCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var episodes []domain.CatalogItem
	for _, c := range catalog {
		if c.Kind == domain.KindEpisode && !c.Retired {
			episodes = append(episodes, c)
		}
	}
	now := time.Now()
	var evs []domain.Event
	for day := range 7 {
		for i, u := range learners {
			ep := episodes[(day*5+i)%len(episodes)]
			evs = append(evs, domain.Event{
				ID: domain.NewID(), OrgID: u.OrgID, UserID: u.ID, Kind: domain.EventViewing,
				At:       now.Add(-time.Duration(day*24+i) * time.Hour),
				CourseID: ep.CourseID, EpisodeID: ep.ID, Seconds: 300 + 17*i, Completed: i%2 == 0,
			})
		}
	}
	if err := a.Store.ImportEvents(ctx, evs, now); err != nil {
		t.Fatal(err)
	}
	return learners[0]
}
