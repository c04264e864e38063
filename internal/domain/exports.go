package domain

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Kinds of export: one person's, team's or assignment's activity, and the
// organization-wide reports of the Reports page.
const (
	ExportUserActivity       = "user-activity"
	ExportTeamActivity       = "team-activity"
	ExportAssignmentActivity = "assignment-activity"
	ExportViewings           = "viewings"
	ExportAssignments        = "assignments"
	ExportLabs               = "labs"
	ExportLogins             = "logins"
	// ExportAudit is the audit log, with the Audit page's filters.
	ExportAudit = "audit"
)

// ExportKinds are the kinds of export, in the order the API documents them.
var ExportKinds = []string{
	ExportUserActivity, ExportTeamActivity, ExportAssignmentActivity,
	ExportViewings, ExportAssignments, ExportLabs, ExportLogins, ExportAudit,
}

// Export statuses.
const (
	ExportPending = "pending"
	ExportRunning = "running"
	ExportDone    = "done"
	ExportFailed  = "failed"
)

// Limits and timings of exports (docs/decisions.md, "Exports").
const (
	// MaxExportDays is the longest date range an export may cover: a year,
	// leap day included.
	MaxExportDays = 366
	// DefaultExportDays is the range of an export that names none: the last
	// 30 days, today included.
	DefaultExportDays = 30
	// RecentExports is how many exports the list shows, newest first.
	RecentExports = 20
	// ExportKept is how long an export's file (and its record) is kept: the
	// reports bucket's lifecycle rule deletes files after as long.
	ExportKept = 7 * 24 * time.Hour
	// DownloadURLTTL is how long a download link works once made.
	DownloadURLTTL = 15 * time.Minute
	// MaxExportAttempts is how many runs an export gets before it is failed.
	MaxExportAttempts = 3
	// ExportHeartbeat is how often a running export saves its progress.
	ExportHeartbeat = 3 * time.Second
	// ExportStale is how long a running export may go without saving its
	// progress before another run may take it over (its run died).
	ExportStale = 2 * time.Minute
	// MaxExportRows is the most data rows one export writes: the size the
	// RunExport function is sized for (template.yaml; docs/decisions.md).
	// Five sheets of a million rows, some 2.2 GB of sheet XML in /tmp and a
	// 215 MB file. A larger one fails and asks for a shorter range.
	MaxExportRows = 5_000_000
	// XLSXContentType is the media type of the workbooks.
	XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Export is one workbook asked for: what it covers, and how far its run is.
type Export struct {
	ID    string
	OrgID string
	Kind  string
	// UserID, TeamID and AssignmentID name what a user-, team- or
	// assignment-activity export is of.
	UserID       string
	TeamID       string
	AssignmentID string
	// ActorID, TargetID and AuditKind are an audit export's filters (each optional).
	ActorID   string
	TargetID  string
	AuditKind string
	// From and To are the days the export covers, both included, in the
	// organization's time zone (midnight UTC stands for the day).
	From, To time.Time
	Status   string
	// Rows counts the data rows written so far; ExpectedRows is how many
	// the run expects (from the activity aggregates), for the progress.
	Rows         int
	ExpectedRows int
	CreatedBy    string
	CreatedAt    time.Time
	StartedAt    time.Time
	FinishedAt   time.Time
	// Error says why a failed export failed, for people.
	Error string
	// Attempts counts the runs that claimed the export.
	Attempts int
	// Claim is the running run's random token: only it may save progress
	// or finish the export.
	Claim string
	// HeartbeatAt is when the running run last saved its progress.
	HeartbeatAt time.Time
	// TimeZone is the IANA zone From and To are days in; empty for the
	// organization's (a scheduled report's is its schedule's). Not stored.
	TimeZone string
}

// Progress is the share of the export done, 0 to 1.
func (e Export) Progress() float64 {
	switch {
	case e.Status == ExportDone:
		return 1
	case e.ExpectedRows <= 0 || e.Status != ExportRunning:
		return 0
	}
	return min(float64(e.Rows)/float64(e.ExpectedRows), 0.99)
}

// ExpiresAt is when the export's file is deleted.
func (e Export) ExpiresAt() time.Time { return e.CreatedAt.Add(ExportKept) }

// FileKey is where the workbook is kept in the reports bucket: under the
// organization's prefix.
func (e Export) FileKey() string { return "orgs/" + e.OrgID + "/exports/" + e.ID + ".xlsx" }

// FileName is the name a download saves the workbook as.
func (e Export) FileName() string {
	return "proportal-" + e.Kind + "-" + e.From.Format(DateLayout) + "-to-" + e.To.Format(DateLayout) + ".xlsx"
}

// ExportRef names an export, in the message that hands it to the job.
type ExportRef struct {
	OrgID    string
	ExportID string
}

// Message is the queue message of the export.
func (r ExportRef) Message() string { return r.OrgID + "/" + r.ExportID }

// ParseExportRef reads a queue message made by ExportRef.Message.
func ParseExportRef(message string) (ExportRef, error) {
	org, id, ok := strings.Cut(message, "/")
	if !ok || !ValidID(org) || !ValidID(id) {
		return ExportRef{}, Errorf(CodeValidationFailed, "%q is not an export (org/export)", message)
	}
	return ExportRef{OrgID: org, ExportID: id}, nil
}

// ExportRequest is what an admin asks for.
type ExportRequest struct {
	Kind         string
	UserID       string
	TeamID       string
	AssignmentID string
	// ActorID, TargetID and AuditKind filter an audit export (each optional).
	ActorID   string
	TargetID  string
	AuditKind string
	// From and To are days (yyyy-mm-dd); empty picks the last
	// DefaultExportDays days (and a missing From, DefaultExportDays before To;
	// MaxExportDays for an audit export, the whole log an export may cover).
	From, To string
}

// FileStore keeps export files (internal/s3 in the reports bucket).
type FileStore interface {
	// Put stores what body yields under key, streaming it: the file is never
	// held whole in memory. A download saves it as fileName.
	Put(ctx context.Context, key, fileName, contentType string, body io.Reader) error
	// DownloadURL returns a link that fetches the file at key for ttl,
	// saved under fileName.
	DownloadURL(ctx context.Context, key, fileName string, ttl time.Duration) (string, error)
}

// ReportReads are the reads a workbook is made of, whether an admin asked
// for it (Exports) or a schedule did (Deliveries).
type ReportReads interface {
	FindOrganization(ctx context.Context, orgID string) (Organization, error)
	FindUserByID(ctx context.Context, orgID, userID string) (User, error)
	FindTeam(ctx context.Context, orgID, teamID string) (Team, error)
	FindAssignment(ctx context.Context, orgID, assignmentID string) (Assignment, error)
	ExportReads
}

// ExportStore is the persistence the exports need: their records, and the
// reads their workbooks are made of.
type ExportStore interface {

	// CreateExport stores a new export.
	// CreateExport stores a new export with its audit entry, in one
	// transaction.
	CreateExport(ctx context.Context, e Export, audit AuditEntry) error
	// FindExport returns one export of an organization (not_found otherwise).
	FindExport(ctx context.Context, orgID, exportID string) (Export, error)
	// FindExports returns an organization's latest exports, newest first.
	FindExports(ctx context.Context, orgID string, limit int) ([]Export, error)
	// ClaimExport makes e running under e.Claim, on condition that it is
	// pending, or running with a heartbeat before staleBefore; conflict when
	// it is not. It returns the export as claimed.
	ClaimExport(ctx context.Context, e Export, staleBefore time.Time) (Export, error)
	// SaveExport writes e's status, rows, heartbeat, finish and error, on
	// condition that its claim is still e.Claim (conflict otherwise).
	SaveExport(ctx context.Context, e Export) error

	ReportReads
}

// ExportReads are the reads exports make of activity, people and the
// catalog. Each Each... calls fn in order and stops at its first error.
type ExportReads interface {
	// EachOrgEvent calls fn with an organization's events of a kind in
	// [from, to), oldest first.
	EachOrgEvent(ctx context.Context, orgID, kind string, from, to time.Time, fn func(Event) error) error
	// EachUserEvent calls fn with a learner's events of a kind in [from, to), oldest first.
	EachUserEvent(ctx context.Context, orgID, userID, kind string, from, to time.Time, fn func(Event) error) error
	// EachUser calls fn with every user of an organization, in name order.
	EachUser(ctx context.Context, orgID string, fn func(User) error) error
	// FindUsageDays returns the usage of the days from..to (yyyy-mm-dd, both
	// included) of an organization (teamID and userID ""), a team or a learner.
	FindUsageDays(ctx context.Context, orgID, teamID, userID, from, to string) ([]UsagePeriod, error)
	FindCatalog(ctx context.Context) ([]CatalogItem, error)
	FindTeamMemberIDs(ctx context.Context, orgID, teamID, status string) ([]string, error)
	FindAssignees(ctx context.Context, orgID, assignmentID string, q AssigneeQuery) ([]Assignee, string, error)
	FindAssignments(ctx context.Context, orgID, status string, limit int, after string) ([]Assignment, string, error)
	FindTeams(ctx context.Context, orgID string) ([]Team, error)
	// FindAuditEntries returns a page of audit entries, newest first (AuditStore).
	FindAuditEntries(ctx context.Context, orgID string, q AuditQuery) ([]AuditEntry, string, error)
	// AuditRetention is how long audit entries are kept.
	AuditRetention() time.Duration
}

// Exports makes Excel workbooks of activity: a request records the export
// and queues it; the ExportActivity job writes the workbook to the file store.
type Exports struct {
	store ExportStore
	queue Queue
	files FileStore
	books *workbooks
	now   Clock
	log   *slog.Logger
}

// NewExports returns the exports service. queue hands new exports to the
// job; files keeps the workbooks; writer writes them (only the job needs it,
// and only the job's function links it: the others pass nil).
func NewExports(store ExportStore, queue Queue, files FileStore, writer ReportWriter, now Clock, log *slog.Logger) *Exports {
	return &Exports{store: store, queue: queue, files: files, books: newWorkbooks(store, files, writer, now), now: now, log: log}
}

// Create validates and records an export and hands it to the job. Bad input
// is refused before anything is written: an unknown kind, a missing or
// unknown user, team or assignment (another organization's is not_found), a
// malformed day, from after to, or a range over MaxExportDays.
func (s *Exports) Create(ctx context.Context, p *Principal, in ExportRequest) (Export, error) {
	probs := Problems{}
	if !slices.Contains(ExportKinds, in.Kind) {
		probs.Add("kind", "Choose one of "+strings.Join(ExportKinds, ", ")+".")
	}
	need := map[string]string{ExportUserActivity: "userId", ExportTeamActivity: "teamId", ExportAssignmentActivity: "assignmentId"}[in.Kind]
	given := map[string]string{"userId": in.UserID, "teamId": in.TeamID, "assignmentId": in.AssignmentID}
	for field, v := range given {
		switch {
		case field == need && v == "":
			probs.Add(field, "Say whose activity to export.")
		case field != need && v != "":
			probs.Add(field, "Only a "+exportKindOf(field)+" export takes "+field+".")
		}
	}
	auditFilters := map[string]string{"actorId": in.ActorID, "targetId": in.TargetID, "auditKind": in.AuditKind}
	if in.Kind == ExportAudit {
		audit := Problems{}
		checkAuditFilters(audit, in.ActorID, in.TargetID, in.AuditKind, time.Time{}, time.Time{})
		for field, msg := range audit {
			if field == "kind" {
				field = "auditKind" // the export's own kind is "kind"
			}
			probs.Add(field, msg)
		}
	} else {
		for field, v := range auditFilters {
			if v != "" {
				probs.Add(field, "Only an audit export takes "+field+".")
			}
		}
	}
	org, err := s.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return Export{}, fmt.Errorf("create export: %w", err)
	}
	fromIn := in.From
	if in.Kind == ExportAudit && fromIn == "" {
		last := DayIn(s.now(), org.Location())
		if d, err := time.Parse(DateLayout, in.To); err == nil {
			last = d
		}
		fromIn = last.AddDate(0, 0, -(MaxExportDays - 1)).Format(DateLayout)
	}
	from, to := exportRange(probs, fromIn, in.To, s.now(), org.Location())
	if err := probs.Err(); err != nil {
		return Export{}, err
	}
	// of names what the export is of, for the audit entry.
	of := ""
	switch in.Kind {
	case ExportUserActivity:
		u, err := findUser(ctx, s.store, p, in.UserID)
		if err != nil {
			return Export{}, err
		}
		of = u.FullName()
	case ExportTeamActivity:
		if !ValidID(in.TeamID) {
			return Export{}, NotFound("team")
		}
		t, err := s.store.FindTeam(ctx, p.OrgID(), in.TeamID)
		if err != nil {
			return Export{}, fmt.Errorf("create export: %w", err)
		}
		of = t.Name
	case ExportAssignmentActivity:
		if !ValidID(in.AssignmentID) {
			return Export{}, NotFound("assignment")
		}
		a, err := s.store.FindAssignment(ctx, p.OrgID(), in.AssignmentID)
		if err != nil {
			return Export{}, fmt.Errorf("create export: %w", err)
		}
		of = a.ModuleName
	}
	e := Export{
		ID: NewID(), OrgID: p.OrgID(), Kind: in.Kind,
		UserID: in.UserID, TeamID: in.TeamID, AssignmentID: in.AssignmentID,
		ActorID: in.ActorID, TargetID: in.TargetID, AuditKind: in.AuditKind,
		From: from, To: to, Status: ExportPending,
		CreatedBy: p.User.ID, CreatedAt: s.now().UTC(),
	}
	audit := NewAuditEntry(p, AuditExportCreated, AuditTarget{Kind: TargetExport, ID: e.ID, Name: e.Kind}, e.CreatedAt)
	audit.Detail = exportDetail(e, of)
	if err := s.store.CreateExport(ctx, e, audit); err != nil {
		return Export{}, fmt.Errorf("create export: %w", err)
	}
	if err := s.queue.Send(ctx, ExportRef{OrgID: e.OrgID, ExportID: e.ID}.Message()); err != nil {
		// The record stays pending; it says so, and a new export can be asked for.
		e.Status, e.Error, e.FinishedAt = ExportFailed, "The export could not be started. Try again.", s.now().UTC()
		if serr := s.store.SaveExport(ctx, e); serr != nil {
			s.log.ErrorContext(ctx, "export: record a failed start", "exportId", e.ID, "error", serr)
		}
		return Export{}, fmt.Errorf("create export: queue it: %w", err)
	}
	return e, nil
}

