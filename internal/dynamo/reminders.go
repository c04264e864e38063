package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// Due-date reminders (docs/data-model.md, "Reminders"): open assignments by
// due day (gsi2 DUEON#), the organizations with assignments (gsi3
// ORGS#ASSIGNING), and the claims that make every reminder go out once.

// digestKept is how long a week's digest record is kept (its ttl).
const digestKept = 35 * 24 * time.Hour

// FindAssignmentsDueOn returns the open assignments of every organization
// due on day: one Query of gsi2 a page, reading only what reminders need.
func (s *Store) FindAssignmentsDueOn(ctx context.Context, day time.Time) ([]domain.Assignment, error) {
	expr, err := expression.NewBuilder().
		WithKeyCondition(expression.Key(attrGSI2PK).Equal(expression.Value(dueOnPK(day.Format(domain.DateLayout))))).
		WithProjection(expression.NamesList(expression.Name("id"), expression.Name("orgId"), expression.Name("moduleName"),
			expression.Name("dueOn"), expression.Name("status"), expression.Name("assignees"), expression.Name("completed"))).
		Build()
	if err != nil {
		return nil, fmt.Errorf("build due-day query: %w", err)
	}
	found, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI2), KeyConditionExpression: expr.KeyCondition(),
		ProjectionExpression:     expr.Projection(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return nil, fmt.Errorf("query assignments due on %s: %w", day.Format(domain.DateLayout), err)
	}
	out := make([]domain.Assignment, 0, len(found))
	for _, av := range found {
		var it assignmentItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode assignment: %w", err)
		}
		out = append(out, it.toDomain())
	}
	return out, nil
}

// ClaimAssignmentReminder records on an open assignment due on dueOn that
// the reminders of claim ({kind}#{dueOn}) are being sent: an UpdateItem
// adding claim to its `reminders` set on condition that it is not there. It
// returns false when another run claimed it first, or the assignment is no
// longer open or due then.
func (s *Store) ClaimAssignmentReminder(ctx context.Context, orgID, assignmentID, claim string, dueOn time.Time) (bool, error) {
	cond := expression.Name("status").Equal(expression.Value(domain.AssignmentOpen)).
		And(expression.Name("dueOn").Equal(expression.Value(dueOn.Format(domain.DateLayout)))).
		And(expression.Not(expression.Contains(expression.Name("reminders"), claim)))
	return s.claim(ctx, assignmentKey(orgID, assignmentID),
		expression.Add(expression.Name("reminders"), expression.Value(&types.AttributeValueMemberSS{Value: []string{claim}})), cond)
}

// ReleaseAssignmentReminder takes claim off an assignment again (its work
// could not be queued), so that the next run claims it.
func (s *Store) ReleaseAssignmentReminder(ctx context.Context, orgID, assignmentID, claim string) error {
	_, err := s.claim(ctx, assignmentKey(orgID, assignmentID),
		expression.Delete(expression.Name("reminders"), expression.Value(&types.AttributeValueMemberSS{Value: []string{claim}})),
		expression.AttributeExists(expression.Name(attrPK)))
	return err
}

// ClaimAssigneeReminder records that one person of an assignment is sent the
// reminder claim ({kind}#{dueOn}): ADD to the person's `reminded` set on
// condition that it is not there and they have not completed. It adds 1 to
// the progress item's revision too, so that a progress change read before
// it is written again from a fresh read (and keeps the set). False when the
// person was reminded already, has completed, or is not assigned.
func (s *Store) ClaimAssigneeReminder(ctx context.Context, orgID, assignmentID, userID, claim string) (bool, error) {
	cond := expression.AttributeExists(expression.Name(attrPK)).
		And(expression.Name("state").NotEqual(expression.Value(domain.ProgressCompleted))).
		And(expression.Not(expression.Contains(expression.Name("reminded"), claim)))
	update := expression.Add(expression.Name("reminded"), expression.Value(&types.AttributeValueMemberSS{Value: []string{claim}})).
		Add(expression.Name("rev"), expression.Value(1))
	return s.claim(ctx, assigneeKey(orgID, assignmentID, userID), update, cond)
}

