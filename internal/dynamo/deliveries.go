package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// The deliveries' own writes (the delivery job's bounces); the delivery and
// schedule items themselves are in schedules.go.

var _ domain.DeliveryStore = (*Store)(nil)

// RecordBounces marks recipients of a finished delivery bounced and adds
// the addresses of suppress to its schedule's bounced set: 1 GetItem, 1
// UpdateItem of the delivery's recipients on condition that they are as
// read (a concurrent event's marks are never lost: the loser reads again),
// and, when there is anything to suppress, 1 UpdateItem ADDing to the
// schedule's set (idempotent; nothing when the schedule is gone). It is
// idempotent: addresses already marked are left as they are. not_found for
// an unknown delivery; conflict while it is pending or running.
func (s *Store) RecordBounces(ctx context.Context, ref domain.DeliveryRef, bounced []domain.DeliveryRecipient, suppress []string) error {
	k := deliveryKey(ref.OrgID, ref.ScheduleID, ref.DeliveryID)
	for attempt := 0; ; attempt++ {
		var it deliveryItem
		if err := s.get(ctx, k, &it, "delivery"); err != nil {
			return err
		}
		if it.Status == domain.DeliveryPending || it.Status == domain.DeliveryRunning {
			return domain.Errorf(domain.CodeConflict, "The delivery is still being mailed.")
		}
		next := slices.Clone(it.Recipients)
		changed := false
		for _, b := range bounced {
			for i, r := range next {
				if r.Address == b.Address && (r.Status != domain.RecipientBounced || r.Reason != b.Reason) {
					next[i] = recipientEntry{Address: r.Address, Status: domain.RecipientBounced, Reason: b.Reason}
					changed = true
				}
			}
		}
		if !changed {
			break
		}
		w, err := s.update(k, expression.Set(expression.Name("recipients"), expression.Value(next)),
			expression.Name("recipients").Equal(expression.Value(it.Recipients)))
		if err != nil {
			return err
		}
		u := w.Update
		_, err = s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: u.TableName, Key: u.Key, UpdateExpression: u.UpdateExpression, ConditionExpression: u.ConditionExpression,
			ExpressionAttributeNames: u.ExpressionAttributeNames, ExpressionAttributeValues: u.ExpressionAttributeValues,
		})
		if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok && attempt < 4 {
			continue // another event marked a recipient meanwhile: read again
		}
		if err != nil {
			return fmt.Errorf("record bounces: %w", err)
		}
		break
	}
	if len(suppress) == 0 {
		return nil
	}
	w, err := s.update(scheduleKey(ref.OrgID, ref.ScheduleID),
		expression.Add(expression.Name("bounced"), expression.Value(&types.AttributeValueMemberSS{Value: suppress})),
		expression.AttributeExists(expression.Name(attrPK)))
	if err != nil {
		return err
	}
	u := w.Update
	_, err = s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: u.TableName, Key: u.Key, UpdateExpression: u.UpdateExpression, ConditionExpression: u.ConditionExpression,
		ExpressionAttributeNames: u.ExpressionAttributeNames, ExpressionAttributeValues: u.ExpressionAttributeValues,
	})
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return nil // the schedule was deleted: nothing to stop
	}
	if err != nil {
		return fmt.Errorf("record bounces: schedule: %w", err)
	}
	return nil
}
