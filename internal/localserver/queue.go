package localserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"proportal/internal/worker"
)

// Queue is the local stand-in for a queued job's SQS queue (SQS does not
// deliver to Lambda locally): each message sent is handed, in-process and in
// the background, to the job's handler as the SQSEvent Lambda would get, and
// a message the job reports as failed is handed again after RetryAfter, at
// most MaxReceives times in all, as the queue's redrive policy would.
type Queue struct {
	job  string
	jobs *worker.Services
	log  *slog.Logger
	// RetryAfter stands for the queue's visibility timeout.
	RetryAfter time.Duration
	// MaxReceives stands for the redrive policy's maxReceiveCount.
	MaxReceives int
	pending     sync.WaitGroup
}

// NewQueue returns the queue of the named queued job, whose handler is built
// on jobs when a message arrives (so services rewired later are used).
func NewQueue(job string, jobs *worker.Services, log *slog.Logger) *Queue {
	return &Queue{job: job, jobs: jobs, log: log, RetryAfter: 2 * time.Second, MaxReceives: 5}
}

// Send hands the message to the job in the background and returns at once.
func (q *Queue) Send(_ context.Context, message string) error {
	w, ok := worker.WorkNamed(q.job)
	if !ok {
		return fmt.Errorf("local queue: there is no job %q", q.job)
	}
	q.pending.Add(1)
	go func() {
		defer q.pending.Done()
		id := messageID()
		for receive := 1; receive <= q.MaxReceives; receive++ {
			h, err := w.Handler(q.jobs)
			if err != nil {
				q.log.Error("local queue: no handler", "job", q.job, "error", err)
				return
			}
			handle, ok := h.(worker.QueueHandler)
			if !ok {
				q.log.Error("local queue: the job is not a queued job", "job", q.job)
				return
			}
			res, err := handle(context.Background(), events.SQSEvent{Records: []events.SQSMessage{{
				MessageId: id, Body: message, EventSource: "aws:sqs",
				Attributes: map[string]string{"ApproximateReceiveCount": fmt.Sprint(receive)},
			}}})
			if err == nil && len(res.BatchItemFailures) == 0 {
				return
			}
			if receive < q.MaxReceives {
				time.Sleep(q.RetryAfter)
			}
		}
		q.log.Error("local queue: message failed every time; in AWS it would be in the dead-letter queue", "job", q.job, "messageId", id)
	}()
	return nil
}

// Wait returns once every message sent so far has been handled (or given up).
func (q *Queue) Wait() { q.pending.Wait() }

func messageID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
