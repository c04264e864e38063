// Package dynamo is the DynamoDB adapter: it keeps ProPortal's data in one
// table through aws-sdk-go-v2 and implements the store interfaces the domain services declare. The access patterns
// are listed in docs/data-model.md.
//
// One file per aggregate (organizations, users, teams, sessions, links, rate
// limits, bulk import); beside them the keys (keys.go), the stored items
// (items.go), the table (table.go), transactions (transact.go), batches
// (batch.go) and the one retry policy (retry.go).
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

// Store keeps ProPortal's data in one DynamoDB table.
type Store struct {
	client *dynamodb.Client
	table  string
	// expiryPageSize limits the entries of one DeleteExpired Query page (0:
	// DynamoDB's own limit of 1 MB); tests set it to see paging.
	expiryPageSize int32
	// catalog is the catalog as this process last read it (FindCatalog).
	catalog *catalogCache
	// assigneeBatch is how many people one TransactWriteItems of
	// WriteAssignees writes (0: assigneesPerTransaction).
	assigneeBatch int
	// auditRetention is how long audit entries are kept (0: the default).
	auditRetention time.Duration
}

// SetAssigneesPerTransaction makes WriteAssignees write n people a
// transaction (1 to 99). For tests on moto_server, whose transactions copy
// the table once per item they hold and so grow slow with big ones.
func (s *Store) SetAssigneesPerTransaction(n int) {
	s.assigneeBatch = min(max(n, 1), assigneesPerTransaction)
}

// Store implements every store interface of the domain services.
var (
	_ domain.SessionStore    = (*Store)(nil)
	_ domain.AccountStore    = (*Store)(nil)
	_ domain.PeopleStore     = (*Store)(nil)
	_ domain.PasswordStore   = (*Store)(nil)
	_ domain.TeamStore       = (*Store)(nil)
	_ domain.ActivityStore   = (*Store)(nil)
	_ domain.OperatorStore   = (*Store)(nil)
	_ domain.CatalogStore    = (*Store)(nil)
	_ domain.ModuleStore     = (*Store)(nil)
	_ domain.AssignmentStore = (*Store)(nil)
)

// New returns a store on the named table.
func New(client *dynamodb.Client, table string) *Store {
	return &Store{client: client, table: table, catalog: &catalogCache{}}
}

// get reads one item into out; a missing item is a not_found error naming kind.
func (s *Store) get(ctx context.Context, k key, out any, kind string) error {
	av, err := marshalKey(k)
	if err != nil {
		return err
	}
	res, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: av})
	if err != nil {
		return fmt.Errorf("get %s: %w", kind, err)
	}
	if res.Item == nil {
		return domain.NotFound(kind)
	}
	if err := attributevalue.UnmarshalMap(res.Item, out); err != nil {
		return fmt.Errorf("decode %s: %w", kind, err)
	}
	return nil
}

// Ping reads one fixed key of the table (nothing is stored there): the
// readiness check's proof that the table answers to these credentials.
func (s *Store) Ping(ctx context.Context) error {
	av, err := marshalKey(readinessKey())
	if err != nil {
		return err
	}
	if _, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: av}); err != nil {
		return fmt.Errorf("ping table: %w", err)
	}
	return nil
}

func marshalKey(k key) (map[string]types.AttributeValue, error) {
	av, err := attributevalue.MarshalMap(k)
	if err != nil {
		return nil, fmt.Errorf("encode key: %w", err)
	}
	return av, nil
}

// Errors of the rules the writes keep, shared by the aggregates.

func emailInUse() error {
	return domain.Errorf(domain.CodeEmailInUse, "This email address already has an account.")
}

func seatLimitReached() error {
	return domain.Errorf(domain.CodeSeatLimitReached, "No seats are left on the subscription.")
}

// queryAll runs a Query page after page and returns every item; what one
// page holds is DynamoDB's 1 MB, so most callers make one call.
func (s *Store) queryAll(ctx context.Context, in *dynamodb.QueryInput) ([]map[string]types.AttributeValue, error) {
	var items []map[string]types.AttributeValue
	for {
		out, err := s.client.Query(ctx, in)
		if err != nil {
			return nil, err
		}
		items = append(items, out.Items...)
		if out.LastEvaluatedKey == nil {
			return items, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// queryPrefix reads every item of a partition whose sort key starts with prefix.
func (s *Store) queryPrefix(ctx context.Context, pk, prefix string) ([]map[string]types.AttributeValue, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrPK).Equal(expression.Value(pk)).And(expression.Key(attrSK).BeginsWith(prefix)),
	).Build()
	if err != nil {
		return nil, fmt.Errorf("build query: %w", err)
	}
	return s.queryAll(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
}
