package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// assigneesPerTransaction is how many people one TransactWriteItems writes:
// DynamoDB's 100 items, less the assignment's counter update.
const assigneesPerTransaction = 99

// CreateAssignment writes a new assignment, with every person in Pending and
// no one counted yet, its copy of the module and the module's count of open
// assignments, in one transaction (not_found when the module was deleted
// meanwhile), with its audit entry.
func (s *Store) CreateAssignment(ctx context.Context, a domain.Assignment, c domain.AssignmentContent, audit domain.AuditEntry) error {
	a.Counts = domain.AssignmentCounts{}
	aPut, err := s.putNew(toAssignmentItem(a))
	if err != nil {
		return err
	}
	cPut, err := s.putNew(toContentItem(a.OrgID, c))
	if err != nil {
		return err
	}
	exists := func(map[string]types.AttributeValue) error {
		return domain.Errorf(domain.CodeConflict, "The assignment exists already.")
	}
	count, err := s.moduleAssignmentsWrite(a.OrgID, a.ModuleID, 1)
	if err != nil {
		return err
	}
	// The organization joins the organizations with assignments, which the
	// weekly digest of overdue assignments reads (docs/data-model.md).
	mark, err := s.update(orgKey(a.OrgID),
		expression.Set(expression.Name(attrGSI3PK), expression.Value(assigningOrgsPK)).
			Set(expression.Name(attrGSI3SK), expression.Value(a.OrgID)),
		expression.AttributeExists(expression.Name(attrPK)))
	if err != nil {
		return err
	}
	noOrg := func(map[string]types.AttributeValue) error { return domain.NotFound("organization") }
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	if err := s.run(ctx, []write{{aPut, exists}, {cPut, exists}, count, {mark, noOrg}, entry}); err != nil {
		return fmt.Errorf("create assignment %s: %w", a.ID, err)
	}
	return nil
}

// AddPending adds people to an open assignment's Pending and the chosen users
// and teams to its targets, with the audit entry, in one transaction.
func (s *Store) AddPending(ctx context.Context, orgID, assignmentID string, add []domain.PendingAssignee, userIDs, teamIDs []string, audit domain.AuditEntry) error {
	var update expression.UpdateBuilder
	changed := false
	for name, values := range map[string][]string{"pending": entries(add), "userIds": userIDs, "teamIds": teamIDs} {
		if len(values) > 0 {
			update = update.Add(expression.Name(name), expression.Value(&types.AttributeValueMemberSS{Value: values}))
			changed = true
		}
	}
	if !changed {
		return nil
	}
	cond := expression.AttributeExists(expression.Name(attrPK)).And(expression.Name("status").Equal(expression.Value(domain.AssignmentOpen)))
	return s.auditedAssignmentUpdate(ctx, orgID, assignmentID, update, cond, audit)
}

// auditedAssignmentUpdate runs one conditional update of an assignment with
// its audit entry, in one transaction: not_found when it does not exist,
// conflict when it is not open.
func (s *Store) auditedAssignmentUpdate(ctx context.Context, orgID, assignmentID string, update expression.UpdateBuilder, cond expression.ConditionBuilder, audit domain.AuditEntry) error {
	upd, err := s.assignmentUpdate(orgID, assignmentID, update, cond)
	if err != nil {
		return err
	}
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	if err := s.run(ctx, []write{{upd, notOpen}, entry}); err != nil {
		return fmt.Errorf("update assignment %s: %w", assignmentID, err)
	}
	return nil
}

// notOpen explains a failed condition of an open assignment's update.
func notOpen(old map[string]types.AttributeValue) error {
	if old == nil {
		return domain.NotFound("assignment")
	}
	return domain.Errorf(domain.CodeConflict, "This assignment was cancelled.")
}

