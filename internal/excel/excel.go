// Package excel writes domain reports as .xlsx workbooks with excelize: a
// summary sheet first, then data sheets streamed row by row (excelize's
// StreamWriter keeps rows on disk, not in memory), each with a frozen,
// filtered header row, column widths, and cells typed by their column.
//
// Text is always written as an inline string: a value such as
// `=HYPERLINK("http://x","y")` stays the literal text it was, never a formula.
package excel

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"proportal/internal/domain"
)

// Writer writes reports as workbooks.
type Writer struct {
	// rowsPerSheet is the most rows (header included) a sheet gets before the
	// rest continues on the next one; 0 means the format's limit,
	// 1,048,576. Tests make it small.
	rowsPerSheet int
}

var _ domain.ReportWriter = Writer{}

// progressEvery is how many data rows pass between two progress reports.
const progressEvery = 5000

// WriteReport writes r to w as an .xlsx workbook.
func (wr Writer) WriteReport(w io.Writer, r domain.Report) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }() // removes the stream writers' temporary files
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("excel styles: %w", err)
	}
	if err := writeSummary(f, st, r, loc); err != nil {
		return fmt.Errorf("excel summary: %w", err)
	}
	limit := wr.rowsPerSheet
	if limit <= 0 {
		limit = excelize.TotalRows
	}
	names := map[string]bool{summarySheet: true}
	rows := 0
	for _, sh := range r.Sheets {
		sw := &sheetWriter{f: f, st: st, sheet: sh, loc: loc, limit: limit, names: names}
		if err := sw.write(func(n int) {
			rows += n
			if r.Progress != nil {
				r.Progress(rows)
			}
		}); err != nil {
			return fmt.Errorf("excel sheet %q: %w", sh.Name, err)
		}
	}
	if r.Progress != nil {
		r.Progress(rows)
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("excel write: %w", err)
	}
	return nil
}

// styles are the workbook's cell styles, made once.
type styles struct {
	title, label, header int
	byType               map[domain.ColumnType]int
}

// Number formats, as Excel writes them.
const (
	formatInteger  = "#,##0"
	formatNumber   = "#,##0.00"
	formatDateTime = "yyyy-mm-dd hh:mm"
	formatDate     = "yyyy-mm-dd"
	formatDuration = "[h]:mm:ss"
	formatPercent  = "0%"
	formatText     = "@"
)

func newStyles(f *excelize.File) (styles, error) {
	st := styles{byType: map[domain.ColumnType]int{}}
	var err error
	if st.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}}); err != nil {
		return st, err
	}
	if st.label, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return st, err
	}
	if st.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	}); err != nil {
		return st, err
	}
	formats := map[domain.ColumnType]string{
		domain.ColumnText: formatText, domain.ColumnInteger: formatInteger, domain.ColumnNumber: formatNumber,
		domain.ColumnDateTime: formatDateTime, domain.ColumnDate: formatDate,
		domain.ColumnDuration: formatDuration, domain.ColumnPercent: formatPercent,
	}
	for t, code := range formats {
		code := code
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			return st, err
		}
		st.byType[t] = id
	}
	return st, nil
}

const summarySheet = "Summary"

// writeSummary fills the first sheet: title, what the report is, its facts,
// and the chart beside the figures it draws.
func writeSummary(f *excelize.File, st styles, r domain.Report, loc *time.Location) error {
	if err := f.SetSheetName(f.GetSheetName(0), summarySheet); err != nil {
		return err
	}
	set := func(cell string, v any, style int) error {
		if s, ok := v.(string); ok {
			if err := f.SetCellStr(summarySheet, cell, s); err != nil {
				return err
			}
		} else if err := f.SetCellValue(summarySheet, cell, v); err != nil {
			return err
		}
		if style == 0 {
			return nil
		}
		return f.SetCellStyle(summarySheet, cell, cell, style)
	}
	if err := set("A1", r.Title, st.title); err != nil {
		return err
	}
	facts := []domain.ReportFact{
		{Label: "Organization", Value: r.Organization},
		{Label: "Report", Value: r.Kind},
	}
	if !r.From.IsZero() {
		facts = append(facts, domain.ReportFact{Label: "From", Value: r.From, Type: domain.ColumnDate})
	}
	if !r.To.IsZero() {
		facts = append(facts, domain.ReportFact{Label: "To", Value: r.To, Type: domain.ColumnDate})
	}
	facts = append(facts, domain.ReportFact{Label: "Generated at", Value: r.GeneratedAt, Type: domain.ColumnDateTime})
	facts = append(facts, domain.ReportFact{Label: "Time zone", Value: loc.String()})
	facts = append(facts, r.Facts...)
	row := 3
	for _, fact := range facts {
		if err := set("A"+strconv.Itoa(row), fact.Label, st.label); err != nil {
			return err
		}
		v, err := cellValue(fact.Value, fact.Type, loc)
		if err != nil {
			return fmt.Errorf("fact %q: %w", fact.Label, err)
		}
		style := 0
		if fact.Type != domain.ColumnText {
			style = st.byType[fact.Type]
		}
		if v != nil {
			if err := set("B"+strconv.Itoa(row), v, style); err != nil {
				return err
			}
		}
		row++
	}
	if err := f.SetColWidth(summarySheet, "A", "A", 22); err != nil {
		return err
	}
	if err := f.SetColWidth(summarySheet, "B", "B", 34); err != nil {
		return err
	}
	if r.Chart != nil && len(r.Chart.Categories) > 0 {
		return writeChart(f, st, *r.Chart, row+1)
	}
	return nil
}

