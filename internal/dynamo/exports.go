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

// Exports: one record per workbook asked for (docs/data-model.md, "Exports").

var _ domain.ExportStore = (*Store)(nil)

type exportItem struct {
	key
	GSI1PK       string    `dynamodbav:"gsi1pk"`
	GSI1SK       string    `dynamodbav:"gsi1sk"`
	Type         string    `dynamodbav:"type"`
	ID           string    `dynamodbav:"id"`
	Kind         string    `dynamodbav:"kind"`
	UserID       string    `dynamodbav:"userId,omitempty"`
	TeamID       string    `dynamodbav:"teamId,omitempty"`
	AssignmentID string    `dynamodbav:"assignmentId,omitempty"`
	ActorID      string    `dynamodbav:"actorId,omitempty"`
	TargetID     string    `dynamodbav:"targetId,omitempty"`
	AuditKind    string    `dynamodbav:"auditKind,omitempty"`
	From         string    `dynamodbav:"from"`
	To           string    `dynamodbav:"to"`
	Status       string    `dynamodbav:"status"`
	Rows         int       `dynamodbav:"rows"`
	ExpectedRows int       `dynamodbav:"expectedRows"`
	CreatedBy    string    `dynamodbav:"createdBy"`
	CreatedAt    time.Time `dynamodbav:"createdAt"`
	StartedAt    time.Time `dynamodbav:"startedAt,omitempty"`
	FinishedAt   time.Time `dynamodbav:"finishedAt,omitempty"`
	Error        string    `dynamodbav:"error,omitempty"`
	Attempts     int       `dynamodbav:"attempts"`
	Claim        string    `dynamodbav:"claim,omitempty"`
	HeartbeatAt  time.Time `dynamodbav:"heartbeatAt,omitempty"`
	TTL          int64     `dynamodbav:"ttl"`
}

func toExportItem(e domain.Export) exportItem {
	return exportItem{
		key:    exportKey(e.OrgID, e.ID),
		GSI1PK: exportsPK(e.OrgID), GSI1SK: exportsSK(e.CreatedAt, e.ID),
		Type: "export", ID: e.ID, Kind: e.Kind, UserID: e.UserID, TeamID: e.TeamID, AssignmentID: e.AssignmentID,
		ActorID: e.ActorID, TargetID: e.TargetID, AuditKind: e.AuditKind,
		From: e.From.Format(domain.DateLayout), To: e.To.Format(domain.DateLayout),
		Status: e.Status, Rows: e.Rows, ExpectedRows: e.ExpectedRows, CreatedBy: e.CreatedBy, CreatedAt: e.CreatedAt,
		StartedAt: e.StartedAt, FinishedAt: e.FinishedAt, Error: e.Error, Attempts: e.Attempts,
		Claim: e.Claim, HeartbeatAt: e.HeartbeatAt,
		TTL: e.ExpiresAt().Add(cleanupAfter).Unix(),
	}
}

func (it exportItem) toDomain(orgID string) domain.Export {
	from, _ := time.Parse(domain.DateLayout, it.From)
	to, _ := time.Parse(domain.DateLayout, it.To)
	return domain.Export{
		ID: it.ID, OrgID: orgID, Kind: it.Kind, UserID: it.UserID, TeamID: it.TeamID, AssignmentID: it.AssignmentID,
		ActorID: it.ActorID, TargetID: it.TargetID, AuditKind: it.AuditKind,
		From: from, To: to, Status: it.Status, Rows: it.Rows, ExpectedRows: it.ExpectedRows,
		CreatedBy: it.CreatedBy, CreatedAt: it.CreatedAt, StartedAt: it.StartedAt, FinishedAt: it.FinishedAt,
		Error: it.Error, Attempts: it.Attempts, Claim: it.Claim, HeartbeatAt: it.HeartbeatAt,
	}
}

// CreateExport stores a new export, on condition that the id is new, with
// its audit entry: one TransactWriteItems.
func (s *Store) CreateExport(ctx context.Context, e domain.Export, audit domain.AuditEntry) error {
	put, err := s.putNew(toExportItem(e))
	if err != nil {
		return err
	}
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	err = s.run(ctx, []write{{put, func(map[string]types.AttributeValue) error {
		return domain.Errorf(domain.CodeConflict, "The export exists already.")
	}}, entry})
	if err != nil {
		return fmt.Errorf("put export: %w", err)
	}
	return nil
}

// FindExport returns one export of an organization: one GetItem.
func (s *Store) FindExport(ctx context.Context, orgID, exportID string) (domain.Export, error) {
	var it exportItem
	if err := s.get(ctx, exportKey(orgID, exportID), &it, "export"); err != nil {
		return domain.Export{}, err
	}
	return it.toDomain(orgID), nil
}