// CountReminderFailure adds 1 to an assignment's `reminderFailures`: the
// reminders that could not be mailed (never tried again).
func (s *Store) CountReminderFailure(ctx context.Context, orgID, assignmentID string) error {
	_, err := s.claim(ctx, assignmentKey(orgID, assignmentID),
		expression.Add(expression.Name("reminderFailures"), expression.Value(1)),
		expression.AttributeExists(expression.Name(attrPK)))
	return err
}

// claim runs one conditional UpdateItem and says whether its condition held.
func (s *Store) claim(ctx context.Context, k key, update expression.UpdateBuilder, cond expression.ConditionBuilder) (bool, error) {
	expr, err := expression.NewBuilder().WithUpdate(update).WithCondition(cond).Build()
	if err != nil {
		return false, fmt.Errorf("build claim: %w", err)
	}
	av, err := marshalKey(k)
	if err != nil {
		return false, err
	}
	_, err = s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.table), Key: av,
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim %s %s: %w", k.PK, k.SK, err)
	}
	return true, nil
}

// FindRemindable returns a page of an assignment's people who have not
// completed, in name order (pattern #16 with the "not completed" filter):
// one Query of at most limit people read, and the position after them ("" at
// the end).
func (s *Store) FindRemindable(ctx context.Context, orgID, assignmentID string, limit int, after string) ([]domain.Assignee, string, error) {
	expr, err := expression.NewBuilder().
		WithKeyCondition(expression.Key(attrGSI3PK).Equal(expression.Value(allAssigneesPK(orgID, assignmentID)))).
		WithFilter(expression.Name("state").NotEqual(expression.Value(domain.ProgressCompleted))).
		Build()
	if err != nil {
		return nil, "", fmt.Errorf("build remindable query: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI3), KeyConditionExpression: expr.KeyCondition(),
		FilterExpression:         expr.Filter(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		Limit: aws.Int32(int32(limit)),
	}
	if after != "" {
		if in.ExclusiveStartKey, err = decodePosition(after); err != nil {
			return nil, "", err
		}
	}
	out, err := s.client.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("query remindable assignees: %w", err)
	}
	list := make([]domain.Assignee, 0, len(out.Items))
	for _, av := range out.Items {
		var it assigneeItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, "", fmt.Errorf("decode assignee: %w", err)
		}
		list = append(list, it.toDomain())
	}
	next := ""
	if out.LastEvaluatedKey != nil {
		next = encodePosition(out.LastEvaluatedKey, attrPK, attrSK, attrGSI3PK, attrGSI3SK)
	}
	return list, next, nil
}

// FindDigestOrganizations returns the organizations that have made an
// assignment, with the Monday of the last digest each claimed: one Query of
// gsi3 a page (1 MB holds some 5,000 organizations).
func (s *Store) FindDigestOrganizations(ctx context.Context) ([]domain.DigestCandidate, error) {
	expr, err := expression.NewBuilder().
		WithKeyCondition(expression.Key(attrGSI3PK).Equal(expression.Value(assigningOrgsPK))).
		WithProjection(expression.NamesList(expression.Name("id"), expression.Name("name"), expression.Name("timeZone"),
			expression.Name("remindersOff"), expression.Name("digestWeek"))).
		Build()
	if err != nil {
		return nil, fmt.Errorf("build digest query: %w", err)
	}
	found, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI3), KeyConditionExpression: expr.KeyCondition(),
		ProjectionExpression:     expr.Projection(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return nil, fmt.Errorf("query organizations with assignments: %w", err)
	}
	out := make([]domain.DigestCandidate, 0, len(found))
	for _, av := range found {
		var it struct {
			orgItem
			DigestWeek string `dynamodbav:"digestWeek"`
		}
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode organization: %w", err)
		}
		week, _ := time.Parse(domain.DateLayout, it.DigestWeek)
		out = append(out, domain.DigestCandidate{Org: it.orgItem.toDomain(), LastWeek: week})
	}
	return out, nil
}

