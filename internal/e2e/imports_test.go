package e2e

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"proportal/internal/domain"
)

// TestImportCSV runs a bulk change the way an admin does, in a desktop
// window (1280 px) and a phone's (390 px): Users → Import CSV, upload a
// semicolon file with a BOM, read the dry run (outcomes, an error row, the
// seat arithmetic), apply it, follow the progress and fetch the result file
// from its link.
func TestImportCSV(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: drives Chromium through the portal; make test runs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	browserPath := chromium(t)
	p := startPortal(t, true)
	b := startBrowser(t, ctx, browserPath, p.URL, "imports-")
	sizes := []struct {
		name          string
		width, height int64
		mobile        bool
	}{
		{"1280", 1280, 900, false},
		{"390", phoneWidth, phoneHeight, true},
	}
	for i, size := range sizes {
		tag := domain.NewID()[:6]
		nina, omar := "nina."+tag+"@demo.test", "omar."+tag+"@demo.test"
		csv := "\uFEFFFirst Name;Last Name;Email;Access;Team\r\n" +
			"Nina;Newhire;" + nina + ";subscription;Engineering\r\n" +
			"=SUM(1+1);Formula;" + omar + ";;\r\n" +
			"Bad;Row;not-an-address;;\r\n" +
			";;learner07@demo.test;;Support\r\n"
		// learner07 joins Support in the first round; the second finds them there.
		learner07, changes := "Team changed", "3 changes"
		if i > 0 {
			learner07, changes = "No change", "2 changes"
		}
		file := filepath.Join(t.TempDir(), "people-"+size.name+".csv")
		if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name string
			run  func(t *testing.T)
		}{
			{"the dry run says what each row would do", func(t *testing.T) {
				if i == 0 {
					b.step(t, signedOutMe)
					b.resize(t, size.width, size.height, size.mobile)
					b.signIn(t, "admin@demo.test", demoPassword)
					b.waitFor(t, role("heading", "Dashboard"))
				} else {
					b.step(t)
					b.resize(t, size.width, size.height, size.mobile)
				}
				b.open(t, "/users")
				b.waitFor(t, role("heading", "Users"))
				b.click(t, role("link", "Import CSV"))
				b.waitFor(t, role("heading", "Import people from a CSV"))
				b.shot(t, "import-upload-"+size.name)
				upload, cancel := context.WithTimeout(b.ctx, waitTimeout)
				defer cancel()
				if err := chromedp.Do(upload, chromedp.SetUploadFiles(field("CSV file").sel(), []string{file})); err != nil {
					b.fail(t, "choose the file: %v", err)
				}
				b.click(t, role("button", "Run a dry run"))
				b.waitFor(t, role("region", "Seats"))
				b.waitFor(t, text("not-an-address", "Error", "email: The email must be an email address"))
				b.waitFor(t, text(nina, "New invite"))
				b.waitFor(t, text("=SUM(1+1) Formula", "New invite"))
				b.waitFor(t, text("learner07@demo.test", learner07))
				b.waitFor(t, text("It fits"))
				b.shot(t, "import-dry-run-"+size.name)
			}},
			{"applying shows progress and ends with the result file", func(t *testing.T) {
				b.step(t)
				b.click(t, role("button", "Apply "+changes))
				b.waitFor(t, role("alertdialog", "Apply "+changes+"?"))
				b.click(t, role("button", "Apply").in(role("alertdialog", "Apply "+changes+"?")))
				b.waitAny(t, role("progressbar", "Import progress"), role("link", "Download the result file"))
				link := role("link", "Download the result file")
				b.waitFor(t, link)
				b.waitFor(t, text(nina, "Invited"))
				b.waitFor(t, text("not-an-address", "Skipped"))
				b.shot(t, "import-done-"+size.name)
				body := fetchResult(t, b, link)
				for _, want := range []string{
					"First Name;Last Name;Email;Access;Team;status\r\n",
					"Nina;Newhire;" + nina + ";subscription;Engineering;invited\r\n",
					"'=SUM(1+1);Formula;" + omar + ";;;invited\r\n",
				} {
					if !strings.Contains(body, want) {
						t.Errorf("the result file lacks %q:\n%s", want, body)
					}
				}
				u, err := p.App.Store.FindUserByEmail(context.Background(), omar)
				if err != nil || u.FirstName != "=SUM(1+1)" {
					t.Errorf("the formula-looking name is stored as %q (%v), want as typed", u.FirstName, err)
				}
			}},
		}
		for _, s := range steps {
			if !t.Run(size.name+" "+s.name, s.run) {
				t.Fatalf("step %q at %s px failed; the steps after it need it", s.name, size.name)
			}
		}
	}
}

// fetchResult fetches the result file the page links to (moto's S3).
func fetchResult(t *testing.T, b *browser, link q) string {
	t.Helper()
	href := evalJS[string](t, b, string(link.sel())+`.href`)
	if !strings.HasPrefix(href, "http") || strings.HasPrefix(href, b.base) {
		t.Fatalf("the result link %q is not the file store's", href)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get(href)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Errorf("the result file is served as %q, want text/csv", ct)
			}
			return string(body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the result link answered %d: %.200s", res.StatusCode, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