// exportDetail is an export's audit detail: its kind and period, and what
// it is of ("user-activity of Ada Lovelace, 2026-03-01 to 2026-03-31").
func exportDetail(e Export, of string) string {
	d := e.Kind
	if of != "" {
		d += " of " + of
	}
	if !e.From.IsZero() || !e.To.IsZero() {
		d += fmt.Sprintf(", %s to %s", e.From.Format(DateLayout), e.To.Format(DateLayout))
	}
	return d
}

func exportKindOf(field string) string {
	switch field {
	case "userId":
		return ExportUserActivity
	case "teamId":
		return ExportTeamActivity
	default:
		return ExportAssignmentActivity
	}
}

// exportRange reads the days an export covers, recording what is wrong.
func exportRange(probs Problems, fromIn, toIn string, now time.Time, loc *time.Location) (from, to time.Time) {
	today := DayIn(now, loc)
	day := func(field, s string, fallback time.Time) time.Time {
		if s == "" {
			return fallback
		}
		d, err := time.Parse(DateLayout, s)
		if err != nil {
			probs.Add(field, "Write a day as yyyy-mm-dd.")
			return fallback
		}
		return d
	}
	to = day("to", toIn, today)
	from = day("from", fromIn, to.AddDate(0, 0, -(DefaultExportDays-1)))
	switch {
	case from.After(to):
		probs.Add("from", "The first day must not be after the last.")
	case to.Sub(from) >= MaxExportDays*24*time.Hour:
		probs.Add("to", fmt.Sprintf("An export covers at most %d days.", MaxExportDays))
	}
	return from, to
}

