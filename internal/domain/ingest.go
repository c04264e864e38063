package domain

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Limits of ingested events (docs/api.md, POST /api/ingest/events).
const (
	// MaxClockSkew is how far in the future an event's time may be: the
	// platform's clock may run a little ahead of ours.
	MaxClockSkew = 5 * time.Minute
	// MaxViewingSeconds bounds the seconds of one viewing: the longest an
	// episode may be (the catalog's limit).
	MaxViewingSeconds = maxEpisodeSeconds
	// maxEventID bounds an event's id.
	maxEventID = 128
)

// Codes of a rejected event (Rejection.Code).
const (
	// RejectInvalid: a field is missing or malformed (the id, the kind, the
	// time, the seconds, a lab's status or score).
	RejectInvalid = "invalid"
	// RejectUnknownOrganization: no organization has the event's orgId.
	RejectUnknownOrganization = "unknown_organization"
	// RejectUnknownUser: the organization has no user with the event's userId.
	RejectUnknownUser = "unknown_user"
	// RejectUnknownItem: the catalog has no such episode of that course, or
	// no such lab.
	RejectUnknownItem = "unknown_catalog_item"
	// RejectInFuture: the event's time is later than now plus MaxClockSkew.
	RejectInFuture = "in_future"
	// RejectBeforeOrganization: the event's time is before the organization
	// was created.
	RejectBeforeOrganization = "before_organization"
)

// EventInput is one event as the platform sent it, before it is checked.
// Index is its place in the batch, which rejections name.
type EventInput struct {
	Index     int
	ID        string
	OrgID     string
	UserID    string
	Kind      string
	At        string
	CourseID  string
	EpisodeID string
	Seconds   *int
	Completed bool
	LabID     string
	Status    string
	Score     *int
	// BadField and BadMessage, when set, say that the event could not even
	// be decoded (a field of the wrong JSON type): it is rejected as invalid.
	BadField   string
	BadMessage string
}

// Rejection says why one event of a batch was not kept.
type Rejection struct {
	Index   int
	Code    string
	Field   string
	Message string
}

// IngestResult is what became of a batch: Accepted events were counted now,
// Duplicates had been counted before (or came twice in the batch), Rejected
// were refused and written nowhere.
type IngestResult struct {
	Accepted   int
	Duplicates int
	Rejected   []Rejection
}

// ActivityEvent is a checked event with where it counts: its day and week
// (the week's Monday) in the organization's time zone, as yyyy-mm-dd, and
// the teams its learner is in.
type ActivityEvent struct {
	Event
	Day     string
	Week    string
	TeamIDs []string
}

// Active says whether the event makes its learner active in its day and
// week: viewings and labs do, sign-ins do not.
func (e Event) Active() bool { return e.Kind == EventViewing || e.Kind == EventLab }

