package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// CreateSession stores a session and the user's sign-in time, and takes the
// giveBack attempts off their counts, in one transaction.
func (s *Store) CreateSession(ctx context.Context, sess domain.Session, giveBack []domain.Attempt) error {
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
	for _, back := range giveBack {
		rk, err := marshalKey(rateKey(back.Scope, back.Key, back.Window))
		if err != nil {
			return err
		}
		minusOne, err := expression.NewBuilder().WithUpdate(expression.Add(expression.Name("count"), expression.Value(-1))).Build()
		if err != nil {
			return fmt.Errorf("build give-back expression: %w", err)
		}
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName: aws.String(s.table), Key: rk, UpdateExpression: minusOne.Update(),
			ExpressionAttributeNames: minusOne.Names(), ExpressionAttributeValues: minusOne.Values(),
		}})
	}
	reasons, err := s.transact(ctx, items)
	if reasons != nil {
		if len(reasons) > 0 && aws.ToString(reasons[0].Code) == reasonConditionFailed && s.sessionStored(ctx, sess) {
			// This very session is stored already: an earlier attempt of this
			// request was applied but its answer was lost, and the SDK tried
			// again. DynamoDB makes such a retry succeed through the SDK's
			// ClientRequestToken; moto and DynamoDB Local ignore the token, so
			// the store knows its own write by the token's hash, which nothing
			// else can have.
			return nil
		}
		// The user's sessions were ended while this one was being made.
		return domain.Errorf(domain.CodeUnauthorized, "Sign in again.")
	}
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// sessionStored reports whether sess, by its token hash, is in the table for
// the same user, created at the same moment.
func (s *Store) sessionStored(ctx context.Context, sess domain.Session) bool {
	got, err := s.FindSession(ctx, sess.TokenHash)
	return err == nil && got.OrgID == sess.OrgID && got.UserID == sess.UserID && got.CreatedAt.Equal(sess.CreatedAt)
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
