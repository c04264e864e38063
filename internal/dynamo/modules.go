package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// FindModule returns a module of an organization. A module of another
// organization is not found.
func (s *Store) FindModule(ctx context.Context, orgID, moduleID string) (domain.Module, error) {
	var it moduleItem
	if err := s.get(ctx, moduleKey(orgID, moduleID), &it, "module"); err != nil {
		return domain.Module{}, err
	}
	return it.toDomain(), nil
}

// FindModules returns every module of an organization, in no order: one
// Query (a page holds some 250 modules of 50 items, or over 1,000 of the
// usual 5 to 10; more take another call a page).
func (s *Store) FindModules(ctx context.Context, orgID string) ([]domain.Module, error) {
	found, err := s.queryPrefix(ctx, orgPK(orgID), modulesPrefix)
	if err != nil {
		return nil, fmt.Errorf("query modules: %w", err)
	}
	mods := make([]domain.Module, 0, len(found))
	for _, av := range found {
		var it moduleItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode module: %w", err)
		}
		mods = append(mods, it.toDomain())
	}
	return mods, nil
}

// CreateModule writes a new module with its audit entry, in one transaction.
func (s *Store) CreateModule(ctx context.Context, m domain.Module, audit domain.AuditEntry) error {
	put, err := s.putNew(toModuleItem(m))
	if err != nil {
		return err
	}
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	err = s.run(ctx, []write{{put, func(map[string]types.AttributeValue) error {
		return domain.Errorf(domain.CodeConflict, "The module exists already.")
	}}, entry})
	if err != nil {
		return fmt.Errorf("create module: %w", err)
	}
	return nil
}

// UpdateModule writes a module's name, description, items and duration on
// condition that it is still at revision before, with its audit entry, in
// one transaction; its assignment count is left as it is. A module deleted
// meanwhile is not found; one saved by someone else meanwhile is a conflict.
func (s *Store) UpdateModule(ctx context.Context, m domain.Module, before int, audit domain.AuditEntry) error {
	it := toModuleItem(m)
	update := expression.Set(expression.Name("name"), expression.Value(it.Name)).
		Set(expression.Name("description"), expression.Value(it.Description)).
		Set(expression.Name("items"), expression.Value(it.Items)).
		Set(expression.Name("seconds"), expression.Value(it.Seconds)).
		Set(expression.Name("updatedAt"), expression.Value(it.UpdatedAt)).
		Set(expression.Name("rev"), expression.Value(it.Rev))
	cond := expression.AttributeExists(expression.Name(attrPK)).And(expression.Name("rev").Equal(expression.Value(before)))
	upd, err := s.update(it.key, update, cond)
	if err != nil {
		return err
	}
	upd.Update.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	err = s.run(ctx, []write{{upd, func(old map[string]types.AttributeValue) error {
		if old == nil {
			return domain.NotFound("module")
		}
		return domain.Errorf(domain.CodeConflict, "Someone changed this module at the same time; reload it and make your changes again.")
	}}, entry})
	if err != nil {
		return fmt.Errorf("update module: %w", err)
	}
	return nil
}

// DeleteModule deletes a module on condition that it is still at revision
// rev, with its audit entry, in one transaction: not_found when there is
// none, conflict when someone saved it since it was read.
func (s *Store) DeleteModule(ctx context.Context, orgID, moduleID string, rev int, audit domain.AuditEntry) error {
	cond := expression.AttributeExists(expression.Name(attrPK)).And(expression.Name("rev").Equal(expression.Value(rev)))
	del, err := s.deleteItem(moduleKey(orgID, moduleID), &cond)
	if err != nil {
		return err
	}
	del.Delete.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	err = s.run(ctx, []write{{del, func(old map[string]types.AttributeValue) error {
		if old == nil {
			return domain.NotFound("module")
		}
		return domain.Errorf(domain.CodeConflict, "Someone changed this module at the same time; reload it and try again.")
	}}, entry})
	if err != nil {
		return fmt.Errorf("delete module: %w", err)
	}
	return nil
}

// moduleAssignmentsWrite is the write that counts a module's assignments up
// (delta 1) or down (-1), for the transaction that creates or cancels an
// assignment: it fails with not_found when the module was deleted meanwhile,
// and leaves the module's revision alone, so an admin editing the module is
// not told of a conflict.
func (s *Store) moduleAssignmentsWrite(orgID, moduleID string, delta int) (write, error) {
	update := expression.Add(expression.Name("assignments"), expression.Value(delta))
	expr, err := expression.NewBuilder().WithUpdate(update).
		WithCondition(expression.AttributeExists(expression.Name(attrPK))).Build()
	if err != nil {
		return write{}, fmt.Errorf("build module counter: %w", err)
	}
	k, err := marshalKey(moduleKey(orgID, moduleID))
	if err != nil {
		return write{}, err
	}
	item := types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(s.table), Key: k,
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}}
	return write{item, func(map[string]types.AttributeValue) error { return domain.NotFound("module") }}, nil
}

func ptr[T any](v T) *T { return &v }
