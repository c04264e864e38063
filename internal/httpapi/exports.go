package httpapi

import (
	"context"
	"net/http"
	"time"

	"proportal/internal/domain"
)

var (
	// CreateExport answers POST /api/exports.
	CreateExport = Action{"CreateExport", createExport}
	// GetExport answers GET /api/exports/{exportId}.
	GetExport = Action{"GetExport", getExport}
	// ListExports answers GET /api/exports.
	ListExports = Action{"ListExports", listExports}
)

type newExportJSON struct {
	Kind string `json:"kind"`
	// UserID, TeamID, AssignmentID: whose activity (user-, team-, assignment-activity only).
	UserID       string `json:"userId,omitempty"`
	TeamID       string `json:"teamId,omitempty"`
	AssignmentID string `json:"assignmentId,omitempty"`
	// ActorID, TargetID and AuditKind filter an audit export (each optional).
	ActorID   string `json:"actorId,omitempty"`
	TargetID  string `json:"targetId,omitempty"`
	AuditKind string `json:"auditKind,omitempty"`
	// From and To are days (yyyy-mm-dd); absent: the last 30 days (an audit
	// export: the last 366).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Days is an idle-seats export's period: 30, 60 or 90 (absent: 30).
	Days int `json:"days,omitempty"`
}

type exportJSON struct {
	ID string `json:"id"`
	// Kind is user-activity, team-activity, assignment-activity, viewings, assignments, labs, logins or audit.
	Kind         string `json:"kind"`
	UserID       string `json:"userId,omitempty"`
	TeamID       string `json:"teamId,omitempty"`
	AssignmentID string `json:"assignmentId,omitempty"`
	ActorID      string `json:"actorId,omitempty"`
	TargetID     string `json:"targetId,omitempty"`
	AuditKind    string `json:"auditKind,omitempty"`
	// From and To are the days covered (yyyy-mm-dd, both included, in the organization's time zone).
	From string `json:"from"`
	To   string `json:"to"`
	// Status is pending, running, done or failed.
	Status string `json:"status"`
	// Progress is the share done, 0 to 1.
	Progress   float64    `json:"progress"`
	Rows       int        `json:"rows"`
	CreatedAt  time.Time  `json:"createdAt"`
	FinishedAt *time.Time `json:"finishedAt,omitempty"`
	// ExpiresAt is when the file is deleted.
	ExpiresAt time.Time `json:"expiresAt"`
	// FileName is the name the download is saved as.
	FileName string `json:"fileName"`
	// Error says why a failed export failed, and what to do.
	Error string `json:"error,omitempty"`
	// DownloadURL fetches the file (from S3, another origin) for 15 minutes;
	// only GET /api/exports/{exportId} of a finished export has one.
	DownloadURL string `json:"downloadUrl,omitempty"`
}

func toExportJSON(e domain.Export, url string) exportJSON {
	out := exportJSON{
		ID: e.ID, Kind: e.Kind, UserID: e.UserID, TeamID: e.TeamID, AssignmentID: e.AssignmentID,
		ActorID: e.ActorID, TargetID: e.TargetID, AuditKind: e.AuditKind,
		From: e.From.Format(domain.DateLayout), To: e.To.Format(domain.DateLayout),
		Status: e.Status, Progress: e.Progress(), Rows: e.Rows, CreatedAt: e.CreatedAt,
		ExpiresAt: e.ExpiresAt(), FileName: e.FileName(), Error: e.Error, DownloadURL: url,
	}
	if !e.FinishedAt.IsZero() {
		out.FinishedAt = &e.FinishedAt
	}
	return out
}

func createExport(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in newExportJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		e, err := s.Exports.Create(ctx, r.principal, domain.ExportRequest{
			Kind: in.Kind, UserID: in.UserID, TeamID: in.TeamID, AssignmentID: in.AssignmentID, From: in.From, To: in.To,
			Days:    in.Days,
			ActorID: in.ActorID, TargetID: in.TargetID, AuditKind: in.AuditKind,
		})
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusAccepted, body: toExportJSON(e, "")}, nil
	}
}

func getExport(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		e, url, err := s.Exports.Get(ctx, r.principal, r.pathParam("exportId"))
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toExportJSON(e, url)}, nil
	}
}

func listExports(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		list, err := s.Exports.List(ctx, r.principal)
		if err != nil {
			return response{}, err
		}
		items := make([]exportJSON, len(list))
		for i, e := range list {
			items[i] = toExportJSON(e, "")
		}
		return response{status: http.StatusOK, body: map[string][]exportJSON{"items": items}}, nil
	}
}
