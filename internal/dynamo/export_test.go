package dynamo

import (
	"context"
	"time"
)

// SetExpiryPageSize makes DeleteExpired read n entries a Query, so that a
// test sees it page without writing a megabyte of items.
func SetExpiryPageSize(s *Store, n int32) { s.expiryPageSize = n }

// CountModuleAssignments runs moduleAssignmentsWrite alone, as the
// assignments' transactions will.
func CountModuleAssignments(ctx context.Context, s *Store, orgID, moduleID string, delta int) error {
	w, err := s.moduleAssignmentsWrite(orgID, moduleID, delta)
	if err != nil {
		return err
	}
	return s.run(ctx, []write{w})
}

// AuditKey is the table key of an audit entry, for tests that put an item
// in its way.
func AuditKey(orgID string, at time.Time, entryID string) (pk, sk string) {
	k := auditKey(orgID, at, entryID)
	return k.PK, k.SK
}