// findAssignmentAfter reads an assignment with a strongly consistent read,
// as a write just left it.
func (s *Store) findAssignmentAfter(ctx context.Context, orgID, assignmentID string) (domain.Assignment, error) {
	k, err := marshalKey(assignmentKey(orgID, assignmentID))
	if err != nil {
		return domain.Assignment{}, err
	}
	res, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return domain.Assignment{}, fmt.Errorf("get assignment: %w", err)
	}
	if res.Item == nil {
		return domain.Assignment{}, domain.NotFound("assignment")
	}
	var it assignmentItem
	if err := attributevalue.UnmarshalMap(res.Item, &it); err != nil {
		return domain.Assignment{}, fmt.Errorf("decode assignment: %w", err)
	}
	return it.toDomain(), nil
}

func entries(people []domain.PendingAssignee) []string {
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = pendingEntry(p)
	}
	return out
}

// updateAssignment runs one conditional update of an assignment and returns
// it as saved: not_found when it does not exist, conflict when it is not open.
func (s *Store) updateAssignment(ctx context.Context, orgID, assignmentID string, update expression.UpdateBuilder, cond expression.ConditionBuilder) (domain.Assignment, error) {
	expr, err := expression.NewBuilder().WithUpdate(update).WithCondition(cond).Build()
	if err != nil {
		return domain.Assignment{}, fmt.Errorf("build assignment update: %w", err)
	}
	k, err := marshalKey(assignmentKey(orgID, assignmentID))
	if err != nil {
		return domain.Assignment{}, err
	}
	out, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.table), Key: k,
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValues:                        types.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if ccf, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		if ccf.Item == nil {
			return domain.Assignment{}, domain.NotFound("assignment")
		}
		return domain.Assignment{}, domain.Errorf(domain.CodeConflict, "This assignment was cancelled.")
	}
	if err != nil {
		return domain.Assignment{}, fmt.Errorf("update assignment %s: %w", assignmentID, err)
	}
	var it assignmentItem
	if err := attributevalue.UnmarshalMap(out.Attributes, &it); err != nil {
		return domain.Assignment{}, fmt.Errorf("decode assignment: %w", err)
	}
	return it.toDomain(), nil
}

// WriteAssignees writes people's progress, 99 a TransactWriteItems, one
// transaction after the other (they all change the assignment's counters, so
// at once they would only conflict). Each transaction puts its people on
// condition that they are not there yet, adds them to the counters and takes
// them off Pending: a retry never counts anyone twice, and after a failure the
// assignment says exactly how many were written and who remains. People found
// written already (by a concurrent retry) are taken off Pending uncounted.
func (s *Store) WriteAssignees(ctx context.Context, a domain.Assignment, people []domain.Assignee) (domain.Assignment, error) {
	size := assigneesPerTransaction
	if s.assigneeBatch > 0 {
		size = s.assigneeBatch
	}
	for start := 0; start < len(people); start += size {
		chunk := slices.Clone(people[start:min(start+size, len(people))])
		for len(chunk) > 0 {
			written, err := s.writeAssigneeChunk(ctx, a, chunk)
			if err != nil {
				return s.latest(ctx, a, err)
			}
			chunk = slices.DeleteFunc(chunk, func(p domain.Assignee) bool { return written[p.UserID] })
		}
	}
	return s.latest(ctx, a, nil)
}

// latest reads the assignment as it is after a write, keeping err.
func (s *Store) latest(ctx context.Context, a domain.Assignment, err error) (domain.Assignment, error) {
	now, ferr := s.FindAssignment(ctx, a.OrgID, a.ID)
	if ferr != nil {
		return a, errors.Join(err, ferr)
	}
	return now, err
}

