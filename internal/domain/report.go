package domain

import (
	"io"
	"time"
)

// A Report is what an export writes: a summary, then sheets of rows. The
// domain builds it; an adapter (internal/excel) writes it as a workbook.

// ColumnType says how a column's cells are typed and formatted.
type ColumnType int

// Column types. Each names the Go value a row gives for it (nil is an empty cell).
const (
	// ColumnText is a string, always written as text, never as a formula.
	ColumnText ColumnType = iota
	// ColumnInteger is an int.
	ColumnInteger
	// ColumnNumber is a float64.
	ColumnNumber
	// ColumnDateTime is a time.Time, shown in the report's time zone.
	ColumnDateTime
	// ColumnDate is a time.Time, shown as its date in the report's time zone.
	ColumnDate
	// ColumnDuration is an int of seconds, shown as [h]:mm:ss.
	ColumnDuration
	// ColumnPercent is a float64 share, 0 to 1, shown as a percentage.
	ColumnPercent
)

// ReportColumn is one column of a sheet.
type ReportColumn struct {
	Title string
	Type  ColumnType
	// Width is in characters; 0 picks one from the title and type.
	Width float64
}

// ReportSheet is a sheet of rows. Rows calls emit once per row, in order,
// with one value per column; it stops at emit's first error and returns it.
// A sheet past the format's row limit continues on sheets named "Name (2)", ...
type ReportSheet struct {
	Name    string
	Columns []ReportColumn
	Rows    func(emit func(row []any) error) error
}

// ReportFact is one labelled figure of a report's summary sheet.
type ReportFact struct {
	Label string
	// Value is a string, int, float64 or time.Time (typed as for a sheet's cell).
	Value any
	Type  ColumnType
}

// ReportChart is a chart on the summary sheet: one or more series over the same categories.
type ReportChart struct {
	Title      string
	Categories []string
	Series     []ReportSeries
}

// ReportSeries is one line or set of columns of a chart.
type ReportSeries struct {
	Name   string
	Values []float64
}

// Report is a whole export: the summary's facts and chart, then its sheets.
type Report struct {
	// Title heads the summary sheet ("Viewings", "Activity of Ada Lovelace").
	Title        string
	Organization string
	Kind         string
	From, To     time.Time
	GeneratedAt  time.Time
	// Location is the time zone dates and times are shown in.
	Location *time.Location
	Facts    []ReportFact
	Chart    *ReportChart
	Sheets   []ReportSheet
	// Progress, when set, is told how many data rows have been written so far
	// (every few thousand rows and at the end).
	Progress func(rows int)
}

// ReportWriter writes a report as a file to w (internal/excel writes .xlsx
// workbooks). It streams: rows are not all held in memory.
type ReportWriter interface {
	WriteReport(w io.Writer, r Report) error
}
