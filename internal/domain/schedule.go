package domain

import (
	"strings"
	"time"
)

// Report schedules (issue 11): an export made on a clock and mailed to
// recipients, who may have no portal account. This file is the vocabulary
// the schedules service (schedules.go), the delivery job (deliveries.go), the
// store and the edges share; docs/decisions.md ("Scheduled reports") says why.

// Frequencies of a schedule.
const (
	// Weekly runs on one weekday at the time of day.
	Weekly = "weekly"
	// Monthly runs on one day of the month at the time of day; a day past
	// the month's end (the 31st in February) runs on its last day.
	Monthly = "monthly"
)

// Periods a run covers, ending the day before the run's day (in the
// schedule's time zone).
const (
	// PeriodWeek is the last full week, Monday to Sunday.
	PeriodWeek = "week"
	// PeriodMonth is the last full calendar month.
	PeriodMonth = "month"
)

// ScheduleKinds are the export kinds a schedule may make: the organization's
// reports, or one team's activity (TeamID). A person's or an assignment's
// activity is asked for once, on their page, not scheduled.
var ScheduleKinds = []string{ExportViewings, ExportAssignments, ExportLabs, ExportLogins, ExportTeamActivity, ExportIdleSeats}

// Delivery statuses.
const (
	DeliveryPending   = "pending"   // claimed, queued for the job
	DeliveryRunning   = "running"   // the job is making or mailing it
	DeliveryDelivered = "delivered" // every recipient was sent the mail
	DeliveryPartial   = "partial"   // some recipients failed or bounced
	DeliveryFailed    = "failed"    // no mail went out; Error says why
)

// Recipient statuses, per delivery.
const (
	RecipientPending = "pending"
	RecipientSent    = "sent"
	RecipientFailed  = "failed"  // SES refused the mail; not retried
	RecipientBounced = "bounced" // SES reported a bounce or complaint later
)

// Delivery triggers.
const (
	TriggerSchedule = "schedule" // the dispatcher, at NextRunAt
	TriggerManual   = "manual"   // "send now"
)

// Limits and timings of scheduled reports.
const (
	// MaxRecipients is how many addresses a schedule mails.
	MaxRecipients = 20
	// MaxSchedules is how many schedules an organization may have.
	MaxSchedules = 50
	// RecentDeliveries is how many deliveries a schedule's page lists.
	RecentDeliveries = 20
	// DeliveryLinkTTL is how long a mailed download link works.
	DeliveryLinkTTL = 7 * 24 * time.Hour
	// MaxAttachmentBytes is the largest workbook mailed as an attachment;
	// a larger one is linked. SES takes 40 MB messages, but base64 grows a
	// file by a third and many receiving servers refuse mail over 10 MB.
	MaxAttachmentBytes = 7 << 20
	// DueLookback is how far back the dispatcher looks for due schedules
	// (the DUE# hours it queries) every minute.
	DueLookback = 24 * time.Hour
	// DeepLookback is how far back it looks once an hour (at minute
	// DeepSweepMinute), so that a schedule whose run was missed by a longer
	// outage of the dispatcher still runs, late, rather than never.
	DeepLookback = 8 * 24 * time.Hour
	// DeepSweepMinute is the minute of each hour the sweep looks back
	// DeepLookback.
	DeepSweepMinute = 30
)

// Schedule is a report made and mailed on a clock.
type Schedule struct {
	ID    string
	OrgID string
	// Name is the admin's label ("Weekly viewings for finance").
	Name string
	// Kind is one of ScheduleKinds; TeamID names the team of a team-activity one.
	Kind   string
	TeamID string
	// Frequency is Weekly or Monthly; Weekday is the day of a weekly one,
	// DayOfMonth (1–31) the day of a monthly one.
	Frequency  string
	Weekday    time.Weekday
	DayOfMonth int
	// Time is the time of day, "hh:mm" (24 h), in TimeZone (IANA).
	Time     string
	TimeZone string
	// Period is PeriodWeek or PeriodMonth.
	Period string
	// Recipients are the addresses mailed, lower-cased, at most MaxRecipients.
	Recipients []string
	// Bounced are the recipients SES reported bouncing: skipped until an
	// admin saves the schedule with them again.
	Bounced []string
	Paused  bool
	// NextRunAt is the next run's instant (UTC); zero while paused.
	NextRunAt time.Time
	// LastDelivery is the latest delivery's id, status and time, for lists.
	LastDeliveryID     string
	LastDeliveryStatus string
	LastDeliveryAt     time.Time
	CreatedBy          string
	CreatedAt          time.Time
	UpdatedAt          time.Time
	// Rev is the revision, for optimistic concurrency.
	Rev int
}

// ScheduleInput is what an admin sends to create or replace a schedule.
type ScheduleInput struct {
	Name       string
	Kind       string
	TeamID     string
	Frequency  string
	Weekday    string // "monday" … "sunday", for Weekly
	DayOfMonth int    // 1–31, for Monthly
	Time       string // "hh:mm"
	TimeZone   string // IANA; empty means the organization's
	Period     string
	Recipients []string
	Paused     bool
}

// DeliveryRecipient is one address of a delivery and what became of its mail.
type DeliveryRecipient struct {
	Address string
	Status  string
	// Reason says why a failed or bounced mail did not arrive, for people.
	Reason string
}

// Delivery is one run of a schedule: the workbook made and the mail sent.
type Delivery struct {
	ID         string
	OrgID      string
	ScheduleID string
	Trigger    string
	// ScheduledFor is the NextRunAt the dispatcher ran it for (zero for
	// "send now"); From and To are the days it covers (midnight UTC stands
	// for the day, as in Export).
	ScheduledFor time.Time
	From, To     time.Time
	Status       string
	Rows         int
	// Bytes is the workbook's size; Attached says it went as an attachment
	// (otherwise the mail links it).
	Bytes      int64
	Attached   bool
	Recipients []DeliveryRecipient
	Error      string
	CreatedAt  time.Time
	StartedAt  time.Time
	FinishedAt time.Time
	Attempts   int
	// Claim and HeartbeatAt are the running job's, as in Export.
	Claim       string
	HeartbeatAt time.Time
}

// FileKey is where the delivery's workbook is kept: under the organization's
// prefix, removed by the reports bucket's lifecycle rule for scheduled
// reports (ReportRetentionDays in template.yaml).
func (d Delivery) FileKey() string {
	return "orgs/" + d.OrgID + "/schedules/" + d.ScheduleID + "/" + d.ID + ".xlsx"
}

// DeliveryRef names a delivery in the queue message that hands it to the job.
type DeliveryRef struct {
	OrgID      string
	ScheduleID string
	DeliveryID string
}

// Message is the queue message of the delivery.
func (r DeliveryRef) Message() string { return r.OrgID + "/" + r.ScheduleID + "/" + r.DeliveryID }

// ParseDeliveryRef reads a queue message made by DeliveryRef.Message.
func ParseDeliveryRef(message string) (DeliveryRef, error) {
	parts := strings.Split(message, "/")
	if len(parts) != 3 || !ValidID(parts[0]) || !ValidID(parts[1]) || !ValidID(parts[2]) {
		return DeliveryRef{}, Errorf(CodeValidationFailed, "%q is not a delivery (org/schedule/delivery)", message)
	}
	return DeliveryRef{OrgID: parts[0], ScheduleID: parts[1], DeliveryID: parts[2]}, nil
}

// Attachment is a file sent with a Mail.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}