// writeAssigneeChunk writes up to 99 people with the counter update in one
// transaction. When some of them were there already, nothing is written: it
// takes those off Pending and returns them, for the caller to try the rest again.
func (s *Store) writeAssigneeChunk(ctx context.Context, a domain.Assignment, chunk []domain.Assignee) (map[string]bool, error) {
	items := make([]types.TransactWriteItem, 0, len(chunk)+1)
	var done []string
	for _, p := range chunk {
		put, err := s.putNew(toAssigneeItem(p))
		if err != nil {
			return nil, err
		}
		items = append(items, put)
		done = append(done, pendingEntry(domain.PendingAssignee{UserID: p.UserID, TeamID: p.TeamID}))
	}
	n := len(chunk)
	counters, err := s.assignmentUpdate(a.OrgID, a.ID,
		expression.Add(expression.Name("assignees"), expression.Value(n)).
			Add(expression.Name("notStarted"), expression.Value(n)).
			Delete(expression.Name("pending"), expression.Value(&types.AttributeValueMemberSS{Value: done})),
		expression.AttributeExists(expression.Name(attrPK)))
	if err != nil {
		return nil, err
	}
	items = append(items, counters)
	reasons, err := s.transact(ctx, items)
	if err != nil {
		return nil, fmt.Errorf("write %d assignees of %s: %w", n, a.ID, err)
	}
	if reasons == nil {
		all := make(map[string]bool, n)
		for _, p := range chunk {
			all[p.UserID] = true
		}
		return all, nil
	}
	if len(reasons) > n && aws.ToString(reasons[n].Code) == reasonConditionFailed {
		return nil, domain.NotFound("assignment")
	}
	there := map[string]bool{}
	var drop []string
	for i, r := range reasons[:min(n, len(reasons))] {
		if aws.ToString(r.Code) == reasonConditionFailed {
			there[chunk[i].UserID] = true
			drop = append(drop, done[i])
		}
	}
	if len(drop) == 0 {
		return nil, fmt.Errorf("write assignees of %s: a condition failed", a.ID)
	}
	update := expression.Delete(expression.Name("pending"), expression.Value(&types.AttributeValueMemberSS{Value: drop}))
	if _, err := s.updateAssignment(ctx, a.OrgID, a.ID, update, expression.AttributeExists(expression.Name(attrPK))); err != nil {
		return nil, err
	}
	return there, nil
}

// assignmentUpdate is a transactional update of an assignment.
func (s *Store) assignmentUpdate(orgID, assignmentID string, update expression.UpdateBuilder, cond expression.ConditionBuilder) (types.TransactWriteItem, error) {
	expr, err := expression.NewBuilder().WithUpdate(update).WithCondition(cond).Build()
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("build assignment update: %w", err)
	}
	k, err := marshalKey(assignmentKey(orgID, assignmentID))
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(s.table), Key: k,
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}}, nil
}

// FindAssignment returns an assignment of an organization.
func (s *Store) FindAssignment(ctx context.Context, orgID, assignmentID string) (domain.Assignment, error) {
	var it assignmentItem
	if err := s.get(ctx, assignmentKey(orgID, assignmentID), &it, "assignment"); err != nil {
		return domain.Assignment{}, err
	}
	return it.toDomain(), nil
}

// FindAssignmentContent returns an assignment's copy of its module.
func (s *Store) FindAssignmentContent(ctx context.Context, orgID, assignmentID string) (domain.AssignmentContent, error) {
	var it contentItem
	if err := s.get(ctx, assignmentContentKey(orgID, assignmentID), &it, "assignment"); err != nil {
		return domain.AssignmentContent{}, err
	}
	return it.toDomain(), nil
}

// FindAssignments returns a page of an organization's assignments of one
// status, soonest due first: one Query of GSI1.
func (s *Store) FindAssignments(ctx context.Context, orgID, status string, limit int, after string) ([]domain.Assignment, string, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI1PK).Equal(expression.Value(assignmentsPK(orgID, status))),
	).Build()
	if err != nil {
		return nil, "", fmt.Errorf("build assignment query: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI1), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		Limit: aws.Int32(int32(limit + 1)),
	}
	if after != "" {
		if in.ExclusiveStartKey, err = decodePosition(after); err != nil {
			return nil, "", err
		}
	}
	out, err := s.client.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("query assignments: %w", err)
	}
	items, next := out.Items, ""
	if len(items) > limit {
		items = items[:limit]
		next = encodePosition(items[len(items)-1], attrPK, attrSK, attrGSI1PK, attrGSI1SK)
	}
	list := make([]domain.Assignment, 0, len(items))
	for _, av := range items {
		var it assignmentItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, "", fmt.Errorf("decode assignment: %w", err)
		}
		list = append(list, it.toDomain())
	}
	return list, next, nil
}

