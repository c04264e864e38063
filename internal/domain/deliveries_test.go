package domain_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/catalog"
	"proportal/internal/domain"
	"proportal/internal/excel"
	"proportal/internal/s3"
	"proportal/internal/testenv"
)

// failingMailer fails the mail to an address as many times as fails says.
type failingMailer struct {
	next  domain.Mailer
	mu    sync.Mutex
	fails map[string]int
}

func (m *failingMailer) Send(ctx context.Context, msg domain.Mail) error {
	m.mu.Lock()
	if m.fails[msg.To] > 0 {
		m.fails[msg.To]--
		m.mu.Unlock()
		return errors.New("Throttling: Maximum sending rate exceeded")
	}
	m.mu.Unlock()
	return m.next.Send(ctx, msg)
}

type deliveriesEnv struct {
	*env
	mail       *testenv.Mailbox
	failing    *failingMailer
	deliveries *domain.Deliveries
	schedule   domain.Schedule
	// from and to are the week reported: Monday 9 to Sunday 15 March 2026.
	from, to time.Time
}

// newDeliveriesEnv is an organization with a week of activity, a weekly
// viewings schedule to three addresses of the test's own, and the service
// on moto (S3, SES, DynamoDB).
func newDeliveriesEnv(t *testing.T, name string) *deliveriesEnv {
	t.Helper()
	e, _ := newSeats(t, 10)
	items, err := domain.ParseCatalog(catalog.Demo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Operator.LoadCatalog(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	x := &deliveriesEnv{env: e, mail: &testenv.Mailbox{},
		from: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), to: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)}
	ada := e.add(t, person(e.org.ID, "Ada", "Lovelace", domain.StatusActive))
	bob := e.add(t, person(e.org.ID, "Bob", "Bobbins", domain.StatusActive))
	// A week later, the week's viewings: three of CCNA, one of another course.
	e.clock.Advance(7 * 24 * time.Hour)
	secs := 600
	var in []domain.EventInput
	for i, v := range []struct {
		user       domain.User
		course, ep string
		day        int
	}{
		{ada, "course-ccna", "ep-ccna-01", 10}, {bob, "course-ccna", "ep-ccna-02", 11},
		{ada, "course-ccna", "ep-ccna-02", 12}, {bob, "course-ccna-switching", "ep-ccna-switching-01", 13},
	} {
		in = append(in, domain.EventInput{Index: i, ID: domain.NewID(), OrgID: e.org.ID, UserID: v.user.ID, Kind: domain.EventViewing,
			At: time.Date(2026, 3, v.day, 10, 0, 0, 0, time.UTC).Format(time.RFC3339), CourseID: v.course, EpisodeID: v.ep, Seconds: &secs, Completed: true})
	}
	res, err := e.app.Services.Ingest.Ingest(context.Background(), domain.Platform{}, in)
	if err != nil || len(res.Rejected) > 0 {
		t.Fatalf("ingest the week's viewings: %+v %v", res.Rejected, err)
	}
	x.failing = &failingMailer{next: x.mail.Wrap(e.app.Mailer), fails: map[string]int{}}
	files := s3.FromConfig(e.app.AWS, e.app.Config.ReportsBucket)
	links := domain.Links{Base: e.app.Config.PortalBaseURL}
	x.deliveries = domain.NewDeliveries(e.app.Store, files, excel.Writer{}, x.failing, links,
		domain.NewDownloadTokens([]byte("a test key of 32 bytes or more..")), e.clock.Now, slog.New(slog.DiscardHandler))
	x.schedule = domain.Schedule{
		ID: domain.NewID(), OrgID: e.org.ID, Name: "Finance <weekly>", Kind: domain.ExportViewings,
		Frequency: domain.Weekly, Weekday: time.Monday, Time: "08:00", TimeZone: "UTC", Period: domain.PeriodWeek,
		Recipients: []string{name + "-1@example.com", name + "-2@example.com", name + "-3@example.com"},
		NextRunAt:  e.clock.Now().Add(24 * time.Hour), CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now(), Rev: 1,
	}
	if err := e.app.Store.CreateSchedule(context.Background(), x.schedule, domain.MaxSchedules, testenv.AnyEntry(domain.AuditScheduleCreated)); err != nil {
		t.Fatalf("store the schedule: %v", err)
	}
	return x
}

