package domain

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// workbooks makes the Excel workbooks of exports and of scheduled reports,
// one path for both: the report of an Export value (kind, team, days; a
// schedule's delivery is mapped onto one), written by the ReportWriter and
// streamed into the FileStore. The reports of each kind are in
// export_reports.go.
type workbooks struct {
	store  ReportReads
	files  FileStore
	writer ReportWriter
	now    Clock
}

func newWorkbooks(store ReportReads, files FileStore, writer ReportWriter, now Clock) *workbooks {
	return &workbooks{store: store, files: files, writer: writer, now: now}
}

// write builds e's report and streams the workbook into the file store at
// key through a pipe: the writer writes as the store uploads, and neither
// holds the whole file. Every byte written also goes to tee when it is not
// nil (a delivery keeps a small file to attach it). onRow is called after
// each data row with the rows written so far; its error stops the writing
// and is returned. It returns the data rows written; errTooLarge past
// MaxExportRows.
func (s *workbooks) write(ctx context.Context, e *Export, key string, tee io.Writer, onRow func(rows int) error) (int, error) {
	if s.writer == nil || s.files == nil {
		return 0, errors.New("this process was built without a report writer or file store")
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r, err := s.buildReport(ctx, e)
	if err != nil {
		return 0, err
	}
	if e.ExpectedRows > MaxExportRows {
		return 0, errTooLarge
	}
	rows := 0
	var rowErr error
	count := func() error {
		rows++
		if rows > MaxExportRows {
			rowErr = errTooLarge
			return errTooLarge
		}
		if onRow != nil {
			if err := onRow(rows); err != nil {
				rowErr = err
				return err
			}
		}
		return nil
	}
	for i := range r.Sheets {
		rowsOf := r.Sheets[i].Rows
		r.Sheets[i].Rows = func(emit func([]any) error) error {
			return rowsOf(func(row []any) error {
				if err := emit(row); err != nil {
					return err
				}
				return count()
			})
		}
	}

	pr, pw := io.Pipe()
	uploaded := make(chan error, 1)
	go func() {
		err := s.files.Put(ctx, key, e.FileName(), XLSXContentType, pr)
		pr.CloseWithError(err) // a failed upload stops the writer
		uploaded <- err
	}()
	var out io.Writer = pw
	if tee != nil {
		out = io.MultiWriter(pw, tee)
	}
	werr := s.writer.WriteReport(out, r)
	pw.CloseWithError(werr) // a failed writer aborts the upload
	if werr != nil {
		cancel(werr)
	}
	uerr := <-uploaded
	switch {
	case rowErr != nil:
		return rows, rowErr
	case werr != nil:
		return rows, fmt.Errorf("write workbook: %w", werr)
	case uerr != nil:
		return rows, fmt.Errorf("upload workbook: %w", uerr)
	}
	return rows, nil
}
