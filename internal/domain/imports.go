package domain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Import statuses.
const (
	// ImportDryRun: read and planned, nothing changed; it may be applied
	// within ImportDryRunTTL.
	ImportDryRun = "dry_run"
	// ImportApplying: the RunImport job is applying its rows.
	ImportApplying = "applying"
	// ImportDone: every row was applied or reported; the result file exists.
	ImportDone = "done"
	// ImportFailed: the job gave up (the rows applied so far stay applied).
	ImportFailed = "failed"
)

// Outcomes of a dry run's rows: what applying the row would do.
const (
	OutcomeInvite      = "invite"
	OutcomeAccessAdded = "access_added"
	OutcomeTeamChanged = "team_changed"
	OutcomeDeactivate  = "deactivate"
	OutcomeNoChange    = "no_change"
	OutcomeError       = "error"
)

// Results of applied rows: the result file's status column.
const (
	ResultInvited     = "invited"
	ResultAccessAdded = "access_added"
	ResultTeamChanged = "team_changed"
	ResultDeactivated = "deactivated"
	ResultNoChange    = "no_change"
	ResultSkipped     = "skipped"            // the dry run found an error in the row
	ResultSeatLimit   = "seat_limit_reached" // no seat was free by the row's turn
	ResultFailed      = "failed"             // the row's change was refused (its message says why)
)

// Error codes of imports: a row repeating an email, and an apply refused
// because the dry run was applied already (409) or is too old (410).
const (
	CodeDuplicateRow  = "duplicate_row"
	CodeImportApplied = "import_applied"
	CodeImportStale   = "import_stale"
)

// ErrRowDone is a row whose marker exists: another run applied it already.
var ErrRowDone = &Error{Code: CodeConflict, Message: "This row was applied already."}

// Timings and sizes of imports.
const (
	// ImportDryRunTTL is how long a dry run may be applied: what is applied
	// is what was shown, not long ago.
	ImportDryRunTTL = time.Hour
	// ImportKept is how long an import's record and result file are kept.
	ImportKept = 7 * 24 * time.Hour
	// ImportBatch is how many rows the job reads at once (their people, in
	// one BatchGetItem of emails and one of users).
	ImportBatch = 100
	// ImportPageRows is the most rows a page of an import holds (a page is
	// one stored part of the plan; parts are smaller when rows are long).
	ImportPageRows = 500
	// CSVContentType is the media type of uploads and result files.
	CSVContentType = "text/csv; charset=utf-8"
)

// ImportRowError is why a row cannot be applied: a code, the column at
// fault and a message for people.
type ImportRowError struct {
	Code    string
	Field   string
	Message string
}

// ImportRow is one row of an upload with its plan (the dry run's outcome)
// and, once applied, its result.
type ImportRow struct {
	// Row is the data row's number (1 for the first after the header); Line
	// is the file's line it starts on.
	Row   int
	Line  int
	Cells []string
	// The recognized columns as read (Email normalized when valid).
	FirstName, LastName, Email, Access, Team, Action string
	// TeamID is the team the Team column names.
	TeamID string
	// UserID is the person the row is about, when they exist.
	UserID  string
	Outcome string
	// Detail says in words what the outcome changes.
	Detail string
	// SeatDelta is +1 when the row takes a seat, -1 when it frees one.
	SeatDelta int
	Error     *ImportRowError
	// Result and ResultMessage are what applying the row did ("" before).
	Result        string
	ResultMessage string
}

// ImportSeats is a dry run's seat arithmetic.
type ImportSeats struct {
	// Needed are the seats the rows take; Freed the ones they give back.
	Needed int
	Freed  int
	// Free are the seats free now, of Total.
	Free  int
	Total int
	// Fits: Needed − Freed ≤ Free. The job applies the rows that free seats
	// first, then the rest in the file's order.
	Fits bool
}

