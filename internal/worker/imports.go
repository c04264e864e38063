package worker

import (
	"context"

	"proportal/internal/domain"
)

// RunImport applies a bulk CSV import's rows, in batches, and writes its
// result file. The message is domain.ImportRef.Message(). A failed or
// stopped run is retried by SQS and goes on with the rows not yet done; a
// duplicate or late message finds the import done and leaves it.
var RunImport = Work{"RunImport", runImport}

type importRunJSON struct {
	ImportID string `json:"importId"`
	Status   string `json:"status"`
	Total    int    `json:"total"`
	Done     int    `json:"done"`
}

func runImport(s *Services) run {
	return func(ctx context.Context, message []byte) (any, error) {
		ref, err := domain.ParseImportRef(string(message))
		if err != nil {
			return nil, err
		}
		imp, err := s.Imports.Run(ctx, ref)
		if err != nil {
			return nil, err
		}
		return importRunJSON{ImportID: imp.ID, Status: imp.Status, Total: imp.Total, Done: imp.Done}, nil
	}
}