// ClaimDigest records on the organization that the digest of the week of
// monday is being sent (`digestWeek`), on condition that it was not: false
// when another run claimed it first.
func (s *Store) ClaimDigest(ctx context.Context, orgID string, monday time.Time) (bool, error) {
	week := monday.Format(domain.DateLayout)
	cond := expression.AttributeExists(expression.Name(attrPK)).
		And(expression.AttributeNotExists(expression.Name("digestWeek")).Or(expression.Name("digestWeek").NotEqual(expression.Value(week))))
	return s.claim(ctx, orgKey(orgID), expression.Set(expression.Name("digestWeek"), expression.Value(week)), cond)
}

// ReleaseDigest gives a claimed week's digest back (its work could not be
// queued), so that the next run claims it.
func (s *Store) ReleaseDigest(ctx context.Context, orgID string, monday time.Time) error {
	cond := expression.Name("digestWeek").Equal(expression.Value(monday.Format(domain.DateLayout)))
	_, err := s.claim(ctx, orgKey(orgID), expression.Remove(expression.Name("digestWeek")), cond)
	return err
}

// ClaimDigestMail records that an admin is sent the digest of the week of
// monday: ADD to the week's digest record's `sent` set (made by the first
// claim, kept 35 days) on condition that they are not in it.
func (s *Store) ClaimDigestMail(ctx context.Context, orgID string, monday time.Time, userID string) (bool, error) {
	update := expression.Add(expression.Name("sent"), expression.Value(&types.AttributeValueMemberSS{Value: []string{userID}})).
		Set(expression.Name(attrTTL), expression.Value(monday.Add(digestKept).Unix()))
	cond := expression.Not(expression.Contains(expression.Name("sent"), userID))
	return s.claim(ctx, digestKey(orgID, monday.Format(domain.DateLayout)), update, cond)
}

// FindOverdueAssignments returns an organization's open assignments due
// before today, soonest due first: one Query of gsi1 (#15, `gsi1sk <
// today`) a page.
func (s *Store) FindOverdueAssignments(ctx context.Context, orgID string, today time.Time) ([]domain.Assignment, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI1PK).Equal(expression.Value(assignmentsPK(orgID, domain.AssignmentOpen))).
			And(expression.Key(attrGSI1SK).LessThan(expression.Value(today.Format(domain.DateLayout)))),
	).Build()
	if err != nil {
		return nil, fmt.Errorf("build overdue query: %w", err)
	}
	found, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI1), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return nil, fmt.Errorf("query overdue assignments: %w", err)
	}
	out := make([]domain.Assignment, 0, len(found))
	for _, av := range found {
		var it assignmentItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode assignment: %w", err)
		}
		out = append(out, it.toDomain())
	}
	return out, nil
}

// FindAdmins returns an organization's admins by name: one Query of gsi3
// (#10) a page.
func (s *Store) FindAdmins(ctx context.Context, orgID string) ([]domain.User, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI3PK).Equal(expression.Value(adminsPK(orgID)))).Build()
	if err != nil {
		return nil, fmt.Errorf("build admins query: %w", err)
	}
	found, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI3), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return nil, fmt.Errorf("query admins: %w", err)
	}
	out := make([]domain.User, 0, len(found))
	for _, av := range found {
		var it userItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode user: %w", err)
		}
		out = append(out, it.toDomain())
	}
	return out, nil
}

// IndexAssignmentsDueOn gives an organization's open assignments written
// before reminders their DUEON# keys, and the organization its entry among
// those with assignments: one Query (#15) a page and one UpdateItem per
// assignment. An operator task (portalctl index-reminders), never a request.
func (s *Store) IndexAssignmentsDueOn(ctx context.Context, orgID string) (int, error) {
	list, err := s.FindOverdueAssignments(ctx, orgID, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return 0, err
	}
	for _, a := range list {
		// The same day again, to write its keys: bookkeeping, not audited.
		update, cond := dueUpdate(orgID, a.ID, a.DueOn)
		if _, err := s.updateAssignment(ctx, orgID, a.ID, update, cond); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
			return 0, err
		}
	}
	_, err = s.claim(ctx, orgKey(orgID),
		expression.Set(expression.Name(attrGSI3PK), expression.Value(assigningOrgsPK)).
			Set(expression.Name(attrGSI3SK), expression.Value(orgID)),
		expression.AttributeExists(expression.Name(attrPK)))
	return len(list), err
}
