package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// Reads of activity for exports (docs/data-model.md, "Activity", patterns
// #18 and #19): events page by page, handed to a callback in time order, so
// that an export of any size is read in bounded memory. Never a Scan.

// eventPage is how many events one Query page holds: about DynamoDB's own
// page of 1 MB (events are some 400 bytes), set so that moto, which has no
// such limit, pages the same way.
const eventPage = 2500

// EachUserEvent calls fn with a learner's events of a kind in [from, to),
// oldest first: one Query of GSI2 a page (pattern #18).
func (s *Store) EachUserEvent(ctx context.Context, orgID, userID, kind string, from, to time.Time, fn func(domain.Event) error) error {
	in, err := s.eventQuery(IndexGSI2, attrGSI2PK, attrGSI2SK, userEventsPK(orgID, userID, kind), from, to)
	if err != nil {
		return err
	}
	return s.eachEventPage(ctx, in, orgID, func(page []domain.Event) error {
		for _, ev := range page {
			if err := fn(ev); err != nil {
				return err
			}
		}
		return nil
	})
}

// EachOrgEvent calls fn with an organization's events of a kind in [from,
// to), oldest first (pattern #19): the kind's domain.ActivityShards
// partitions of GSI1 are queried at once, page by page, and merged by time
// as they come. At most two pages a shard are held at a time.
func (s *Store) EachOrgEvent(ctx context.Context, orgID, kind string, from, to time.Time, fn func(domain.Event) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	type page struct {
		events []domain.Event
		err    error
	}
	shards := make([]chan page, domain.ActivityShards)
	for i := range shards {
		ch := make(chan page, 1)
		shards[i] = ch
		in, err := s.eventQuery(IndexGSI1, attrGSI1PK, attrGSI1SK, orgEventsPK(orgID, kind, i), from, to)
		if err != nil {
			return err
		}
		go func() {
			defer close(ch)
			err := s.eachEventPage(ctx, in, orgID, func(events []domain.Event) error {
				select {
				case ch <- page{events: events}:
					return nil
				case <-ctx.Done():
					return context.Cause(ctx)
				}
			})
			if err != nil {
				select {
				case ch <- page{err: err}:
				case <-ctx.Done():
				}
			}
		}()
	}
	// heads[i] is what is left of shard i's current page; nil when spent.
	heads := make([][]domain.Event, len(shards))
	open := make([]bool, len(shards))
	next := func(i int) error {
		for open[i] && len(heads[i]) == 0 {
			p, ok := <-shards[i]
			if !ok {
				open[i] = false
				return nil
			}
			if p.err != nil {
				return p.err
			}
			heads[i] = p.events
		}
		return nil
	}
	for i := range shards {
		open[i] = true
		if err := next(i); err != nil {
			return err
		}
	}
	for {
		min := -1
		for i, h := range heads {
			if len(h) > 0 && (min < 0 || eventBefore(h[0], heads[min][0])) {
				min = i
			}
		}
		if min < 0 {
			return nil
		}
		ev := heads[min][0]
		heads[min] = heads[min][1:]
		if err := fn(ev); err != nil {
			cancel(err)
			return err
		}
		if len(heads[min]) == 0 {
			if err := next(min); err != nil {
				return err
			}
		}
	}
}

// eventBefore orders events as their index sort keys do: by time, then id.
func eventBefore(a, b domain.Event) bool {
	if !a.At.Equal(b.At) {
		return a.At.Before(b.At)
	}
	return a.ID < b.ID
}

// eventQuery is the Query of one partition of events in [from, to). The
// sort keys are {at}#{event} with at of fixed width, so every event at or
// after from sorts after expiryStamp(from), and every one before to sorts
// before expiryStamp(to).
func (s *Store) eventQuery(index, pkName, skName, pk string, from, to time.Time) (*dynamodb.QueryInput, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(pkName).Equal(expression.Value(pk)).
			And(expression.Key(skName).Between(expression.Value(expiryStamp(from)), expression.Value(expiryStamp(to))))).Build()
	if err != nil {
		return nil, fmt.Errorf("build event query: %w", err)
	}
	return &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(index),
		KeyConditionExpression: expr.KeyCondition(), ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		Limit: aws.Int32(eventPage),
	}, nil
}

// eachEventPage runs a Query page after page and hands each page's events to fn.
func (s *Store) eachEventPage(ctx context.Context, in *dynamodb.QueryInput, orgID string, fn func([]domain.Event) error) error {
	for {
		out, err := s.client.Query(ctx, in)
		if err != nil {
			return fmt.Errorf("query events: %w", err)
		}
		page := make([]domain.Event, 0, len(out.Items))
		for _, av := range out.Items {
			var it eventItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return fmt.Errorf("decode event: %w", err)
			}
			page = append(page, it.toDomain(orgID))
		}
		if len(page) > 0 {
			if err := fn(page); err != nil {
				return err
			}
		}
		if out.LastEvaluatedKey == nil {
			return nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// EachUser calls fn with every user of an organization, in name order: one
// Query of GSI2 (pattern #9) a page.
func (s *Store) EachUser(ctx context.Context, orgID string, fn func(domain.User) error) error {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI2PK).Equal(expression.Value(allUsersPK(orgID)))).Build()
	if err != nil {
		return fmt.Errorf("build user query: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI2),
		KeyConditionExpression: expr.KeyCondition(), ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}
	for {
		out, err := s.client.Query(ctx, in)
		if err != nil {
			return fmt.Errorf("query users: %w", err)
		}
		for _, av := range out.Items {
			var it userItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return fmt.Errorf("decode user: %w", err)
			}
			if err := fn(it.toDomain()); err != nil {
				return err
			}
		}
		if out.LastEvaluatedKey == nil {
			return nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// FindUsageDays returns the daily usage of an organization (teamID and
// userID ""), a team or a learner over the days from..to (yyyy-mm-dd, both
// included): one Query (pattern #20); days without activity have no item.
func (s *Store) FindUsageDays(ctx context.Context, orgID, teamID, userID, from, to string) ([]domain.UsagePeriod, error) {
	pk := orgUsagePK(orgID)
	switch {
	case userID != "":
		pk = learnerPK(orgID, userID)
	case teamID != "":
		pk = teamUsagePK(orgID, teamID)
	}
	return s.findUsage(ctx, pk, dayPrefix, from, to, "usage day")
}

// ImportEvents writes events as they are stored, with BatchWriteItem, 25 a
// call: for seeding benchmarks and tests, never a request path. It keeps no
// aggregates and claims nothing (an event written twice is overwritten), so
// it is not ingestion: POST /api/ingest/events is.
func (s *Store) ImportEvents(ctx context.Context, events []domain.Event, receivedAt time.Time) error {
	requests := make([]types.WriteRequest, 0, len(events))
	for _, e := range events {
		av, err := attributevalue.MarshalMap(toEventItem(e, receivedAt))
		if err != nil {
			return fmt.Errorf("encode event: %w", err)
		}
		requests = append(requests, types.WriteRequest{PutRequest: &types.PutRequest{Item: av}})
	}
	if err := s.writeAll(ctx, requests); err != nil {
		return fmt.Errorf("import events: %w", err)
	}
	return nil
}
