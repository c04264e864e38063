// Package dynamo is the DynamoDB adapter: it keeps ProPortal's data in one
// table through aws-sdk-go-v2 and implements the store interfaces the domain services declare. The access patterns
// are listed in docs/data-model.md.
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
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
}

// Store implements every store interface of the domain services.
var (
	_ domain.SessionStore  = (*Store)(nil)
	_ domain.AccountStore  = (*Store)(nil)
	_ domain.PeopleStore   = (*Store)(nil)
	_ domain.PasswordStore = (*Store)(nil)
	_ domain.TeamStore     = (*Store)(nil)
	_ domain.ActivityStore = (*Store)(nil)
	_ domain.OperatorStore = (*Store)(nil)
)

// New returns a store on the named table.
func New(client *dynamodb.Client, table string) *Store {
	return &Store{client: client, table: table}
}

// CreateOrganization writes the organization, its subscription (with its
// counters set for the first user) and its first user in one transaction.
func (s *Store) CreateOrganization(ctx context.Context, org domain.Organization, sub domain.Subscription, first domain.User, invite *domain.OneTimeToken) error {
	subItem := toSubscriptionItem(sub)
	subItem.SeatsUsed = b2i(first.Seat)
	subItem.Admins = b2i(first.Admin)
	switch first.Status {
	case domain.StatusActive:
		subItem.Active = 1
	case domain.StatusInvited:
		subItem.Invited = 1
	case domain.StatusInactive:
		subItem.Inactive = 1
	}
	if subItem.SeatsUsed > subItem.SeatsTotal {
		return seatLimitReached()
	}
	orgPut, err := s.putNew(toOrgItem(org))
	if err != nil {
		return err
	}
	subPut, err := s.putNew(subItem)
	if err != nil {
		return err
	}
	exists := func(map[string]types.AttributeValue) error {
		return domain.Errorf(domain.CodeConflict, "The organization exists already.")
	}
	userWrites, err := s.userWrites(domain.UserChange{After: first, PutToken: invite}, false)
	if err != nil {
		return err
	}
	if err := s.run(ctx, append([]write{{orgPut, exists}, {subPut, exists}}, userWrites...)); err != nil {
		return fmt.Errorf("create organization %s: %w", org.ID, err)
	}
	return nil
}

// FindOrganization returns an organization by id.
func (s *Store) FindOrganization(ctx context.Context, orgID string) (domain.Organization, error) {
	var it orgItem
	if err := s.get(ctx, orgKey(orgID), &it, "organization"); err != nil {
		return domain.Organization{}, err
	}
	return it.toDomain(), nil
}

// FindSubscription returns an organization's subscription.
func (s *Store) FindSubscription(ctx context.Context, orgID string) (domain.Subscription, error) {
	var it subscriptionItem
	if err := s.get(ctx, subscriptionKey(orgID), &it, "subscription"); err != nil {
		return domain.Subscription{}, err
	}
	return it.toDomain(), nil
}

// FindUserByID returns a user of an organization. A user of another
// organization is not found.
func (s *Store) FindUserByID(ctx context.Context, orgID, userID string) (domain.User, error) {
	var it userItem
	if err := s.get(ctx, userKey(orgID, userID), &it, "user"); err != nil {
		return domain.User{}, err
	}
	return it.toDomain(), nil
}

// FindUserByEmail returns the user with a normalized email address, in
// whichever organization it is.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (domain.User, error) {
	var e emailItem
	if err := s.get(ctx, emailKey(email), &e, "user"); err != nil {
		return domain.User{}, err
	}
	return s.FindUserByID(ctx, e.OrgID, e.UserID)
}