// Get returns one export of the principal's organization; a download link
// (made now, working for DownloadURLTTL) comes with a finished one.
func (s *Exports) Get(ctx context.Context, p *Principal, exportID string) (Export, string, error) {
	if !ValidID(exportID) {
		return Export{}, "", NotFound("export")
	}
	e, err := s.store.FindExport(ctx, p.OrgID(), exportID)
	if err != nil {
		return Export{}, "", fmt.Errorf("get export: %w", err)
	}
	if e.Status != ExportDone || !s.now().Before(e.ExpiresAt()) {
		return e, "", nil
	}
	url, err := s.files.DownloadURL(ctx, e.FileKey(), e.FileName(), DownloadURLTTL)
	if err != nil {
		return Export{}, "", fmt.Errorf("get export: %w", err)
	}
	return e, url, nil
}

// List returns the organization's RecentExports latest exports, newest
// first, leaving out those whose files are gone.
func (s *Exports) List(ctx context.Context, p *Principal) ([]Export, error) {
	list, err := s.store.FindExports(ctx, p.OrgID(), RecentExports)
	if err != nil {
		return nil, fmt.Errorf("list exports: %w", err)
	}
	now := s.now()
	return slices.DeleteFunc(list, func(e Export) bool { return !now.Before(e.ExpiresAt()) }), nil
}

