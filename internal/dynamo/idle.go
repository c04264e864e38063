package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// Idle seats (docs/data-model.md, "Idle seats"): every seat holder's user
// item carries gsi4 keys, in the organization's IDLE partition (or KEEPSEAT
// when on the exception list), sorted by idleSince. Who has been idle since
// before a moment is one Query of the start of that partition.

var _ domain.IdleStore = (*Store)(nil)

// FindIdleSeats returns a page of seat holders, the longest idle first: one
// Query of gsi4 (Limit + 1, to know whether another page follows). Without
// q.Exceptions, those idle since before q.Before in the IDLE partition;
// with it, everyone on the exception list.
func (s *Store) FindIdleSeats(ctx context.Context, orgID string, q domain.IdleQuery) ([]domain.User, string, error) {
	keyCond := expression.Key(attrGSI4PK).Equal(expression.Value(idleSeatsPK(orgID))).
		And(expression.Key(attrGSI4SK).LessThan(expression.Value(expiryStamp(q.Before))))
	if q.Exceptions {
		keyCond = expression.Key(attrGSI4PK).Equal(expression.Value(keepSeatPK(orgID)))
	}
	expr, err := expression.NewBuilder().WithKeyCondition(keyCond).Build()
	if err != nil {
		return nil, "", fmt.Errorf("build idle seats query: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI4),
		KeyConditionExpression:   expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		Limit: aws.Int32(int32(q.Limit + 1)),
	}
	if q.After != "" {
		start, err := decodePosition(q.After)
		if err != nil {
			return nil, "", err
		}
		in.ExclusiveStartKey = start
	}
	out, err := s.client.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("query idle seats: %w", err)
	}
	items := out.Items
	var next string
	if len(items) > q.Limit {
		items = items[:q.Limit]
		next = encodePosition(items[len(items)-1], attrPK, attrSK, attrGSI4PK, attrGSI4SK)
	}
	users := make([]domain.User, 0, len(items))
	for _, av := range items {
		var it userItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, "", fmt.Errorf("decode user: %w", err)
		}
		users = append(users, it.toDomain())
	}
	return users, next, nil
}

// CountIdleSeats counts the seat holders idle since before a moment (not
// those on the exception list): one Query (Select COUNT) of gsi4, which
// reads at most 1 MB (some 2,000 users). more says the count stopped there.
func (s *Store) CountIdleSeats(ctx context.Context, orgID string, before time.Time) (count int, more bool, err error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI4PK).Equal(expression.Value(idleSeatsPK(orgID))).
			And(expression.Key(attrGSI4SK).LessThan(expression.Value(expiryStamp(before)))),
	).Build()
	if err != nil {
		return 0, false, fmt.Errorf("build idle seats count: %w", err)
	}
	out, err := s.client.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI4), Select: types.SelectCount,
		KeyConditionExpression:   expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return 0, false, fmt.Errorf("count idle seats: %w", err)
	}
	return int(out.Count), out.LastEvaluatedKey != nil, nil
}

// FindTeamNames returns the names of an organization's teams by id: one
// BatchGetItem per 100 teams (ids of no team there are left out).
func (s *Store) FindTeamNames(ctx context.Context, orgID string, ids []string) (map[string]string, error) {
	keys := make([]key, len(ids))
	for i, id := range ids {
		keys[i] = teamKey(orgID, id)
	}
	names := make(map[string]string, len(ids))
	err := s.getMany(ctx, keys, func(av map[string]types.AttributeValue) error {
		var it teamItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return fmt.Errorf("decode team: %w", err)
		}
		names[it.ID] = it.Name
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read teams: %w", err)
	}
	return names, nil
}

// RecordIdleReminder notes on a seat holder that an idle-seat reminder went
// to them, with its audit entry, in one transaction: conflict when they no
// longer hold a seat.
func (s *Store) RecordIdleReminder(ctx context.Context, orgID, userID string, at time.Time, audit domain.AuditEntry) error {
	w, err := s.update(userKey(orgID, userID),
		expression.Set(expression.Name("remindedAt"), expression.Value(at.UTC())),
		expression.AttributeExists(expression.Name(attrPK)).And(expression.Name("seat").Equal(expression.Value(true))))
	if err != nil {
		return err
	}
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	return s.run(ctx, []write{{w, func(map[string]types.AttributeValue) error {
		return domain.Errorf(domain.CodeConflict, "This person no longer holds a seat.")
	}}, entry})
}

// IndexIdleSeats gives an organization's users written before the idle
// seats were kept (an operator task, `portalctl index-idle`; never a
// request path) their lastActiveAt from their activity summary, idleSince
// and gsi4 keys: one Query of gsi2 a page, one BatchGetItem of summaries per
// 100 users and one conditional PutItem per user whose item changes (on
// its revision; a user changed meanwhile is left, and counted in skipped).
func (s *Store) IndexIdleSeats(ctx context.Context, orgID string) (indexed, skipped int, err error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI2PK).Equal(expression.Value(allUsersPK(orgID)))).Build()
	if err != nil {
		return 0, 0, fmt.Errorf("build users query: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI2),
		KeyConditionExpression:   expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		Limit: aws.Int32(batchGetSize),
	}
	for {
		out, err := s.client.Query(ctx, in)
		if err != nil {
			return indexed, skipped, fmt.Errorf("query users: %w", err)
		}
		var users []userItem
		var keys []key
		for _, av := range out.Items {
			var it userItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return indexed, skipped, fmt.Errorf("decode user: %w", err)
			}
			users = append(users, it)
			keys = append(keys, learnerSummaryKey(orgID, it.ID))
		}
		sums, err := s.readKeys(ctx, keys)
		if err != nil {
			return indexed, skipped, err
		}
		for _, it := range users {
			u := it.toDomain()
			if av, ok := sums[learnerSummaryKey(orgID, it.ID)]; ok {
				var sum learnerSummaryItem
				if err := attributevalue.UnmarshalMap(av, &sum); err != nil {
					return indexed, skipped, fmt.Errorf("decode summary: %w", err)
				}
				for _, t := range []time.Time{sum.LastActiveAt, sum.LastLoginAt} {
					if t.After(u.LastActiveAt) {
						u.LastActiveAt = t.UTC()
					}
				}
			}
			next := toUserItem(u)
			if next.IdleSince == it.IdleSince && next.GSI4PK == it.GSI4PK && next.GSI4SK == it.GSI4SK &&
				next.LastActiveAt.Equal(it.LastActiveAt) {
				continue
			}
			cond := expression.Name("rev").Equal(expression.Value(it.Rev))
			put, err := s.put(next, &cond)
			if err != nil {
				return indexed, skipped, err
			}
			_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
				TableName: put.Put.TableName, Item: put.Put.Item, ConditionExpression: put.Put.ConditionExpression,
				ExpressionAttributeNames: put.Put.ExpressionAttributeNames, ExpressionAttributeValues: put.Put.ExpressionAttributeValues,
			})
			_, failed := errors.AsType[*types.ConditionalCheckFailedException](err)
			switch {
			case failed:
				skipped++
			case err != nil:
				return indexed, skipped, fmt.Errorf("index user %s: %w", it.ID, err)
			default:
				indexed++
			}
		}
		if out.LastEvaluatedKey == nil {
			return indexed, skipped, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
