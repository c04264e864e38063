package excel

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"proportal/internal/domain"
)

var berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// hostile are names people could give themselves that a spreadsheet would
// run as formulas if they were written as such.
var hostile = []string{`=HYPERLINK("http://x","y")`, "+1-2", "@SUM(A1)", "-2+3", "=1+1", "\t=cmd|' /C calc'!A0"}

func viewingsSheet(rows [][]any) domain.ReportSheet {
	return domain.ReportSheet{
		Name: "Viewings",
		Columns: []domain.ReportColumn{
			{Title: "Viewed at", Type: domain.ColumnDateTime},
			{Title: "Day", Type: domain.ColumnDate},
			{Title: "Name", Type: domain.ColumnText},
			{Title: "Email", Type: domain.ColumnText},
			{Title: "Watched", Type: domain.ColumnDuration},
			{Title: "Episodes", Type: domain.ColumnInteger},
			{Title: "Score", Type: domain.ColumnPercent},
			{Title: "Hours", Type: domain.ColumnNumber, Width: 30},
		},
		Rows: func(emit func([]any) error) error {
			for _, r := range rows {
				if err := emit(r); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func write(t *testing.T, w Writer, r domain.Report) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := w.WriteReport(&buf, r); err != nil {
		t.Fatalf("WriteReport: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestCellsAreTypedAndTextIsNeverAFormula(t *testing.T) {
	at := time.Date(2026, 3, 10, 9, 15, 0, 0, time.UTC) // 10:15 in Berlin
	var rows [][]any
	for i, name := range hostile {
		rows = append(rows, []any{at, at, name, name + "@example.test", 3725, 12, 0.875, 1.5 + float64(i)})
	}
	f := write(t, Writer{}, domain.Report{
		Title: "Viewings", Organization: "=cmd|' /C calc'!A0", Kind: "viewings", Location: berlin,
		From: at.AddDate(0, 0, -30), To: at, GeneratedAt: at,
		Sheets: []domain.ReportSheet{viewingsSheet(rows)},
	})

	if got, want := f.GetSheetList(), []string{"Summary", "Viewings"}; !cmp.Equal(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	for i, name := range hostile {
		row := i + 2
		for _, col := range []string{"C", "D"} {
			cell := fmt.Sprintf("%s%d", col, row)
			want := name
			if col == "D" {
				want = name + "@example.test"
			}
			assertText(t, f, "Viewings", cell, want)
		}
	}
	tests := []struct {
		cell, want, format string
	}{
		{"A2", "2026-03-10 10:15", formatDateTime},
		{"B2", "2026-03-10", formatDate},
		{"E2", "1:02:05", formatDuration},
		{"F2", "12", formatInteger},
		{"G2", "88%", formatPercent},
		{"H2", "1.50", formatNumber},
	}
	for _, tt := range tests {
		typ, err := f.GetCellType("Viewings", tt.cell)
		if err != nil || typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s: type %v (%v), want a number", tt.cell, typ, err)
		}
		if got, _ := f.GetCellValue("Viewings", tt.cell); got != tt.want {
			t.Errorf("%s shows %q, want %q", tt.cell, got, tt.want)
		}
		if got := numFmt(t, f, "Viewings", tt.cell); got != tt.format {
			t.Errorf("%s format %q, want %q", tt.cell, got, tt.format)
		}
	}
	// The organization's name came from people too.
	assertText(t, f, "Summary", "B3", "=cmd|' /C calc'!A0")
}

func assertText(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("%s!%s: cell type %v, want a string", sheet, cell, typ)
	}
	if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
		t.Errorf("%s!%s holds the formula %q", sheet, cell, formula)
	}
	if got, _ := f.GetCellValue(sheet, cell); got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, cell, got, want)
	}
}

func numFmt(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil {
		return fmt.Sprintf("builtin %d", st.NumFmt)
	}
	return *st.CustomNumFmt
}

func TestDataSheetsHaveAFrozenFilteredHeaderAndWidths(t *testing.T) {
	at := time.Date(2026, 3, 10, 9, 15, 0, 0, time.UTC)
	f := write(t, Writer{}, domain.Report{Title: "Viewings", Sheets: []domain.ReportSheet{viewingsSheet([][]any{
		{at, at, "Ada", "ada@example.test", 60, 1, 1.0, 0.5},
		{at, at, "Alan", "alan@example.test", 60, 1, 1.0, 0.5},
	})}})

	panes, err := f.GetPanes("Viewings")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, want the first row frozen", panes)
	}
	tables, err := f.GetTables("Viewings")
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 1 || tables[0].Range != "A1:H3" {
		t.Errorf("tables = %+v, want one over A1:H3 (a filter on the header)", tables)
	}
	header, _ := f.GetRows("Viewings")
	if want := []string{"Viewed at", "Day", "Name", "Email", "Watched", "Episodes", "Score", "Hours"}; !cmp.Equal(header[0], want) {
		t.Errorf("header = %v, want %v", header[0], want)
	}
	for col, want := range map[string]float64{"A": 17, "C": 16, "E": 11, "H": 30} {
		if got, _ := f.GetColWidth("Viewings", col); got != want {
			t.Errorf("column %s is %v wide, want %v", col, got, want)
		}
	}
}

