package e2e

import (
	"context"
	"testing"
	"time"

	"proportal/internal/domain"
)

// TestIdleSeats reclaims idle seats the way an admin does, in a desktop
// window (1280 px) and a phone's (390 px): the dashboard's tile leads to the
// Idle seats page, one idle person goes on the exception list (and shows
// there), another is deactivated after the confirmation, and their seat is
// free again.
func TestIdleSeats(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: drives Chromium through the portal; make test runs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	browserPath := chromium(t)
	p := startPortal(t, true)
	b := startBrowser(t, ctx, browserPath, p.URL, "idle-")
	admin, err := p.App.Store.FindUserByEmail(context.Background(), "admin@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	// The demo's people idle for 30 days, oldest first: each size takes two.
	idle, _, err := p.App.Store.FindIdleSeats(context.Background(), admin.OrgID,
		domain.IdleQuery{Before: time.Now().AddDate(0, 0, -30), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(idle) < 4 {
		t.Fatalf("the demo has %d people idle 30+ days, want at least 4 for this test", len(idle))
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
		keep, reclaim := idle[2*i], idle[2*i+1]
		keepName, reclaimName := keep.FirstName+" "+keep.LastName, reclaim.FirstName+" "+reclaim.LastName
		steps := []struct {
			name string
			run  func(t *testing.T)
		}{
			{"the dashboard's tile leads to the idle seats", func(t *testing.T) {
				if i == 0 {
					b.step(t, signedOutMe)
					b.resize(t, size.width, size.height, size.mobile)
					b.signIn(t, "admin@demo.test", demoPassword)
				} else {
					b.step(t)
					b.resize(t, size.width, size.height, size.mobile)
					b.open(t, "/")
				}
				b.waitFor(t, role("heading", "Dashboard"))
				b.waitFor(t, role("link", "Review idle seats"))
				b.shot(t, "idle-dashboard-"+size.name)
				b.click(t, role("link", "Review idle seats"))
				b.waitFor(t, role("heading", "Idle seats"))
				b.waitFor(t, role("checkbox", "Select "+keepName))
				b.waitFor(t, role("checkbox", "Select "+reclaimName))
				b.shot(t, "idle-list-"+size.name)
			}},
			{"keep seat puts a person on the exception list", func(t *testing.T) {
				b.step(t)
				b.click(t, role("button", "Keep seat for "+keepName))
				b.waitFor(t, text(keepName+" keeps their seat"))
				b.waitGone(t, role("checkbox", "Select "+keepName))
				b.click(t, role("button", "Exceptions"))
				b.waitFor(t, role("button", "Release for "+keepName))
				b.shot(t, "idle-exceptions-"+size.name)
				b.click(t, role("button", "30+ days"))
				b.waitFor(t, role("checkbox", "Select "+reclaimName))
				u, err := p.App.Store.FindUserByID(context.Background(), admin.OrgID, keep.ID)
				if err != nil || !u.KeepSeat || !u.Seat {
					t.Errorf("%s after Keep seat: keepSeat %v, seat %v (%v); want both", keepName, u.KeepSeat, u.Seat, err)
				}
			}},
			{"deactivating a selection frees the seat after the confirmation", func(t *testing.T) {
				b.step(t)
				b.click(t, role("checkbox", "Select "+reclaimName))
				b.waitFor(t, text("1 selected"))
				b.click(t, role("button", "Deactivate"))
				dialog := role("alertdialog", "Deactivate 1 person?")
				b.waitFor(t, dialog)
				b.shot(t, "idle-confirm-"+size.name)
				b.click(t, role("button", "Deactivate").in(dialog))
				b.waitGone(t, dialog)
				b.waitGone(t, role("checkbox", "Select "+reclaimName))
				b.shot(t, "idle-reclaimed-"+size.name)
				u, err := p.App.Store.FindUserByID(context.Background(), admin.OrgID, reclaim.ID)
				if err != nil || u.Seat || u.Status != domain.StatusInactive {
					t.Errorf("%s after Deactivate: seat %v, status %q (%v); want no seat, inactive", reclaimName, u.Seat, u.Status, err)
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