// FindAssignmentsByID returns an organization's assignments among ids, one
// BatchGetItem per 100.
func (s *Store) FindAssignmentsByID(ctx context.Context, orgID string, ids []string) ([]domain.Assignment, error) {
	keys := make([]key, len(ids))
	for i, id := range ids {
		keys[i] = assignmentKey(orgID, id)
	}
	var out []domain.Assignment
	err := s.getMany(ctx, keys, func(av map[string]types.AttributeValue) error {
		var it assignmentItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return fmt.Errorf("decode assignment: %w", err)
		}
		out = append(out, it.toDomain())
		return nil
	})
	return out, err
}

// FindAssignmentContents returns the module copies of assignments among ids.
func (s *Store) FindAssignmentContents(ctx context.Context, orgID string, ids []string) ([]domain.AssignmentContent, error) {
	keys := make([]key, len(ids))
	for i, id := range ids {
		keys[i] = assignmentContentKey(orgID, id)
	}
	var out []domain.AssignmentContent
	err := s.getMany(ctx, keys, func(av map[string]types.AttributeValue) error {
		var it contentItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return fmt.Errorf("decode assignment content: %w", err)
		}
		out = append(out, it.toDomain())
		return nil
	})
	return out, err
}

// FindAssigneesByUser returns the progress of the given people in an assignment.
func (s *Store) FindAssigneesByUser(ctx context.Context, orgID, assignmentID string, userIDs []string) ([]domain.Assignee, error) {
	keys := make([]key, len(userIDs))
	for i, id := range userIDs {
		keys[i] = assigneeKey(orgID, assignmentID, id)
	}
	var out []domain.Assignee
	err := s.getMany(ctx, keys, func(av map[string]types.AttributeValue) error {
		var it assigneeItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return fmt.Errorf("decode assignee: %w", err)
		}
		out = append(out, it.toDomain())
		return nil
	})
	return out, err
}

// getMany reads items by key, one BatchGetItem per 100; missing ones are left out.
func (s *Store) getMany(ctx context.Context, keys []key, each func(map[string]types.AttributeValue) error) error {
	for start := 0; start < len(keys); start += batchGetSize {
		batch := make([]map[string]types.AttributeValue, 0, batchGetSize)
		for _, k := range keys[start:min(start+batchGetSize, len(keys))] {
			av, err := marshalKey(k)
			if err != nil {
				return err
			}
			batch = append(batch, av)
		}
		found, err := s.batchGet(ctx, batch)
		if err != nil {
			return err
		}
		for _, av := range found {
			if err := each(av); err != nil {
				return err
			}
		}
	}
	return nil
}

