package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"proportal/internal/domain"
)

var (
	// ListAudit answers GET /api/audit.
	ListAudit = Action{"ListAudit", listAudit}
	// GetSeatHistory answers GET /api/subscription/seat-history.
	GetSeatHistory = Action{"GetSeatHistory", getSeatHistory}
)

type auditActorJSON struct {
	// Kind is user, operator or platform.
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

type auditTargetJSON struct {
	// Kind is user, team, module, assignment, export, schedule, organization or import.
	Kind string `json:"kind"`
	ID   string `json:"id"`
	// Name and Email are the target's as they were at the time (Email: people only).
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

type auditChangeJSON struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

type auditEntryJSON struct {
	ID string    `json:"id"`
	At time.Time `json:"at"`
	// Kind is what was done: user.invited, team.renamed, ... (docs/api.md, "Audit log").
	Kind    string            `json:"kind"`
	Actor   auditActorJSON    `json:"actor"`
	Target  auditTargetJSON   `json:"target"`
	Changes []auditChangeJSON `json:"changes"`
	// Source is the address the change came from; empty for jobs and the operator tool.
	Source string `json:"source,omitempty"`
	// Via names the larger action the entry is part of ("import:<id>", "team-change:<id>").
	Via    string `json:"via,omitempty"`
	Detail string `json:"detail,omitempty"`
}

type auditPageJSON struct {
	Items      []auditEntryJSON `json:"items"`
	NextCursor string           `json:"nextCursor,omitempty"`
}

func toAuditEntryJSON(e domain.AuditEntry) auditEntryJSON {
	changes := make([]auditChangeJSON, len(e.Changes))
	for i, c := range e.Changes {
		changes[i] = auditChangeJSON{Field: c.Field, Before: c.Before, After: c.After}
	}
	return auditEntryJSON{
		ID: e.ID, At: e.At, Kind: e.Kind,
		Actor:   auditActorJSON{Kind: e.Actor.Kind, ID: e.Actor.ID, Name: e.Actor.Name, Email: e.Actor.Email},
		Target:  auditTargetJSON{Kind: e.Target.Kind, ID: e.Target.ID, Name: e.Target.Name, Email: e.Target.Email},
		Changes: changes, Source: e.Source, Via: e.Via, Detail: e.Detail,
	}
}

func listAudit(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		q := r.event.QueryStringParameters
		f := domain.AuditFilter{ActorID: q["actorId"], TargetID: q["targetId"], Kind: q["kind"], Cursor: q["cursor"]}
		probs := domain.Problems{}
		for field, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
			if raw := q[field]; raw != "" {
				d, err := time.Parse(domain.DateLayout, raw)
				if err != nil {
					probs.Add(field, "Write a day as yyyy-mm-dd.")
				}
				*dst = d
			}
		}
		if raw, ok := q["limit"]; ok {
			n, err := strconv.Atoi(raw)
			if err != nil {
				probs.Add("limit", "must be a whole number between 1 and 200")
			}
			f.Limit = n
		}
		if err := probs.Err(); err != nil {
			return response{}, err
		}
		page, err := s.AuditLog.List(ctx, r.principal, f)
		if err != nil {
			return response{}, err
		}
		items := make([]auditEntryJSON, len(page.Entries))
		for i, e := range page.Entries {
			items[i] = toAuditEntryJSON(e)
		}
		return response{status: http.StatusOK, body: auditPageJSON{Items: items, NextCursor: page.NextCursor}}, nil
	}
}

type seatDayJSON struct {
	// Date is the day (yyyy-mm-dd) in the organization's time zone.
	Date string `json:"date"`
	// Used is the seats used at the end of the day (today: now).
	Used int `json:"used"`
}

type seatHistoryJSON struct {
	// Days runs from the subscription's first day (or the oldest the audit
	// log keeps) to today or its last day, oldest first.
	Days       []seatDayJSON `json:"days"`
	SeatsTotal int           `json:"seatsTotal"`
}

func getSeatHistory(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		h, err := s.AuditLog.SeatHistory(ctx, r.principal)
		if err != nil {
			return response{}, err
		}
		days := make([]seatDayJSON, len(h.Days))
		for i, d := range h.Days {
			days[i] = seatDayJSON{Date: d.Date.Format(domain.DateLayout), Used: d.Used}
		}
		return response{status: http.StatusOK, body: seatHistoryJSON{Days: days, SeatsTotal: h.SeatsTotal}}, nil
	}
}