// errExportLost is a run that found another one had taken its export over.
var errExportLost = errors.New("another run took the export over")

// errTooLarge is an export of more than MaxExportRows rows.
var errTooLarge = fmt.Errorf("the export has more than %d rows", MaxExportRows)

// tooLargeMessage is what a too large export says.
const tooLargeMessage = "This export would have more than 5,000,000 rows, more than a workbook should hold. Choose a shorter range."

// Run makes an export's workbook (the ExportActivity job). It is idempotent:
// a finished export is left as it is, one running elsewhere (a duplicate
// message) is left to that run, and one whose run died (no progress saved
// for ExportStale) is taken over. A failed run gives the export back for the
// queue's retry, up to MaxExportAttempts runs; then the export is failed.
func (s *Exports) Run(ctx context.Context, ref ExportRef) (Export, error) {
	e, err := s.store.FindExport(ctx, ref.OrgID, ref.ExportID)
	if err != nil {
		return Export{}, fmt.Errorf("run export: %w", err)
	}
	now := s.now().UTC()
	switch {
	case e.Status == ExportDone || e.Status == ExportFailed:
		return e, nil
	case e.Status == ExportRunning && now.Sub(e.HeartbeatAt) < ExportStale:
		return e, nil
	}
	if e.Attempts >= MaxExportAttempts {
		// The last run died without a word: fail the export, under a claim
		// of its own so that it cannot race another taker.
		e, err = s.store.ClaimExport(ctx, withClaim(e, now), now.Add(-ExportStale))
		if err != nil {
			return e, s.lostOr(err)
		}
		return s.finish(ctx, e, ExportFailed, "The export could not be made. Try again; if it fails again, choose a shorter range.")
	}
	e, err = s.store.ClaimExport(ctx, withClaim(e, now), now.Add(-ExportStale))
	if err != nil {
		return e, s.lostOr(err)
	}
	rows, werr := s.write(ctx, &e)
	if werr == nil {
		e.Rows = rows
		return s.finish(ctx, e, ExportDone, "")
	}
	if errors.Is(werr, errExportLost) {
		return e, nil
	}
	if errors.Is(werr, errTooLarge) {
		return s.finish(ctx, e, ExportFailed, tooLargeMessage)
	}
	s.log.ErrorContext(ctx, "export run failed", "exportId", e.ID, "attempt", e.Attempts, "error", werr)
	if e.Attempts >= MaxExportAttempts {
		return s.finish(ctx, e, ExportFailed, "The export could not be made. Try again; if it fails again, choose a shorter range.")
	}
	e.Status, e.Rows = ExportPending, 0
	if err := s.store.SaveExport(ctx, e); err != nil && ErrorCode(err) != CodeConflict {
		return e, fmt.Errorf("run export: give it back: %w", err)
	}
	return e, fmt.Errorf("run export %s (attempt %d): %w", e.ID, e.Attempts, werr)
}

