// Package worker is the edge of the functions that no HTTP request starts:
// jobs run on a schedule (EventBridge Scheduler) or per message of a queue
// (SQS, with a dead-letter queue). Every job is one row of Jobs (what it is
// and what triggers it) and one Work (its code), the way an API action is a
// row of httpapi.Routes and an httpapi.Action.
package worker

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"proportal/internal/lambdaname"
)

// Trigger is what starts a job's function.
type Trigger string

const (
	// Scheduled jobs run on a clock: an EventBridge Scheduler schedule invokes
	// the function with a ScheduledEvent naming the job.
	Scheduled Trigger = "schedule"
	// Queued jobs run once per message: SQS invokes the function with a batch,
	// the messages that failed are reported back and retried, and after
	// repeated failures SQS moves them to the queue's dead-letter queue.
	Queued Trigger = "queue"
)

// Job is one background function, as metadata: its Lambda is <Name>Function
// in template.yaml, its code is functions/<kebab-name>/main.go and its sample
// event is events/<kebab-name>.json.
type Job struct {
	Name    string
	Trigger Trigger
	// Schedule is a scheduled job's EventBridge Scheduler expression. Local
	// runs fire rate(...) expressions themselves (see Every).
	Schedule string
	// Queue is a queued job's SQS queue: its logical id in template.yaml.
	Queue string
	// Mail says that the job sends mail: only its Lambda links SES.
	Mail bool
	// Files says that the job writes export files: only its Lambda links S3
	// and the workbook writer (excelize).
	Files bool
	// CSV says that the job writes CSV result files: its Lambda links S3,
	// but not the workbook writer.
	CSV bool
	// Enqueue says that the job hands work to a queued job (its own next
	// page, or another job's): its Lambda links SQS.
	Enqueue bool
}

// Jobs lists every job. template.yaml, functions/, events/ and the local
// server are checked against it by tests.
var Jobs = []Job{
	{Name: "SweepExpired", Trigger: Scheduled, Schedule: "rate(1 hour)"},
	{Name: "ContinueTeamChange", Trigger: Queued, Queue: "TeamChangesQueue"},
	{Name: "RunExport", Trigger: Queued, Queue: "ExportsQueue", Files: true},
	{Name: "DispatchReports", Trigger: Scheduled, Schedule: "rate(1 minute)", Enqueue: true},
	{Name: "SendReminders", Trigger: Scheduled, Schedule: "rate(1 hour)", Enqueue: true},
	{Name: "DeliverReminders", Trigger: Queued, Queue: "RemindersQueue", Mail: true, Enqueue: true},
	{Name: "RunScheduledReport", Trigger: Queued, Queue: "ScheduledReportsQueue", Mail: true, Files: true},
	{Name: "RecordMailEvents", Trigger: Queued, Queue: "MailEventsQueue"},
	{Name: "RunImport", Trigger: Queued, Queue: "ImportsQueue", Mail: true, CSV: true},
}

// Dir is the job's folder name under functions/ and file name under events/.
func (j Job) Dir() string { return lambdaname.Dir(j.Name) }

// FunctionID is the job's Lambda logical id in template.yaml.
func (j Job) FunctionID() string { return lambdaname.FunctionID(j.Name) }

// JobNamed returns the job with a name, and false when there is none.
func JobNamed(name string) (Job, bool) {
	for _, j := range Jobs {
		if j.Name == name {
			return j, true
		}
	}
	return Job{}, false
}

var rateExpression = regexp.MustCompile(`^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$`)

// Every is how often a rate(...) schedule fires; cron(...) and malformed
// expressions are an error. The local server uses it to fire schedules.
func Every(schedule string) (time.Duration, error) {
	m := rateExpression.FindStringSubmatch(schedule)
	if m == nil {
		return 0, fmt.Errorf("schedule %q is not a rate expression like rate(1 hour)", schedule)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 1 {
		return 0, fmt.Errorf("schedule %q: the rate must be a positive whole number", schedule)
	}
	// EventBridge wants the singular unit for 1 and the plural otherwise.
	singular := m[2] == "minute" || m[2] == "hour" || m[2] == "day"
	if singular != (n == 1) {
		return 0, fmt.Errorf("schedule %q: write rate(1 %s) or rate(%d %ss)", schedule, trimS(m[2]), n, trimS(m[2]))
	}
	unit := map[string]time.Duration{"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}[trimS(m[2])]
	return time.Duration(n) * unit, nil
}

func trimS(unit string) string {
	if unit[len(unit)-1] == 's' {
		return unit[:len(unit)-1]
	}
	return unit
}
