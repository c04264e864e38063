package localserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"proportal/internal/worker"
)

// jobsPrefix is where a developer runs a job at once: POST /dev/jobs/<dir>,
// e.g. /dev/jobs/sweep-expired, or as if it were another time:
// /dev/jobs/send-reminders?at=2026-12-07T08:00. Local runs only, like /dev/mail.
const jobsPrefix = "/dev/jobs/"

// WithJobs gives the server the jobs' services: /dev/jobs/ runs a job at once
// and RunSchedules fires the scheduled ones, in-process, with the same
// handlers their Lambdas run (EventBridge Scheduler does not fire locally).
func (s *Server) WithJobs(js *worker.Services) *Server {
	s.jobs = map[string]worker.ScheduledHandler{}
	for _, w := range worker.Works() {
		h, err := w.Handler(js)
		if err != nil {
			panic(err) // the tests of internal/worker keep Works and Jobs in step
		}
		if scheduled, ok := h.(worker.ScheduledHandler); ok {
			s.jobs[w.Name] = scheduled
		}
	}
	return s
}

// RunJob runs a scheduled job once, now, and returns its answer.
func (s *Server) RunJob(ctx context.Context, name string) (json.RawMessage, error) {
	return s.RunJobAt(ctx, name, "")
}

// RunJobAt runs a scheduled job once, as if it were at (worker.ParseAt's
// forms; "" is now), and returns its answer.
func (s *Server) RunJobAt(ctx context.Context, name, at string) (json.RawMessage, error) {
	h, ok := s.jobs[name]
	if !ok {
		return nil, fmt.Errorf("there is no scheduled job %q", name)
	}
	return h(ctx, worker.ScheduledEvent{Job: name, At: at})
}

// RunSchedules fires every scheduled job at its rate until ctx ends. A run
// that fails is logged by the job and tried again at the next tick, as the
// schedule's retries would.
func (s *Server) RunSchedules(ctx context.Context) error {
	for _, j := range worker.Jobs {
		if j.Trigger != worker.Scheduled {
			continue
		}
		every, err := worker.Every(j.Schedule)
		if err != nil {
			return fmt.Errorf("job %s: %w", j.Name, err)
		}
		go s.runEvery(ctx, j.Name, every)
	}
	return nil
}

func (s *Server) runEvery(ctx context.Context, name string, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s.RunJob(ctx, name) // the job logs what it did or why it failed
		}
	}
}

// serveJob answers POST /dev/jobs/<dir> with what the job did.
func (s *Server) serveJob(w http.ResponseWriter, r *http.Request) {
	dir := strings.TrimPrefix(r.URL.Path, jobsPrefix)
	var name string
	for _, j := range worker.Jobs {
		if j.Dir() == dir {
			name = j.Name
		}
	}
	if _, ok := s.jobs[name]; !ok || name == "" {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]string{
			"code": "not_found", "message": fmt.Sprintf("There is no scheduled job %q.", dir)}})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": map[string]string{
			"code": "method_not_allowed", "message": "POST runs the job."}})
		return
	}
	at := r.URL.Query().Get("at")
	if _, err := worker.ParseAt(at); at != "" && err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{
			"code": "validation_failed", "message": "The time to run as is not valid.",
			"fields": map[string]string{"at": "must be a time like 2026-12-07T08:00 (UTC) or 2026-12-07T08:00:00+01:00"}}})
		return
	}
	out, err := s.RunJobAt(r.Context(), name, at)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": map[string]string{
			"code": "internal", "message": "The job failed; the server's log says why."}})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(out)
}
