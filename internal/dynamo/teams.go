package dynamo

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// CreateTeam stores a new team with the reservation of its name, in one
// transaction (conflict when the organization has a team of that name),
// without an audit entry: the operator's demo seed and tests.
func (s *Store) CreateTeam(ctx context.Context, t domain.Team) error {
	return s.createTeam(ctx, t, nil, nil)
}

// CreateTeamAndChange stores a new team with the reservation of its name,
// when not nil the change that adds its first members, and the audit entry,
// in one transaction.
func (s *Store) CreateTeamAndChange(ctx context.Context, t domain.Team, change *domain.TeamChange, audit domain.AuditEntry) error {
	return s.createTeam(ctx, t, change, &audit)
}

func (s *Store) createTeam(ctx context.Context, t domain.Team, change *domain.TeamChange, audit *domain.AuditEntry) error {
	teamPut, err := s.putNew(toTeamItem(t))
	if err != nil {
		return err
	}
	namePut, err := s.putNew(toTeamNameItem(t))
	if err != nil {
		return err
	}
	writes := []write{
		{teamPut, func(map[string]types.AttributeValue) error {
			return domain.Errorf(domain.CodeConflict, "The team exists already.")
		}},
		{namePut, func(map[string]types.AttributeValue) error { return nameTaken(t.Name) }},
	}
	if change != nil {
		changePut, err := s.putNew(toTeamChangeItem(*change))
		if err != nil {
			return err
		}
		writes = append(writes, write{item: changePut})
	}
	if audit != nil {
		w, err := s.auditWrite(*audit)
		if err != nil {
			return err
		}
		writes = append(writes, w)
	}
	if err := s.run(ctx, writes); err != nil {
		return fmt.Errorf("create team: %w", err)
	}
	return nil
}

func nameTaken(name string) error {
	return &domain.Error{Code: domain.CodeConflict, Message: fmt.Sprintf("There is a team named %s already.", name),
		Fields: map[string]string{"name": "is the name of another team"}}
}

// FindTeam returns a team of an organization.
func (s *Store) FindTeam(ctx context.Context, orgID, teamID string) (domain.Team, error) {
	var it teamItem
	if err := s.get(ctx, teamKey(orgID, teamID), &it, "team"); err != nil {
		return domain.Team{}, err
	}
	return it.toDomain(), nil
}

// FindTeams returns an organization's teams by name: one Query.
func (s *Store) FindTeams(ctx context.Context, orgID string) ([]domain.Team, error) {
	found, err := s.queryPrefix(ctx, orgPK(orgID), teamsPrefix)
	if err != nil {
		return nil, fmt.Errorf("query teams: %w", err)
	}
	teams := make([]domain.Team, 0, len(found))
	for _, av := range found {
		var it teamItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode team: %w", err)
		}
		teams = append(teams, it.toDomain())
	}
	sort.Slice(teams, func(i, j int) bool { return strings.ToLower(teams[i].Name) < strings.ToLower(teams[j].Name) })
	return teams, nil
}

// RenameTeam gives a team another name: the old name's reservation goes and
// the new one's is made (conflict when it is taken), with the audit entry, in
// one transaction.
func (s *Store) RenameTeam(ctx context.Context, before domain.Team, name string, audit domain.AuditEntry) error {
	after := before
	after.Name = name
	var writes []write
	if domain.TeamNameKey(before.Name) != domain.TeamNameKey(name) {
		namePut, err := s.putNew(toTeamNameItem(after))
		if err != nil {
			return err
		}
		nameDelete, err := s.deleteItem(toTeamNameItem(before).key, nil)
		if err != nil {
			return err
		}
		writes = append(writes, write{namePut, func(map[string]types.AttributeValue) error { return nameTaken(name) }}, write{item: nameDelete})
	}
	cond := expression.AttributeExists(expression.Name(attrPK)).And(expression.Name("name").Equal(expression.Value(before.Name)))
	rename, err := s.update(teamKey(before.OrgID, before.ID), expression.Set(expression.Name("name"), expression.Value(name)), cond)
	if err != nil {
		return err
	}
	writes = append(writes, write{rename, func(map[string]types.AttributeValue) error {
		return domain.Errorf(domain.CodeConflict, "Someone renamed or deleted this team at the same time; reload and try again.")
	}})
	w, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	if err := s.run(ctx, append(writes, w)); err != nil {
		return fmt.Errorf("rename team: %w", err)
	}
	return nil
}

