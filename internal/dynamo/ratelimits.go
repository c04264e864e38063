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
)

// Hit counts one more request under scope and key in a window and returns the
// count so far.
func (s *Store) Hit(ctx context.Context, scope, key string, window int64, expires time.Time) (int, error) {
	rk := rateKey(scope, key, window)
	k, err := marshalKey(rk)
	if err != nil {
		return 0, err
	}
	// The window is indexed under its end, in the same update that counts.
	ex := expiringAt(rk, expires)
	expr, err := expression.NewBuilder().WithUpdate(
		expression.Add(expression.Name("count"), expression.Value(1)).
			Set(expression.Name(attrTTL), expression.Value(expires.Add(cleanupAfter).Unix())).
			Set(expression.Name(attrGSI3PK), expression.Value(ex.GSI3PK)).
			Set(expression.Name(attrGSI3SK), expression.Value(ex.GSI3SK)),
	).Build()
	if err != nil {
		return 0, fmt.Errorf("build counter expression: %w", err)
	}
	out, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.table), Key: k, UpdateExpression: expr.Update(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValues: types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", scope, err)
	}
	var c counterItem
	if err := attributevalue.UnmarshalMap(out.Attributes, &c); err != nil {
		return 0, fmt.Errorf("decode counter: %w", err)
	}
	return c.Count, nil
}