// writeChart writes the chart's figures as a small table under the facts
// (so the chart reads cells, and the figures can be copied) and draws it.
func writeChart(f *excelize.File, st styles, c domain.ReportChart, top int) error {
	header := []any{"Period"}
	for _, s := range c.Series {
		header = append(header, s.Name)
	}
	if err := f.SetSheetRow(summarySheet, "A"+strconv.Itoa(top), &header); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(header), top)
	if err := f.SetCellStyle(summarySheet, "A"+strconv.Itoa(top), last, st.header); err != nil {
		return err
	}
	for i, cat := range c.Categories {
		row := []any{cat}
		for _, s := range c.Series {
			var v any
			if i < len(s.Values) {
				v = s.Values[i]
			}
			row = append(row, v)
		}
		if err := f.SetSheetRow(summarySheet, "A"+strconv.Itoa(top+1+i), &row); err != nil {
			return err
		}
	}
	first, end := top+1, top+len(c.Categories)
	chart := &excelize.Chart{
		Type:      excelize.Col,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: c.Title}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Format:    excelize.GraphicOptions{OffsetX: 10, OffsetY: 10},
		Dimension: excelize.ChartDimension{Width: 640, Height: 320},
	}
	for i := range c.Series {
		col, _ := excelize.ColumnNumberToName(i + 2)
		chart.Series = append(chart.Series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", summarySheet, col, top),
			Categories: fmt.Sprintf("%s!$A$%d:$A$%d", summarySheet, first, end),
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", summarySheet, col, first, col, end),
		})
	}
	return f.AddChart(summarySheet, "D3", chart)
}

// sheetWriter streams one ReportSheet, over as many sheets as its rows need.
type sheetWriter struct {
	f     *excelize.File
	st    styles
	sheet domain.ReportSheet
	loc   *time.Location
	limit int
	names map[string]bool

	sw   *excelize.StreamWriter
	name string
	row  int // the last row written on the current sheet
	part int
}

func (w *sheetWriter) write(progress func(rows int)) error {
	if err := w.start(); err != nil {
		return err
	}
	cells := make([]any, len(w.sheet.Columns))
	ref := make([]byte, 0, 16)
	pending := 0
	err := w.sheet.Rows(func(row []any) error {
		if len(row) != len(w.sheet.Columns) {
			return fmt.Errorf("row has %d values for %d columns", len(row), len(w.sheet.Columns))
		}
		if w.row == w.limit {
			if err := w.finish(); err != nil {
				return err
			}
			if err := w.start(); err != nil {
				return err
			}
		}
		for i, v := range row {
			c, err := cellValue(v, w.sheet.Columns[i].Type, w.loc)
			if err != nil {
				return fmt.Errorf("%s: %w", w.sheet.Columns[i].Title, err)
			}
			cells[i] = c
		}
		w.row++
		ref = strconv.AppendInt(append(ref[:0], 'A'), int64(w.row), 10)
		if err := w.sw.SetRow(string(ref), cells); err != nil {
			return err
		}
		if pending++; pending == progressEvery {
			progress(pending)
			pending = 0
		}
		return nil
	})
	if err != nil {
		return err
	}
	progress(pending)
	return w.finish()
}