// FindExports returns an organization's latest exports, newest first: one
// Query of GSI1, backwards.
func (s *Store) FindExports(ctx context.Context, orgID string, limit int) ([]domain.Export, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI1PK).Equal(expression.Value(exportsPK(orgID)))).Build()
	if err != nil {
		return nil, fmt.Errorf("build export query: %w", err)
	}
	out, err := s.client.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI1),
		KeyConditionExpression: expr.KeyCondition(), ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ScanIndexForward: aws.Bool(false), Limit: aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, fmt.Errorf("query exports: %w", err)
	}
	list := make([]domain.Export, 0, len(out.Items))
	for _, av := range out.Items {
		var it exportItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode export: %w", err)
		}
		list = append(list, it.toDomain(orgID))
	}
	return list, nil
}

// ClaimExport makes an export running under e.Claim and counts the attempt:
// one UpdateItem, on condition that it is pending, or running with a
// heartbeat before staleBefore (its run died). conflict otherwise.
func (s *Store) ClaimExport(ctx context.Context, e domain.Export, staleBefore time.Time) (domain.Export, error) {
	update := expression.Set(expression.Name("status"), expression.Value(domain.ExportRunning)).
		Set(expression.Name("claim"), expression.Value(e.Claim)).
		Set(expression.Name("heartbeatAt"), expression.Value(e.HeartbeatAt)).
		Set(expression.Name("startedAt"), expression.Value(e.StartedAt)).
		Set(expression.Name("rows"), expression.Value(0)).
		Add(expression.Name("attempts"), expression.Value(1))
	cond := expression.Name("status").Equal(expression.Value(domain.ExportPending)).Or(
		expression.Name("status").Equal(expression.Value(domain.ExportRunning)).
			And(expression.Name("heartbeatAt").LessThan(expression.Value(staleBefore))))
	out, err := s.updateExport(ctx, e, update, cond.And(expression.AttributeExists(expression.Name(attrPK))))
	if err != nil {
		return e, fmt.Errorf("claim export: %w", err)
	}
	return out, nil
}

// SaveExport writes how far an export is (status, rows, heartbeat, finish,
// error): one UpdateItem, on condition that its claim is still e.Claim.
func (s *Store) SaveExport(ctx context.Context, e domain.Export) error {
	update := expression.Set(expression.Name("status"), expression.Value(e.Status)).
		Set(expression.Name("rows"), expression.Value(e.Rows)).
		Set(expression.Name("expectedRows"), expression.Value(e.ExpectedRows))
	if !e.HeartbeatAt.IsZero() {
		update = update.Set(expression.Name("heartbeatAt"), expression.Value(e.HeartbeatAt))
	}
	if !e.FinishedAt.IsZero() {
		update = update.Set(expression.Name("finishedAt"), expression.Value(e.FinishedAt))
	}
	if e.Error != "" {
		update = update.Set(expression.Name("error"), expression.Value(e.Error))
	}
	cond := expression.AttributeNotExists(expression.Name("claim"))
	if e.Claim != "" {
		cond = expression.Name("claim").Equal(expression.Value(e.Claim))
	}
	if _, err := s.updateExport(ctx, e, update, cond.And(expression.AttributeExists(expression.Name(attrPK)))); err != nil {
		return fmt.Errorf("save export: %w", err)
	}
	return nil
}

// updateExport updates an export on a condition and returns it as written;
// a failed condition is a conflict.
func (s *Store) updateExport(ctx context.Context, e domain.Export, update expression.UpdateBuilder, cond expression.ConditionBuilder) (domain.Export, error) {
	w, err := s.update(exportKey(e.OrgID, e.ID), update, cond)
	if err != nil {
		return e, err
	}
	u := w.Update
	out, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: u.TableName, Key: u.Key, UpdateExpression: u.UpdateExpression, ConditionExpression: u.ConditionExpression,
		ExpressionAttributeNames: u.ExpressionAttributeNames, ExpressionAttributeValues: u.ExpressionAttributeValues,
		ReturnValues: types.ReturnValueAllNew,
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return e, domain.Errorf(domain.CodeConflict, "The export has moved on.")
	}
	if err != nil {
		return e, err
	}
	var it exportItem
	if err := attributevalue.UnmarshalMap(out.Attributes, &it); err != nil {
		return e, fmt.Errorf("decode export: %w", err)
	}
	return it.toDomain(e.OrgID), nil
}