// deliver stores a pending delivery of the schedule (as the dispatcher or
// "send now" would) and returns its ref.
func (x *deliveriesEnv) deliver(t *testing.T) domain.DeliveryRef {
	t.Helper()
	sc, err := x.app.Store.FindSchedule(context.Background(), x.org.ID, x.schedule.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := domain.Delivery{ID: domain.NewID(), OrgID: x.org.ID, ScheduleID: sc.ID, Trigger: domain.TriggerManual,
		From: x.from, To: x.to, Status: domain.DeliveryPending, CreatedAt: x.clock.Now()}
	for _, a := range sc.Recipients {
		if !slices.Contains(sc.Bounced, a) {
			d.Recipients = append(d.Recipients, domain.DeliveryRecipient{Address: a, Status: domain.RecipientPending})
		}
	}
	if err := x.app.Store.CreateDelivery(context.Background(), d, testenv.AnyEntry(domain.AuditScheduleSentNow)); err != nil {
		t.Fatalf("store the delivery: %v", err)
	}
	return domain.DeliveryRef{OrgID: d.OrgID, ScheduleID: d.ScheduleID, DeliveryID: d.ID}
}

func statuses(d domain.Delivery) []string {
	var out []string
	for _, r := range d.Recipients {
		out = append(out, r.Address+" "+r.Status)
	}
	return out
}

var tokenInLink = regexp.MustCompile(`/report-download#token=([A-Za-z0-9_.-]+)`)

// A workbook within MaxAttachment goes with the mail; a larger one is
// linked, and the link's token gets a fresh presigned URL of the same file.
func TestScheduledReportAttachedOrLinked(t *testing.T) {
	tests := []struct {
		name     string
		max      int64
		attached bool
	}{
		{name: "attached", max: domain.MaxAttachmentBytes, attached: true},
		{name: "linked", max: 1000, attached: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newDeliveriesEnv(t, "report-"+tt.name)
			x.deliveries.MaxAttachment = tt.max
			ref := x.deliver(t)
			d, err := x.deliveries.Run(context.Background(), ref)
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			if d.Status != domain.DeliveryDelivered || d.Rows != 4 || d.Bytes < 1000 || d.Attached != tt.attached {
				t.Fatalf("delivery %s, %d rows, %d bytes, attached %v; want delivered, 4 rows, attached %v", d.Status, d.Rows, d.Bytes, d.Attached, tt.attached)
			}
			for _, to := range x.schedule.Recipients {
				got := x.mail.To(to)
				if len(got) != 1 {
					t.Fatalf("%d mails to %s, want 1", len(got), to)
				}
				m := got[0]
				if want := "Weekly viewings report: 9 – 15 Mar 2026"; m.Subject != want {
					t.Errorf("subject %q, want %q", m.Subject, want)
				}
				for _, want := range []string{"- Viewings: 4", "- Hours watched: 0.7", "1. CCNA 200-301: Network Fundamentals (3 viewings)", "2. ", "(1 viewing)"} {
					if !strings.Contains(m.Text, want) {
						t.Errorf("the text lacks %q:\n%s", want, m.Text)
					}
				}
				if !strings.Contains(m.HTML, "Finance &lt;weekly&gt;") || strings.Contains(m.HTML, "<weekly>") {
					t.Errorf("the schedule's name is not escaped once in the HTML part")
				}
				if diff := cmp.Diff(map[string]string{"org": ref.OrgID, "schedule": ref.ScheduleID, "delivery": ref.DeliveryID}, m.Tags); diff != "" {
					t.Errorf("tags (-want +got):\n%s", diff)
				}
				link := tokenInLink.FindStringSubmatch(m.Text)
				switch {
				case tt.attached && (len(m.Attachments) != 1 || int64(len(m.Attachments[0].Data)) != d.Bytes || link != nil):
					t.Errorf("mail has %d attachments and link %v, want the %d-byte workbook and no link", len(m.Attachments), link, d.Bytes)
				case tt.attached && m.Attachments[0].Name != "proportal-viewings-2026-03-09-to-2026-03-15.xlsx":
					t.Errorf("attachment named %q", m.Attachments[0].Name)
				case !tt.attached && (len(m.Attachments) != 0 || link == nil):
					t.Errorf("mail has %d attachments and no link:\n%s", len(m.Attachments), m.Text)
				case !tt.attached:
					url, err := x.deliveries.Download(context.Background(), link[1])
					if err != nil {
						t.Fatalf("download: %v", err)
					}
					res, err := http.Get(url)
					if err != nil {
						t.Fatal(err)
					}
					body, _ := io.ReadAll(res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK || int64(len(body)) != d.Bytes || !strings.HasPrefix(string(body), "PK") {
						t.Errorf("the presigned link answered %d with %d bytes, want the %d-byte workbook", res.StatusCode, len(body), d.Bytes)
					}
				}
			}
			// A duplicate message finds it delivered and mails no one again.
			if again, err := x.deliveries.Run(context.Background(), ref); err != nil || again.Status != domain.DeliveryDelivered {
				t.Errorf("second run: %s, %v", again.Status, err)
			}
			for _, to := range x.schedule.Recipients {
				if n := len(x.mail.To(to)); n != 1 {
					t.Errorf("%d mails to %s after a duplicate run, want 1", n, to)
				}
			}
		})
	}
}

// A link's token: valid until DeliveryLinkTTL, then token_expired; changed
// in any way, or naming another organization, not_found.
func TestReportDownloadTokens(t *testing.T) {
	x := newDeliveriesEnv(t, "token")
	x.deliveries.MaxAttachment = 0
	ref := x.deliver(t)
	if _, err := x.deliveries.Run(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	link := tokenInLink.FindStringSubmatch(x.mail.To(x.schedule.Recipients[0])[0].Text)
	if link == nil {
		t.Fatal("no link in the mail")
	}
	token := link[1]
	tokens := domain.NewDownloadTokens([]byte("a test key of 32 bytes or more.."))
	other, _ := x.createOrg(t, "Other Corp", 3)
	flip := func(s string, i int) string {
		b := []byte(s)
		b[i] = map[bool]byte{true: 'B', false: 'A'}[b[i] == 'A']
		return string(b)
	}
	tests := []struct {
		name  string
		token string
		after time.Duration
		want  string
	}{
		{name: "valid", token: token},
		{name: "valid a second before it expires", token: token, after: domain.DeliveryLinkTTL - time.Second},
		{name: "expired", token: token, after: domain.DeliveryLinkTTL, want: domain.CodeTokenExpired},
		{name: "payload changed", token: flip(token, 3), want: domain.CodeNotFound},
		{name: "signature changed", token: flip(token, len(token)-2), want: domain.CodeNotFound},
		{name: "cut short", token: token[:len(token)-5], want: domain.CodeNotFound},
		{name: "not a token", token: "hello", want: domain.CodeNotFound},
		{name: "another key", token: domain.NewDownloadTokens([]byte("another key of 32 bytes or more.")).Sign(ref, x.clock.Now().Add(time.Hour)), want: domain.CodeNotFound},
		{name: "another organization", token: tokens.Sign(domain.DeliveryRef{OrgID: other.ID, ScheduleID: ref.ScheduleID, DeliveryID: ref.DeliveryID}, x.clock.Now().Add(time.Hour)), want: domain.CodeNotFound},
		{name: "unknown delivery", token: tokens.Sign(domain.DeliveryRef{OrgID: ref.OrgID, ScheduleID: ref.ScheduleID, DeliveryID: domain.NewID()}, x.clock.Now().Add(time.Hour)), want: domain.CodeNotFound},
	}
	start := x.clock.Now()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x.clock.Advance(start.Add(tt.after).Sub(x.clock.Now()))
			url, err := x.deliveries.Download(context.Background(), tt.token)
			switch {
			case tt.want == "" && (err != nil || !strings.Contains(url, ref.DeliveryID+".xlsx")):
				t.Errorf("Download = %q, %v; want a link to the delivery's file", url, err)
			case tt.want != "" && domain.ErrorCode(err) != tt.want:
				t.Errorf("Download = %q, %v; want %s", url, err, tt.want)
			}
		})
	}
}

