package domain

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a CSV upload (docs/decisions.md, "Bulk changes from a CSV"):
// stated in the errors and on the Import page.
const (
	// MaxImportRows is the most data rows an upload may have.
	MaxImportRows = 5000
	// MaxImportBytes is the largest upload: 1 MiB.
	MaxImportBytes = 1 << 20
	// MaxImportColumns is the most columns a row may have.
	MaxImportColumns = 30
	// MaxImportCellChars is the longest a cell may be.
	MaxImportCellChars = 1000
)

// The columns an upload is read by. Header names are matched without regard
// to case, spaces, hyphens or underscores, in any order; other columns are
// kept (they come back in the result file) and otherwise ignored.
const (
	ColumnFirstName = "first name"
	ColumnLastName  = "last name"
	ColumnEmail     = "email"
	ColumnAccess    = "access"
	ColumnTeam      = "team"
	ColumnAction    = "action"
)

// importColumns are the recognized headers, by their folded form.
func importColumn(header string) string {
	f := strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '_' || r == '-' || r == '.':
			return -1
		case unicode.IsSpace(r):
			return -1
		}
		return unicode.ToLower(r)
	}, header)
	switch f {
	case "firstname", "first", "givenname":
		return ColumnFirstName
	case "lastname", "last", "surname", "familyname":
		return ColumnLastName
	case "email", "emailaddress", "mail":
		return ColumnEmail
	case "access":
		return ColumnAccess
	case "team", "teamname":
		return ColumnTeam
	case "action":
		return ColumnAction
	}
	return ""
}

// Access values of an upload: the invite's, and "none" (take the seat back).
const AccessNone = "none"

// Actions of an upload's rows. An empty action invites someone new and
// updates someone already in the organization.
const (
	ImportInvite     = "invite"
	ImportUpdate     = "update"
	ImportDeactivate = "deactivate"
)

// ImportFile is an upload read: its header, separator and rows.
type ImportFile struct {
	// Header is the header row as uploaded (BOM removed).
	Header []string
	// Separator is ',' or ';'.
	Separator rune
	Rows      []ImportLine
}

// ImportLine is one data row of an upload.
type ImportLine struct {
	// Row is the data row's number, 1 for the first row after the header.
	Row int
	// Line is the line of the file it starts on (the header is line 1).
	Line int
	// Cells are the row's cells as uploaded, one per header column.
	Cells []string
	// The recognized columns' values, trimmed ("" where there is no column).
	FirstName, LastName, Email, Access, Team, Action string
	// Problem is what makes the row unreadable (more cells than the header,
	// a cell too long); empty for a readable row.
	Problem      string
	ProblemField string
}

// utf16 byte order marks: files saved as "Unicode" by spreadsheets.
var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// fileProblem is a refused upload: validation_failed naming "file".
func fileProblem(format string, args ...any) error {
	return Problems{"file": fmt.Sprintf(format, args...)}.Err()
}

