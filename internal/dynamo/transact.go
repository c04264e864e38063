package dynamo

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// write is one item of a transaction and the error to answer when its
// condition fails (nil for writes without a condition).
type write struct {
	item types.TransactWriteItem
	// fails explains a failed condition; it may look at the item as it was.
	fails func(old map[string]types.AttributeValue) error
}

// put is a transactional put, with a condition when one is given.
func (s *Store) put(item any, cond *expression.ConditionBuilder) (types.TransactWriteItem, error) {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("encode item: %w", err)
	}
	p := &types.Put{TableName: aws.String(s.table), Item: av}
	p.ConditionExpression, p.ExpressionAttributeNames, p.ExpressionAttributeValues, err = condition(cond)
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("build put condition: %w", err)
	}
	return types.TransactWriteItem{Put: p}, nil
}

// putNew is a transactional put that fails if an item with the same key exists.
func (s *Store) putNew(item any) (types.TransactWriteItem, error) {
	cond := expression.AttributeNotExists(expression.Name(attrPK))
	return s.put(item, &cond)
}

// deleteItem is a transactional delete, with a condition when one is given.
func (s *Store) deleteItem(k key, cond *expression.ConditionBuilder) (types.TransactWriteItem, error) {
	av, err := marshalKey(k)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	d := &types.Delete{TableName: aws.String(s.table), Key: av}
	d.ConditionExpression, d.ExpressionAttributeNames, d.ExpressionAttributeValues, err = condition(cond)
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("build delete condition: %w", err)
	}
	return types.TransactWriteItem{Delete: d}, nil
}

// condition is an optional condition of a write, as the request takes it:
// all nil without one.
func condition(cond *expression.ConditionBuilder) (*string, map[string]string, map[string]types.AttributeValue, error) {
	if cond == nil {
		return nil, nil, nil, nil
	}
	expr, err := expression.NewBuilder().WithCondition(*cond).Build()
	if err != nil {
		return nil, nil, nil, err
	}
	return expr.Condition(), expr.Names(), expr.Values(), nil
}

// run executes writes as one transaction and explains a failed condition.
func (s *Store) run(ctx context.Context, writes []write) error {
	items := make([]types.TransactWriteItem, len(writes))
	for i, w := range writes {
		items[i] = w.item
	}
	reasons, err := s.transact(ctx, items)
	if err != nil {
		return fmt.Errorf("write transaction: %w", err)
	}
	for i, r := range reasons {
		if aws.ToString(r.Code) == reasonConditionFailed && i < len(writes) && writes[i].fails != nil {
			return writes[i].fails(r.Item)
		}
	}
	if reasons != nil {
		return errors.New("write transaction: a condition failed")
	}
	return nil
}

// Codes of a cancelled transaction's reasons.
const (
	reasonConditionFailed = "ConditionalCheckFailed"
	reasonConflict        = "TransactionConflict"
)

// transact runs a write transaction. When a condition failed, it returns the
// cancellation reasons (and a nil error) so the caller can say which rule was
// broken; transactions cancelled by a conflict with another one on the same
// item (two seat changes at once) are tried again with backoff.
func (s *Store) transact(ctx context.Context, items []types.TransactWriteItem) ([]types.CancellationReason, error) {
	in := &dynamodb.TransactWriteItemsInput{TransactItems: items}
	var reasons []types.CancellationReason
	err := retry(ctx, func() (bool, error) {
		_, err := s.client.TransactWriteItems(ctx, in)
		tce, ok := errors.AsType[*types.TransactionCanceledException](err)
		switch {
		case !ok:
			return false, err
		case hasReason(tce.CancellationReasons, reasonConditionFailed):
			reasons = tce.CancellationReasons
			return false, nil
		default:
			return hasReason(tce.CancellationReasons, reasonConflict), err
		}
	})
	return reasons, err
}

func hasReason(reasons []types.CancellationReason, code string) bool {
	for _, r := range reasons {
		if aws.ToString(r.Code) == code {
			return true
		}
	}
	return false
}
