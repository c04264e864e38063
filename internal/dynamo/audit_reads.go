package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"proportal/internal/domain"
)

// The audit log's reads (docs/data-model.md, "Audit entries").

var _ domain.AuditStore = (*Store)(nil)

// maxAuditEvaluated bounds the entries one filtered Query reads, so that a
// page with a filter the index does not serve costs one Query too.
const maxAuditEvaluated = 1000

// AuditRetention is how long the store keeps audit entries (their time to live).
func (s *Store) AuditRetention() time.Duration {
	if s.auditRetention == 0 {
		return domain.DefaultAuditRetention
	}
	return s.auditRetention
}

// FindAuditEntries returns a page of an organization's audit entries, newest
// first: one Query. The partition is picked by the most selective filter
// (target: gsi2, actor: gsi1, kind: gsi3, none: the table); the times bound
// the sort key and the other filters are a FilterExpression, under which a
// page may be short and still have a next position.
func (s *Store) FindAuditEntries(ctx context.Context, orgID string, q domain.AuditQuery) ([]domain.AuditEntry, string, error) {
	idx, idxPK, idxSK, pk := "", attrPK, attrSK, auditPK(orgID)
	var filters []expression.ConditionBuilder
	filter := func(attr, v string) {
		if v != "" {
			filters = append(filters, expression.Name(attr).Equal(expression.Value(v)))
		}
	}
	switch {
	case q.TargetID != "":
		idx, idxPK, idxSK, pk = IndexGSI2, attrGSI2PK, attrGSI2SK, auditByTargetPK(orgID, q.TargetID)
		filter("actorId", q.ActorID)
		filter("kind", q.Kind)
	case q.ActorID != "":
		idx, idxPK, idxSK, pk = IndexGSI1, attrGSI1PK, attrGSI1SK, auditByActorPK(orgID, q.ActorID)
		filter("kind", q.Kind)
	case q.Kind != "":
		idx, idxPK, idxSK, pk = IndexGSI3, attrGSI3PK, attrGSI3SK, auditByKindPK(orgID, q.Kind)
	}
	keyCond := expression.Key(idxPK).Equal(expression.Value(pk))
	switch {
	case !q.From.IsZero() && !q.To.IsZero():
		keyCond = keyCond.And(expression.Key(idxSK).Between(expression.Value(expiryStamp(q.From)), expression.Value(expiryStamp(q.To))))
	case !q.From.IsZero():
		keyCond = keyCond.And(expression.Key(idxSK).GreaterThanEqual(expression.Value(expiryStamp(q.From))))
	case !q.To.IsZero():
		keyCond = keyCond.And(expression.Key(idxSK).LessThan(expression.Value(expiryStamp(q.To))))
	}
	b := expression.NewBuilder().WithKeyCondition(keyCond)
	if len(filters) == 1 {
		b = b.WithFilter(filters[0])
	} else if len(filters) > 1 {
		b = b.WithFilter(expression.And(filters[0], filters[1], filters[2:]...))
	}
	expr, err := b.Build()
	if err != nil {
		return nil, "", fmt.Errorf("build audit query: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(), FilterExpression: expr.Filter(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ScanIndexForward: aws.Bool(false),
		// One more than the page, to know whether another follows; a filtered
		// page reads a few pages' worth for its matches.
		Limit: aws.Int32(int32(q.Limit + 1)),
	}
	if len(filters) > 0 {
		in.Limit = aws.Int32(int32(min(q.Limit*5, maxAuditEvaluated)))
	}
	if idx != "" {
		in.IndexName = aws.String(idx)
	}
	if q.After != "" {
		if in.ExclusiveStartKey, err = decodePosition(q.After); err != nil {
			return nil, "", err
		}
	}
	out, err := s.client.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("query audit entries: %w", err)
	}
	items, next := out.Items, ""
	if len(items) > q.Limit {
		items = items[:q.Limit]
		next = encodePosition(items[len(items)-1], attrPK, attrSK, idxPK, idxSK)
	} else if len(filters) > 0 && out.LastEvaluatedKey != nil {
		next = encodePosition(out.LastEvaluatedKey, attrPK, attrSK, idxPK, idxSK)
	}
	list := make([]domain.AuditEntry, 0, len(items))
	for _, av := range items {
		var it auditItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, "", fmt.Errorf("decode audit entry: %w", err)
		}
		list = append(list, it.toDomain())
	}
	return list, next, nil
}

// FindSeatChanges returns the organization's entries that took or freed a
// seat at or after since, newest first: a Query of gsi4 (AUDIT#SEATS) per
// 1 MB of them, reading only their time and delta.
func (s *Store) FindSeatChanges(ctx context.Context, orgID string, since time.Time) ([]domain.AuditEntry, error) {
	expr, err := expression.NewBuilder().
		WithKeyCondition(expression.Key(attrGSI4PK).Equal(expression.Value(auditSeatsPK(orgID))).
			And(expression.Key(attrGSI4SK).GreaterThanEqual(expression.Value(expiryStamp(since))))).
		WithProjection(expression.NamesList(expression.Name("id"), expression.Name("at"), expression.Name("seatDelta"))).
		Build()
	if err != nil {
		return nil, fmt.Errorf("build seat changes query: %w", err)
	}
	items, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI4),
		KeyConditionExpression: expr.KeyCondition(), ProjectionExpression: expr.Projection(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ScanIndexForward: aws.Bool(false),
	})
	if err != nil {
		return nil, fmt.Errorf("query seat changes: %w", err)
	}
	list := make([]domain.AuditEntry, 0, len(items))
	for _, av := range items {
		var it auditItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode seat change: %w", err)
		}
		list = append(list, domain.AuditEntry{ID: it.ID, OrgID: orgID, At: it.At, SeatDelta: it.SeatDelta})
	}
	return list, nil
}
