package dynamo

import (
	"context"

	"proportal/internal/domain"
)

// PutAuditEntry writes an entry alone, for tests of the audit log's reads
// (the code writes one only in the transaction of its change).
func PutAuditEntry(ctx context.Context, s *Store, e domain.AuditEntry) error {
	w, err := s.auditWrite(e)
	if err != nil {
		return err
	}
	return s.run(ctx, []write{w})
}
