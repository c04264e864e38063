package httpapi

import (
	"context"
	"net/http"
	"time"

	"proportal/internal/domain"
)

var (
	// CreateImport answers POST /api/imports: the upload's dry run.
	CreateImport = Action{"CreateImport", createImport}
	// GetImport answers GET /api/imports/{importId}.
	GetImport = Action{"GetImport", getImport}
	// ApplyImport answers POST /api/imports/{importId}/apply.
	ApplyImport = Action{"ApplyImport", applyImport}
)

// MaxImportBodyBytes is the largest CSV upload (domain.MaxImportBytes).
const MaxImportBodyBytes = domain.MaxImportBytes

type importRowErrorJSON struct {
	// Code is validation_failed, not_found, duplicate_row or email_in_use.
	Code string `json:"code"`
	// Field is the column at fault: firstName, lastName, email, access, team, action or row.
	Field   string `json:"field"`
	Message string `json:"message"`
}

type importRowJSON struct {
	// Row is the data row's number (1 after the header); Line the file's line.
	Row       int      `json:"row"`
	Line      int      `json:"line"`
	Cells     []string `json:"cells"`
	FirstName string   `json:"firstName"`
	LastName  string   `json:"lastName"`
	Email     string   `json:"email"`
	Access    string   `json:"access"`
	Team      string   `json:"team"`
	Action    string   `json:"action"`
	// Outcome is invite, access_added, team_changed, deactivate, no_change or error.
	Outcome string `json:"outcome"`
	Detail  string `json:"detail"`
	// SeatDelta is 1 when the row takes a seat, -1 when it frees one.
	SeatDelta int                 `json:"seatDelta"`
	Error     *importRowErrorJSON `json:"error,omitempty"`
	// Result is what applying the row did: invited, access_added,
	// team_changed, deactivated, no_change, skipped, seat_limit_reached or failed.
	Result        string `json:"result,omitempty"`
	ResultMessage string `json:"resultMessage,omitempty"`
}

type importCountsJSON struct {
	Invite      int `json:"invite"`
	AccessAdded int `json:"accessAdded"`
	TeamChanged int `json:"teamChanged"`
	Deactivate  int `json:"deactivate"`
	NoChange    int `json:"noChange"`
	Error       int `json:"error"`
}

type importResultsJSON struct {
	Invited     int `json:"invited"`
	AccessAdded int `json:"accessAdded"`
	TeamChanged int `json:"teamChanged"`
	Deactivated int `json:"deactivated"`
	NoChange    int `json:"noChange"`
	Skipped     int `json:"skipped"`
	SeatLimit   int `json:"seatLimitReached"`
	Failed      int `json:"failed"`
}

type importSeatsJSON struct {
	// Needed are the seats the rows take, Freed those they give back.
	Needed int `json:"needed"`
	Freed  int `json:"freed"`
	// Free are the seats free at the dry run, of Total.
	Free  int  `json:"free"`
	Total int  `json:"total"`
	Fits  bool `json:"fits"`
}

type importProgressJSON struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

type importJSON struct {
	ID       string `json:"id"`
	FileName string `json:"fileName"`
	// Status is dry_run, applying, done or failed.
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"createdAt"`
	// ApplyBy is when the dry run stops being appliable (an hour after it).
	ApplyBy    time.Time          `json:"applyBy"`
	AppliedAt  *time.Time         `json:"appliedAt,omitempty"`
	FinishedAt *time.Time         `json:"finishedAt,omitempty"`
	Progress   importProgressJSON `json:"progress"`
	Counts     importCountsJSON   `json:"counts"`
	Results    *importResultsJSON `json:"results,omitempty"`
	Seats      importSeatsJSON    `json:"seats"`
	Error      string             `json:"error,omitempty"`
	// Rows are a page of the rows; NextCursor continues them (?cursor=).
	Rows       []importRowJSON `json:"rows"`
	NextCursor string          `json:"nextCursor,omitempty"`
	// ResultURL downloads the result file (from S3, for 15 minutes) once done.
	ResultURL string `json:"resultUrl,omitempty"`
}

func toImportJSON(page domain.ImportPage) importJSON {
	imp := page.Import
	out := importJSON{
		ID: imp.ID, FileName: imp.FileName, Status: imp.Status, CreatedAt: imp.CreatedAt,
		ApplyBy:  imp.CreatedAt.Add(domain.ImportDryRunTTL),
		Progress: importProgressJSON{Done: imp.Done, Total: imp.Total},
		Counts: importCountsJSON{
			Invite: imp.Counts[domain.OutcomeInvite], AccessAdded: imp.Counts[domain.OutcomeAccessAdded],
			TeamChanged: imp.Counts[domain.OutcomeTeamChanged], Deactivate: imp.Counts[domain.OutcomeDeactivate],
			NoChange: imp.Counts[domain.OutcomeNoChange], Error: imp.Counts[domain.OutcomeError],
		},
		Seats:      importSeatsJSON{Needed: imp.Seats.Needed, Freed: imp.Seats.Freed, Free: imp.Seats.Free, Total: imp.Seats.Total, Fits: imp.Seats.Fits},
		Error:      imp.Error,
		Rows:       make([]importRowJSON, len(page.Rows)),
		NextCursor: page.NextCursor, ResultURL: page.ResultURL,
	}
	if !imp.AppliedAt.IsZero() {
		out.AppliedAt = &imp.AppliedAt
	}
	if !imp.FinishedAt.IsZero() {
		out.FinishedAt = &imp.FinishedAt
	}
	if imp.Results != nil {
		r := imp.Results
		out.Results = &importResultsJSON{
			Invited: r[domain.ResultInvited], AccessAdded: r[domain.ResultAccessAdded], TeamChanged: r[domain.ResultTeamChanged],
			Deactivated: r[domain.ResultDeactivated], NoChange: r[domain.ResultNoChange], Skipped: r[domain.ResultSkipped],
			SeatLimit: r[domain.ResultSeatLimit], Failed: r[domain.ResultFailed],
		}
	}
	for i, r := range page.Rows {
		row := importRowJSON{
			Row: r.Row, Line: r.Line, Cells: r.Cells, FirstName: r.FirstName, LastName: r.LastName, Email: r.Email,
			Access: r.Access, Team: r.Team, Action: r.Action, Outcome: r.Outcome, Detail: r.Detail,
			SeatDelta: r.SeatDelta, Result: r.Result, ResultMessage: r.ResultMessage,
		}
		if row.Cells == nil {
			row.Cells = []string{}
		}
		if r.Error != nil {
			row.Error = &importRowErrorJSON{Code: r.Error.Code, Field: r.Error.Field, Message: r.Error.Message}
		}
		out.Rows[i] = row
	}
	return out
}

func createImport(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		page, err := s.Imports.Create(ctx, r.principal, r.event.QueryStringParameters["fileName"], r.body)
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusCreated, body: toImportJSON(page)}, nil
	}
}

func getImport(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		page, err := s.Imports.Get(ctx, r.principal, r.pathParam("importId"), r.event.QueryStringParameters["cursor"])
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toImportJSON(page)}, nil
	}
}

func applyImport(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		imp, err := s.Imports.Apply(ctx, r.principal, r.pathParam("importId"))
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusAccepted, body: toImportJSON(domain.ImportPage{Import: imp})}, nil
	}
}