// Import is one upload: its dry run, and its application.
type Import struct {
	ID       string
	OrgID    string
	FileName string
	Status   string
	// Header and Separator are the upload's, for the result file.
	Header    []string
	Separator string
	// Total is the number of rows; Done how many the job has finished.
	Total int
	Done  int
	// Counts are the dry run's rows by outcome; Results the applied rows by result.
	Counts  map[string]int
	Results map[string]int
	Seats   ImportSeats
	// Parts are the first row of each stored part of the plan (a page).
	Parts       []int
	CreatedBy   string
	CreatedAt   time.Time
	AppliedBy   string
	AppliedAt   time.Time
	AppliedFrom string
	FinishedAt  time.Time
	Error       string
}

// Stale reports whether the dry run is too old to apply.
func (i Import) Stale(now time.Time) bool { return now.Sub(i.CreatedAt) > ImportDryRunTTL }

// Progress is the share of rows done, 0 to 1.
func (i Import) Progress() float64 {
	switch {
	case i.Status == ImportDone:
		return 1
	case i.Total == 0:
		return 0
	}
	return float64(i.Done) / float64(i.Total)
}

// ResultKey is where the result file is kept in the reports bucket.
func (i Import) ResultKey() string { return "orgs/" + i.OrgID + "/imports/" + i.ID + ".csv" }

// ResultFileName is the name the result file downloads as.
func (i Import) ResultFileName() string {
	base := strings.TrimSuffix(strings.TrimSuffix(i.FileName, ".csv"), ".CSV")
	if base == "" {
		base = "import"
	}
	return base + "-result.csv"
}

// ImportRef names an import, in the message that hands it to the job.
type ImportRef struct {
	OrgID    string
	ImportID string
}

// Message is the queue message of the import.
func (r ImportRef) Message() string { return r.OrgID + "/" + r.ImportID }

// ParseImportRef reads a queue message made by ImportRef.Message.
func ParseImportRef(message string) (ImportRef, error) {
	org, id, ok := strings.Cut(message, "/")
	if !ok || !ValidID(org) || !ValidID(id) {
		return ImportRef{}, Errorf(CodeValidationFailed, "%q is not an import (org/import)", message)
	}
	return ImportRef{OrgID: org, ImportID: id}, nil
}

// ImportStore is the persistence imports need.
type ImportStore interface {
	FindUserCounts(ctx context.Context, orgID string) (UserCounts, error)
	FindTeams(ctx context.Context, orgID string) ([]Team, error)
	FindUserByID(ctx context.Context, orgID, userID string) (User, error)
	// FindUsersByEmail returns the people with these (normalized) emails,
	// in whichever organization, by email.
	FindUsersByEmail(ctx context.Context, emails []string) (map[string]User, error)
	// CreateImport stores a dry run: its record and its plan, in parts of
	// at most ImportPageRows rows, in one transaction. It returns the
	// import with its Parts.
	CreateImport(ctx context.Context, imp Import, rows []ImportRow) (Import, error)
	FindImport(ctx context.Context, orgID, importID string) (Import, error)
	// FindImportRows returns the rows of one part, with their results.
	FindImportRows(ctx context.Context, imp Import, part int) ([]ImportRow, error)
	// FindImportPlan returns every row, with the results of those applied.
	FindImportPlan(ctx context.Context, imp Import) ([]ImportRow, error)
	// StartImport makes a dry run applying, with its audit entry, on
	// condition that it is a dry run created at or after notBefore
	// (import_applied, import_stale otherwise).
	StartImport(ctx context.Context, imp Import, notBefore time.Time, audit AuditEntry) error
	// ApplyImportRow writes a row's change (nil for none) and its result:
	// one transaction of the change, its audit entry, the row's marker (put
	// only if new: a row is never done twice, conflict) and the import's
	// progress. The change's own refusals come back as they are.
	ApplyImportRow(ctx context.Context, imp Import, row ImportRow, change *UserChange) error
	// MarkImportRows writes the results of rows that change nothing (at most
	// 99): their markers and the import's progress, one transaction.
	MarkImportRows(ctx context.Context, imp Import, rows []ImportRow) error
	// FinishImport saves the import's status, error and finish, on
	// condition that it is applying (conflict otherwise).
	FinishImport(ctx context.Context, imp Import) error
}

