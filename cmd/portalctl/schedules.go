package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"proportal/internal/app"
	"proportal/internal/sqs"
	"proportal/internal/worker"
)

// defaultLocalServer is the local server run-schedules asks when no table is
// configured: a developer's `make run`.
const defaultLocalServer = "http://localhost:8080"

// runSchedules runs the report dispatcher as if it were -at: the schedules
// due then (in the day before it) are claimed, moved on and queued, as the
// DispatchReports job would have. With -url (the default when TABLE_NAME is
// not set: http://localhost:8080) it asks that local server to run it, so
// that the deliveries are made in its process and their mail shows in its
// /dev/mail; otherwise it works on TABLE_NAME and queues the deliveries on
// SCHEDULED_REPORTS_QUEUE_URL (an operator catching up after an outage).
func runSchedules(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("run-schedules", flag.ContinueOnError)
	fs.SetOutput(errOut)
	atFlag := fs.String("at", "", "run as if it were then: RFC 3339 (2026-12-07T08:00:00+01:00), or yyyy-mm-ddThh:mm in UTC")
	server := fs.String("url", "", "a local server to run it in (default "+defaultLocalServer+" when TABLE_NAME is not set)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	at, err := parseAt(*atFlag, time.Now())
	if err != nil {
		return err
	}
	if *server == "" && os.Getenv("TABLE_NAME") == "" {
		*server = defaultLocalServer
	}
	var answer json.RawMessage
	if *server != "" {
		answer, err = dispatchOn(ctx, *server, at)
	} else {
		answer, err = dispatchHere(ctx, at)
	}
	if err != nil {
		return err
	}
	return describeDispatch(out, answer)
}

// parseAt reads -at: RFC 3339, or a local yyyy-mm-ddThh:mm taken as UTC;
// empty is now.
func parseAt(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return now.UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02T15:04", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("-at %q: write 2026-12-07T08:00 (UTC) or an RFC 3339 time like 2026-12-07T08:00:00+01:00", s)
}

// dispatchOn asks a local server to run DispatchReports as of at.
func dispatchOn(ctx context.Context, server string, at time.Time) (json.RawMessage, error) {
	j, _ := worker.JobNamed(worker.DispatchReports.Name)
	u := strings.TrimRight(server, "/") + "/dev/jobs/" + j.Dir() + "?at=" + url.QueryEscape(at.Format(time.RFC3339))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask the local server (is `make run` running at %s?): %w", server, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the local server answered %s: %s", res.Status, body)
	}
	return body, nil
}

// dispatchHere runs the dispatcher on TABLE_NAME, queueing to SQS.
func dispatchHere(ctx context.Context, at time.Time) (json.RawMessage, error) {
	a, err := app.New(ctx, nil)
	if err != nil {
		return nil, err
	}
	if a.Config.ScheduledReportsQueueURL == "" {
		return nil, errors.New("set SCHEDULED_REPORTS_QUEUE_URL (the stack's ScheduledReportsQueue), or pass -url of a local server")
	}
	a.UseSchedules(sqs.FromConfig(a.AWS, a.Config.ScheduledReportsQueueURL))
	h, err := worker.DispatchReports.Handler(a.Jobs)
	if err != nil {
		return nil, err
	}
	return h.(worker.ScheduledHandler)(ctx, worker.ScheduledEvent{Job: worker.DispatchReports.Name, At: at.Format(time.RFC3339)})
}

// describeDispatch prints what a sweep did, a line per delivery queued.
func describeDispatch(out io.Writer, answer json.RawMessage) error {
	var d struct {
		At                                            time.Time
		Due, Claimed, AlreadyDelivered, Moved, Failed int
		Deliveries                                    []struct {
			OrgID, ScheduleID, DeliveryID, From, To, Status string
			Recipients                                      int
		}
	}
	if err := json.Unmarshal(answer, &d); err != nil {
		return fmt.Errorf("read the dispatcher's answer %s: %w", answer, err)
	}
	fmt.Fprintf(out, "As of %s: %d schedules due, %d deliveries queued, %d already delivered, %d moved meanwhile, %d failed.\n",
		d.At.Format(time.RFC3339), d.Due, d.Claimed, d.AlreadyDelivered, d.Moved, d.Failed)
	for _, q := range d.Deliveries {
		fmt.Fprintf(out, "  delivery %s of schedule %s (organization %s): %s to %s, %d recipients, %s\n",
			q.DeliveryID, q.ScheduleID, q.OrgID, q.From, q.To, q.Recipients, q.Status)
	}
	if d.Failed > 0 {
		return errors.New("some schedules failed; the log says why")
	}
	return nil
}