// update is a transactional update with a condition.
func (s *Store) update(k key, update expression.UpdateBuilder, cond expression.ConditionBuilder) (types.TransactWriteItem, error) {
	expr, err := expression.NewBuilder().WithUpdate(update).WithCondition(cond).Build()
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("build update: %w", err)
	}
	av, err := marshalKey(k)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(s.table), Key: av,
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}}, nil
}

// StartTeamChange writes a change and makes it the team's latest, with the
// request's audit entry, in one transaction; a delete marks the team as
// deleting, an add needs a team that is not being deleted.
func (s *Store) StartTeamChange(ctx context.Context, c domain.TeamChange, audit domain.AuditEntry) error {
	changePut, err := s.putNew(toTeamChangeItem(c))
	if err != nil {
		return err
	}
	set := expression.Set(expression.Name("lastChangeId"), expression.Value(c.ID))
	cond := expression.AttributeExists(expression.Name(attrPK))
	switch c.Kind {
	case domain.ChangeDelete:
		set = set.Set(expression.Name("deleting"), expression.Value(true))
	default:
		cond = cond.And(expression.AttributeNotExists(expression.Name("deleting")))
	}
	teamUpdate, err := s.update(teamKey(c.OrgID, c.TeamID), set, cond)
	if err != nil {
		return err
	}
	teamUpdate.Update.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	auditPut, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	err = s.run(ctx, []write{{item: changePut}, {teamUpdate, func(old map[string]types.AttributeValue) error {
		if old == nil {
			return domain.NotFound("team")
		}
		return domain.ErrTeamDeleting
	}}, auditPut})
	if err != nil {
		return fmt.Errorf("start team change: %w", err)
	}
	return nil
}

// FindTeamChange returns a change of a team.
func (s *Store) FindTeamChange(ctx context.Context, orgID, teamID, changeID string) (domain.TeamChange, error) {
	var it teamChangeItem
	if err := s.get(ctx, teamChangeKey(orgID, teamID, changeID), &it, "team change"); err != nil {
		return domain.TeamChange{}, err
	}
	return it.toDomain(), nil
}

// SaveMember writes one member's change with its step of a team change, in
// one transaction: the user and all that moves with it, and the change's
// progress. A step made already is domain.ErrStepClaimed.
func (s *Store) SaveMember(ctx context.Context, c domain.UserChange, step domain.ChangeStep) error {
	writes, err := s.userWrites(c, true)
	if err != nil {
		return err
	}
	w, err := s.stepWrite(step)
	if err != nil {
		return err
	}
	return s.run(ctx, append(writes, w))
}

// SkipMember records a step that changed no member: it was so already, or
// could not be made (step.Failure).
func (s *Store) SkipMember(ctx context.Context, step domain.ChangeStep) error {
	w, err := s.stepWrite(step)
	if err != nil {
		return err
	}
	return s.run(ctx, []write{w})
}

