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

var _ domain.ExpiryStore = (*Store)(nil)

// DeleteExpired deletes the one-time links, rate-limit windows and sessions
// whose expiry falls in the UTC hour that starts at hour and is before now,
// and returns how many it deleted. It reads the hour's entries on GSI3 with
// one Query (paged) and deletes them with BatchWriteItem, 25 a call; what
// another run deleted already is not found again, so running it twice is
// harmless. Items written before they carried expiry keys are not found here;
// DynamoDB's TTL still removes them.
func (s *Store) DeleteExpired(ctx context.Context, hour, now time.Time) (int, error) {
	bucket := expiresPK(hour)
	expr, err := expression.NewBuilder().
		WithKeyCondition(expression.Key(attrGSI3PK).Equal(expression.Value(bucket)).
			And(expression.Key(attrGSI3SK).LessThan(expression.Value(expiryStamp(now))))).
		WithProjection(expression.NamesList(expression.Name(attrPK), expression.Name(attrSK))).
		Build()
	if err != nil {
		return 0, fmt.Errorf("delete expired: build query: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI3),
		KeyConditionExpression: expr.KeyCondition(), ProjectionExpression: expr.Projection(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}
	if s.expiryPageSize > 0 {
		in.Limit = aws.Int32(s.expiryPageSize)
	}
	deleted := 0
	// Each page is deleted before the next is read: the Query carries on from
	// the key it ended at, whether or not that item still exists.
	for pages := dynamodb.NewQueryPaginator(s.client, in); pages.HasMorePages(); {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return deleted, fmt.Errorf("delete expired %s: query: %w", bucket, err)
		}
		requests := make([]types.WriteRequest, 0, len(page.Items))
		for _, av := range page.Items {
			var k key
			if err := attributevalue.UnmarshalMap(av, &k); err != nil {
				return deleted, fmt.Errorf("delete expired %s: decode key: %w", bucket, err)
			}
			km, err := marshalKey(k)
			if err != nil {
				return deleted, fmt.Errorf("delete expired %s: %w", bucket, err)
			}
			requests = append(requests, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: km}})
		}
		if err := s.writeAll(ctx, requests); err != nil {
			return deleted, fmt.Errorf("delete expired %s: %w", bucket, err)
		}
		deleted += len(requests)
	}
	return deleted, nil
}