// A recipient SES reports bouncing is shown bounced on the delivery, and
// the schedule's next delivery skips it.
func TestBouncedRecipientsAreSkipped(t *testing.T) {
	x := newDeliveriesEnv(t, "bounce")
	ctx := context.Background()
	first := x.deliver(t)
	if _, err := x.deliveries.Run(ctx, first); err != nil {
		t.Fatal(err)
	}
	gone := x.schedule.Recipients[1]
	ev := domain.MailEvent{Type: domain.MailEventBounce, BounceType: domain.BouncePermanent,
		Tags:       map[string]string{"org": first.OrgID, "schedule": first.ScheduleID, "delivery": first.DeliveryID},
		Recipients: []domain.DeliveryRecipient{{Address: gone, Reason: "smtp; 550 5.1.1 user unknown"}}}
	for range 2 { // SNS may deliver an event twice
		if err := x.deliveries.RecordMailEvent(ctx, ev); err != nil {
			t.Fatalf("record the bounce: %v", err)
		}
	}
	d, err := x.app.Store.FindDelivery(ctx, first.OrgID, first.ScheduleID, first.DeliveryID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{x.schedule.Recipients[0] + " sent", gone + " bounced", x.schedule.Recipients[2] + " sent"}
	if diff := cmp.Diff(want, statuses(d)); diff != "" {
		t.Errorf("the first delivery's recipients (-want +got):\n%s", diff)
	}
	if d.Recipients[1].Reason != "smtp; 550 5.1.1 user unknown" {
		t.Errorf("the bounce's reason is %q", d.Recipients[1].Reason)
	}
	sc, err := x.app.Store.FindSchedule(ctx, first.OrgID, first.ScheduleID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{gone}, sc.Bounced); diff != "" {
		t.Errorf("the schedule's bounced (-want +got):\n%s", diff)
	}

	second := x.deliver(t)
	d, err = x.deliveries.Run(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != domain.DeliveryDelivered || len(d.Recipients) != 2 {
		t.Errorf("second delivery %s to %v, want delivered to the two others", d.Status, statuses(d))
	}
	if n := len(x.mail.To(gone)); n != 1 {
		t.Errorf("%d mails to the bounced address, want only the first", n)
	}

	// An event of no delivery of ours is dropped, not retried.
	unknown := ev
	unknown.Tags = map[string]string{"org": first.OrgID, "schedule": first.ScheduleID, "delivery": domain.NewID()}
	if err := x.deliveries.RecordMailEvent(ctx, unknown); err != nil {
		t.Errorf("an unknown delivery's bounce: %v, want it dropped", err)
	}
	if err := x.deliveries.RecordMailEvent(ctx, domain.MailEvent{Type: domain.MailEventBounce, Recipients: ev.Recipients}); err != nil {
		t.Errorf("a bounce of untagged mail: %v, want it dropped", err)
	}
}

// A run whose mail to one recipient fails gives the delivery back; the
// retried run mails only those still pending, and no one twice.
func TestRetriedRunMailsOnlyThePending(t *testing.T) {
	x := newDeliveriesEnv(t, "retry")
	ctx := context.Background()
	r := x.schedule.Recipients
	x.failing.fails[r[1]] = 1
	ref := x.deliver(t)
	d, err := x.deliveries.Run(ctx, ref)
	if err == nil {
		t.Fatal("the run that could not mail everyone reported no error, so the queue would not retry it")
	}
	if diff := cmp.Diff([]string{r[0] + " sent", r[1] + " pending", r[2] + " sent"}, statuses(d)); diff != "" || d.Status != domain.DeliveryPending {
		t.Errorf("after the first run, %s (-want +got):\n%s", d.Status, diff)
	}
	d, err = x.deliveries.Run(ctx, ref)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if d.Status != domain.DeliveryDelivered || d.Attempts != 2 {
		t.Errorf("after the retry, %s after %d attempts, want delivered after 2", d.Status, d.Attempts)
	}
	for _, to := range r {
		if n := len(x.mail.To(to)); n != 1 {
			t.Errorf("%d mails to %s, want 1", n, to)
		}
	}

	// A recipient that fails on every attempt ends failed; the others got it.
	x.failing.fails[r[2]] = 10
	ref = x.deliver(t)
	for range domain.MaxExportAttempts {
		d, _ = x.deliveries.Run(ctx, ref)
	}
	if diff := cmp.Diff([]string{r[0] + " sent", r[1] + " sent", r[2] + " failed"}, statuses(d)); diff != "" || d.Status != domain.DeliveryPartial {
		t.Errorf("after %d attempts, %s (-want +got):\n%s", domain.MaxExportAttempts, d.Status, diff)
	}
}