// start opens the next sheet of the report sheet and writes its header.
func (w *sheetWriter) start() error {
	w.part++
	w.name = sheetName(w.sheet.Name, w.part, w.names)
	if _, err := w.f.NewSheet(w.name); err != nil {
		return err
	}
	sw, err := w.f.NewStreamWriter(w.name)
	if err != nil {
		return err
	}
	w.sw, w.row = sw, 0
	for i, c := range w.sheet.Columns {
		if err := sw.SetColWidth(i+1, i+1, columnWidth(c)); err != nil {
			return err
		}
		if err := sw.SetColStyle(i+1, i+1, w.st.byType[c.Type]); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	header := make([]any, len(w.sheet.Columns))
	for i, c := range w.sheet.Columns {
		header[i] = excelize.Cell{StyleID: w.st.header, Value: c.Title}
	}
	w.row = 1
	return sw.SetRow("A1", header, excelize.RowOpts{StyleID: w.st.header})
}

// finish filters the header row over the rows written (as an Excel table)
// and closes the sheet.
func (w *sheetWriter) finish() error {
	last, err := excelize.CoordinatesToCellName(len(w.sheet.Columns), max(w.row, 2))
	if err != nil {
		return err
	}
	showStripes := true
	if err := w.sw.AddTable(&excelize.Table{
		Range: "A1:" + last, Name: tableName(w.name), StyleName: "TableStyleLight9", ShowRowStripes: &showStripes,
	}); err != nil {
		return err
	}
	return w.sw.Flush()
}

// cellValue is the value written for v in a column of type t: text stays a
// string, times become Excel serial numbers in loc, durations fractions of a
// day. The column's style gives each its format.
func cellValue(v any, t domain.ColumnType, loc *time.Location) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t {
	case domain.ColumnText:
		switch s := v.(type) {
		case string:
			if s == "" {
				return nil, nil
			}
			return s, nil
		case fmt.Stringer:
			return s.String(), nil
		}
		return fmt.Sprint(v), nil
	case domain.ColumnDateTime, domain.ColumnDate:
		at, ok := v.(time.Time)
		if !ok {
			return nil, fmt.Errorf("want a time.Time, got %T", v)
		}
		if at.IsZero() {
			return nil, nil
		}
		return excelTime(at, loc), nil
	case domain.ColumnDuration:
		sec, ok := toFloat(v)
		if !ok {
			return nil, fmt.Errorf("want seconds, got %T", v)
		}
		return sec / 86400, nil
	case domain.ColumnInteger:
		switch n := v.(type) {
		case int, int64, int32:
			return n, nil
		}
		f, ok := toFloat(v)
		if !ok {
			return nil, fmt.Errorf("want an integer, got %T", v)
		}
		return int64(math.Round(f)), nil
	default: // number, percent
		f, ok := toFloat(v)
		if !ok {
			return nil, fmt.Errorf("want a number, got %T", v)
		}
		return f, nil
	}
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case time.Duration:
		return n.Seconds(), true
	}
	return 0, false
}

// excelTime is t's wall-clock time in loc as an Excel serial date (days
// since 1899-12-30, the 1900 date system as Excel counts it).
func excelTime(t time.Time, loc *time.Location) float64 {
	_, offset := t.In(loc).Zone()
	const unixEpochSerial = 25569 // 1970-01-01
	sec := float64(t.Unix()+int64(offset)) + float64(t.Nanosecond())/1e9
	return unixEpochSerial + sec/86400
}

// columnWidth is the column's width, or one wide enough for its title and
// the values its type shows.
func columnWidth(c domain.ReportColumn) float64 {
	if c.Width > 0 {
		return math.Min(c.Width, excelize.MaxColumnWidth)
	}
	w := float64(len([]rune(c.Title))) + 4
	floor := map[domain.ColumnType]float64{
		domain.ColumnText: 16, domain.ColumnInteger: 10, domain.ColumnNumber: 12,
		domain.ColumnDateTime: 17, domain.ColumnDate: 12, domain.ColumnDuration: 11, domain.ColumnPercent: 9,
	}[c.Type]
	return math.Max(w, floor)
}

// sheetName is the name of part n of a report sheet: Excel allows 31
// characters, none of : \ / ? * [ ], and names unique in any case.
func sheetName(base string, part int, taken map[string]bool) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return ' '
		}
		return r
	}, base)
	clean = strings.Trim(strings.TrimSpace(clean), "'")
	if clean == "" {
		clean = "Data"
	}
	for n := part; ; n++ {
		suffix := ""
		if n > 1 {
			suffix = fmt.Sprintf(" (%d)", n)
		}
		name := []rune(clean)
		if len(name)+len(suffix) > 31 {
			name = name[:31-len(suffix)]
		}
		s := string(name) + suffix
		if !taken[strings.ToLower(s)] {
			taken[strings.ToLower(s)] = true
			return s
		}
	}
}

// tableName is a sheet's table name: letters, digits and underscores,
// starting with a letter.
func tableName(sheet string) string {
	var b strings.Builder
	b.WriteString("T_")
	for _, r := range sheet {
		if r < 128 && (r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
