package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"proportal/internal/domain"
)

// Reads of the activity aggregates that ingestion keeps (docs/data-model.md,
// "Activity", patterns #18 and #20–#20c). Each is one GetItem or one Query
// (all its pages; the partitions read are bounded by the catalog or by the
// weeks asked for), whatever the organization's size.

// FindLearnerSummary returns a learner's running totals (#20a). A learner
// with no recorded activity has a zero summary: that is an answer, not an
// error.
func (s *Store) FindLearnerSummary(ctx context.Context, orgID, userID string) (domain.LearnerSummary, error) {
	var it learnerSummaryItem
	err := s.get(ctx, learnerSummaryKey(orgID, userID), &it, "learner summary")
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return domain.LearnerSummary{}, nil
	}
	if err != nil {
		return domain.LearnerSummary{}, err
	}
	return it.toDomain(), nil
}

// FindLearnerEpisodes returns every episode a learner has viewed, in
// progress or complete (#20b), in episode id order.
func (s *Store) FindLearnerEpisodes(ctx context.Context, orgID, userID string) ([]domain.EpisodeProgress, error) {
	found, err := s.queryPrefix(ctx, learnerPK(orgID, userID), episodePrefix)
	if err != nil {
		return nil, fmt.Errorf("query learner episodes: %w", err)
	}
	out := make([]domain.EpisodeProgress, 0, len(found))
	for _, av := range found {
		var it learnerEpisodeItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode learner episode: %w", err)
		}
		out = append(out, it.toDomain())
	}
	return out, nil
}

// FindLearnerLabs returns every lab a learner has started (#20b), in lab id
// order.
func (s *Store) FindLearnerLabs(ctx context.Context, orgID, userID string) ([]domain.LabProgress, error) {
	found, err := s.queryPrefix(ctx, learnerPK(orgID, userID), labPrefix)
	if err != nil {
		return nil, fmt.Errorf("query learner labs: %w", err)
	}
	out := make([]domain.LabProgress, 0, len(found))
	for _, av := range found {
		var it learnerLabItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode learner lab: %w", err)
		}
		out = append(out, it.toDomain())
	}
	return out, nil
}

// FindLearnerWeeks returns a learner's usage of the weeks whose Mondays are
// from to to, both included (#20c), oldest first. Weeks without activity
// have no item and are left out.
func (s *Store) FindLearnerWeeks(ctx context.Context, orgID, userID string, from, to time.Time) ([]domain.UsagePeriod, error) {
	return s.findWeeks(ctx, learnerPK(orgID, userID), from, to, "learner")
}

// FindOrgUsageWeeks returns an organization's usage of the weeks whose
// Mondays are from to to, both included (#20), oldest first; weeks without
// activity are left out.
func (s *Store) FindOrgUsageWeeks(ctx context.Context, orgID string, from, to time.Time) ([]domain.UsagePeriod, error) {
	return s.findWeeks(ctx, orgUsagePK(orgID), from, to, "organization")
}

// FindTeamUsageWeeks returns a team's usage (its members' while they were in
// it) of the weeks whose Mondays are from to to, both included (#20), oldest
// first; weeks without activity are left out.
func (s *Store) FindTeamUsageWeeks(ctx context.Context, orgID, teamID string, from, to time.Time) ([]domain.UsagePeriod, error) {
	return s.findWeeks(ctx, teamUsagePK(orgID, teamID), from, to, "team")
}

// FindRecentLogins returns a learner's last sign-ins, newest first, at most
// limit of them (#18: one Query of gsi2, backwards).
func (s *Store) FindRecentLogins(ctx context.Context, orgID, userID string, limit int) ([]domain.Event, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI2PK).Equal(expression.Value(userEventsPK(orgID, userID, domain.EventLogin))),
	).Build()
	if err != nil {
		return nil, fmt.Errorf("build sign-in query: %w", err)
	}
	out, err := s.client.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI2), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ScanIndexForward: aws.Bool(false), Limit: aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, fmt.Errorf("query sign-ins: %w", err)
	}
	events := make([]domain.Event, 0, len(out.Items))
	for _, av := range out.Items {
		var it eventItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode sign-in: %w", err)
		}
		events = append(events, it.toDomain(orgID))
	}
	return events, nil
}

// findWeeks reads the WEEK# items of a usage partition between two Mondays.
func (s *Store) findWeeks(ctx context.Context, pk string, from, to time.Time, whose string) ([]domain.UsagePeriod, error) {
	return s.findUsage(ctx, pk, weekPrefix, from.Format(domain.DateLayout), to.Format(domain.DateLayout), whose+" week")
}

// findUsage reads the usage items of a partition whose sort keys lie
// between prefix+from and prefix+to (days or weeks, yyyy-mm-dd, both
// included): one Query, every page.
func (s *Store) findUsage(ctx context.Context, pk, prefix, from, to, what string) ([]domain.UsagePeriod, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrPK).Equal(expression.Value(pk)).And(expression.Key(attrSK).Between(
			expression.Value(prefix+from), expression.Value(prefix+to))),
	).Build()
	if err != nil {
		return nil, fmt.Errorf("build %s query: %w", what, err)
	}
	found, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", what, err)
	}
	out := make([]domain.UsagePeriod, 0, len(found))
	for _, av := range found {
		var it usageItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode %s: %w", what, err)
		}
		out = append(out, it.toDomain())
	}
	return out, nil
}