// FindAssignees returns a page of an assignment's people in name order: one
// Query, of GSI1 for one state or GSI3 for all. A team filter (and the
// overdue filter, NotCompleted) reads the partition up to DynamoDB's 1 MB,
// some 3,000 people and more than an assignment may have, and pages in code,
// so that each page is full and still one Query.
func (s *Store) FindAssignees(ctx context.Context, orgID, assignmentID string, q domain.AssigneeQuery) ([]domain.Assignee, string, error) {
	idxName, idxPK, idxSK := IndexGSI3, attrGSI3PK, attrGSI3SK
	pk := allAssigneesPK(orgID, assignmentID)
	if q.State != "" {
		idxName, idxPK, idxSK = IndexGSI1, attrGSI1PK, attrGSI1SK
		pk = assigneesByStatePK(orgID, assignmentID, q.State)
	}
	b := expression.NewBuilder().WithKeyCondition(expression.Key(idxPK).Equal(expression.Value(pk)))
	filtered := q.TeamID != "" || q.NotCompleted
	if filtered {
		var cond expression.ConditionBuilder
		switch {
		case q.TeamID != "" && q.NotCompleted:
			cond = expression.Name("teamId").Equal(expression.Value(q.TeamID)).
				And(expression.Name("state").NotEqual(expression.Value(domain.ProgressCompleted)))
		case q.TeamID != "":
			cond = expression.Name("teamId").Equal(expression.Value(q.TeamID))
		default:
			cond = expression.Name("state").NotEqual(expression.Value(domain.ProgressCompleted))
		}
		b = b.WithFilter(cond)
	}
	expr, err := b.Build()
	if err != nil {
		return nil, "", fmt.Errorf("build assignee query: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(idxName), KeyConditionExpression: expr.KeyCondition(),
		FilterExpression:         expr.Filter(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}
	if !filtered {
		in.Limit = aws.Int32(int32(q.Limit + 1))
	}
	if q.After != "" {
		if in.ExclusiveStartKey, err = decodePosition(q.After); err != nil {
			return nil, "", err
		}
	}
	out, err := s.client.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("query assignees: %w", err)
	}
	items, next := out.Items, ""
	if len(items) > q.Limit {
		items = items[:q.Limit]
		next = encodePosition(items[len(items)-1], attrPK, attrSK, idxPK, idxSK)
	} else if filtered && out.LastEvaluatedKey != nil {
		next = encodePosition(out.LastEvaluatedKey, attrPK, attrSK, idxPK, idxSK)
	}
	list := make([]domain.Assignee, 0, len(items))
	for _, av := range items {
		var it assigneeItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, "", fmt.Errorf("decode assignee: %w", err)
		}
		list = append(list, it.toDomain())
	}
	return list, next, nil
}