func TestSummaryHasTheReportFactsAndChart(t *testing.T) {
	at := time.Date(2026, 3, 10, 9, 15, 0, 0, time.UTC)
	var buf bytes.Buffer
	err := Writer{}.WriteReport(&buf, domain.Report{
		Title: "Viewings", Organization: "Demo Corp", Kind: "viewings", Location: berlin,
		From: time.Date(2026, 2, 1, 0, 0, 0, 0, berlin), To: time.Date(2026, 3, 1, 0, 0, 0, 0, berlin), GeneratedAt: at,
		Facts: []domain.ReportFact{
			{Label: "Viewings", Value: 1234, Type: domain.ColumnInteger},
			{Label: "Time watched", Value: 7200, Type: domain.ColumnDuration},
		},
		Chart: &domain.ReportChart{Title: "Viewings per week", Categories: []string{"2026-02-02", "2026-02-09"},
			Series: []domain.ReportSeries{{Name: "Viewings", Values: []float64{3, 5}}}},
		Sheets: []domain.ReportSheet{viewingsSheet(nil)},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Summary")
	got := map[string]string{}
	for _, r := range rows {
		if len(r) >= 2 {
			got[r[0]] = r[1]
		}
	}
	want := map[string]string{
		"Organization": "Demo Corp", "Report": "viewings", "From": "2026-02-01", "To": "2026-03-01",
		"Generated at": "2026-03-10 10:15", "Time zone": "Europe/Berlin", "Viewings": "1,234", "Time watched": "2:00:00",
		"Period": "Viewings", "2026-02-02": "3", "2026-02-09": "5",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if first := f.GetSheetName(f.GetActiveSheetIndex()); first != "Summary" {
		t.Errorf("the workbook opens on %q, want Summary", first)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var chart bool
	for _, zf := range zr.File {
		chart = chart || strings.HasPrefix(zf.Name, "xl/charts/chart")
	}
	if !chart {
		t.Error("the summary has no chart")
	}
	// An empty sheet still has its header and a valid filter.
	if tables, _ := f.GetTables("Viewings"); len(tables) != 1 {
		t.Errorf("an empty sheet has tables %+v", tables)
	}
}

func TestRowsPastTheLimitContinueOnTheNextSheet(t *testing.T) {
	var rows [][]any
	for i := range 10 {
		rows = append(rows, []any{time.Time{}, nil, fmt.Sprintf("person %02d", i), "", 0, i, nil, nil})
	}
	var seen []int
	f := write(t, Writer{rowsPerSheet: 5}, domain.Report{Title: "Viewings",
		Sheets:   []domain.ReportSheet{viewingsSheet(rows)},
		Progress: func(n int) { seen = append(seen, n) }})

	if got, want := f.GetSheetList(), []string{"Summary", "Viewings", "Viewings (2)", "Viewings (3)"}; !cmp.Equal(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	var names []string
	for _, sheet := range f.GetSheetList()[1:] {
		all, _ := f.GetRows(sheet)
		if all[0][0] != "Viewed at" {
			t.Errorf("%s starts with %v, not the header", sheet, all[0])
		}
		if len(all) > 5 {
			t.Errorf("%s has %d rows, more than 5", sheet, len(all))
		}
		for _, r := range all[1:] {
			names = append(names, r[2])
		}
	}
	var want []string
	for i := range 10 {
		want = append(want, fmt.Sprintf("person %02d", i))
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("rows across sheets (-want +got):\n%s", diff)
	}
	if len(seen) == 0 || seen[len(seen)-1] != 10 {
		t.Errorf("progress %v, want it to end at 10", seen)
	}
}

func TestBadRowsStopTheReport(t *testing.T) {
	stop := errors.New("source failed")
	tests := []struct {
		name string
		rows func(emit func([]any) error) error
		want string
	}{
		{"too few values", func(emit func([]any) error) error { return emit([]any{time.Now()}) }, "1 values for 8 columns"},
		{"a string for a time", func(emit func([]any) error) error {
			return emit([]any{"yesterday", nil, "", "", 0, 0, 0.0, 0.0})
		}, "Viewed at: want a time.Time"},
		{"the source fails", func(func([]any) error) error { return stop }, "source failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sheet := viewingsSheet(nil)
			sheet.Rows = tt.rows
			var buf bytes.Buffer
			err := Writer{}.WriteReport(&buf, domain.Report{Sheets: []domain.ReportSheet{sheet}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one that says %q", err, tt.want)
			}
		})
	}
}

func TestSheetNames(t *testing.T) {
	tests := []struct {
		give string
		part int
		want string
	}{
		{"Viewings", 1, "Viewings"},
		{"Viewings", 2, "Viewings (2)"},
		{"a/b:c?d*e[f]g\\h", 1, "a b c d e f g h"},
		{"Activity of Ada Lovelace-Byron the Countess", 1, "Activity of Ada Lovelace-Byron "},
		{"Activity of Ada Lovelace-Byron the Countess", 12, "Activity of Ada Lovelace-B (12)"},
		{"  ", 1, "Data"},
	}
	for _, tt := range tests {
		got := sheetName(tt.give, tt.part, map[string]bool{})
		if got != tt.want || len([]rune(got)) > 31 {
			t.Errorf("sheetName(%q, %d) = %q, want %q", tt.give, tt.part, got, tt.want)
		}
	}
	taken := map[string]bool{"summary": true}
	if got := sheetName("SUMMARY", 1, taken); got != "SUMMARY (2)" {
		t.Errorf("a name taken in another case gives %q", got)
	}
}
