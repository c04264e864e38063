package domain

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"
)

// DeliveryStore is the persistence the delivery job needs: the schedule and
// its delivery (claimed and saved as an export is), the bounces SES reports,
// and the reads a workbook and its summary are made of.
type DeliveryStore interface {
	// FindSchedule returns one schedule of an organization (not_found otherwise).
	FindSchedule(ctx context.Context, orgID, scheduleID string) (Schedule, error)
	// FindDelivery returns one delivery of a schedule (not_found otherwise).
	FindDelivery(ctx context.Context, orgID, scheduleID, deliveryID string) (Delivery, error)
	// ClaimDelivery makes d running under d.Claim and counts the attempt, on
	// condition that it is pending, or running with a heartbeat before
	// staleBefore; conflict when it is not. It returns the delivery as claimed.
	ClaimDelivery(ctx context.Context, d Delivery, staleBefore time.Time) (Delivery, error)
	// SaveDelivery writes d's status, rows, bytes, recipients, heartbeat,
	// finish and error on condition that its claim is still d.Claim
	// (conflict otherwise), and its schedule's last delivery status.
	SaveDelivery(ctx context.Context, d Delivery) error
	// RecordBounces marks recipients of a finished delivery bounced, with
	// their reasons, and adds the addresses suppress lists to its schedule's
	// Bounced. It is idempotent; not_found for an unknown delivery, conflict
	// while the delivery is still pending or running (its run saves the
	// recipients), so the event is handled again later.
	RecordBounces(ctx context.Context, ref DeliveryRef, bounced []DeliveryRecipient, suppress []string) error
	// FindOrgUsageWeeks and FindTeamUsageWeeks return the usage of the weeks
	// whose Mondays are from to to (the summary's active learners).
	FindOrgUsageWeeks(ctx context.Context, orgID string, from, to time.Time) ([]UsagePeriod, error)
	FindTeamUsageWeeks(ctx context.Context, orgID, teamID string, from, to time.Time) ([]UsagePeriod, error)

	ReportReads
}

// Deliveries makes and mails scheduled reports (the RunScheduledReport job),
// hands out their files through signed links (DownloadReport), and records
// the bounces SES reports of their mail (RecordMailEvents).
type Deliveries struct {
	store  DeliveryStore
	books  *workbooks
	files  FileStore
	mailer Mailer
	links  Links
	tokens DownloadTokens
	now    Clock
	log    *slog.Logger
	// MaxAttachment is the largest workbook mailed as an attachment; a
	// larger one is linked. MaxAttachmentBytes; tests lower it.
	MaxAttachment int64
}

// NewDeliveries returns the deliveries service. files keeps the workbooks
// and presigns their downloads; writer writes them (the job's; nil
// elsewhere); mailer sends the report mail; links makes the download page's
// address and tokens signs what it carries.
func NewDeliveries(store DeliveryStore, files FileStore, writer ReportWriter, mailer Mailer, links Links, tokens DownloadTokens, now Clock, log *slog.Logger) *Deliveries {
	return &Deliveries{
		store: store, books: newWorkbooks(store, files, writer, now), files: files, mailer: mailer,
		links: links, tokens: tokens, now: now, log: log, MaxAttachment: MaxAttachmentBytes,
	}
}

// Messages a delivery's recipients and failures show.
const (
	reasonInterrupted   = "The run stopped while mailing this address; it was not mailed again, so as not to mail it twice."
	reasonNotAccepted   = "The mail server did not accept the mail."
	reasonBouncedBefore = "Skipped: an earlier report to this address bounced. Save the schedule with the address to mail it again."
	deliveryNotMade     = "The report could not be made. It is tried again at the next run; use \"Send now\" to try at once."
	deliveryTooLarge    = "This report would have more than 5,000,000 rows, more than a workbook should hold. Choose a shorter period or one team."
	deliveryNoSchedule  = "The schedule was deleted before its report was sent."
)

// errDeliveryLost is a run that found another one had taken its delivery over.
var errDeliveryLost = errors.New("another run took the delivery over")

