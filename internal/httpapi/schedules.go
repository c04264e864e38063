package httpapi

import (
	"context"
	"net/http"
	"time"

	"proportal/internal/domain"
)

var (
	// ListReportSchedules answers GET /api/report-schedules.
	ListReportSchedules = Action{"ListReportSchedules", listReportSchedules}
	// CreateReportSchedule answers POST /api/report-schedules.
	CreateReportSchedule = Action{"CreateReportSchedule", createReportSchedule}
	// GetReportSchedule answers GET /api/report-schedules/{scheduleId}.
	GetReportSchedule = Action{"GetReportSchedule", getReportSchedule}
	// UpdateReportSchedule answers PUT /api/report-schedules/{scheduleId}.
	UpdateReportSchedule = Action{"UpdateReportSchedule", updateReportSchedule}
	// DeleteReportSchedule answers DELETE /api/report-schedules/{scheduleId}.
	DeleteReportSchedule = Action{"DeleteReportSchedule", deleteReportSchedule}
	// ListReportDeliveries answers GET /api/report-schedules/{scheduleId}/deliveries.
	ListReportDeliveries = Action{"ListReportDeliveries", listReportDeliveries}
	// SendReportNow answers POST /api/report-schedules/{scheduleId}/deliveries.
	SendReportNow = Action{"SendReportNow", sendReportNow}
)

// scheduleInputJSON creates a schedule (POST) or replaces one (PUT).
type scheduleInputJSON struct {
	Name string `json:"name"`
	// Kind is viewings, assignments, labs, logins or team-activity.
	Kind string `json:"kind"`
	// TeamID is the team of a team-activity report.
	TeamID string `json:"teamId,omitempty"`
	// Frequency is weekly or monthly.
	Frequency string `json:"frequency"`
	// Weekday ("monday" … "sunday") is a weekly schedule's day.
	Weekday string `json:"weekday,omitempty"`
	// DayOfMonth (1–31; past a month's end, its last day) is a monthly schedule's day.
	DayOfMonth int `json:"dayOfMonth,omitempty"`
	// Time is the time of day, "hh:mm".
	Time string `json:"time"`
	// TimeZone is an IANA name; empty: the organization's.
	TimeZone string `json:"timeZone,omitempty"`
	// Period is week (the last full week) or month (the last full month).
	Period     string   `json:"period"`
	Recipients []string `json:"recipients"`
	Paused     bool     `json:"paused,omitempty"`
}

// lastDeliveryJSON is a schedule's latest delivery, for lists.
type lastDeliveryJSON struct {
	ID        string    `json:"id"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"createdAt"`
}

// scheduleJSON is a report schedule.
type scheduleJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	TeamID    string `json:"teamId"`
	Frequency string `json:"frequency"`
	// Weekday is a weekly schedule's day; DayOfMonth a monthly one's.
	Weekday    string `json:"weekday,omitempty"`
	DayOfMonth int    `json:"dayOfMonth,omitempty"`
	Time       string `json:"time"`
	TimeZone   string `json:"timeZone"`
	Period     string `json:"period"`
	// Recipients are mailed each run; Bounced are those SES reported
	// bouncing, skipped until the schedule is saved with them again.
	Recipients []string `json:"recipients"`
	Bounced    []string `json:"bounced"`
	Paused     bool     `json:"paused"`
	// NextRunAt is null while paused.
	NextRunAt    *time.Time        `json:"nextRunAt"`
	LastDelivery *lastDeliveryJSON `json:"lastDelivery"`
	CreatedAt    time.Time         `json:"createdAt"`
	UpdatedAt    time.Time         `json:"updatedAt"`
}

type scheduleListJSON struct {
	Schedules []scheduleJSON `json:"schedules"`
}

// deliveryRecipientJSON is one address of a delivery and what became of its mail.
type deliveryRecipientJSON struct {
	Address string `json:"address"`
	// Status is pending, sent, failed or bounced.
	Status string `json:"status"`
	// Reason says why a failed or bounced mail did not arrive.
	Reason string `json:"reason"`
}

// deliveryJSON is one run of a schedule.
type deliveryJSON struct {
	ID         string `json:"id"`
	ScheduleID string `json:"scheduleId"`
	// Trigger is schedule or manual ("send now").
	Trigger string `json:"trigger"`
	// From and To are the days covered (yyyy-mm-dd, both included).
	From string `json:"from"`
	To   string `json:"to"`
	// Status is pending, running, delivered, partial or failed.
	Status string `json:"status"`
	Rows   int    `json:"rows"`
	// Bytes is the workbook's size; Attached says it was attached (else linked).
	Bytes    int64 `json:"bytes"`
	Attached bool  `json:"attached"`
	// Error says why a failed delivery failed, and what to do.
	Error      string                  `json:"error"`
	Recipients []deliveryRecipientJSON `json:"recipients"`
	CreatedAt  time.Time               `json:"createdAt"`
	FinishedAt *time.Time              `json:"finishedAt"`
}

