package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"proportal/internal/domain"
)

// FindIngestedUsage returns an organization's last n days or weeks of usage
// (prefix "DAY#" or "WEEK#"), oldest first: one Query. The seed's and the
// load tests' check of what the ingestion wrote (the activity pages read
// usage their own way).
func (s *Store) FindIngestedUsage(ctx context.Context, orgID, prefix string, n int) ([]domain.UsagePeriod, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrPK).Equal(expression.Value(orgUsagePK(orgID))).And(expression.Key(attrSK).BeginsWith(prefix)),
	).Build()
	if err != nil {
		return nil, fmt.Errorf("build usage query: %w", err)
	}
	out, err := s.client.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ScanIndexForward: aws.Bool(false), Limit: aws.Int32(int32(n)),
	})
	if err != nil {
		return nil, fmt.Errorf("query usage: %w", err)
	}
	periods := make([]domain.UsagePeriod, len(out.Items))
	for i, av := range out.Items {
		var it usageItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode usage: %w", err)
		}
		periods[len(out.Items)-1-i] = it.toDomain()
	}
	return periods, nil
}