// CreateSession stores a session and the user's sign-in time, and takes the
// giveBack attempt off its count, in one transaction.
func (s *Store) CreateSession(ctx context.Context, sess domain.Session, giveBack *domain.Attempt) error {
	put, err := s.putNew(toSessionItem(sess))
	if err != nil {
		return err
	}
	k, err := marshalKey(userKey(sess.OrgID, sess.UserID))
	if err != nil {
		return err
	}
	expr, err := expression.NewBuilder().
		WithUpdate(expression.Set(expression.Name("lastLoginAt"), expression.Value(sess.CreatedAt))).
		WithCondition(expression.Name("sessionVersion").Equal(expression.Value(sess.UserVersion))).
		Build()
	if err != nil {
		return fmt.Errorf("build sign-in expression: %w", err)
	}
	items := []types.TransactWriteItem{
		put,
		{Update: &types.Update{
			TableName: aws.String(s.table), Key: k,
			UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
			ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		}},
	}
	if giveBack != nil {
		rk, err := marshalKey(rateKey(giveBack.Scope, giveBack.Key, giveBack.Window))
		if err != nil {
			return err
		}
		back, err := expression.NewBuilder().WithUpdate(expression.Add(expression.Name("count"), expression.Value(-1))).Build()
		if err != nil {
			return fmt.Errorf("build give-back expression: %w", err)
		}
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName: aws.String(s.table), Key: rk, UpdateExpression: back.Update(),
			ExpressionAttributeNames: back.Names(), ExpressionAttributeValues: back.Values(),
		}})
	}
	reasons, err := s.transact(ctx, items)
	if reasons != nil {
		// The user's sessions were ended while this one was being made.
		return domain.Errorf(domain.CodeUnauthorized, "Sign in again.")
	}
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// FindSession returns the session with a token hash.
func (s *Store) FindSession(ctx context.Context, tokenHash string) (domain.Session, error) {
	var it sessionItem
	if err := s.get(ctx, sessionKey(tokenHash), &it, "session"); err != nil {
		return domain.Session{}, err
	}
	return it.toDomain(tokenHash), nil
}

// TouchSession records that a session was used at a time, if it still exists.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	k, err := marshalKey(sessionKey(tokenHash))
	if err != nil {
		return err
	}
	expr, err := expression.NewBuilder().
		WithUpdate(expression.Set(expression.Name("lastSeenAt"), expression.Value(at))).
		WithCondition(expression.AttributeExists(expression.Name(attrPK))).
		Build()
	if err != nil {
		return fmt.Errorf("build touch expression: %w", err)
	}
	_, err = s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.table), Key: k,
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if _, gone := errors.AsType[*types.ConditionalCheckFailedException](err); gone {
		return domain.Errorf(domain.CodeUnauthorized, "Sign in again.")
	}
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession removes a session; a missing one is not an error.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	k, err := marshalKey(sessionKey(tokenHash))
	if err != nil {
		return err
	}
	if _, err := s.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.table), Key: k}); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
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

// putNew is a transactional put that fails if an item with the same key exists.
func (s *Store) putNew(item any) (types.TransactWriteItem, error) {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("encode item: %w", err)
	}
	expr, err := expression.NewBuilder().WithCondition(expression.AttributeNotExists(expression.Name(attrPK))).Build()
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("build put condition: %w", err)
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(s.table), Item: av,
		ConditionExpression: expr.Condition(), ExpressionAttributeNames: expr.Names(),
	}}, nil
}

func marshalKey(k key) (map[string]types.AttributeValue, error) {
	av, err := attributevalue.MarshalMap(k)
	if err != nil {
		return nil, fmt.Errorf("encode key: %w", err)
	}
	return av, nil
}

// transactAttempts bounds retries of a transaction that lost a race with
// another one on the same item (TransactionConflict), e.g. two seat changes.
const transactAttempts = 8

// transact runs a write transaction. When a condition failed, it returns the
// cancellation reasons (and a nil error) so the caller can say which rule was
// broken; transactions cancelled by a conflict are tried again.
func (s *Store) transact(ctx context.Context, items []types.TransactWriteItem) ([]types.CancellationReason, error) {
	in := &dynamodb.TransactWriteItemsInput{TransactItems: items}
	for attempt := 1; ; attempt++ {
		_, err := s.client.TransactWriteItems(ctx, in)
		tce, ok := errors.AsType[*types.TransactionCanceledException](err)
		if !ok {
			return nil, err
		}
		if hasReason(tce.CancellationReasons, "ConditionalCheckFailed") {
			return tce.CancellationReasons, nil
		}
		if !hasReason(tce.CancellationReasons, "TransactionConflict") || attempt == transactAttempts {
			return nil, err
		}
		backoff := time.Duration(attempt*attempt) * 5 * time.Millisecond
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(backoff + time.Duration(rand.Int64N(int64(backoff)))):
		}
	}
}

func hasReason(reasons []types.CancellationReason, code string) bool {
	for _, r := range reasons {
		if aws.ToString(r.Code) == code {
			return true
		}
	}
	return false
}

// failedAt reports whether the i-th item of a cancelled transaction failed its condition.
func failedAt(reasons []types.CancellationReason, i int) bool {
	return i < len(reasons) && aws.ToString(reasons[i].Code) == "ConditionalCheckFailed"
}

func emailInUse() error {
	return domain.Errorf(domain.CodeEmailInUse, "This email address already has an account.")
}

func seatLimitReached() error {
	return domain.Errorf(domain.CodeSeatLimitReached, "No seats are left on the subscription.")
}
