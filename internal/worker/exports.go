package worker

import (
	"context"

	"proportal/internal/domain"
)

// RunExport writes an export's workbook into the reports bucket. The message
// is domain.ExportRef.Message(). A failed run is retried by SQS; a duplicate
// or late message finds the export done or running and leaves it.
var RunExport = Work{"RunExport", runExport}

type exportRunJSON struct {
	ExportID string `json:"exportId"`
	Kind     string `json:"kind"`
	Status   string `json:"status"`
	Rows     int    `json:"rows"`
	Attempts int    `json:"attempts"`
}

func runExport(s *Services) run {
	return func(ctx context.Context, message []byte) (any, error) {
		ref, err := domain.ParseExportRef(string(message))
		if err != nil {
			return nil, err
		}
		e, err := s.Exports.Run(ctx, ref)
		if err != nil {
			return nil, err
		}
		return exportRunJSON{ExportID: e.ID, Kind: e.Kind, Status: e.Status, Rows: e.Rows, Attempts: e.Attempts}, nil
	}
}
