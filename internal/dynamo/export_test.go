package dynamo

import "context"

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
