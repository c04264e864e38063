package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// FindCatalog returns every item of the catalog, retired ones included: one
// Query of the catalog's partition (some 450 items, about 80 KB: one page).
func (s *Store) FindCatalog(ctx context.Context) ([]domain.CatalogItem, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(expression.Key(attrPK).Equal(expression.Value(catalogPK))).Build()
	if err != nil {
		return nil, fmt.Errorf("build catalog query: %w", err)
	}
	found, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return nil, fmt.Errorf("query catalog: %w", err)
	}
	return decodeCatalog(found)
}

// FindCatalogItems returns the catalog items with these ids, by id, retired
// ones included; ids the catalog does not have are left out. One
// BatchGetItem per 100 ids.
func (s *Store) FindCatalogItems(ctx context.Context, ids []string) (map[string]domain.CatalogItem, error) {
	byID := make(map[string]domain.CatalogItem, len(ids))
	unique := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			unique = append(unique, id)
		}
	}
	for start := 0; start < len(unique); start += batchGetSize {
		keys := make([]map[string]types.AttributeValue, 0, batchGetSize)
		for _, id := range unique[start:min(start+batchGetSize, len(unique))] {
			k, err := marshalKey(catalogKey(id))
			if err != nil {
				return nil, err
			}
			keys = append(keys, k)
		}
		found, err := s.batchGet(ctx, keys)
		if err != nil {
			return nil, fmt.Errorf("read catalog items: %w", err)
		}
		items, err := decodeCatalog(found)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			byID[it.ID] = it
		}
	}
	return byID, nil
}

// PutCatalogItems writes catalog items, new or changed, 25 a BatchWriteItem.
// An operator's task (portalctl load-catalog, the local seed), never a
// request's.
func (s *Store) PutCatalogItems(ctx context.Context, items []domain.CatalogItem) error {
	requests := make([]types.WriteRequest, len(items))
	for i, c := range items {
		av, err := attributevalue.MarshalMap(toCatalogItem(c))
		if err != nil {
			return fmt.Errorf("encode catalog item %s: %w", c.ID, err)
		}
		requests[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: av}}
	}
	if err := s.writeAll(ctx, requests); err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	return nil
}

func decodeCatalog(found []map[string]types.AttributeValue) ([]domain.CatalogItem, error) {
	items := make([]domain.CatalogItem, 0, len(found))
	for _, av := range found {
		var it catalogItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode catalog item: %w", err)
		}
		items = append(items, it.toDomain())
	}
	return items, nil
}