// ParseImportCSV reads an upload: UTF-8 with or without a byte order mark,
// cells separated by commas or semicolons (whichever the header line has
// more of, outside quotes), quoted as RFC 4180 says. It refuses, naming
// "file", an upload that is not UTF-8, has no email column, repeats a
// column, cannot be read as CSV (with the line), or has more than
// MaxImportRows rows; one larger than MaxImportBytes is payload_too_large.
// Rows whose every cell is empty are left out.
func ParseImportCSV(data []byte) (ImportFile, error) {
	if len(data) > MaxImportBytes {
		return ImportFile{}, Errorf(CodePayloadTooLarge, "A CSV file may be at most 1 MiB and %d rows; split it into smaller files.", MaxImportRows)
	}
	if bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		return ImportFile{}, fileProblem("is saved as UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" and upload it again")
	}
	data = bytes.TrimPrefix(data, bomUTF8)
	if !utf8.Valid(data) {
		return ImportFile{}, fileProblem("is not UTF-8 text; save it as \"CSV UTF-8\" and upload it again")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return ImportFile{}, fileProblem("is empty; it needs a header line (first name, last name, email, access, team, action) and a row per person")
	}
	sep := sniffSeparator(data)
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma, r.FieldsPerRecord, r.ReuseRecord = sep, -1, false
	header, err := r.Read()
	if err != nil {
		return ImportFile{}, csvProblem(err)
	}
	f := ImportFile{Header: header, Separator: sep}
	if len(header) > MaxImportColumns {
		return ImportFile{}, fileProblem("has %d columns; at most %d are read", len(header), MaxImportColumns)
	}
	columns := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		c := importColumn(h)
		if c != "" && seen[c] {
			return ImportFile{}, fileProblem("has the column %q twice", c)
		}
		seen[c], columns[i] = true, c
	}
	if !seen[ColumnEmail] {
		return ImportFile{}, fileProblem("has no email column; the header line must name the columns: first name, last name, email, access, team, action")
	}
	for n := 1; ; n++ {
		cells, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return ImportFile{}, csvProblem(err)
		}
		line, _ := r.FieldPos(0)
		if allEmpty(cells) {
			n--
			continue
		}
		if n > MaxImportRows {
			return ImportFile{}, fileProblem("has more than %d rows; split it into smaller files", MaxImportRows)
		}
		f.Rows = append(f.Rows, readLine(n, line, cells, columns))
	}
	if len(f.Rows) == 0 {
		return ImportFile{}, fileProblem("has a header line but no rows")
	}
	return f, nil
}

// readLine takes a row's recognized columns.
func readLine(n, line int, cells, columns []string) ImportLine {
	l := ImportLine{Row: n, Line: line, Cells: cells}
	if len(cells) > len(columns) {
		extra := cells[len(columns):]
		if !allEmpty(extra) {
			l.Problem, l.ProblemField = fmt.Sprintf("has %d cells, more than the header's %d columns", len(cells), len(columns)), "row"
		}
	}
	for i, c := range cells {
		if utf8.RuneCountInString(c) > MaxImportCellChars && l.Problem == "" {
			l.Problem, l.ProblemField = fmt.Sprintf("has a cell longer than %d characters", MaxImportCellChars), "row"
		}
		if i >= len(columns) {
			continue
		}
		v := strings.TrimSpace(c)
		switch columns[i] {
		case ColumnFirstName:
			l.FirstName = v
		case ColumnLastName:
			l.LastName = v
		case ColumnEmail:
			l.Email = v
		case ColumnAccess:
			l.Access = strings.ToLower(v)
		case ColumnTeam:
			l.Team = v
		case ColumnAction:
			l.Action = strings.ToLower(v)
		}
	}
	return l
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// sniffSeparator is ';' when the first line has more semicolons than commas
// outside quotes, ',' otherwise.
func sniffSeparator(data []byte) rune {
	commas, semis, quoted := 0, 0, false
	for _, b := range data {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == '\n' || b == '\r':
			if semis > commas {
				return ';'
			}
			return ','
		case b == ',':
			commas++
		case b == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// csvProblem names the line a CSV reader stopped at.
func csvProblem(err error) error {
	if pe, ok := errors.AsType[*csv.ParseError](err); ok {
		return fileProblem("cannot be read as CSV at line %d: %v", pe.Line, pe.Err)
	}
	return fileProblem("cannot be read as CSV: %v", err)
}

// neutralCell is a cell as a spreadsheet will show it but never run it: one
// that starts like a formula (= + - @, a tab or a carriage return) gets a
// leading apostrophe (OWASP's advice for CSV injection).
func neutralCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteImportResult writes the result file of an import: the upload's
// header and rows with a status column added, every cell neutralized
// (neutralCell), separated as the upload was, lines ended by CRLF (RFC 4180).
func WriteImportResult(w io.Writer, header []string, sep rune, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = sep, true
	out := make([]string, 0, len(header)+1)
	for _, h := range header {
		out = append(out, neutralCell(h))
	}
	if err := cw.Write(append(out, "status")); err != nil {
		return fmt.Errorf("write result header: %w", err)
	}
	for _, row := range rows {
		out = out[:0]
		for _, c := range row {
			out = append(out, neutralCell(c))
		}
		if err := cw.Write(out); err != nil {
			return fmt.Errorf("write result row: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}