// FindUserAssignees returns a user's progress in every assignment they have:
// a Query of GSI2, page after page.
func (s *Store) FindUserAssignees(ctx context.Context, orgID, userID string) ([]domain.Assignee, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI2PK).Equal(expression.Value(userAssignmentsPK(orgID, userID))),
	).Build()
	if err != nil {
		return nil, fmt.Errorf("build user assignment query: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI2), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}
	var list []domain.Assignee
	for {
		out, err := s.client.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("query user assignments: %w", err)
		}
		for _, av := range out.Items {
			var it assigneeItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, fmt.Errorf("decode assignee: %w", err)
			}
			list = append(list, it.toDomain())
		}
		if out.LastEvaluatedKey == nil {
			return list, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// SetAssignmentDue moves an open assignment's due day (and its place in the
// list by due date), with its audit entry, in one transaction, and reads it
// back.
func (s *Store) SetAssignmentDue(ctx context.Context, orgID, assignmentID string, dueOn time.Time, audit domain.AuditEntry) (domain.Assignment, error) {
	update, cond := dueUpdate(orgID, assignmentID, dueOn)
	if err := s.auditedAssignmentUpdate(ctx, orgID, assignmentID, update, cond, audit); err != nil {
		return domain.Assignment{}, err
	}
	return s.findAssignmentAfter(ctx, orgID, assignmentID)
}

// dueUpdate sets an open assignment's due day and the keys that sort by it.
func dueUpdate(orgID, assignmentID string, dueOn time.Time) (expression.UpdateBuilder, expression.ConditionBuilder) {
	due := dueOn.Format(domain.DateLayout)
	update := expression.Set(expression.Name("dueOn"), expression.Value(due)).
		Set(expression.Name(attrGSI1SK), expression.Value(assignmentsSK(due, assignmentID))).
		Set(expression.Name(attrGSI2PK), expression.Value(dueOnPK(due))).
		Set(expression.Name(attrGSI2SK), expression.Value(dueOnSK(orgID, assignmentID)))
	cond := expression.AttributeExists(expression.Name(attrPK)).And(expression.Name("status").Equal(expression.Value(domain.AssignmentOpen)))
	return update, cond
}

// CancelAssignment cancels an open assignment: it moves to the cancelled
// partition of GSI1 and its module counts one open assignment less, in one
// transaction with its audit entry (without the count when the module was
// deleted); its people's progress stays.
func (s *Store) CancelAssignment(ctx context.Context, orgID, assignmentID, moduleID string, at time.Time, audit domain.AuditEntry) (domain.Assignment, error) {
	update := expression.Set(expression.Name("status"), expression.Value(domain.AssignmentCancelled)).
		Set(expression.Name("cancelledAt"), expression.Value(at)).
		Set(expression.Name(attrGSI1PK), expression.Value(assignmentsPK(orgID, domain.AssignmentCancelled))).
		Remove(expression.Name(attrGSI2PK)).Remove(expression.Name(attrGSI2SK))
	cond := expression.AttributeExists(expression.Name(attrPK)).And(expression.Name("status").Equal(expression.Value(domain.AssignmentOpen)))
	cancel, err := s.assignmentUpdate(orgID, assignmentID, update, cond)
	if err != nil {
		return domain.Assignment{}, err
	}
	count, err := s.moduleAssignmentsWrite(orgID, moduleID, -1)
	if err != nil {
		return domain.Assignment{}, err
	}
	entry, err := s.auditWrite(audit)
	if err != nil {
		return domain.Assignment{}, err
	}
	err = s.run(ctx, []write{{cancel, notOpen}, count, entry})
	if domain.ErrorCode(err) == domain.CodeNotFound {
		// The assignment or the module is gone: without the count, it says
		// which (an assignment not found is not found still).
		err = s.auditedAssignmentUpdate(ctx, orgID, assignmentID, update, cond, audit)
	}
	if err != nil {
		return domain.Assignment{}, fmt.Errorf("cancel assignment %s: %w", assignmentID, err)
	}
	return s.findAssignmentAfter(ctx, orgID, assignmentID)
}

// SaveProgress writes progress changes: each person's progress, on condition
// of its revision, and the counters of their assignments, moved by the state
// changes, in transactions of at most 100 items (one counter update per
// assignment in each: a transaction may not touch an item twice).
func (s *Store) SaveProgress(ctx context.Context, orgID string, changes []domain.ProgressChange) error {
	for len(changes) > 0 {
		n, assignments := 0, map[string]bool{}
		for n < len(changes) {
			extra := 0
			if !assignments[changes[n].After.AssignmentID] {
				extra = 1
			}
			if n+len(assignments)+1+extra > 100 {
				break
			}
			assignments[changes[n].After.AssignmentID] = true
			n++
		}
		if err := s.saveProgress(ctx, orgID, changes[:n]); err != nil {
			return err
		}
		changes = changes[n:]
	}
	return nil
}

func (s *Store) saveProgress(ctx context.Context, orgID string, changes []domain.ProgressChange) error {
	var writes []write
	deltas := map[string]map[string]int{}
	var order []string
	for _, c := range changes {
		after := c.After
		after.Revision = c.Before.Revision + 1
		cond := expression.Name("rev").Equal(expression.Value(c.Before.Revision))
		put, err := s.put(toAssigneeItem(after), &cond)
		if err != nil {
			return err
		}
		writes = append(writes, write{put, func(map[string]types.AttributeValue) error {
			return domain.Errorf(domain.CodeConflict, "Progress changed at the same time; try again.")
		}})
		if c.Before.State == after.State {
			continue
		}
		d, ok := deltas[after.AssignmentID]
		if !ok {
			d = map[string]int{}
			deltas[after.AssignmentID] = d
			order = append(order, after.AssignmentID)
		}
		d[stateCounter[c.Before.State]]--
		d[stateCounter[after.State]]++
	}
	for _, id := range order {
		var update expression.UpdateBuilder
		moved := false
		for _, name := range []string{"notStarted", "inProgress", "completed"} {
			if v := deltas[id][name]; v != 0 {
				update = update.Add(expression.Name(name), expression.Value(v))
				moved = true
			}
		}
		if !moved {
			continue
		}
		counters, err := s.assignmentUpdate(orgID, id, update, expression.AttributeExists(expression.Name(attrPK)))
		if err != nil {
			return err
		}
		writes = append(writes, write{item: counters})
	}
	if err := s.run(ctx, writes); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	return nil
}

// FindTeamMemberIDs returns the ids of a team's members with one status: a
// Query of GSI2 page after page, reading only the ids.
func (s *Store) FindTeamMemberIDs(ctx context.Context, orgID, teamID, status string) ([]string, error) {
	expr, err := expression.NewBuilder().
		WithKeyCondition(expression.Key(attrGSI2PK).Equal(expression.Value(teamStatusPK(orgID, teamID, status)))).
		WithProjection(expression.NamesList(expression.Name("userId"))).
		Build()
	if err != nil {
		return nil, fmt.Errorf("build team member query: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI2), KeyConditionExpression: expr.KeyCondition(),
		ProjectionExpression:     expr.Projection(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}
	var ids []string
	for {
		out, err := s.client.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("query team members: %w", err)
		}
		for _, av := range out.Items {
			var it struct {
				UserID string `dynamodbav:"userId"`
			}
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, fmt.Errorf("decode team member: %w", err)
			}
			ids = append(ids, it.UserID)
		}
		if out.LastEvaluatedKey == nil {
			return ids, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// UpdateOrganization changes an organization's settings, those of c that
// are not nil, with the audit entry, in one transaction: its time zone, and
// whether it gets reminders (stored as remindersOff, present only when off).
func (s *Store) UpdateOrganization(ctx context.Context, orgID string, c domain.OrganizationChange, audit domain.AuditEntry) error {
	var update expression.UpdateBuilder
	if c.TimeZone != nil {
		update = update.Set(expression.Name("timeZone"), expression.Value(*c.TimeZone))
	}
	if c.Reminders != nil {
		if *c.Reminders {
			update = update.Remove(expression.Name("remindersOff"))
		} else {
			update = update.Set(expression.Name("remindersOff"), expression.Value(true))
		}
	}
	upd, err := s.update(orgKey(orgID), update, expression.AttributeExists(expression.Name(attrPK)))
	if err != nil {
		return err
	}
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	err = s.run(ctx, []write{{upd, func(map[string]types.AttributeValue) error { return domain.NotFound("organization") }}, entry})
	if err != nil {
		return fmt.Errorf("update organization: %w", err)
	}
	return nil
}

// ImportAssignment writes an assignment, its content and its people with
// their progress as given, with BatchWriteItem: for benchmarks and load tests
// of large organizations (moto_server's transactions copy the table once per
// item, which makes big ones crawl there). Not for request paths, not atomic:
// the counters are taken from the people as written, and a failure part way
// leaves some of them out.
func (s *Store) ImportAssignment(ctx context.Context, a domain.Assignment, c domain.AssignmentContent, people []domain.Assignee) error {
	a.Pending, a.Counts = nil, domain.AssignmentCounts{Assignees: len(people)}
	for _, p := range people {
		switch p.State {
		case domain.ProgressCompleted:
			a.Counts.Completed++
		case domain.ProgressInProgress:
			a.Counts.InProgress++
		default:
			a.Counts.NotStarted++
		}
	}
	c.AssignmentID = a.ID
	items := []any{toAssignmentItem(a), toContentItem(a.OrgID, c)}
	for _, p := range people {
		items = append(items, toAssigneeItem(p))
	}
	requests := make([]types.WriteRequest, 0, len(items))
	for _, it := range items {
		av, err := attributevalue.MarshalMap(it)
		if err != nil {
			return fmt.Errorf("import assignment: encode item: %w", err)
		}
		requests = append(requests, types.WriteRequest{PutRequest: &types.PutRequest{Item: av}})
	}
	if err := s.writeAll(ctx, requests); err != nil {
		return fmt.Errorf("import assignment %s: %w", a.ID, err)
	}
	return nil
}
