package excel

import (
	"io"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"proportal/internal/domain"
)

// The workbook targets: 1,000,000 viewing rows written with styles
// and types in at most 1.2 times what a plain StreamWriter loop over the same
// rows takes, with the process's memory under 256 MB throughout.
const (
	benchRows    = 1_000_000
	maxRatio     = 1.2
	maxPeakBytes = 256 << 20
)

// viewing is one row of the viewings export, generated from small pools so
// that a million of them need no memory of their own.
type viewing struct {
	at                         time.Time
	name, email, course, title string
	seconds                    int
	completed                  string
}

var (
	benchNames   = pool("Person", 500)
	benchCourses = pool("Course", 30)
	benchTitles  = pool("Episode", 360)
	benchStart   = time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
)

func pool(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + " " + strconv.Itoa(i)
	}
	return out
}

func viewingAt(i int) viewing {
	name := benchNames[i%len(benchNames)]
	v := viewing{
		at: benchStart.Add(time.Duration(i) * 7 * time.Second), name: name, email: name + "@example.test",
		course: benchCourses[i%len(benchCourses)], title: benchTitles[i%len(benchTitles)],
		seconds: 60 + i%1800, completed: "No",
	}
	if i%3 == 0 {
		v.completed = "Yes"
	}
	return v
}

var viewingColumns = []domain.ReportColumn{
	{Title: "Viewed at", Type: domain.ColumnDateTime},
	{Title: "Name", Type: domain.ColumnText, Width: 24},
	{Title: "Email", Type: domain.ColumnText, Width: 32},
	{Title: "Course", Type: domain.ColumnText, Width: 30},
	{Title: "Episode", Type: domain.ColumnText, Width: 40},
	{Title: "Watched", Type: domain.ColumnDuration},
	{Title: "Completed", Type: domain.ColumnText},
}

// writeStyled writes n viewings as the exports do: a Report through Writer.
func writeStyled(w io.Writer, n int) error {
	return Writer{}.WriteReport(w, domain.Report{
		Title: "Viewings", Organization: "Bench Corp", Kind: "viewings", GeneratedAt: benchStart,
		Facts: []domain.ReportFact{{Label: "Viewings", Value: n, Type: domain.ColumnInteger}},
		Sheets: []domain.ReportSheet{{Name: "Viewings", Columns: viewingColumns,
			Rows: func(emit func([]any) error) error {
				row := make([]any, len(viewingColumns))
				for i := range n {
					v := viewingAt(i)
					row[0], row[1], row[2], row[3], row[4], row[5], row[6] = v.at, v.name, v.email, v.course, v.title, v.seconds, v.completed
					if err := emit(row); err != nil {
						return err
					}
				}
				return nil
			}}},
	})
}

// writePlain is the baseline: the same rows through a plain StreamWriter
// loop, no styles, no summary, no table. With floatTimes the times are
// passed as Excel serial numbers (excelize otherwise looks a date style up
// for every time cell): the cheapest cells a StreamWriter can write.
func writePlain(w io.Writer, n int, floatTimes bool) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	header := []any{"Viewed at", "Name", "Email", "Course", "Episode", "Watched", "Completed"}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := make([]any, len(header))
	for i := range n {
		v := viewingAt(i)
		var at any = v.at
		if floatTimes {
			at = excelTime(v.at, time.UTC)
		}
		row[0], row[1], row[2], row[3], row[4], row[5], row[6] = at, v.name, v.email, v.course, v.title, v.seconds, v.completed
		if err := sw.SetRow("A"+strconv.Itoa(i+2), row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// peakMemory samples the Go runtime's total mapped memory while fn runs.
func peakMemory(fn func() error) (time.Duration, uint64, error) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			mu.Lock()
			peak = max(peak, sample[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	start := time.Now()
	err := fn()
	elapsed := time.Since(start)
	close(done)
	wg.Wait()
	return elapsed, peak, err
}

// BenchmarkWorkbook writes a million viewing rows, styled and typed, beside
// the plain baselines, and fails past the ratio or memory target.
// Run: go test ./internal/excel -run '^$' -bench Workbook -benchtime 1x
func BenchmarkWorkbook(b *testing.B) {
	var styled, plain, plainFloat time.Duration
	var peakStyled, peakPlain uint64
	for range b.N {
		for _, run := range []struct {
			total *time.Duration
			peak  *uint64
			write func(io.Writer, int) error
		}{
			{&plain, &peakPlain, func(w io.Writer, n int) error { return writePlain(w, n, false) }},
			{&styled, &peakStyled, writeStyled},
			{&plainFloat, &peakPlain, func(w io.Writer, n int) error { return writePlain(w, n, true) }},
		} {
			d, p, err := peakMemory(func() error { return run.write(io.Discard, benchRows) })
			if err != nil {
				b.Fatal(err)
			}
			*run.total += d
			*run.peak = max(*run.peak, p)
		}
	}
	n := float64(b.N)
	b.ReportMetric(styled.Seconds()/n, "styled-s")
	b.ReportMetric(plain.Seconds()/n, "plain-s")
	b.ReportMetric(plainFloat.Seconds()/n, "plain-float-s")
	b.ReportMetric(styled.Seconds()/plain.Seconds(), "ratio")
	b.ReportMetric(styled.Seconds()/plainFloat.Seconds(), "ratio-float")
	b.ReportMetric(float64(peakStyled)/(1<<20), "styled-peak-MB")
	b.ReportMetric(float64(peakPlain)/(1<<20), "plain-peak-MB")
	if r := styled.Seconds() / plain.Seconds(); r > maxRatio {
		b.Errorf("styled took %.2f× the plain StreamWriter loop, more than %.1f×", r, maxRatio)
	}
	if peakStyled > maxPeakBytes {
		b.Errorf("peak memory %d MB, more than %d MB", peakStyled>>20, maxPeakBytes>>20)
	}
}
