package sam

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"proportal/internal/worker"
)

// TestTemplateMatchesJobs checks that every job's function in template.yaml
// is started by the trigger its row of worker.Jobs names. (That every job has
// a function, code and sample event, and nothing else is there, is checked
// with the routes in TestTemplateMatchesRoutes.)
func TestTemplateMatchesJobs(t *testing.T) {
	tpl := loadTemplate(t)
	functions := tpl.resources(functionType)
	for _, j := range worker.Jobs {
		t.Run(j.FunctionID(), func(t *testing.T) {
			fn := functions[j.FunctionID()]
			if fn == nil {
				t.Fatalf("%s is missing from template.yaml", j.FunctionID())
			}
			for _, problem := range checkJob(tpl, j, fn) {
				t.Error(problem)
			}
		})
	}
}

// checkJob returns what is wrong with a job's function in a template.
func checkJob(tpl samTemplate, j worker.Job, fn *yaml.Node) []string {
	var problems []string
	if got := scalar(lookup(fn, "Metadata", "BuildMethod")); got != "makefile" {
		problems = append(problems, fmt.Sprintf("Metadata.BuildMethod = %q, want makefile", got))
	}
	if got := scalar(lookup(fn, "Properties", "CodeUri")); got != "." {
		problems = append(problems, fmt.Sprintf("Properties.CodeUri = %q, want .", got))
	}
	events := lookup(fn, "Properties", "Events")
	if names := keys(events); len(names) != 1 {
		return append(problems, fmt.Sprintf("has %d events (%v), want exactly the job's trigger", len(names), names))
	}
	ev := lookup(events, keys(events)[0])
	props := lookup(ev, "Properties")
	switch j.Trigger {
	case worker.Scheduled:
		if typ := scalar(lookup(ev, "Type")); typ != "ScheduleV2" {
			return append(problems, fmt.Sprintf("the event is a %q, want ScheduleV2 (EventBridge Scheduler)", typ))
		}
		if got := scalar(lookup(props, "ScheduleExpression")); got != j.Schedule {
			problems = append(problems, fmt.Sprintf("ScheduleExpression = %q, want %q (worker.Jobs)", got, j.Schedule))
		}
		if _, err := worker.Every(j.Schedule); err != nil {
			problems = append(problems, fmt.Sprintf("the local server cannot fire it: %v", err))
		}
		var in worker.ScheduledEvent
		if err := json.Unmarshal([]byte(scalar(lookup(props, "Input"))), &in); err != nil || in.Job != j.Name {
			problems = append(problems, fmt.Sprintf(`Input = %q, want {"job":%q} (worker.ScheduledEvent)`, scalar(lookup(props, "Input")), j.Name))
		}
		if lookup(props, "RetryPolicy") == nil {
			problems = append(problems, "has no RetryPolicy: say how often a failed run is tried again")
		}
	case worker.Queued:
		if typ := scalar(lookup(ev, "Type")); typ != "SQS" {
			return append(problems, fmt.Sprintf("the event is a %q, want SQS", typ))
		}
		if q := lookup(props, "Queue"); q == nil || q.Tag != "!GetAtt" || q.Value != j.Queue+".Arn" {
			problems = append(problems, fmt.Sprintf("Queue is not !GetAtt %s.Arn", j.Queue))
		}
		var reportsFailures bool
		for _, n := range scalars(lookup(props, "FunctionResponseTypes")) {
			reportsFailures = reportsFailures || n.Value == "ReportBatchItemFailures"
		}
		if !reportsFailures {
			problems = append(problems, "FunctionResponseTypes lacks ReportBatchItemFailures: a failed message would retry the whole batch")
		}
		queue := tpl.resources("AWS::SQS::Queue")[j.Queue]
		if queue == nil {
			return append(problems, fmt.Sprintf("there is no AWS::SQS::Queue %s", j.Queue))
		}
		dlq := lookup(queue, "Properties", "RedrivePolicy", "deadLetterTargetArn")
		if dlq == nil || dlq.Tag != "!GetAtt" || tpl.resources("AWS::SQS::Queue")[strings.TrimSuffix(dlq.Value, ".Arn")] == nil {
			problems = append(problems, fmt.Sprintf("queue %s has no RedrivePolicy.deadLetterTargetArn: !GetAtt <a queue of this template>.Arn", j.Queue))
		}
	default:
		problems = append(problems, fmt.Sprintf("job %s has no known trigger (%q)", j.Name, j.Trigger))
	}
	return problems
}

// checkJob is the template test of both kinds of job; there is no queued job
// yet, so its queue rules are tried here on a small template of their own.
func TestCheckJobFindsWhatIsMissing(t *testing.T) {
	const good = `
Resources:
  Work:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt WorkDeadLetters.Arn
        maxReceiveCount: 5
  WorkDeadLetters:
    Type: AWS::SQS::Queue
  RunWorkFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: makefile
    Properties:
      CodeUri: .
      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt Work.Arn
            FunctionResponseTypes: [ReportBatchItemFailures]
  TickFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: makefile
    Properties:
      CodeUri: .
      Events:
        Schedule:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: rate(5 minutes)
            Input: '{"job":"Tick"}'
            RetryPolicy:
              MaximumRetryAttempts: 2
`
	queued := worker.Job{Name: "RunWork", Trigger: worker.Queued, Queue: "Work"}
	scheduled := worker.Job{Name: "Tick", Trigger: worker.Scheduled, Schedule: "rate(5 minutes)"}
	tests := []struct {
		name string
		job  worker.Job
		edit func(string) string
		want string // "" for no problem
	}{
		{"queued job as it should be", queued, nil, ""},
		{"scheduled job as it should be", scheduled, nil, ""},
		{"no dead-letter queue", queued, func(s string) string {
			return strings.Replace(s, "deadLetterTargetArn: !GetAtt WorkDeadLetters.Arn", "deadLetterTargetArn: !GetAtt Elsewhere.Arn", 1)
		}, "no RedrivePolicy"},
		{"whole batches retried", queued, func(s string) string {
			return strings.Replace(s, "FunctionResponseTypes: [ReportBatchItemFailures]", "BatchSize: 10", 1)
		}, "ReportBatchItemFailures"},
		{"another queue", queued, func(s string) string {
			return strings.Replace(s, "Queue: !GetAtt Work.Arn", "Queue: !GetAtt WorkDeadLetters.Arn", 1)
		}, "Queue is not"},
		{"another schedule", scheduled, func(s string) string {
			return strings.Replace(s, "ScheduleExpression: rate(5 minutes)", "ScheduleExpression: rate(1 hour)", 1)
		}, "ScheduleExpression"},
		{"input for another job", scheduled, func(s string) string {
			return strings.Replace(s, `{"job":"Tick"}`, `{"job":"Tock"}`, 1)
		}, "Input"},
		{"not started by a schedule", scheduled, func(s string) string {
			return strings.Replace(s, "Type: ScheduleV2", "Type: Schedule", 1)
		}, "want ScheduleV2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := good
			if tt.edit != nil {
				src = tt.edit(src)
			}
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
				t.Fatal(err)
			}
			tpl := samTemplate{root: doc.Content[0]}
			problems := checkJob(tpl, tt.job, tpl.resources(functionType)[tt.job.FunctionID()])
			got := strings.Join(problems, "\n")
			switch {
			case tt.want == "" && got != "":
				t.Errorf("found problems in a good template:\n%s", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("problems %q do not mention %q", got, tt.want)
			}
		})
	}
}
