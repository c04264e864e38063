package domain_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
)

// line is what a test compares of a parsed row.
type line struct {
	Row                                              int
	FirstName, LastName, Email, Access, Team, Action string
	Problem                                          string
}

func linesOf(f domain.ImportFile) []line {
	out := make([]line, len(f.Rows))
	for i, r := range f.Rows {
		out[i] = line{r.Row, r.FirstName, r.LastName, r.Email, r.Access, r.Team, r.Action, r.Problem}
	}
	return out
}

func TestParseImportCSV(t *testing.T) {
	ada := line{Row: 1, FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Access: "subscription", Team: "Sales"}
	tests := []struct {
		name    string
		give    string
		wantSep rune
		want    []line
	}{
		{"comma, no BOM", "first name,last name,email,access,team\nAda,Lovelace,ada@example.com,subscription,Sales\n", ',', []line{ada}},
		{"comma with a UTF-8 BOM", "\uFEFFfirst name,last name,email,access,team\r\nAda,Lovelace,ada@example.com,subscription,Sales\r\n", ',', []line{ada}},
		{"semicolon (Excel in much of Europe)", "First Name;Last Name;Email;Access;Team\r\nAda;Lovelace;ada@example.com;subscription;Sales\r\n", ';', []line{ada}},
		{"semicolon with a BOM", "\uFEFFEmail;Team;First_Name;LAST-NAME;access\nada@example.com;Sales;Ada;Lovelace;Subscription\n", ';', []line{ada}},
		{"headers in any case and order, extra columns ignored", "Team,Notes,EMAIL,FirstName,lastname,ACCESS\nSales,\"likes, commas; and semis\",ada@example.com,Ada,Lovelace,subscription\n", ',', []line{ada}},
		{"quoted cells with the separator and quotes", "email,first name,last name,team\n\"o'brien@example.com\",\"Ann, Jr.\",\"O\"\"Brien\",\"R&D; Labs\"\n", ',',
			[]line{{Row: 1, FirstName: "Ann, Jr.", LastName: `O"Brien`, Email: "o'brien@example.com", Team: "R&D; Labs"}}},
		{"a header with a comma in quotes and semicolons between", "\"email, work\";\"first name\"\nx@example.com;X\n", ';', nil},
		{"blank rows are left out, numbers follow the rows kept", "email,action\n\na@example.com,\n,\nb@example.com,DEACTIVATE\n", ',',
			[]line{{Row: 1, Email: "a@example.com"}, {Row: 2, Email: "b@example.com", Action: "deactivate"}}},
		{"more cells than the header", "email\na@example.com,extra\n", ',', []line{{Row: 1, Email: "a@example.com", Problem: "has 2 cells, more than the header's 1 columns"}}},
		{"fewer cells than the header", "email,first name,last name\na@example.com\n", ',', []line{{Row: 1, Email: "a@example.com"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := domain.ParseImportCSV([]byte(tt.give))
			if tt.want == nil {
				if domain.ErrorCode(err) != domain.CodeValidationFailed {
					t.Fatalf("ParseImportCSV = %v, want validation_failed (no email column)", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseImportCSV: %v", err)
			}
			if f.Separator != tt.wantSep {
				t.Errorf("separator %q, want %q", f.Separator, tt.wantSep)
			}
			if diff := cmp.Diff(tt.want, linesOf(f)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseImportCSVRefuses(t *testing.T) {
	rows := func(n int) string {
		var b strings.Builder
		b.WriteString("email\n")
		for i := range n {
			fmt.Fprintf(&b, "p%d@example.com\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name     string
		give     []byte
		wantCode string
		wantText string
	}{
		{"empty", []byte(" \n"), domain.CodeValidationFailed, "is empty"},
		{"no email column", []byte("name,team\nAda,Sales\n"), domain.CodeValidationFailed, "no email column"},
		{"a column twice", []byte("email,E-mail\na@example.com,b@example.com\n"), domain.CodeValidationFailed, `"email" twice`},
		{"UTF-16", append([]byte{0xFF, 0xFE}, []byte("e\x00m\x00")...), domain.CodeValidationFailed, "UTF-16"},
		{"Latin-1", []byte("email,first name\nj@example.com,J\xe9r\xf4me\n"), domain.CodeValidationFailed, "not UTF-8"},
		{"a bare quote", []byte("email,first name\na@example.com,Ada \"the\" L\n"), domain.CodeValidationFailed, "line 2"},
		{"header only", []byte("email\n"), domain.CodeValidationFailed, "no rows"},
		{"5,001 rows", []byte(rows(5001)), domain.CodeValidationFailed, "more than 5000 rows"},
		{"over 1 MiB", bytes.Repeat([]byte("a"), domain.MaxImportBytes+1), domain.CodePayloadTooLarge, "1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := domain.ParseImportCSV(tt.give)
			if domain.ErrorCode(err) != tt.wantCode || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("ParseImportCSV = %v, want %s saying %q", err, tt.wantCode, tt.wantText)
			}
		})
	}
	if f, err := domain.ParseImportCSV([]byte(rows(5000))); err != nil || len(f.Rows) != 5000 {
		t.Errorf("5,000 rows: %d rows, %v; want all read", len(f.Rows), err)
	}
}

func TestWriteImportResultNeutralizesFormulas(t *testing.T) {
	var buf bytes.Buffer
	rows := [][]string{
		{"=HYPERLINK(\"http://evil\",\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "plain", "invited"},
		{"a;b", "O'Brien", "", "", "", "", "skipped: bad"},
	}
	if err := domain.WriteImportResult(&buf, []string{"first name", "last name", "a", "b", "c", "email"}, ';', rows); err != nil {
		t.Fatal(err)
	}
	want := "first name;last name;a;b;c;email;status\r\n" +
		"\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\";'+1;'-2;'@SUM(A1);'\tx;plain;invited\r\n" +
		"\"a;b\";O'Brien;;;;;skipped: bad\r\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("result file (-want +got):\n%s", diff)
	}
}
