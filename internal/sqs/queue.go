// Package sqs is the SQS adapter: it hands work to a queued job
// (internal/worker's Queued trigger) by sending a message to the job's queue.
package sqs

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"proportal/internal/domain"
)

// Queue sends messages to one SQS queue.
type Queue struct {
	client *sqs.Client
	url    string
}

var _ domain.Queue = (*Queue)(nil)

// New returns the queue at url.
func New(client *sqs.Client, url string) *Queue {
	return &Queue{client: client, url: url}
}

// FromConfig returns the queue at url, with its own client made from awsCfg.
func FromConfig(awsCfg aws.Config, url string) domain.Queue {
	return New(sqs.NewFromConfig(awsCfg), url)
}

// Send sends one message.
func (q *Queue) Send(ctx context.Context, message string) error {
	if q.url == "" {
		return errors.New("send to queue: no queue URL is configured")
	}
	if _, err := q.client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q.url), MessageBody: aws.String(message)}); err != nil {
		return fmt.Errorf("send to queue: %w", err)
	}
	return nil
}