// UsageOf is what one event adds to the usage of its day and week (and to
// its learner's): ActiveLearners is left to the distinct count.
func UsageOf(e Event) Usage {
	switch e.Kind {
	case EventViewing:
		return Usage{Viewings: 1, Seconds: e.Seconds, Completed: b2i(e.Completed)}
	case EventLab:
		if e.Status == LabCompleted {
			return Usage{LabsCompleted: 1}
		}
		return Usage{LabsStarted: 1}
	default:
		return Usage{Logins: 1}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Add adds u's counters to v's.
func (v *Usage) Add(u Usage) {
	v.Viewings += u.Viewings
	v.Seconds += u.Seconds
	v.Completed += u.Completed
	v.LabsStarted += u.LabsStarted
	v.LabsCompleted += u.LabsCompleted
	v.Logins += u.Logins
	v.ActiveLearners += u.ActiveLearners
}

// WeekOf is the Monday of the week of day.
func WeekOf(day time.Time) time.Time {
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
}

// Recorded is what the store did with an organization's checked events, by
// their place in the slice it was given: counted now, or counted before (the
// event's id was claimed already, or came earlier in the slice).
type Recorded struct {
	Accepted   []int
	Duplicates []int
}

// IngestStore is the persistence ingestion needs.
type IngestStore interface {
	FindOrganization(ctx context.Context, orgID string) (Organization, error)
	// FindUsersByID returns the users of an org among ids; unknown ids are left out.
	FindUsersByID(ctx context.Context, orgID string, ids []string) ([]User, error)
	// FindCatalog returns every catalog item (kept by the process while the
	// catalog's version stays).
	FindCatalog(ctx context.Context) ([]CatalogItem, error)
	// RecordActivity counts each event once, whatever the retries and
	// however concurrent: it writes the event (its own claim) and what it
	// adds to the aggregates in the same transaction (docs/data-model.md,
	// "Activity").
	RecordActivity(ctx context.Context, orgID string, events []ActivityEvent) (Recorded, error)
}

// Ingest takes in what learners did: batches from the learning platform,
// and this portal's own sign-ins.
type Ingest struct {
	store       IngestStore
	assignments *Assignments
	now         Clock
	log         *slog.Logger
}

// NewIngest returns the ingestion service; completed episodes and labs move
// assignment progress through assignments.
func NewIngest(store IngestStore, assignments *Assignments, now Clock, log *slog.Logger) *Ingest {
	return &Ingest{store: store, assignments: assignments, now: now, log: log}
}

// Ingest checks a batch of events and records the valid ones. An event that
// cannot be kept is rejected with a code and the field at fault; the others
// are kept. More than MaxIngestBatch events is payload_too_large, none is
// validation_failed, and a batch all of whose events are rejected is
// validation_failed too (with the rejections), nothing written.
func (s *Ingest) Ingest(ctx context.Context, _ Platform, in []EventInput) (IngestResult, error) {
	switch {
	case len(in) > MaxIngestBatch:
		return IngestResult{}, Errorf(CodePayloadTooLarge, "A batch holds at most %d events; send the rest in another.", MaxIngestBatch)
	case len(in) == 0:
		return IngestResult{}, Problems{"events": "send at least one event"}.Err()
	}
	return s.ingest(ctx, in)
}

// ingest is Ingest for a batch of any size (an operator's replay).
func (s *Ingest) ingest(ctx context.Context, in []EventInput) (IngestResult, error) {
	now := s.now()
	var res IngestResult
	reject := func(e EventInput, code, field, msg string) {
		res.Rejected = append(res.Rejected, Rejection{Index: e.Index, Code: code, Field: field, Message: msg})
	}

	// The shape of each event, then what exists: organizations (one GetItem
	// each), users (BatchGetItem per org), the catalog (cached).
	var checked []EventInput
	parsed := map[int]Event{}
	for _, e := range in {
		ev, field, msg := e.parse(now)
		switch {
		case field == "at" && strings.HasPrefix(msg, "is in the future"):
			reject(e, RejectInFuture, field, msg)
		case field != "":
			reject(e, RejectInvalid, field, msg)
		default:
			checked = append(checked, e)
			parsed[e.Index] = ev
		}
	}
	var catalog map[string]CatalogItem
	if slices.ContainsFunc(checked, func(e EventInput) bool { return e.Kind != EventLogin }) {
		items, err := s.store.FindCatalog(ctx)
		if err != nil {
			return IngestResult{}, fmt.Errorf("ingest: %w", err)
		}
		catalog = make(map[string]CatalogItem, len(items))
		for _, c := range items {
			catalog[c.ID] = c
		}
	}
	var orgIDs []string
	byOrg := map[string][]EventInput{}
	for _, e := range checked {
		if _, ok := byOrg[e.OrgID]; !ok {
			orgIDs = append(orgIDs, e.OrgID)
		}
		byOrg[e.OrgID] = append(byOrg[e.OrgID], e)
	}
	for _, orgID := range orgIDs {
		events := byOrg[orgID]
		org, err := s.store.FindOrganization(ctx, orgID)
		if ErrorCode(err) == CodeNotFound {
			for _, e := range events {
				reject(e, RejectUnknownOrganization, "orgId", "No organization has this id.")
			}
			continue
		}
		if err != nil {
			return IngestResult{}, fmt.Errorf("ingest: %w", err)
		}
		var userIDs []string
		for _, e := range events {
			if !slices.Contains(userIDs, e.UserID) {
				userIDs = append(userIDs, e.UserID)
			}
		}
		list, err := s.store.FindUsersByID(ctx, orgID, userIDs)
		if err != nil {
			return IngestResult{}, fmt.Errorf("ingest: %w", err)
		}
		users := make(map[string]User, len(list))
		for _, u := range list {
			users[u.ID] = u
		}
		var ok []ActivityEvent
		var from []EventInput
		for _, e := range events {
			ev := parsed[e.Index]
			u, known := users[e.UserID]
			switch {
			case !known:
				reject(e, RejectUnknownUser, "userId", "The organization has no user with this id.")
			case ev.At.Before(org.CreatedAt):
				reject(e, RejectBeforeOrganization, "at", "is before the organization was created ("+org.CreatedAt.UTC().Format(time.RFC3339)+")")
			default:
				if field, msg := checkCatalog(ev, catalog); field != "" {
					reject(e, RejectUnknownItem, field, msg)
					continue
				}
				ok = append(ok, placed(ev, org, u))
				from = append(from, e)
			}
		}
		if len(ok) == 0 {
			continue
		}
		rec, err := s.record(ctx, orgID, ok)
		res.Accepted += len(rec.Accepted)
		res.Duplicates += len(rec.Duplicates)
		if err != nil {
			// The events counted before the failure are in res: a batch
			// sent again finds them duplicates, and its sender can tell.
			return res, err
		}
	}
	slices.SortFunc(res.Rejected, func(a, b Rejection) int { return a.Index - b.Index })
	if res.Accepted == 0 && res.Duplicates == 0 {
		return res, &Error{Code: CodeValidationFailed, Message: "No event of the batch could be kept.", Fields: rejectedFields(res.Rejected)}
	}
	return res, nil
}

// rejectedFields names each rejected event's field, as events[i].field.
func rejectedFields(rejected []Rejection) map[string]string {
	fields := make(map[string]string, len(rejected))
	for _, r := range rejected {
		fields[fmt.Sprintf("events[%d].%s", r.Index, r.Field)] = r.Code + ": " + r.Message
	}
	return fields
}

// record writes an organization's checked events, then feeds what they
// completed to assignment progress: the events counted now and those counted
// before alike (a batch retried after a failure half way must still move
// progress; RecordCompleted changes nothing the second time).
func (s *Ingest) record(ctx context.Context, orgID string, events []ActivityEvent) (Recorded, error) {
	rec, err := s.store.RecordActivity(ctx, orgID, events)
	if err != nil {
		// What was written before the failure stays counted, and is said.
		return rec, fmt.Errorf("ingest: %w", err)
	}
	var done []Completion
	for _, e := range events {
		var id string
		switch {
		case e.Kind == EventViewing && e.Completed:
			id = e.EpisodeID
		case e.Kind == EventLab && e.Status == LabCompleted:
			id = e.LabID
		default:
			continue
		}
		i := slices.IndexFunc(done, func(c Completion) bool { return c.UserID == e.UserID })
		if i < 0 {
			done = append(done, Completion{UserID: e.UserID, At: e.At})
			i = len(done) - 1
		}
		if !slices.Contains(done[i].CatalogIDs, id) {
			done[i].CatalogIDs = append(done[i].CatalogIDs, id)
		}
		if e.At.After(done[i].At) {
			done[i].At = e.At
		}
	}
	if len(done) > 0 && s.assignments != nil {
		if err := s.assignments.RecordCompleted(ctx, orgID, done); err != nil {
			// The events are counted: say so, and a batch sent again moves
			// the progress (RecordCompleted is idempotent).
			return rec, fmt.Errorf("ingest: assignment progress: %w", err)
		}
	}
	return rec, nil
}

// RecordLogin records a sign-in to this portal as a login event, through the
// same code as the platform's events. Its id comes from the session's hash,
// so recording the same sign-in again counts it once.
func (s *Ingest) RecordLogin(ctx context.Context, u User, sessionHash string, at time.Time) error {
	org, err := s.store.FindOrganization(ctx, u.OrgID)
	if err != nil {
		return fmt.Errorf("record sign-in: %w", err)
	}
	e := Event{ID: LoginEventID(sessionHash), OrgID: u.OrgID, UserID: u.ID, Kind: EventLogin, At: at}
	_, err = s.record(ctx, u.OrgID, []ActivityEvent{placed(e, org, u)})
	return err
}

// LoginEventID is the id of the login event of a session: derived from the
// session's hash, from which neither the token nor the hash can be read back.
func LoginEventID(sessionHash string) string {
	return "login-" + HashToken("login-event:" + sessionHash)[:32]
}

// placed is an event with its day and week in the organization's time zone
// and its learner's teams.
func placed(e Event, org Organization, u User) ActivityEvent {
	day := DayIn(e.At, org.Location())
	return ActivityEvent{
		Event: e, Day: day.Format(DateLayout), Week: WeekOf(day).Format(DateLayout), TeamIDs: slices.Clone(u.TeamIDs),
	}
}

// checkCatalog says which field names an item the catalog lacks: a viewing's
// episode must be an episode of its course, a lab's lab a lab.
func checkCatalog(e Event, catalog map[string]CatalogItem) (field, msg string) {
	switch e.Kind {
	case EventViewing:
		if c, ok := catalog[e.CourseID]; !ok || c.Kind != KindCourse {
			return "courseId", "The catalog has no course with this id."
		}
		if ep, ok := catalog[e.EpisodeID]; !ok || ep.Kind != KindEpisode || ep.CourseID != e.CourseID {
			return "episodeId", "The course has no episode with this id."
		}
	case EventLab:
		if c, ok := catalog[e.LabID]; !ok || c.Kind != KindLab {
			return "labId", "The catalog has no lab with this id."
		}
	}
	return "", ""
}

// parse checks an event's shape (not what exists) and returns it, or the
// field at fault and why.
func (in EventInput) parse(now time.Time) (Event, string, string) {
	e := Event{ID: in.ID, OrgID: in.OrgID, UserID: in.UserID, Kind: in.Kind}
	switch {
	case in.BadField != "":
		return e, in.BadField, in.BadMessage
	case !validEventID(in.ID):
		return e, "id", fmt.Sprintf("must be 1 to %d letters, digits and . _ : -", maxEventID)
	case !ValidID(in.OrgID):
		return e, "orgId", "must be an organization id"
	case !ValidID(in.UserID):
		return e, "userId", "must be a user id"
	case !slices.Contains(EventKinds, in.Kind):
		return e, "kind", "must be viewing, lab or login"
	}
	at, err := time.Parse(time.RFC3339Nano, in.At)
	switch {
	case err != nil:
		return e, "at", "must be a time like 2026-03-10T09:15:00Z"
	case at.After(now.Add(MaxClockSkew)):
		return e, "at", fmt.Sprintf("is in the future (more than %v ahead of %s)", MaxClockSkew, now.UTC().Format(time.RFC3339))
	}
	e.At = at.UTC()
	switch in.Kind {
	case EventViewing:
		e.CourseID, e.EpisodeID, e.Completed = in.CourseID, in.EpisodeID, in.Completed
		switch {
		case !ValidCatalogID(in.CourseID):
			return e, "courseId", "must be a catalog id"
		case !ValidCatalogID(in.EpisodeID):
			return e, "episodeId", "must be a catalog id"
		case in.Seconds == nil:
			return e, "seconds", "is required"
		case *in.Seconds < 0 || *in.Seconds > MaxViewingSeconds:
			return e, "seconds", fmt.Sprintf("must be between 0 and %d", MaxViewingSeconds)
		}
		e.Seconds = *in.Seconds
	case EventLab:
		e.LabID, e.Status = in.LabID, in.Status
		switch {
		case !ValidCatalogID(in.LabID):
			return e, "labId", "must be a catalog id"
		case in.Status != LabStarted && in.Status != LabCompleted:
			return e, "status", "must be started or completed"
		case in.Score != nil && (*in.Score < 0 || *in.Score > 100):
			return e, "score", "must be between 0 and 100"
		case in.Score != nil && in.Status != LabCompleted:
			return e, "score", "is given only when the lab is completed"
		}
		if in.Score != nil {
			e.Score = *in.Score
		}
	}
	return e, "", ""
}

func validEventID(id string) bool {
	if id == "" || len(id) > maxEventID {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}