// ImportFiles keeps result files and hands out links to them.
type ImportFiles interface {
	Put(ctx context.Context, key, fileName, contentType string, body io.Reader) error
	DownloadURL(ctx context.Context, key, fileName string, ttl time.Duration) (string, error)
}

// Imports are bulk changes of people from a CSV upload: a dry run that
// changes nothing, and its application by the RunImport job.
type Imports struct {
	store     ImportStore
	passwords *Passwords
	queue     Queue
	files     ImportFiles
	cursors   Cursors
	now       Clock
	log       *slog.Logger
}

// NewImports returns the imports service: passwords makes and mails invite
// links, queue hands applied imports to the job, files keeps result files.
func NewImports(store ImportStore, passwords *Passwords, queue Queue, files ImportFiles, cursors Cursors, now Clock, log *slog.Logger) *Imports {
	return &Imports{store: store, passwords: passwords, queue: queue, files: files, cursors: cursors, now: now, log: log}
}

// ImportPage is an import with a page of its rows.
type ImportPage struct {
	Import Import
	Rows   []ImportRow
	// NextCursor continues the rows ("" after the last page).
	NextCursor string
	// ResultURL downloads the result file of a done import.
	ResultURL string
}

// Create reads an upload and stores its dry run: per row what applying it
// would do, or why it cannot be applied, and the seat arithmetic. It
// changes no person or team. Reads: the subscription's counts, the teams,
// and the rows' people by email (one BatchGetItem per 100, and one for the
// users found); writes: one transaction.
func (s *Imports) Create(ctx context.Context, p *Principal, fileName string, data []byte) (ImportPage, error) {
	f, err := ParseImportCSV(data)
	if err != nil {
		return ImportPage{}, err
	}
	fileName = cleanFileName(fileName)
	counts, err := s.store.FindUserCounts(ctx, p.OrgID())
	if err != nil {
		return ImportPage{}, fmt.Errorf("dry run: %w", err)
	}
	teams, err := s.teamsByName(ctx, p.OrgID())
	if err != nil {
		return ImportPage{}, err
	}
	var emails []string
	for _, l := range f.Rows {
		if e, ok := NormalizeEmail(l.Email); ok {
			emails = append(emails, e)
		}
	}
	people, err := s.store.FindUsersByEmail(ctx, uniq(emails))
	if err != nil {
		return ImportPage{}, fmt.Errorf("dry run: %w", err)
	}
	rows := make([]ImportRow, len(f.Rows))
	seen := map[string]int{}
	imp := Import{
		ID: NewID(), OrgID: p.OrgID(), FileName: fileName, Status: ImportDryRun,
		Header: f.Header, Separator: string(f.Separator), Total: len(f.Rows),
		Counts: map[string]int{}, CreatedBy: p.User.ID, CreatedAt: s.now().UTC(),
	}
	for i, l := range f.Rows {
		row := planRow(p.OrgID(), l, teams)
		if _, ok := NormalizeEmail(l.Email); ok {
			if first, dup := seen[row.Email]; dup {
				row.Error = nil
				row.fail(CodeDuplicateRow, "email", fmt.Sprintf("Row %d has the same email; each person may appear once.", first))
			} else {
				seen[row.Email] = row.Row
			}
		}
		if row.Error == nil {
			var existing *User
			if u, ok := people[row.Email]; ok {
				existing = &u
			}
			d := decide(p.OrgID(), &row, existing)
			row.Outcome, row.Detail, row.SeatDelta = d.outcome, d.detail, d.seatDelta
		}
		if row.Error != nil {
			row.Outcome, row.SeatDelta = OutcomeError, 0
		}
		imp.Counts[row.Outcome]++
		switch {
		case row.SeatDelta > 0:
			imp.Seats.Needed++
		case row.SeatDelta < 0:
			imp.Seats.Freed++
		}
		rows[i] = row
	}
	imp.Seats.Total, imp.Seats.Free = counts.SeatsTotal, max(counts.SeatsTotal-counts.SeatsUsed, 0)
	imp.Seats.Fits = imp.Seats.Needed-imp.Seats.Freed <= imp.Seats.Free
	imp, err = s.store.CreateImport(ctx, imp, rows)
	if err != nil {
		return ImportPage{}, fmt.Errorf("dry run: %w", err)
	}
	end := len(rows)
	if len(imp.Parts) > 1 {
		end = imp.Parts[1] - 1
	}
	return ImportPage{Import: imp, Rows: rows[:end], NextCursor: s.partCursor(imp, 1)}, nil
}

