package dynamo

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// catalogCache is the catalog as a process last read it, with the version
// it had then.
type catalogCache struct {
	mu      sync.Mutex
	version string
	items   []domain.CatalogItem
}

// catalogVersionItem is the catalog's version: a new random value with every
// load that changes the catalog.
type catalogVersionItem struct {
	key
	Type     string    `dynamodbav:"type"`
	Version  string    `dynamodbav:"version"`
	LoadedAt time.Time `dynamodbav:"loadedAt"`
}

// FindCatalog returns every item of the catalog, retired ones included. It
// reads the catalog's version (one GetItem) and, when this process has not
// read the catalog at that version yet, the catalog's partition (one Query:
// some 450 items, about 80 KB, one page). The catalog changes only when an
// operator loads a new file, so a warm process answers from memory.
func (s *Store) FindCatalog(ctx context.Context) ([]domain.CatalogItem, error) {
	var v catalogVersionItem
	err := s.get(ctx, catalogVersionKey(), &v, "catalog version")
	if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
		return nil, err
	}
	s.catalog.mu.Lock()
	if v.Version != "" && v.Version == s.catalog.version {
		items := slices.Clone(s.catalog.items)
		s.catalog.mu.Unlock()
		return items, nil
	}
	s.catalog.mu.Unlock()

	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrPK).Equal(expression.Value(catalogPK)).And(expression.Key(attrSK).BeginsWith(catalogItemsPrefix)),
	).Build()
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
	items, err := decodeCatalog(found)
	if err != nil {
		return nil, err
	}
	// Kept under the version read before the Query: a load that lands in
	// between changes the version, and the next call reads again.
	s.catalog.mu.Lock()
	s.catalog.version, s.catalog.items = v.Version, items
	s.catalog.mu.Unlock()
	return slices.Clone(items), nil
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

// PutCatalogItems writes catalog items, new or changed, 25 a BatchWriteItem,
// then a new catalog version (PutItem), which tells every process to read the
// catalog again. An operator's task (portalctl load-catalog, the local seed), never a
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
	if len(items) == 0 {
		return nil
	}
	// Last, so that a process that reads the new version finds the new items.
	av, err := attributevalue.MarshalMap(catalogVersionItem{
		key: catalogVersionKey(), Type: "catalogVersion", Version: domain.NewID(), LoadedAt: time.Now().UTC(),
	})
	if err != nil {
		return fmt.Errorf("encode catalog version: %w", err)
	}
	if _, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: av}); err != nil {
		return fmt.Errorf("write catalog version: %w", err)
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
