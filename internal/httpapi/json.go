package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"time"

	"proportal/internal/domain"
)

// decode reads a request body that must be one JSON object into v. Unknown
// fields are ignored; a field of the wrong type is a validation failure naming it.
func decode(r *request, v any) error {
	dec := json.NewDecoder(bytes.NewReader(r.body))
	if err := dec.Decode(v); err != nil {
		if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" {
			return domain.Problems{te.Field: "must be " + jsonKind(te.Type)}.Err()
		}
		if errors.Is(err, io.EOF) {
			return domain.Errorf(domain.CodeInvalidJSON, "The request body is empty; send a JSON object.")
		}
		return domain.Errorf(domain.CodeInvalidJSON, "The request body is not valid JSON.")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return domain.Errorf(domain.CodeInvalidJSON, "The request body must hold a single JSON object.")
	}
	return nil
}

// jsonKind names the kind of JSON value a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	default:
		return "an object"
	}
}

// The JSON shapes of the API (camelCase), one per domain type.

type userJSON struct {
	ID          string     `json:"id"`
	FirstName   string     `json:"firstName"`
	LastName    string     `json:"lastName"`
	Email       string     `json:"email"`
	Status      string     `json:"status"`
	Seat        bool       `json:"seat"`
	Admin       bool       `json:"admin"`
	TeamIDs     []string   `json:"teamIds"`
	CreatedAt   time.Time  `json:"createdAt"`
	LastLoginAt *time.Time `json:"lastLoginAt"`
}

func toUserJSON(u domain.User) userJSON {
	out := userJSON{
		ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Status: u.Status,
		Seat: u.Seat, Admin: u.Admin, TeamIDs: u.TeamIDs, CreatedAt: u.CreatedAt.UTC(),
	}
	if out.TeamIDs == nil {
		out.TeamIDs = []string{}
	}
	if !u.LastLoginAt.IsZero() {
		t := u.LastLoginAt.UTC()
		out.LastLoginAt = &t
	}
	return out
}

type organizationJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type seatsJSON struct {
	Total     int `json:"total"`
	Used      int `json:"used"`
	Available int `json:"available"`
}

func toSeatsJSON(s domain.Subscription) seatsJSON {
	return seatsJSON{Total: s.SeatsTotal, Used: s.SeatsUsed, Available: s.SeatsAvailable()}
}

// accessJSON is a subscription's access period as of now.
type accessJSON struct {
	StartsAt      string `json:"startsAt"`
	EndsAt        string `json:"endsAt"`
	Status        string `json:"status"`
	DaysRemaining int    `json:"daysRemaining"`
}

func toAccessJSON(a domain.Access) accessJSON {
	return accessJSON{
		StartsAt: a.StartsOn.Format(domain.DateLayout), EndsAt: a.EndsOn.Format(domain.DateLayout),
		Status: a.Status, DaysRemaining: a.DaysRemaining,
	}
}

type subscriptionJSON struct {
	Seats seatsJSON `json:"seats"`
	accessJSON
	Features []string `json:"features"`
}

// usageWeekJSON is one week's usage (of an organization, a team or a
// learner), the week named by its Monday in the organization's time zone.
type usageWeekJSON struct {
	WeekStart string `json:"weekStart"`
	// ActiveLearners counts the people who viewed or did a lab (1 or 0 for a learner).
	ActiveLearners int `json:"activeLearners"`
	Viewings       int `json:"viewings"`
	// Seconds is the time watched; Completed counts the viewings that
	// completed an episode.
	Seconds       int `json:"seconds"`
	Completed     int `json:"completed"`
	LabsStarted   int `json:"labsStarted"`
	LabsCompleted int `json:"labsCompleted"`
	Logins        int `json:"logins"`
}

func toUsageJSON(start string, u domain.Usage) usageWeekJSON {
	return usageWeekJSON{
		WeekStart: start, ActiveLearners: u.ActiveLearners, Viewings: u.Viewings, Seconds: u.Seconds,
		Completed: u.Completed, LabsStarted: u.LabsStarted, LabsCompleted: u.LabsCompleted, Logins: u.Logins,
	}
}

func toWeeksJSON(weeks []domain.UsagePeriod) []usageWeekJSON {
	out := make([]usageWeekJSON, len(weeks))
	for i, w := range weeks {
		out[i] = toUsageJSON(w.Start, w.Usage)
	}
	return out
}

type assignmentProgressJSON struct {
	Assignments int `json:"assignments"`
	Assignees   int `json:"assignees"`
	Completed   int `json:"completed"`
	InProgress  int `json:"inProgress"`
	NotStarted  int `json:"notStarted"`
	Overdue     int `json:"overdue"`
}

type dashboardJSON struct {
	Seats        seatsJSON              `json:"seats"`
	Subscription accessJSON             `json:"subscription"`
	Usage        []usageWeekJSON        `json:"usage"`
	Assignments  assignmentProgressJSON `json:"assignments"`
	IdleSeats    idleTileJSON           `json:"idleSeats"`
}

// idleTileJSON is the dashboard's idle seats tile: seat holders idle for
// days or more; more when there are more than count.
type idleTileJSON struct {
	Days  int  `json:"days"`
	Count int  `json:"count"`
	More  bool `json:"more"`
}
