package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"proportal/internal/domain"
)

// LearnerActivity is what PutLearnerActivity stores of one learner.
type LearnerActivity struct {
	Summary  domain.LearnerSummary
	Episodes []domain.EpisodeProgress
	Labs     []domain.LabProgress
	Weeks    []domain.UsagePeriod
	Logins   []domain.Event
}

// PutLearnerActivity puts a learner's aggregates and sign-in events as
// ingestion stores them, so that the reads can be tested on their own.
func PutLearnerActivity(ctx context.Context, s *Store, orgID, userID string, a LearnerActivity) error {
	pk := learnerPK(orgID, userID)
	sum := a.Summary
	items := []any{learnerSummaryItem{
		key: learnerSummaryKey(orgID, userID), Logins: sum.Logins, LastLoginAt: sum.LastLoginAt, Viewings: sum.Viewings,
		Seconds: sum.Seconds, EpisodesCompleted: sum.EpisodesCompleted, LabsStarted: sum.LabsStarted,
		LabsCompleted: sum.LabsCompleted, FirstActiveAt: sum.FirstActiveAt, LastActiveAt: sum.LastActiveAt, Rev: 1,
	}}
	for _, e := range a.Episodes {
		items = append(items, learnerEpisodeItem{
			key: learnerEpisodeKey(orgID, userID, e.EpisodeID), EpisodeID: e.EpisodeID, CourseID: e.CourseID,
			Viewings: e.Viewings, Seconds: e.Seconds, CompletedAt: e.CompletedAt, LastAt: e.LastAt, Rev: 1,
		})
	}
	for _, l := range a.Labs {
		items = append(items, learnerLabItem{
			key: learnerLabKey(orgID, userID, l.LabID), LabID: l.LabID, Attempts: l.Attempts, Completions: l.Completions,
			CompletedAt: l.CompletedAt, BestScore: l.BestScore, LastAt: l.LastAt, Rev: 1,
		})
	}
	for _, w := range a.Weeks {
		items = append(items, toUsageItem(pk, w))
	}
	for _, e := range a.Logins {
		items = append(items, toEventItem(e, e.At))
	}
	return putAll(ctx, s, items)
}

// PutUsageWeeks puts an organization's (teamID "") or a team's weekly usage.
func PutUsageWeeks(ctx context.Context, s *Store, orgID, teamID string, weeks []domain.UsagePeriod) error {
	pk := orgUsagePK(orgID)
	if teamID != "" {
		pk = teamUsagePK(orgID, teamID)
	}
	items := make([]any, 0, len(weeks))
	for _, w := range weeks {
		items = append(items, toUsageItem(pk, w))
	}
	return putAll(ctx, s, items)
}

func toUsageItem(pk string, w domain.UsagePeriod) usageItem {
	u := w.Usage
	return usageItem{
		key: key{pk, weekPrefix + w.Start}, Viewings: u.Viewings, Seconds: u.Seconds, Completed: u.Completed,
		LabsStarted: u.LabsStarted, LabsCompleted: u.LabsCompleted, Logins: u.Logins, ActiveLearners: u.ActiveLearners,
	}
}

func putAll(ctx context.Context, s *Store, items []any) error {
	for _, it := range items {
		av, err := attributevalue.MarshalMap(it)
		if err != nil {
			return fmt.Errorf("encode %T: %w", it, err)
		}
		if _, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: av}); err != nil {
			return fmt.Errorf("put %T: %w", it, err)
		}
	}
	return nil
}