type deliveryListJSON struct {
	Deliveries []deliveryJSON `json:"deliveries"`
}

func toScheduleJSON(s domain.Schedule) scheduleJSON {
	out := scheduleJSON{
		ID: s.ID, Name: s.Name, Kind: s.Kind, TeamID: s.TeamID, Frequency: s.Frequency,
		Time: s.Time, TimeZone: s.TimeZone, Period: s.Period,
		Recipients: s.Recipients, Bounced: s.Bounced, Paused: s.Paused,
		CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(),
	}
	if s.Frequency == domain.Weekly {
		out.Weekday = domain.WeekdayName(s.Weekday)
	} else {
		out.DayOfMonth = s.DayOfMonth
	}
	if out.Recipients == nil {
		out.Recipients = []string{}
	}
	if out.Bounced == nil {
		out.Bounced = []string{}
	}
	if !s.Paused && !s.NextRunAt.IsZero() {
		next := s.NextRunAt.UTC()
		out.NextRunAt = &next
	}
	if s.LastDeliveryID != "" {
		out.LastDelivery = &lastDeliveryJSON{ID: s.LastDeliveryID, Status: s.LastDeliveryStatus, CreatedAt: s.LastDeliveryAt.UTC()}
	}
	return out
}

func toDeliveryJSON(d domain.Delivery) deliveryJSON {
	out := deliveryJSON{
		ID: d.ID, ScheduleID: d.ScheduleID, Trigger: d.Trigger,
		From: d.From.Format(domain.DateLayout), To: d.To.Format(domain.DateLayout),
		Status: d.Status, Rows: d.Rows, Bytes: d.Bytes, Attached: d.Attached, Error: d.Error,
		Recipients: make([]deliveryRecipientJSON, len(d.Recipients)), CreatedAt: d.CreatedAt.UTC(),
	}
	for i, r := range d.Recipients {
		out.Recipients[i] = deliveryRecipientJSON{Address: r.Address, Status: r.Status, Reason: r.Reason}
	}
	if !d.FinishedAt.IsZero() {
		at := d.FinishedAt.UTC()
		out.FinishedAt = &at
	}
	return out
}

func (in scheduleInputJSON) toDomain() domain.ScheduleInput {
	return domain.ScheduleInput{
		Name: in.Name, Kind: in.Kind, TeamID: in.TeamID, Frequency: in.Frequency, Weekday: in.Weekday,
		DayOfMonth: in.DayOfMonth, Time: in.Time, TimeZone: in.TimeZone, Period: in.Period,
		Recipients: in.Recipients, Paused: in.Paused,
	}
}

func listReportSchedules(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		list, err := s.Schedules.List(ctx, r.principal)
		if err != nil {
			return response{}, err
		}
		out := scheduleListJSON{Schedules: make([]scheduleJSON, len(list))}
		for i, sc := range list {
			out.Schedules[i] = toScheduleJSON(sc)
		}
		return response{status: http.StatusOK, body: out}, nil
	}
}

func createReportSchedule(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in scheduleInputJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		sc, err := s.Schedules.Create(ctx, r.principal, in.toDomain())
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusCreated, body: toScheduleJSON(sc)}, nil
	}
}

func getReportSchedule(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		sc, err := s.Schedules.Get(ctx, r.principal, r.pathParam("scheduleId"))
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toScheduleJSON(sc)}, nil
	}
}

func updateReportSchedule(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in scheduleInputJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		sc, err := s.Schedules.Update(ctx, r.principal, r.pathParam("scheduleId"), in.toDomain())
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toScheduleJSON(sc)}, nil
	}
}

func deleteReportSchedule(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		if err := s.Schedules.Delete(ctx, r.principal, r.pathParam("scheduleId")); err != nil {
			return response{}, err
		}
		return response{status: http.StatusNoContent}, nil
	}
}

func listReportDeliveries(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		list, err := s.Schedules.ListDeliveries(ctx, r.principal, r.pathParam("scheduleId"))
		if err != nil {
			return response{}, err
		}
		out := deliveryListJSON{Deliveries: make([]deliveryJSON, len(list))}
		for i, d := range list {
			out.Deliveries[i] = toDeliveryJSON(d)
		}
		return response{status: http.StatusOK, body: out}, nil
	}
}

func sendReportNow(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		d, err := s.Schedules.SendNow(ctx, r.principal, r.pathParam("scheduleId"))
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusAccepted, body: toDeliveryJSON(d)}, nil
	}
}
