package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"proportal/internal/worker"
)

// runScheduledReport is the queued job that makes and mails a delivery.
const runScheduledReport = "RunScheduledReport"

// TestScheduledReports schedules a weekly report the way an admin does, in a
// desktop window (1280 px) and a phone's (390 px): a new schedule from the
// Reports page, "Send now" on its page, the delivery listed as delivered, and
// the recipient's mail in the Mailbox page with the workbook attached, which
// the test downloads from the mailbox and opens.
func TestScheduledReports(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: drives Chromium through the portal; make test runs it")
	}
	if _, ok := worker.WorkNamed(runScheduledReport); !ok {
		t.Skip("waits for the " + runScheduledReport + " job (the deliveries part of issue 11), which makes and mails a delivery")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	browserPath := chromium(t)
	p := startPortal(t, true)
	demoViewings(t, p)
	b := startBrowser(t, ctx, browserPath, p.URL, "schedules-")

	sizes := []struct {
		name          string
		width, height int64
		mobile        bool
	}{
		{"1280", 1280, 900, false},
		{"390", phoneWidth, phoneHeight, true},
	}
	for i, size := range sizes {
		name := "Weekly viewings " + size.name
		recipient := "finance-" + size.name + "@example.com"
		steps := []struct {
			name string
			run  func(t *testing.T)
		}{
			{"the admin creates a weekly schedule", func(t *testing.T) {
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
				schedules := role("region", "Scheduled reports")
				b.waitFor(t, schedules)
				b.click(t, role("button", "New schedule").in(schedules))
				dialog := role("dialog", "New schedule")
				b.waitFor(t, dialog)
				b.fill(t, field("Name").in(dialog), name)
				b.choose(t, field("Day of the week").in(dialog), "friday")
				b.fill(t, field("Recipient 1").in(dialog), recipient)
				b.shot(t, "new-schedule-"+size.name)
				b.click(t, role("button", "Create schedule").in(dialog))
				b.waitFor(t, role("heading", name))
				b.waitFor(t, role("region", "Settings").with("Every Friday at 08:00", recipient))
				b.shot(t, "schedule-"+size.name)
			}},
			{"send now delivers the report", func(t *testing.T) {
				b.step(t)
				b.click(t, role("button", "Send now"))
				b.waitFor(t, anyRole("status").with("was mailed to 1 recipient"))
				deliveries := role("table", "Deliveries")
				b.waitFor(t, anyRole("row").with("Sent now", "Delivered", "Attached", recipient+": Sent").in(deliveries))
				b.waitFor(t, role("button", "Send now"))
				b.shot(t, "delivered-"+size.name)
			}},
			{"the mail is in the Mailbox with the workbook", func(t *testing.T) {
				b.step(t)
				b.open(t, "/dev/mailbox")
				b.waitFor(t, role("heading", "Mailbox"))
				b.click(t, anyRole("button").with(recipient, "1 attachment"))
				attachments := role("region", "Attachments")
				link := roleNamed("link", ".xlsx").in(attachments)
				b.waitFor(t, link)
				b.shot(t, "mail-"+size.name)
				f := fetchAttachment(t, b, link)
				if sheets := f.GetSheetList(); len(sheets) == 0 || sheets[0] != "Summary" {
					t.Errorf("the attached workbook's sheets are %v, want Summary first", sheets)
				}
			}},
		}
		for _, s := range steps {
			if !t.Run(size.name+" "+s.name, s.run) {
				t.Fatalf("step %q at %s px failed; the steps after it need it", s.name, size.name)
			}
		}
	}
	t.Logf("screenshots in %s: %s", b.shots.dir, strings.Join(b.shots.names, ", "))
}

// fetchAttachment downloads the attachment the Mailbox page links (from the
// local server's /dev/mail) and opens it as a workbook.
func fetchAttachment(t *testing.T, b *browser, link q) *excelize.File {
	t.Helper()
	href := evalJS[string](t, b, string(link.sel())+`.href`)
	if !strings.HasPrefix(href, b.base+"/dev/mail/") {
		t.Fatalf("the attachment's link %q is not the local mailbox's", href)
	}
	res, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the attachment answered %d: %.200s", res.StatusCode, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the attachment is not a workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