// cleanFileName keeps a file name short and printable, for the result's name.
func cleanFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < ' ' || r == '/' || r == '\\' || r == '"' || bidiControl(r) {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100])
	}
	if name == "" {
		return "import.csv"
	}
	return name
}

func uniq(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// teamsByName maps each team's name key (TeamNameKey) to the team.
func (s *Imports) teamsByName(ctx context.Context, orgID string) (map[string]Team, error) {
	list, err := s.store.FindTeams(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("read teams: %w", err)
	}
	out := make(map[string]Team, len(list))
	for _, t := range list {
		if !t.Deleting {
			out[TeamNameKey(t.Name)] = t
		}
	}
	return out, nil
}

func (r *ImportRow) fail(code, field, message string) {
	if r.Error == nil {
		r.Error = &ImportRowError{Code: code, Field: field, Message: message}
	}
}

// planRow checks a row on its own (columns, email, team): what needs no
// person read. The row's error is set when it is wrong.
func planRow(orgID string, l ImportLine, teams map[string]Team) ImportRow {
	row := ImportRow{
		Row: l.Row, Line: l.Line, Cells: l.Cells, FirstName: l.FirstName, LastName: l.LastName,
		Email: l.Email, Access: l.Access, Team: l.Team, Action: l.Action,
	}
	if l.Problem != "" {
		row.fail(CodeValidationFailed, l.ProblemField, "The row "+l.Problem+".")
		return row
	}
	switch l.Action {
	case "", ImportInvite, ImportUpdate, ImportDeactivate:
	default:
		row.fail(CodeValidationFailed, "action", `The action must be "invite", "update", "deactivate" or empty.`)
	}
	switch l.Access {
	case "", AccessSubscription, AccessAdmin, AccessBoth, AccessNone:
	default:
		row.fail(CodeValidationFailed, "access", `The access must be "subscription", "admin", "both", "none" or empty.`)
	}
	if l.Access == AccessNone && (l.Action == ImportInvite || l.Action == ImportUpdate) {
		row.fail(CodeValidationFailed, "access", `Access "none" takes the seat back: use it with the action "deactivate" or an empty action.`)
	}
	email, problem := EmailProblem(l.Email)
	if problem != "" {
		row.fail(CodeValidationFailed, "email", "The email "+problem+".")
	} else {
		row.Email = email
	}
	if l.Team != "" {
		t, ok := teams[TeamNameKey(l.Team)]
		if !ok {
			row.fail(CodeNotFound, "team", fmt.Sprintf("There is no team named %q; create it on the Teams page first, or leave the cell empty.", l.Team))
		}
		row.TeamID = t.ID
	}
	return row
}

// decision is what a row does to a person as they are now.
type decision struct {
	outcome   string
	detail    string
	seatDelta int
	auditKind string
	// before and after are the person's change (after.ID "" for no change).
	before, after User
	// invite: a new invite link goes with the change.
	invite bool
}

// decide works out what a row does to existing (nil: nobody has the email).
// The dry run shows it; the job decides again with the person as they are
// when the row's turn comes, so a row never undoes what happened since.
// A row's error is set on row.
func decide(orgID string, row *ImportRow, existing *User) decision {
	action := row.Action
	if row.Access == AccessNone {
		action = ImportDeactivate
	}
	if existing != nil && existing.OrgID != orgID {
		row.fail(CodeEmailInUse, "email", "This email has an account with another organization.")
		return decision{}
	}
	if existing == nil {
		if action == ImportUpdate || action == ImportDeactivate {
			row.fail(CodeNotFound, "email", "No one in your organization has this email; to invite them, leave the action empty or write \"invite\".")
			return decision{}
		}
		probs := Problems{}
		checkName(probs, "firstName", row.FirstName)
		checkName(probs, "lastName", row.LastName)
		for _, field := range []string{"firstName", "lastName"} {
			if msg, bad := probs[field]; bad {
				words := map[string]string{"firstName": "first name", "lastName": "last name"}[field]
				row.fail(CodeValidationFailed, field, "The "+words+" "+msg+" to invite someone new.")
				return decision{}
			}
		}
		access := row.Access
		if access == "" {
			access = AccessSubscription
		}
		u := User{
			OrgID: orgID, FirstName: row.FirstName, LastName: row.LastName, Email: row.Email,
			Seat: access == AccessSubscription || access == AccessBoth, Admin: access == AccessAdmin || access == AccessBoth,
		}
		if row.TeamID != "" {
			u.TeamIDs = []string{row.TeamID}
		}
		u.settle()
		return decision{outcome: OutcomeInvite, detail: inviteDetail(access, row.Team), seatDelta: b2int(u.Seat),
			auditKind: AuditUserInvited, after: u, invite: true}
	}
	u := *existing
	row.UserID = u.ID
	after := u
	if action == ImportDeactivate {
		after.Seat = false
		after.settle()
		if u.Seat == after.Seat {
			return decision{outcome: OutcomeNoChange, detail: "Has no seat already."}
		}
		if after.Status == StatusInactive {
			after.InviteTokenHash, after.ResetTokenHash = "", ""
		}
		return decision{outcome: OutcomeDeactivate, detail: "The seat is taken back.", seatDelta: -1,
			auditKind: AuditUserDeactivated, before: u, after: after}
	}
	after.Seat = u.Seat || row.Access == AccessSubscription || row.Access == AccessBoth
	after.Admin = u.Admin || row.Access == AccessAdmin || row.Access == AccessBoth
	joins := row.TeamID != "" && !u.InTeam(row.TeamID)
	if joins {
		after.TeamIDs = append(slices.Clone(u.TeamIDs), row.TeamID)
	}
	after.settle()
	var what []string
	if after.Seat && !u.Seat {
		what = append(what, "gets a seat")
	}
	if after.Admin && !u.Admin {
		what = append(what, "gets admin rights")
	}
	reinvite := u.Status == StatusInactive && after.Status == StatusInvited
	switch {
	case len(what) > 0:
		if joins {
			what = append(what, "joins "+row.Team)
		}
		return decision{outcome: OutcomeAccessAdded, detail: sentence(what), seatDelta: SeatDelta(u, after),
			auditKind: AuditUserAccessAdded, before: u, after: after, invite: reinvite}
	case joins:
		return decision{outcome: OutcomeTeamChanged, detail: sentence([]string{"joins " + row.Team}),
			auditKind: AuditUserTeamsChanged, before: u, after: after}
	}
	return decision{outcome: OutcomeNoChange, detail: "Has this access already."}
}

func inviteDetail(access, team string) string {
	d := map[string]string{
		AccessSubscription: "Invited with a seat",
		AccessAdmin:        "Invited as an admin, without a seat",
		AccessBoth:         "Invited with a seat and admin rights",
	}[access]
	if team != "" {
		d += ", into " + team
	}
	return d + "."
}

func sentence(parts []string) string {
	s := strings.Join(parts, ", ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func b2int(b bool) int {
	if b {
		return 1
	}
	return 0
}

// partCursor is the cursor of an import's part, "" past the last.
func (s *Imports) partCursor(imp Import, part int) string {
	if part >= len(imp.Parts) {
		return ""
	}
	return s.cursors.Seal(imp.OrgID, "import:"+imp.ID, strconv.Itoa(part))
}

// Get returns an import of the principal's organization with a page of its
// rows (the first, or the cursor's), and the result file's link once done.
func (s *Imports) Get(ctx context.Context, p *Principal, importID, cursor string) (ImportPage, error) {
	if !ValidID(importID) {
		return ImportPage{}, NotFound("import")
	}
	pos, err := s.cursors.Open(p.OrgID(), "import:"+importID, cursor)
	if err != nil {
		return ImportPage{}, err
	}
	imp, err := s.store.FindImport(ctx, p.OrgID(), importID)
	if err != nil {
		return ImportPage{}, fmt.Errorf("get import: %w", err)
	}
	part := 0
	if pos != "" {
		part, err = strconv.Atoi(pos)
		if err != nil || part < 0 || part >= len(imp.Parts) {
			return ImportPage{}, Problems{"cursor": "is not a cursor of this list; start from the first page"}.Err()
		}
	}
	rows, err := s.store.FindImportRows(ctx, imp, part)
	if err != nil {
		return ImportPage{}, fmt.Errorf("get import: %w", err)
	}
	page := ImportPage{Import: imp, Rows: rows, NextCursor: s.partCursor(imp, part+1)}
	if imp.Status == ImportDone && s.now().Before(imp.FinishedAt.Add(ImportKept)) {
		page.ResultURL, err = s.files.DownloadURL(ctx, imp.ResultKey(), imp.ResultFileName(), DownloadURLTTL)
		if err != nil {
			return ImportPage{}, fmt.Errorf("get import: %w", err)
		}
	}
	return page, nil
}

// Apply sets a dry run going: the RunImport job applies its rows. Only a
// dry run may be applied (import_applied), within ImportDryRunTTL of its
// upload (import_stale: upload the file again). The import.applied audit
// entry is written with the change of status.
func (s *Imports) Apply(ctx context.Context, p *Principal, importID string) (Import, error) {
	if !ValidID(importID) {
		return Import{}, NotFound("import")
	}
	imp, err := s.store.FindImport(ctx, p.OrgID(), importID)
	if err != nil {
		return Import{}, fmt.Errorf("apply import: %w", err)
	}
	now := s.now().UTC()
	switch {
	case imp.Status != ImportDryRun:
		return Import{}, errApplied()
	case imp.Stale(now):
		return Import{}, errStale()
	}
	entry := NewAuditEntry(p, AuditImportApplied, AuditTarget{Kind: TargetImport, ID: imp.ID, Name: imp.FileName}, now)
	entry.Detail = importSummary(imp)
	imp.Status, imp.AppliedBy, imp.AppliedAt, imp.AppliedFrom = ImportApplying, p.User.ID, now, p.Source
	if err := s.store.StartImport(ctx, imp, now.Add(-ImportDryRunTTL), entry); err != nil {
		return Import{}, fmt.Errorf("apply import: %w", err)
	}
	if err := s.queue.Send(ctx, ImportRef{OrgID: imp.OrgID, ImportID: imp.ID}.Message()); err != nil {
		imp.Status, imp.Error, imp.FinishedAt = ImportFailed, "The import could not be started; upload the file again.", now
		if ferr := s.store.FinishImport(ctx, imp); ferr != nil {
			s.log.ErrorContext(ctx, "import: record a failed start", "importId", imp.ID, "error", ferr)
		}
		return Import{}, fmt.Errorf("apply import: queue it: %w", err)
	}
	return imp, nil
}

func errApplied() error {
	return Errorf(CodeImportApplied, "This upload has been applied already; upload the file again for a new dry run.")
}

func errStale() error {
	return Errorf(CodeImportStale, "This dry run is more than an hour old; upload the file again for a fresh one.")
}

// importSummary is an import's dry run in a few words, for its audit entry.
func importSummary(imp Import) string {
	parts := []string{fmt.Sprintf("%d rows", imp.Total)}
	for _, o := range []string{OutcomeInvite, OutcomeAccessAdded, OutcomeTeamChanged, OutcomeDeactivate, OutcomeNoChange, OutcomeError} {
		if n := imp.Counts[o]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", o, n))
		}
	}
	return imp.FileName + ": " + strings.Join(parts, ", ")
}

// Run applies an import's rows (the RunImport job), in batches of
// ImportBatch: the rows that free a seat first, then the others in the
// file's order. Each row is one transaction with its audit entry and its
// marker, so a run that stops anywhere resumes, at the next message, with
// the rows not yet marked, and none is done twice. A row that finds no seat
// free is reported seat_limit_reached, never forced. At the end the result
// file (the upload with a status column) goes to the file store and the
// import is done.
func (s *Imports) Run(ctx context.Context, ref ImportRef) (Import, error) {
	imp, err := s.store.FindImport(ctx, ref.OrgID, ref.ImportID)
	if err != nil {
		return Import{}, fmt.Errorf("run import: %w", err)
	}
	if imp.Status != ImportApplying {
		return imp, nil
	}
	rows, err := s.store.FindImportPlan(ctx, imp)
	if err != nil {
		return imp, fmt.Errorf("run import %s: %w", imp.ID, err)
	}
	admin, err := s.store.FindUserByID(ctx, imp.OrgID, imp.AppliedBy)
	if err != nil {
		return imp, fmt.Errorf("run import %s: the admin who applied it: %w", imp.ID, err)
	}
	p := &Principal{Session: Session{OrgID: imp.OrgID, UserID: admin.ID}, User: admin, Source: imp.AppliedFrom}
	var todo []*ImportRow
	for _, freeing := range []bool{true, false} {
		for i := range rows {
			if r := &rows[i]; r.Result == "" && (r.SeatDelta < 0) == freeing {
				todo = append(todo, r)
			}
		}
	}
	for start := 0; start < len(todo); start += ImportBatch {
		if err := s.runBatch(ctx, p, imp, todo[start:min(start+ImportBatch, len(todo))]); err != nil {
			return imp, fmt.Errorf("run import %s: %w", imp.ID, err)
		}
	}
	var buf bytes.Buffer
	buf.Write(bomUTF8)
	out := make([][]string, len(rows))
	results := map[string]int{}
	for i, r := range rows {
		cells := slices.Clone(r.Cells)
		for len(cells) < len(imp.Header) {
			cells = append(cells, "")
		}
		out[i] = append(cells, resultText(r))
		results[r.Result]++
	}
	if err := WriteImportResult(&buf, imp.Header, []rune(imp.Separator + ",")[0], out); err != nil {
		return imp, fmt.Errorf("run import %s: %w", imp.ID, err)
	}
	if err := s.files.Put(ctx, imp.ResultKey(), imp.ResultFileName(), CSVContentType, &buf); err != nil {
		return imp, fmt.Errorf("run import %s: store the result: %w", imp.ID, err)
	}
	imp.Status, imp.Done, imp.Results, imp.FinishedAt = ImportDone, len(rows), results, s.now().UTC()
	if err := s.store.FinishImport(ctx, imp); err != nil && ErrorCode(err) != CodeConflict {
		return imp, fmt.Errorf("run import %s: finish: %w", imp.ID, err)
	}
	return imp, nil
}

// resultText is a row's status column.
func resultText(r ImportRow) string {
	if r.ResultMessage == "" {
		return r.Result
	}
	return r.Result + ": " + r.ResultMessage
}

// runBatch applies a batch of rows: their people read at once, each change
// one transaction, the rows that change nothing marked together.
func (s *Imports) runBatch(ctx context.Context, p *Principal, imp Import, batch []*ImportRow) error {
	var emails []string
	for _, r := range batch {
		if r.Error == nil {
			emails = append(emails, r.Email)
		}
	}
	people, err := s.store.FindUsersByEmail(ctx, uniq(emails))
	if err != nil {
		return fmt.Errorf("read the batch's people: %w", err)
	}
	var quiet []ImportRow
	flush := func() error {
		if len(quiet) == 0 {
			return nil
		}
		if err := s.store.MarkImportRows(ctx, imp, quiet); err != nil {
			return fmt.Errorf("mark rows: %w", err)
		}
		quiet = quiet[:0]
		return nil
	}
	for _, r := range batch {
		if r.Error != nil {
			r.Result, r.ResultMessage = ResultSkipped, r.Error.Message
			quiet = append(quiet, *r)
			continue
		}
		var existing *User
		if u, ok := people[r.Email]; ok {
			existing = &u
		}
		changed, err := s.applyRow(ctx, p, imp, r, existing)
		if err != nil {
			return fmt.Errorf("row %d: %w", r.Row, err)
		}
		if !changed {
			quiet = append(quiet, *r)
		}
		if len(quiet) >= 99 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// applyRow decides a row against the person as they are and writes its
// change with its result. It reports whether it wrote; a row that changes
// nothing (or was refused) is left with its result for MarkImportRows.
func (s *Imports) applyRow(ctx context.Context, p *Principal, imp Import, r *ImportRow, existing *User) (bool, error) {
	for attempt := 0; ; attempt++ {
		probe := *r
		probe.Error = nil
		d := decide(imp.OrgID, &probe, existing)
		if probe.Error != nil {
			r.Result, r.ResultMessage = ResultFailed, probe.Error.Message
			return false, nil
		}
		if d.after.OrgID == "" {
			r.Result = ResultNoChange
			return false, nil
		}
		r.UserID = probe.UserID
		change, token := s.rowChange(p, imp, d)
		r.Result, r.ResultMessage = resultOf(d.outcome), ""
		err := s.store.ApplyImportRow(ctx, imp, *r, &change)
		switch {
		case err == nil:
			if d.invite {
				saved := change.After
				saved.Revision = change.Before.Revision + 1
				if merr := s.passwords.sendLink(ctx, p, saved, "invite", token, change.PutToken.ExpiresAt); merr != nil {
					s.log.ErrorContext(ctx, "import: invite mail", "importId", imp.ID, "row", r.Row, "error", merr)
				}
			}
			return true, nil
		case ErrorCode(err) == CodeSeatLimitReached:
			r.Result, r.ResultMessage = ResultSeatLimit, "No seat was free by this row's turn; free a seat or add seats, then upload the row again."
			return false, nil
		case errors.Is(err, ErrRowDone):
			// Another run did this row already.
			return true, nil
		case errors.Is(err, ErrUserChanged) || ErrorCode(err) == CodeEmailInUse:
			if attempt > 0 {
				r.Result, r.ResultMessage = ResultFailed, "Someone changed this person at the same time; upload the row again."
				return false, nil
			}
			// Someone changed or created the person meanwhile: decide again.
			found, ferr := s.store.FindUsersByEmail(ctx, []string{r.Email})
			if ferr != nil {
				return false, ferr
			}
			existing = nil
			if u, ok := found[r.Email]; ok {
				existing = &u
			}
		case ErrorCode(err) != CodeInternal:
			e, _ := errors.AsType[*Error](err)
			r.Result, r.ResultMessage = ResultFailed, e.Message
			return false, nil
		default:
			return false, err
		}
	}
}

// rowChange is the user change of a decision, with its audit entry (Via
// "import:<id>") and, for an invite, its link; it returns the link's token.
func (s *Imports) rowChange(p *Principal, imp Import, d decision) (UserChange, string) {
	now := s.now()
	after := d.after
	if after.ID == "" {
		after.ID, after.CreatedAt = NewID(), now
	}
	c := UserChange{Before: d.before, After: after}
	var token string
	if d.invite {
		var link OneTimeToken
		token, link = s.passwords.newLink(after, PurposeInvite, now)
		c.After.InviteTokenHash, c.PutToken = link.Hash, &link
		c.DropTokens = nonEmpty(d.before.InviteTokenHash)
	}
	if d.outcome == OutcomeDeactivate {
		c.DropTokens = nonEmpty(d.before.InviteTokenHash, d.before.ResetTokenHash)
	}
	entry := NewAuditEntry(p, d.auditKind, UserTarget(c.After), now)
	entry.Changes, entry.SeatDelta, entry.Via = UserChanges(d.before, c.After), SeatDelta(d.before, c.After), "import:"+imp.ID
	c.Audit = &entry
	return c, token
}

func resultOf(outcome string) string {
	return map[string]string{
		OutcomeInvite: ResultInvited, OutcomeAccessAdded: ResultAccessAdded,
		OutcomeTeamChanged: ResultTeamChanged, OutcomeDeactivate: ResultDeactivated,
	}[outcome]
}