// lostOr is nil for a claim another run won (nothing to do), and err otherwise.
func (s *Exports) lostOr(err error) error {
	if ErrorCode(err) == CodeConflict {
		return nil
	}
	return fmt.Errorf("run export: claim: %w", err)
}

func withClaim(e Export, now time.Time) Export {
	b := make([]byte, 12)
	rand.Read(b)
	e.Claim, e.HeartbeatAt, e.StartedAt = hex.EncodeToString(b), now, now
	return e
}

func (s *Exports) finish(ctx context.Context, e Export, status, message string) (Export, error) {
	e.Status, e.Error, e.FinishedAt, e.HeartbeatAt = status, message, s.now().UTC(), s.now().UTC()
	if err := s.store.SaveExport(ctx, e); err != nil {
		if ErrorCode(err) == CodeConflict {
			return e, nil
		}
		return e, fmt.Errorf("finish export: %w", err)
	}
	return e, nil
}

// write writes the export's workbook into the file store, saving its
// progress every ExportHeartbeat on condition of its claim. It returns the
// data rows written.
func (s *Exports) write(ctx context.Context, e *Export) (int, error) {
	last := time.Now()
	return s.books.write(ctx, e, e.FileKey(), nil, func(rows int) error {
		if rows%500 != 0 || time.Since(last) < ExportHeartbeat {
			return nil
		}
		last = time.Now()
		e.Rows, e.HeartbeatAt = rows, s.now().UTC()
		if err := s.store.SaveExport(ctx, *e); err != nil {
			if ErrorCode(err) == CodeConflict {
				return errExportLost
			}
			return fmt.Errorf("save progress: %w", err)
		}
		return nil
	})
}
