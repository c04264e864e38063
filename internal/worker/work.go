package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"proportal/internal/domain"
)

// Services are the domain services jobs call, and the logger they write to.
type Services struct {
	Housekeeping *domain.Housekeeping
	Teams        *domain.Teams
	Exports      *domain.Exports
	Reminders    *domain.Reminders
	// Schedules is the dispatcher's: it finds the due report schedules.
	Schedules *domain.Schedules
	// Deliveries makes and mails scheduled reports, and records bounces.
	Deliveries *domain.Deliveries
	// Imports applies bulk CSV imports (RunImport).
	Imports *domain.Imports
	Logger  *slog.Logger
}

// run does one scheduled run, or handles one queued message (its body), and
// returns what it did, for the log and the invocation's answer.
type run func(ctx context.Context, message []byte) (any, error)

// Work is the code of one job: its name (the row of Jobs it serves) and how
// its run is built on the services. Each functions/<name>/main.go names one
// Work, so its Lambda links that job's code only.
type Work struct {
	Name  string
	build func(*Services) run
}

// Works returns every job's code, in the order of Jobs. Only the local server
// and tests call it: a Lambda that did would link every job.
func Works() []Work {
	return []Work{SweepExpired, ContinueTeamChange, RunExport, DispatchReports, SendReminders, DeliverReminders, RunScheduledReport, RecordMailEvents, RunImport}
}

// WorkNamed returns the code of the named job, and false when there is none.
func WorkNamed(name string) (Work, bool) {
	for _, w := range Works() {
		if w.Name == name {
			return w, true
		}
	}
	return Work{}, false
}

// ScheduledEvent is what a schedule passes to its job; template.yaml sets it
// as the schedule's input, and events/<job>.json holds one.
type ScheduledEvent struct {
	Job string `json:"job"`
	// At runs the job as if it were then (RFC 3339, or 2006-01-02T15:04 in
	// UTC; worker.ParseAt): an operator's catch-up or a developer's "as if
	// it were Monday 08:00" (portalctl run-schedules, run-reminders, POST
	// /dev/jobs/<job>?at=). Schedules never set it; jobs that do not read the
	// time ignore it.
	At string `json:"at,omitempty"`
}

// ScheduledHandler is what aws-lambda-go runs for a scheduled job.
type ScheduledHandler func(context.Context, ScheduledEvent) (json.RawMessage, error)

// QueueHandler is what aws-lambda-go runs for a queued job: the messages it
// could not handle are reported back (ReportBatchItemFailures) and only they
// are retried.
type QueueHandler func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)

// Handler returns the Lambda handler of the job, by its trigger: a
// ScheduledHandler or a QueueHandler.
func (w Work) Handler(s *Services) (any, error) {
	j, ok := JobNamed(w.Name)
	if !ok {
		return nil, fmt.Errorf("work %q has no row in worker.Jobs", w.Name)
	}
	switch j.Trigger {
	case Scheduled:
		return w.scheduled(s), nil
	case Queued:
		return w.queued(s), nil
	default:
		return nil, fmt.Errorf("job %s has no known trigger (%q)", j.Name, j.Trigger)
	}
}

func (w Work) scheduled(s *Services) ScheduledHandler {
	do := w.build(s)
	log := logger(s)
	return func(ctx context.Context, ev ScheduledEvent) (json.RawMessage, error) {
		if ev.Job != w.Name {
			// A schedule pointed at the wrong function: say so rather than run.
			err := fmt.Errorf("job %s was invoked with an event for %q", w.Name, ev.Job)
			log.ErrorContext(ctx, "job refused", "job", w.Name, "error", err)
			return nil, err
		}
		var message []byte
		if ev.At != "" {
			message = []byte(ev.At)
		}
		return runOnce(ctx, log, w.Name, do, message)
	}
}

func (w Work) queued(s *Services) QueueHandler {
	do := w.build(s)
	log := logger(s)
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var res events.SQSEventResponse
		for _, m := range ev.Records {
			if _, err := runOnce(ctx, log.With("messageId", m.MessageId), w.Name, do, []byte(m.Body)); err != nil {
				res.BatchItemFailures = append(res.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
			}
		}
		return res, nil
	}
}

// runOnce runs a job and logs one line of what it did, or of why it failed.
// A panic is a failure, not a crash of the function.
func runOnce(ctx context.Context, log *slog.Logger, name string, do run, message []byte) (out json.RawMessage, err error) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in job %s: %v", name, p)
		}
		attrs := []any{"job", name, "durationMs", time.Since(start).Milliseconds()}
		if err != nil {
			log.ErrorContext(ctx, "job failed", append(attrs, "error", err.Error())...)
			return
		}
		log.InfoContext(ctx, "job", append(attrs, "result", out)...)
	}()
	result, err := do(ctx, message)
	if err != nil {
		return nil, err
	}
	return json.Marshal(result)
}

func logger(s *Services) *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}
