package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"proportal/internal/domain"
)

// IngestEvents answers POST /api/ingest/events: the learning platform's
// activity, authorized by its key (docs/api.md).
var IngestEvents = Action{"IngestEvents", ingestEvents}

// MaxIngestBodyBytes is the largest body of a batch of events: 500 events of
// some 300 bytes fit with room to spare.
const MaxIngestBodyBytes = 1 << 20

// servePlatform runs a Platform route: its key comes from "Authorization:
// Bearer" only. A session cookie is never looked at, and a session token in
// the header is simply not a platform key.
func servePlatform(ctx context.Context, rt Route, s *Services, ep endpoint, req *request) (response, error) {
	key, byBearer := bearerToken(req.event)
	if err := refuseForgery(rt, s.PortalOrigin, req.event, byBearer); err != nil {
		return response{}, err
	}
	if !byBearer || key == "" {
		return response{}, domain.Errorf(domain.CodeUnauthorized, "Send the platform key in Authorization: Bearer.")
	}
	p, err := s.Platforms.Authenticate(ctx, key)
	if err != nil {
		return response{}, err
	}
	req.platform = &p
	return ep(ctx, req)
}

// bearerToken is the token of "Authorization: Bearer", and whether there was one.
func bearerToken(ev *events.APIGatewayV2HTTPRequest) (string, bool) {
	token, byCookie := sessionToken(ev)
	if token == "" || byCookie {
		return "", false
	}
	return token, true
}

// eventJSON is one event of a batch, as the platform sends it.
type eventJSON struct {
	ID        string `json:"id"`
	OrgID     string `json:"orgId"`
	UserID    string `json:"userId"`
	Kind      string `json:"kind"`
	At        string `json:"at"`
	CourseID  string `json:"courseId"`
	EpisodeID string `json:"episodeId"`
	Seconds   *int   `json:"seconds"`
	Completed bool   `json:"completed"`
	LabID     string `json:"labId"`
	Status    string `json:"status"`
	Score     *int   `json:"score"`
}

type rejectionJSON struct {
	Index   int    `json:"index"`
	Code    string `json:"code"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ingestJSON is the answer to a batch: what was counted now, what had been
// counted before, and why each rejected event was refused.
type ingestJSON struct {
	Accepted   int             `json:"accepted"`
	Duplicates int             `json:"duplicates"`
	Rejected   []rejectionJSON `json:"rejected"`
}

// ingestErrorJSON is the answer when no event of a batch could be kept: the
// usual error, and the rejections.
type ingestErrorJSON struct {
	Error errorBody `json:"error"`
	ingestJSON
}

func ingestEvents(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in struct {
			Events *[]json.RawMessage `json:"events"`
		}
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		if in.Events == nil {
			return response{}, domain.Problems{"events": "is required: a list of events"}.Err()
		}
		raw := *in.Events
		if len(raw) > domain.MaxIngestBatch {
			return response{}, domain.Errorf(domain.CodePayloadTooLarge, "A batch holds at most %d events; send the rest in another.", domain.MaxIngestBatch)
		}
		events := make([]domain.EventInput, len(raw))
		for i, msg := range raw {
			var e eventJSON
			events[i] = domain.EventInput{Index: i}
			if err := json.Unmarshal(msg, &e); err != nil {
				events[i].BadField, events[i].BadMessage = "event", "must be a JSON object"
				if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" {
					events[i].BadField, events[i].BadMessage = te.Field, "must be "+jsonKind(te.Type)
				}
				continue
			}
			events[i] = domain.EventInput{
				Index: i, ID: e.ID, OrgID: e.OrgID, UserID: e.UserID, Kind: e.Kind, At: e.At,
				CourseID: e.CourseID, EpisodeID: e.EpisodeID, Seconds: e.Seconds, Completed: e.Completed,
				LabID: e.LabID, Status: e.Status, Score: e.Score,
			}
		}
		res, err := s.Ingest.Ingest(ctx, *r.platform, events)
		out := ingestJSON{Accepted: res.Accepted, Duplicates: res.Duplicates, Rejected: []rejectionJSON{}}
		for _, rj := range res.Rejected {
			out.Rejected = append(out.Rejected, rejectionJSON{Index: rj.Index, Code: rj.Code, Field: rj.Field, Message: rj.Message})
		}
		if e, ok := errors.AsType[*domain.Error](err); ok && e.Code == domain.CodeValidationFailed && len(res.Rejected) > 0 {
			return response{status: http.StatusBadRequest, body: ingestErrorJSON{
				Error: errorBody{Code: e.Code, Message: e.Message, Fields: e.Fields}, ingestJSON: out,
			}}, nil
		}
		if err != nil && (domain.ErrorCode(err) == domain.CodeUnavailable || ctx.Err() != nil) {
			// Too many conflicts, or out of time: part of the batch may be
			// counted already (its first transactions). The answer says how
			// much, and the batch sent again finds those events duplicates.
			msg := "ProPortal is not answering in time; send the batch again."
			if e, ok := errors.AsType[*domain.Error](err); ok && e.Code == domain.CodeUnavailable {
				msg = e.Message
			}
			return response{status: http.StatusServiceUnavailable, headers: map[string]string{"Retry-After": "5"},
				body: ingestErrorJSON{Error: errorBody{Code: domain.CodeUnavailable, Message: msg}, ingestJSON: out}}, nil
		}
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: out}, nil
	}
}
