package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"proportal/internal/domain"
)

var (
	// ListIdleSeats answers GET /api/idle-seats.
	ListIdleSeats = Action{"ListIdleSeats", listIdleSeats}
	// SetKeepSeat answers PUT /api/users/{userId}/keep-seat.
	SetKeepSeat = Action{"SetKeepSeat", setKeepSeat}
	// RemindIdleSeats answers POST /api/idle-seats/remind.
	RemindIdleSeats = Action{"RemindIdleSeats", remindIdleSeats}
	// DeactivateIdleSeats answers POST /api/idle-seats/deactivate.
	DeactivateIdleSeats = Action{"DeactivateIdleSeats", deactivateIdleSeats}
)

type teamRefJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type idleSeatJSON struct {
	User userJSON `json:"user"`
	// IdleSince is when the person was last seen (activity, sign-in, or
	// getting the seat).
	IdleSince    time.Time     `json:"idleSince"`
	LastActiveAt *time.Time    `json:"lastActiveAt"`
	InvitedAt    *time.Time    `json:"invitedAt"`
	RemindedAt   *time.Time    `json:"remindedAt"`
	KeepSeat     bool          `json:"keepSeat"`
	Teams        []teamRefJSON `json:"teams"`
}

type idlePageJSON struct {
	Items      []idleSeatJSON `json:"items"`
	NextCursor string         `json:"nextCursor,omitempty"`
}

func toIdleSeatJSON(s domain.IdleSeat) idleSeatJSON {
	last := s.User.LastActiveAt
	if s.User.LastLoginAt.After(last) {
		last = s.User.LastLoginAt
	}
	out := idleSeatJSON{
		User: toUserJSON(s.User), IdleSince: s.IdleSince.UTC(), LastActiveAt: optionalTime(last),
		InvitedAt: optionalTime(s.InvitedAt), RemindedAt: optionalTime(s.User.RemindedAt),
		KeepSeat: s.User.KeepSeat, Teams: []teamRefJSON{},
	}
	for _, t := range s.Teams {
		out.Teams = append(out.Teams, teamRefJSON{ID: t.ID, Name: t.Name})
	}
	return out
}

func listIdleSeats(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		q := r.event.QueryStringParameters
		f := domain.IdleFilter{Cursor: q["cursor"]}
		probs := domain.Problems{}
		for name, dst := range map[string]*int{"days": &f.Days, "limit": &f.Limit} {
			if raw, ok := q[name]; ok {
				n, err := strconv.Atoi(raw)
				if err != nil {
					probs.Add(name, "must be a whole number")
				}
				*dst = n
			}
		}
		switch q["exceptions"] {
		case "", "false":
		case "true":
			f.Exceptions = true
		default:
			probs.Add("exceptions", `must be "true" or "false"`)
		}
		if err := probs.Err(); err != nil {
			return response{}, err
		}
		page, err := s.IdleSeats.List(ctx, r.principal, f)
		if err != nil {
			return response{}, err
		}
		out := idlePageJSON{Items: make([]idleSeatJSON, 0, len(page.Items)), NextCursor: page.NextCursor}
		for _, it := range page.Items {
			out.Items = append(out.Items, toIdleSeatJSON(it))
		}
		return response{status: http.StatusOK, body: out}, nil
	}
}

type keepSeatJSON struct {
	Keep *bool `json:"keep"`
}

func setKeepSeat(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in keepSeatJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		if in.Keep == nil {
			return response{}, domain.Problems{"keep": "is required: true or false"}.Err()
		}
		u, err := s.IdleSeats.Keep(ctx, r.principal, r.pathParam("userId"), *in.Keep)
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toUserJSON(u)}, nil
	}
}

type userIDsJSON struct {
	UserIDs []string `json:"userIds"`
}

type idleResultJSON struct {
	UserID string     `json:"userId"`
	OK     bool       `json:"ok"`
	Error  *errorBody `json:"error,omitempty"`
}

type idleResultsJSON struct {
	Results []idleResultJSON `json:"results"`
}

func toIdleResults(results []domain.IdleResult) idleResultsJSON {
	out := idleResultsJSON{Results: make([]idleResultJSON, 0, len(results))}
	for _, res := range results {
		item := idleResultJSON{UserID: res.UserID, OK: res.Err == nil}
		if res.Err != nil {
			e, ok := errors.AsType[*domain.Error](res.Err)
			if !ok {
				e = domain.Errorf(domain.CodeInternal, "Internal error.")
			}
			item.Error = &errorBody{Code: e.Code, Message: e.Message}
		}
		out.Results = append(out.Results, item)
	}
	return out
}

// selectionAction decodes {userIds} and answers with the per-person results.
func selectionAction(status int, action func(context.Context, *domain.Principal, []string) ([]domain.IdleResult, error)) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in userIDsJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		results, err := action(ctx, r.principal, in.UserIDs)
		if err != nil {
			return response{}, err
		}
		return response{status: status, body: toIdleResults(results)}, nil
	}
}

func remindIdleSeats(s *Services) endpoint {
	return selectionAction(http.StatusAccepted, s.IdleSeats.Remind)
}

func deactivateIdleSeats(s *Services) endpoint {
	return selectionAction(http.StatusOK, s.IdleSeats.Deactivate)
}
