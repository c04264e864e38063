package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"proportal/internal/app"
	"proportal/internal/localserver"
	"proportal/internal/ses"
	"proportal/internal/worker"
)

// defaultLocalURL is where make run serves, for run-reminders without a table.
const defaultLocalURL = "http://localhost:8080"

// runReminders runs the SendReminders job once, as if it were -at: through a
// local server's POST /dev/jobs/send-reminders (-url; the default when
// TABLE_NAME is not set), so that its mail is in that server's /dev/mail, or
// directly on TABLE_NAME, mailing through SES, with the queued mail
// delivered in this process before it returns.
func runReminders(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("run-reminders", flag.ContinueOnError)
	fs.SetOutput(errOut)
	at := fs.String("at", "", "run as if it were then: 2026-12-07T08:00 (UTC) or RFC 3339; default now")
	base := fs.String("url", "", "a local server (make run) to run it in, e.g. "+defaultLocalURL)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *at != "" {
		if _, err := worker.ParseAt(*at); err != nil {
			return errors.New("-at must be a time like 2026-12-07T08:00 (UTC) or 2026-12-07T08:00:00+01:00")
		}
	}
	if *base == "" && os.Getenv("TABLE_NAME") == "" {
		*base = defaultLocalURL
	}
	if *base != "" {
		return runRemindersAt(ctx, *base, *at, out)
	}
	a, err := app.New(ctx, ses.FromConfig)
	if err != nil {
		return err
	}
	q := localserver.NewQueue(worker.DeliverReminders.Name, a.Jobs, a.Logger)
	a.UseReminders(q)
	h, err := worker.SendReminders.Handler(a.Jobs)
	if err != nil {
		return err
	}
	res, err := h.(worker.ScheduledHandler)(ctx, worker.ScheduledEvent{Job: worker.SendReminders.Name, At: *at})
	q.Wait()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Reminders sent: %s (each page's mail is in the log above).\n", res)
	return nil
}

// runRemindersAt asks a local server to run the job.
func runRemindersAt(ctx context.Context, base, at string, out io.Writer) error {
	job, _ := worker.JobNamed(worker.SendReminders.Name)
	u := strings.TrimRight(base, "/") + "/dev/jobs/" + job.Dir()
	if at != "" {
		u += "?at=" + url.QueryEscape(at)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("run reminders on %s (is make run running? or set TABLE_NAME to run on a table): %w", base, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("run reminders on %s: %s %s", base, res.Status, body)
	}
	fmt.Fprintf(out, "Reminders queued: %s\nTheir mail is at %s/dev/mail in a moment.\n", body, strings.TrimRight(base, "/"))
	return nil
}
