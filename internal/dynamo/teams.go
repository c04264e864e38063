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

	"proportal/internal/domain"
)

// CreateTeam stores a new team.
func (s *Store) CreateTeam(ctx context.Context, t domain.Team) error {
	w, err := s.putNew(toTeamItem(t))
	if err != nil {
		return err
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: w.Put.TableName, Item: w.Put.Item, ConditionExpression: w.Put.ConditionExpression,
		ExpressionAttributeNames: w.Put.ExpressionAttributeNames,
	})
	if err != nil {
		return fmt.Errorf("create team: %w", err)
	}
	return nil
}

// FindTeam returns a team of an organization.
func (s *Store) FindTeam(ctx context.Context, orgID, teamID string) (domain.Team, error) {
	var it teamItem
	if err := s.get(ctx, teamKey(orgID, teamID), &it, "team"); err != nil {
		return domain.Team{}, err
	}
	return it.toDomain(), nil
}

// FindTeams returns an organization's teams by name.
func (s *Store) FindTeams(ctx context.Context, orgID string) ([]domain.Team, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrPK).Equal(expression.Value(orgPK(orgID))).And(expression.Key(attrSK).BeginsWith(teamsPrefix)),
	).Build()
	if err != nil {
		return nil, fmt.Errorf("build team query: %w", err)
	}
	out, err := s.client.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return nil, fmt.Errorf("query teams: %w", err)
	}
	teams := make([]domain.Team, 0, len(out.Items))
	for _, av := range out.Items {
		var it teamItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode team: %w", err)
		}
		teams = append(teams, it.toDomain())
	}
	sort.Slice(teams, func(i, j int) bool { return strings.ToLower(teams[i].Name) < strings.ToLower(teams[j].Name) })
	return teams, nil
}