// Run makes a delivery's workbook, stores it under Delivery.FileKey and
// mails it to each recipient still pending (the RunScheduledReport job). It
// is idempotent like Exports.Run: a finished delivery is left as it is, one
// running elsewhere with a fresh heartbeat is left to that run, and one
// whose run died is taken over. Each recipient's outcome is saved as it is
// known, and a recipient is marked before its mail goes, so that a retried
// run mails only those still pending and never anyone twice. A run that
// could not make the workbook or mail everyone gives the delivery back for
// the queue's retry, up to MaxExportAttempts runs.
func (s *Deliveries) Run(ctx context.Context, ref DeliveryRef) (Delivery, error) {
	d, err := s.store.FindDelivery(ctx, ref.OrgID, ref.ScheduleID, ref.DeliveryID)
	if err != nil {
		return Delivery{}, fmt.Errorf("run delivery: %w", err)
	}
	now := s.now().UTC()
	switch {
	case d.Status == DeliveryDelivered || d.Status == DeliveryPartial || d.Status == DeliveryFailed:
		return d, nil
	case d.Status == DeliveryRunning && now.Sub(d.HeartbeatAt) < ExportStale:
		return d, nil
	}
	d, err = s.store.ClaimDelivery(ctx, withDeliveryClaim(d, now), now.Add(-ExportStale))
	if err != nil {
		if ErrorCode(err) == CodeConflict {
			return d, nil
		}
		return d, fmt.Errorf("run delivery: claim: %w", err)
	}
	sc, err := s.store.FindSchedule(ctx, ref.OrgID, ref.ScheduleID)
	switch {
	case ErrorCode(err) == CodeNotFound:
		return s.finish(ctx, d, DeliveryFailed, deliveryNoSchedule)
	case err != nil:
		return s.giveBack(ctx, d, fmt.Errorf("find schedule: %w", err))
	}
	if d.Attempts > MaxExportAttempts {
		// The last run died without a word: fail what is left.
		failPending(&d, reasonNotAccepted)
		return s.settle(ctx, d, deliveryNotMade)
	}
	recipientsOf(&d, sc)
	if !hasPending(d.Recipients) {
		return s.settle(ctx, d, "No recipient could be mailed.")
	}

	var file []byte
	if d.Bytes == 0 || d.Attached {
		// The file is made once; a retry makes it again only to attach it.
		file, err = s.makeWorkbook(ctx, &d, sc)
		switch {
		case errors.Is(err, errDeliveryLost):
			return d, nil
		case errors.Is(err, errTooLarge):
			failPending(&d, deliveryTooLarge)
			return s.finish(ctx, d, DeliveryFailed, deliveryTooLarge)
		case err != nil:
			return s.giveBack(ctx, d, err)
		}
		if err := s.store.SaveDelivery(ctx, d); err != nil {
			return s.lostOr(d, err)
		}
	}
	org, err := s.store.FindOrganization(ctx, d.OrgID)
	if err != nil {
		return s.giveBack(ctx, d, fmt.Errorf("find organization: %w", err))
	}
	sum, err := s.summarize(ctx, sc, d)
	if err != nil {
		return s.giveBack(ctx, d, fmt.Errorf("summary: %w", err))
	}
	link := ""
	expires := now.Add(DeliveryLinkTTL)
	if !d.Attached {
		link = s.links.ReportDownload(s.tokens.Sign(ref, expires))
	}
	for i := range d.Recipients {
		if d.Recipients[i].Status != RecipientPending {
			continue
		}
		// Marked first: a run that dies before the next save leaves the
		// address failed rather than mails it again.
		d.Recipients[i] = DeliveryRecipient{Address: d.Recipients[i].Address, Status: RecipientFailed, Reason: reasonInterrupted}
		d.HeartbeatAt = s.now().UTC()
		if err := s.store.SaveDelivery(ctx, d); err != nil {
			return s.lostOr(d, err)
		}
		m := reportMail(org, sc, d, sum, d.Recipients[i].Address, file, link, expires)
		if err := s.mailer.Send(ctx, m); err != nil {
			s.log.ErrorContext(ctx, "scheduled report: mail a recipient", "orgId", d.OrgID, "scheduleId", d.ScheduleID,
				"deliveryId", d.ID, "attempt", d.Attempts, "error", err)
			d.Recipients[i].Status, d.Recipients[i].Reason = RecipientPending, ""
		} else {
			d.Recipients[i].Status, d.Recipients[i].Reason = RecipientSent, ""
		}
		if err := s.store.SaveDelivery(ctx, d); err != nil {
			return s.lostOr(d, err)
		}
	}
	if hasPending(d.Recipients) {
		if d.Attempts >= MaxExportAttempts {
			failPending(&d, reasonNotAccepted)
		} else {
			return s.giveBack(ctx, d, errors.New("some recipients could not be mailed"))
		}
	}
	return s.settle(ctx, d, "No recipient could be mailed.")
}

