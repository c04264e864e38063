package dynamo

import (
	"context"

	"proportal/internal/domain"
)

// FindModule stands in until the modules' store lands: no module is found.
// TODO(assignments): delete at the merge with the modules branch.
func (s *Store) FindModule(ctx context.Context, orgID, moduleID string) (domain.Module, error) {
	return domain.Module{}, domain.NotFound("module")
}

// FindCatalogItems stands in until the catalog's store lands.
// TODO(assignments): delete at the merge with the modules branch.
func (s *Store) FindCatalogItems(ctx context.Context, ids []string) ([]domain.CatalogItem, error) {
	return nil, nil
}