// stepWrite moves a change on by one member: an add's next position (on
// condition that it is the step's), the done count or the failures.
func (s *Store) stepWrite(step domain.ChangeStep) (write, error) {
	update := expression.Set(expression.Name("updatedAt"), expression.Value(step.When))
	cond := expression.Name("status").Equal(expression.Value(domain.ChangeRunning))
	if step.At >= 0 {
		update = update.Set(expression.Name("next"), expression.Value(step.At+1))
		cond = cond.And(expression.Name("next").Equal(expression.Value(step.At)))
	}
	if step.Failure != nil {
		update = update.Set(expression.Name("failures"), expression.ListAppend(expression.Name("failures"),
			expression.Value([]failureItem{toFailureItem(*step.Failure)})))
	} else {
		update = update.Add(expression.Name("done"), expression.Value(1))
	}
	item, err := s.update(teamChangeKey(step.OrgID, step.TeamID, step.ChangeID), update, cond)
	if err != nil {
		return write{}, err
	}
	return write{item, func(map[string]types.AttributeValue) error { return domain.ErrStepClaimed }}, nil
}

// FinishTeamChange sets a change's final status and when it ended.
func (s *Store) FinishTeamChange(ctx context.Context, c domain.TeamChange, status string) error {
	update := expression.Set(expression.Name("status"), expression.Value(status)).
		Set(expression.Name("updatedAt"), expression.Value(c.UpdatedAt))
	item, err := s.update(teamChangeKey(c.OrgID, c.TeamID, c.ID), update, expression.AttributeExists(expression.Name(attrPK)))
	if err != nil {
		return err
	}
	if err := s.run(ctx, []write{{item, func(map[string]types.AttributeValue) error { return domain.NotFound("team change") }}}); err != nil {
		return fmt.Errorf("finish team change: %w", err)
	}
	return nil
}

// memberPage is how many member ids FindMemberIDs reads a page.
const memberPage = 100

// FindMemberIDs returns a page of the ids of a team's members (one Query of
// the team's partition, keys only) and where the next page starts.
func (s *Store) FindMemberIDs(ctx context.Context, orgID, teamID, after string) ([]string, string, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrPK).Equal(expression.Value(teamPK(orgID, teamID))).And(expression.Key(attrSK).BeginsWith(membersPrefix)),
	).WithProjection(expression.NamesList(expression.Name(attrPK), expression.Name(attrSK))).Build()
	if err != nil {
		return nil, "", fmt.Errorf("build member query: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ProjectionExpression:     expr.Projection(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		Limit: aws.Int32(memberPage),
	}
	if after != "" {
		in.ExclusiveStartKey, err = marshalKey(memberKey(orgID, teamID, after))
		if err != nil {
			return nil, "", err
		}
	}
	out, err := s.client.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("query members: %w", err)
	}
	ids := make([]string, 0, len(out.Items))
	for _, av := range out.Items {
		var k key
		if err := attributevalue.UnmarshalMap(av, &k); err != nil {
			return nil, "", fmt.Errorf("decode member: %w", err)
		}
		ids = append(ids, strings.TrimPrefix(k.SK, membersPrefix))
	}
	next := ""
	if out.LastEvaluatedKey != nil && len(ids) > 0 {
		next = ids[len(ids)-1]
	}
	return ids, next, nil
}

// DeleteTeam deletes a team without members and its name's reservation, in
// one transaction; conflict while it still counts members.
func (s *Store) DeleteTeam(ctx context.Context, t domain.Team) error {
	empty := expression.AttributeExists(expression.Name(attrPK))
	for _, status := range []string{domain.StatusActive, domain.StatusInvited, domain.StatusInactive} {
		empty = empty.And(expression.Or(expression.AttributeNotExists(expression.Name(status)), expression.Name(status).Equal(expression.Value(0))))
	}
	teamDelete, err := s.deleteItem(teamKey(t.OrgID, t.ID), &empty)
	if err != nil {
		return err
	}
	nameDelete, err := s.deleteItem(toTeamNameItem(t).key, nil)
	if err != nil {
		return err
	}
	err = s.run(ctx, []write{{teamDelete, func(map[string]types.AttributeValue) error {
		return domain.Errorf(domain.CodeConflict, "The team still has members; delete it again to take them out.")
	}}, {item: nameDelete}})
	if err != nil {
		return fmt.Errorf("delete team: %w", err)
	}
	return nil
}
