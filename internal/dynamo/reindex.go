package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// RebuildSearch writes every search term of every user of an organization
// again, from the users as stored: users saved before a term was added to
// searchTerms (full names, the email's domain) become findable by it. Terms
// only ever get added, so nothing is deleted; a user changed meanwhile
// rewrites their own terms in their own transaction. It reads the users with
// one Query (paged, GSI2) and writes 25 items a BatchWriteItem; an operator
// task, not a request path. It returns how many users it covered.
func (s *Store) RebuildSearch(ctx context.Context, orgID string) (int, error) {
	expr, err := expression.NewBuilder().
		WithKeyCondition(expression.Key(attrGSI2PK).Equal(expression.Value(allUsersPK(orgID)))).Build()
	if err != nil {
		return 0, fmt.Errorf("rebuild search: build query: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI2),
		KeyConditionExpression:   expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}
	users := 0
	for pages := dynamodb.NewQueryPaginator(s.client, in); pages.HasMorePages(); {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return users, fmt.Errorf("rebuild search of %s: %w", orgID, err)
		}
		var requests []types.WriteRequest
		for _, av := range page.Items {
			var it userItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return users, fmt.Errorf("rebuild search of %s: decode user: %w", orgID, err)
			}
			for _, term := range toSearchItems(it.toDomain()) {
				item, err := attributevalue.MarshalMap(term)
				if err != nil {
					return users, fmt.Errorf("rebuild search of %s: %w", orgID, err)
				}
				requests = append(requests, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
			}
		}
		if err := s.writeAll(ctx, requests); err != nil {
			return users, fmt.Errorf("rebuild search of %s: %w", orgID, err)
		}
		users += len(page.Items)
	}
	return users, nil
}
