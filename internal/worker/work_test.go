package worker

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
)

// Every row of Jobs has exactly one Work of the same name, and the other way round.
func TestEveryJobHasOneWork(t *testing.T) {
	var jobs, works []string
	for _, j := range Jobs {
		jobs = append(jobs, j.Name)
	}
	for _, w := range Works() {
		works = append(works, w.Name)
	}
	if diff := cmp.Diff(jobs, works); diff != "" {
		t.Errorf("Works() differ from Jobs, in order (-jobs +works):\n%s", diff)
	}
}

func TestEvery(t *testing.T) {
	tests := []struct {
		give    string
		want    time.Duration
		wantErr bool
	}{
		{give: "rate(1 hour)", want: time.Hour},
		{give: "rate(5 minutes)", want: 5 * time.Minute},
		{give: "rate(1 minute)", want: time.Minute},
		{give: "rate(2 days)", want: 48 * time.Hour},
		{give: "rate(1 hours)", wantErr: true},
		{give: "rate(5 minute)", wantErr: true},
		{give: "rate(0 minutes)", wantErr: true},
		{give: "cron(0 * * * ? *)", wantErr: true},
		{give: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := Every(tt.give)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Every(%q) = %v, %v; want %v (error: %v)", tt.give, got, err, tt.want, tt.wantErr)
		}
	}
}

// recorded is a Work whose run records its messages and fails on "fail".
func recorded(name string, got *[]string) Work {
	return Work{Name: name, build: func(*Services) run {
		return func(_ context.Context, message []byte) (any, error) {
			*got = append(*got, string(message))
			switch string(message) {
			case "fail":
				return nil, errors.New("could not")
			case "panic":
				panic("boom")
			}
			return map[string]int{"done": 1}, nil
		}
	}}
}

func TestScheduledRunsOnceAndLogsOneLine(t *testing.T) {
	var buf bytes.Buffer
	var got []string
	h := recorded("Tick", &got).scheduled(&Services{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	out, err := h(context.Background(), ScheduledEvent{Job: "Tick"})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if string(out) != `{"done":1}` || len(got) != 1 {
		t.Errorf("answered %s after %d runs, want {\"done\":1} after 1", out, len(got))
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], `"job":"Tick"`) || !strings.Contains(lines[0], `"result":{"done":1}`) {
		t.Errorf("log, want one line with the job and its result:\n%s", buf.String())
	}
}

func TestScheduledRefusesAnotherJobsEvent(t *testing.T) {
	var got []string
	h := recorded("Tick", &got).scheduled(&Services{Logger: slog.New(slog.DiscardHandler)})
	if _, err := h(context.Background(), ScheduledEvent{Job: "Tock"}); err == nil {
		t.Error("ran on an event for another job")
	}
	if len(got) != 0 {
		t.Errorf("ran %d times", len(got))
	}
}

func TestQueuedReportsOnlyTheFailedMessages(t *testing.T) {
	var buf bytes.Buffer
	var got []string
	h := recorded("Work", &got).queued(&Services{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	ev := events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "m1", Body: "ok"}, {MessageId: "m2", Body: "fail"}, {MessageId: "m3", Body: "panic"}, {MessageId: "m4", Body: "ok"},
	}}
	res, err := h(context.Background(), ev)
	if err != nil {
		t.Fatalf("the batch failed as a whole: %v", err)
	}
	want := []events.SQSBatchItemFailure{{ItemIdentifier: "m2"}, {ItemIdentifier: "m3"}}
	if diff := cmp.Diff(want, res.BatchItemFailures); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ok", "fail", "panic", "ok"}, got); diff != "" {
		t.Errorf("messages handled (-want +got):\n%s", diff)
	}
	if n := strings.Count(buf.String(), `"msg":"job failed"`); n != 2 {
		t.Errorf("logged %d failures, want 2:\n%s", n, buf.String())
	}
	if !strings.Contains(buf.String(), `"messageId":"m3"`) || !strings.Contains(buf.String(), "panic in job Work: boom") {
		t.Errorf("the panic is not logged with its message id:\n%s", buf.String())
	}
}

func TestHandlerByTrigger(t *testing.T) {
	h, err := SweepExpired.Handler(&Services{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := h.(ScheduledHandler); !ok {
		t.Errorf("SweepExpired's handler is a %T, want a ScheduledHandler", h)
	}
	if _, err := (Work{Name: "NoSuchJob"}).Handler(&Services{}); err == nil {
		t.Error("a Work without a row in Jobs got a handler")
	}
}

// RecordMailEvents drops what is no bounce or complaint of SES's, rather
// than have SQS retry it until its dead-letter queue.
func TestRecordMailEventsDropsOtherMessages(t *testing.T) {
	do := recordMailEvents(&Services{Logger: slog.New(slog.DiscardHandler)})
	for _, give := range []string{
		`not json`,
		`{"eventType":"Delivery","mail":{"tags":{}},"delivery":{"recipients":["a@example.com"]}}`,
		`{"Type":"Notification","Message":"{\"eventType\":\"Send\",\"mail\":{}}"}`,
	} {
		out, err := do(context.Background(), []byte(give))
		if err != nil {
			t.Errorf("%s: %v, want it dropped", give, err)
			continue
		}
		if got, ok := out.(mailEventJSON); !ok || got.Ignored == "" {
			t.Errorf("%s: answered %+v, want it ignored", give, out)
		}
	}
}