// recipientsOf gives a delivery its recipients when it has none yet (the
// schedule's), and marks those whose mail bounced since it was made.
func recipientsOf(d *Delivery, sc Schedule) {
	if len(d.Recipients) == 0 {
		for _, a := range sc.Recipients {
			d.Recipients = append(d.Recipients, DeliveryRecipient{Address: a, Status: RecipientPending})
		}
	}
	for i, r := range d.Recipients {
		if r.Status == RecipientPending && slices.Contains(sc.Bounced, r.Address) {
			d.Recipients[i].Status, d.Recipients[i].Reason = RecipientBounced, reasonBouncedBefore
		}
	}
}

func hasPending(rs []DeliveryRecipient) bool {
	return slices.ContainsFunc(rs, func(r DeliveryRecipient) bool { return r.Status == RecipientPending })
}

func failPending(d *Delivery, reason string) {
	for i, r := range d.Recipients {
		if r.Status == RecipientPending {
			d.Recipients[i].Status, d.Recipients[i].Reason = RecipientFailed, reason
		}
	}
}

// outcome is a delivery's status once no recipient is pending: delivered
// when every one was sent, partial when some were, failed (with message)
// when none was.
func outcome(rs []DeliveryRecipient, message string) (string, string) {
	sent := 0
	for _, r := range rs {
		if r.Status == RecipientSent {
			sent++
		}
	}
	switch {
	case sent > 0 && sent == len(rs):
		return DeliveryDelivered, ""
	case sent > 0:
		return DeliveryPartial, ""
	}
	return DeliveryFailed, message
}

func withDeliveryClaim(d Delivery, now time.Time) Delivery {
	b := make([]byte, 12)
	rand.Read(b)
	d.Claim, d.HeartbeatAt, d.StartedAt = hex.EncodeToString(b), now, now
	return d
}

// lostOr is nil for a delivery another run took over (nothing to do), and
// err otherwise.
func (s *Deliveries) lostOr(d Delivery, err error) (Delivery, error) {
	if ErrorCode(err) == CodeConflict {
		return d, nil
	}
	return d, fmt.Errorf("run delivery %s: save: %w", d.ID, err)
}

// giveBack returns a delivery to pending for the queue's retry, with what it
// knows (the recipients mailed so far), and returns cause.
func (s *Deliveries) giveBack(ctx context.Context, d Delivery, cause error) (Delivery, error) {
	s.log.ErrorContext(ctx, "scheduled report run failed", "orgId", d.OrgID, "scheduleId", d.ScheduleID,
		"deliveryId", d.ID, "attempt", d.Attempts, "error", cause)
	if d.Attempts >= MaxExportAttempts {
		failPending(&d, deliveryNotMade)
		return s.settle(ctx, d, deliveryNotMade)
	}
	d.Status = DeliveryPending
	if err := s.store.SaveDelivery(ctx, d); err != nil && ErrorCode(err) != CodeConflict {
		return d, fmt.Errorf("run delivery: give it back: %w", err)
	}
	return d, fmt.Errorf("run delivery %s (attempt %d): %w", d.ID, d.Attempts, cause)
}

// settle finishes a delivery none of whose recipients is pending, with the
// status their outcome says (message when none was sent).
func (s *Deliveries) settle(ctx context.Context, d Delivery, message string) (Delivery, error) {
	status, msg := outcome(d.Recipients, message)
	return s.finish(ctx, d, status, msg)
}

func (s *Deliveries) finish(ctx context.Context, d Delivery, status, message string) (Delivery, error) {
	now := s.now().UTC()
	d.Status, d.Error, d.FinishedAt, d.HeartbeatAt = status, message, now, now
	if err := s.store.SaveDelivery(ctx, d); err != nil {
		if ErrorCode(err) == CodeConflict {
			return d, nil
		}
		return d, fmt.Errorf("finish delivery: %w", err)
	}
	return d, nil
}

// reportExport is the export a schedule's delivery makes: the schedule's
// kind and team, the delivery's days in the schedule's time zone.
func reportExport(sc Schedule, d Delivery) Export {
	return Export{
		ID: d.ID, OrgID: d.OrgID, Kind: sc.Kind, TeamID: sc.TeamID,
		From: d.From, To: d.To, CreatedAt: d.CreatedAt, TimeZone: sc.TimeZone,
	}
}

// makeWorkbook writes the delivery's workbook with the exports' code into
// the file store, counting its bytes and keeping a copy only while it fits
// MaxAttachment. It sets Rows, Bytes and Attached, and returns the file
// when it is to be attached.
func (s *Deliveries) makeWorkbook(ctx context.Context, d *Delivery, sc Schedule) ([]byte, error) {
	e := reportExport(sc, *d)
	kept := &cappedBuffer{max: s.MaxAttachment}
	last := time.Now()
	rows, err := s.books.write(ctx, &e, d.FileKey(), kept, func(rows int) error {
		if rows%500 != 0 || time.Since(last) < ExportHeartbeat {
			return nil
		}
		last = time.Now()
		d.Rows, d.HeartbeatAt = rows, s.now().UTC()
		if err := s.store.SaveDelivery(ctx, *d); err != nil {
			if ErrorCode(err) == CodeConflict {
				return errDeliveryLost
			}
			return fmt.Errorf("save progress: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.Rows, d.Bytes, d.Attached = rows, kept.n, !kept.over
	d.HeartbeatAt = s.now().UTC()
	if kept.over {
		return nil, nil
	}
	return kept.data, nil
}

// cappedBuffer counts what is written to it and keeps it while it fits max.
type cappedBuffer struct {
	max  int64
	n    int64
	data []byte
	over bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	b.n += int64(len(p))
	switch {
	case b.over:
	case b.n > b.max:
		b.over, b.data = true, nil
	default:
		b.data = append(b.data, p...)
	}
	return len(p), nil
}

// DeliverySummary is what a report's mail says of its period: the totals of
// the activity aggregates and the most viewed courses.
type DeliverySummary struct {
	Usage
	// ActiveLearners is the distinct learners of the period's week, or of a
	// month's busiest week (distinct counts are kept per day and week).
	ActiveLearners int
	TopCourses     []CourseViewings
}

// CourseViewings is a course and how often its episodes were viewed.
type CourseViewings struct {
	Title    string
	Viewings int
}

// TopCourses is how many courses a report's mail names.
const TopCourses = 3

// summarize reads a delivery's summary: the organization's (or the team's)
// usage days and weeks of the period, and its viewings by course (pattern
// #19, the period's events, counted and dropped as they come).
func (s *Deliveries) summarize(ctx context.Context, sc Schedule, d Delivery) (DeliverySummary, error) {
	team := ""
	if sc.Kind == ExportTeamActivity {
		team = sc.TeamID
	}
	from, to := d.From.Format(DateLayout), d.To.Format(DateLayout)
	days, err := s.store.FindUsageDays(ctx, d.OrgID, team, "", from, to)
	if err != nil {
		return DeliverySummary{}, err
	}
	sum := DeliverySummary{Usage: sumUsage(days)}
	var weeks []UsagePeriod
	if team == "" {
		weeks, err = s.store.FindOrgUsageWeeks(ctx, d.OrgID, WeekOf(d.From), WeekOf(d.To))
	} else {
		weeks, err = s.store.FindTeamUsageWeeks(ctx, d.OrgID, team, WeekOf(d.From), WeekOf(d.To))
	}
	if err != nil {
		return DeliverySummary{}, err
	}
	for _, w := range weeks {
		sum.ActiveLearners = max(sum.ActiveLearners, w.ActiveLearners)
	}
	if sum.Viewings == 0 {
		return sum, nil
	}
	var members map[string]bool
	if team != "" {
		members = map[string]bool{}
		for _, status := range []string{StatusActive, StatusInvited, StatusInactive} {
			ids, err := s.store.FindTeamMemberIDs(ctx, d.OrgID, team, status)
			if err != nil {
				return DeliverySummary{}, err
			}
			for _, id := range ids {
				members[id] = true
			}
		}
	}
	loc := time.UTC
	if l, err := time.LoadLocation(sc.TimeZone); err == nil && sc.TimeZone != "" {
		loc = l
	} else if org, err := s.store.FindOrganization(ctx, d.OrgID); err == nil {
		loc = org.Location()
	}
	start := time.Date(d.From.Year(), d.From.Month(), d.From.Day(), 0, 0, 0, 0, loc)
	end := time.Date(d.To.Year(), d.To.Month(), d.To.Day()+1, 0, 0, 0, 0, loc)
	byCourse := map[string]int{}
	err = s.store.EachOrgEvent(ctx, d.OrgID, EventViewing, start, end, func(ev Event) error {
		if members == nil || members[ev.UserID] {
			byCourse[ev.CourseID]++
		}
		return nil
	})
	if err != nil {
		return DeliverySummary{}, err
	}
	items, err := s.store.FindCatalog(ctx)
	if err != nil {
		return DeliverySummary{}, err
	}
	titles := map[string]string{}
	for _, it := range items {
		titles[it.ID] = it.Title
	}
	ids := slices.Collect(maps.Keys(byCourse))
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(cmp.Compare(byCourse[b], byCourse[a]), cmp.Compare(titles[a], titles[b]), cmp.Compare(a, b))
	})
	for _, id := range ids[:min(TopCourses, len(ids))] {
		title := cmp.Or(titles[id], id)
		sum.TopCourses = append(sum.TopCourses, CourseViewings{Title: title, Viewings: byCourse[id]})
	}
	return sum, nil
}

// Download checks a mailed link's token and returns a fresh presigned URL
// of the delivery's file (DownloadURLTTL): not_found for a token the portal
// did not sign, or whose delivery (read in the organization it names) or
// file is not there; token_expired past its DeliveryLinkTTL.
func (s *Deliveries) Download(ctx context.Context, token string) (string, error) {
	ref, err := s.tokens.Check(token, s.now())
	if err != nil {
		return "", err
	}
	d, err := s.store.FindDelivery(ctx, ref.OrgID, ref.ScheduleID, ref.DeliveryID)
	if err != nil {
		return "", fmt.Errorf("download report: %w", err)
	}
	if d.Bytes == 0 {
		return "", NotFound("report")
	}
	e := Export{Kind: "report", From: d.From, To: d.To}
	if sc, err := s.store.FindSchedule(ctx, ref.OrgID, ref.ScheduleID); err == nil {
		e.Kind = sc.Kind
	} else if ErrorCode(err) != CodeNotFound {
		return "", fmt.Errorf("download report: %w", err)
	}
	url, err := s.files.DownloadURL(ctx, d.FileKey(), e.FileName(), DownloadURLTTL)
	if err != nil {
		return "", fmt.Errorf("download report: %w", err)
	}
	return url, nil
}

// Mail events: what SES reports of a mail after it was accepted.
const (
	MailEventBounce    = "Bounce"
	MailEventComplaint = "Complaint"
)

// Bounce types SES reports; only a permanent one stops a schedule mailing
// the address (a transient one, a full mailbox, may clear).
const (
	BouncePermanent = "Permanent"
	BounceTransient = "Transient"
)

// MailEvent is one bounce or complaint of a scheduled report's mail, as the
// edge read it from SES's event.
type MailEvent struct {
	// Type is MailEventBounce or MailEventComplaint.
	Type string
	// BounceType is BouncePermanent, BounceTransient or "Undetermined".
	BounceType string
	// Tags are the mail's (Mail.Tags): org, schedule, delivery.
	Tags map[string]string
	// Recipients are the addresses that bounced or complained, and why.
	Recipients []DeliveryRecipient
}

// RecordMailEvent marks the recipients of a bounce or complaint bounced on
// their delivery, and stops their schedule mailing them (a permanent bounce
// or a complaint). An event of no known delivery (another mail, a deleted
// schedule, expired records) is logged and dropped, not retried; one whose
// delivery is still running returns conflict, to be handled again later.
func (s *Deliveries) RecordMailEvent(ctx context.Context, ev MailEvent) error {
	ref := DeliveryRef{OrgID: ev.Tags[MailTagOrg], ScheduleID: ev.Tags[MailTagSchedule], DeliveryID: ev.Tags[MailTagDelivery]}
	if !ValidID(ref.OrgID) || !ValidID(ref.ScheduleID) || !ValidID(ref.DeliveryID) || len(ev.Recipients) == 0 {
		s.log.WarnContext(ctx, "mail event of no scheduled report dropped", "type", ev.Type)
		return nil
	}
	var suppress []string
	bounced := make([]DeliveryRecipient, len(ev.Recipients))
	for i, r := range ev.Recipients {
		bounced[i] = DeliveryRecipient{Address: r.Address, Status: RecipientBounced, Reason: r.Reason}
		if ev.Type == MailEventComplaint || ev.BounceType == BouncePermanent {
			suppress = append(suppress, r.Address)
		}
	}
	err := s.store.RecordBounces(ctx, ref, bounced, suppress)
	if ErrorCode(err) == CodeNotFound {
		s.log.WarnContext(ctx, "mail event of an unknown delivery dropped", "orgId", ref.OrgID,
			"scheduleId", ref.ScheduleID, "deliveryId", ref.DeliveryID, "type", ev.Type)
		return nil
	}
	if err != nil {
		return fmt.Errorf("record mail event: %w", err)
	}
	return nil
}

// Tags of a scheduled report's mail (Mail.Tags), which SES hands back in its
// events.
const (
	MailTagOrg      = "org"
	MailTagSchedule = "schedule"
	MailTagDelivery = "delivery"
)
