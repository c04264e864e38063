package domain

import (
	"testing"
	"time"
)

func TestNextRun(t *testing.T) {
	weekly := func(zone string, day time.Weekday, at string) Schedule {
		return Schedule{Frequency: Weekly, Weekday: day, Time: at, TimeZone: zone}
	}
	monthly := func(zone string, day int, at string) Schedule {
		return Schedule{Frequency: Monthly, DayOfMonth: day, Time: at, TimeZone: zone}
	}
	tests := []struct {
		name  string
		give  Schedule
		after string // RFC 3339
		want  string // RFC 3339, in the schedule's zone
	}{
		{"weekly later the same week", weekly("UTC", time.Monday, "08:00"), "2026-12-02T10:00:00Z", "2026-12-07T08:00:00Z"},
		{"weekly later the same day", weekly("UTC", time.Monday, "08:00"), "2026-12-07T07:59:59Z", "2026-12-07T08:00:00Z"},
		{"weekly strictly after: at the instant, next week", weekly("UTC", time.Monday, "08:00"), "2026-12-07T08:00:00Z", "2026-12-14T08:00:00Z"},
		{"weekly in Berlin (UTC+1 in winter)", weekly("Europe/Berlin", time.Monday, "08:00"), "2026-12-07T06:59:00Z", "2026-12-07T08:00:00+01:00"},
		{"weekly in Berlin, UTC is already past", weekly("Europe/Berlin", time.Monday, "08:00"), "2026-12-07T07:30:00Z", "2026-12-14T08:00:00+01:00"},
		{"weekly in New York, the next UTC day", weekly("America/New_York", time.Sunday, "21:00"), "2026-12-06T12:00:00Z", "2026-12-06T21:00:00-05:00"},
		{"weekly in Tokyo, the day before in UTC", weekly("Asia/Tokyo", time.Monday, "07:00"), "2026-12-06T12:00:00Z", "2026-12-07T07:00:00+09:00"},
		// Berlin springs forward on 2026-03-29 at 02:00 → 03:00.
		{"spring forward: 02:30 does not exist, runs at 03:00", weekly("Europe/Berlin", time.Sunday, "02:30"), "2026-03-28T12:00:00Z", "2026-03-29T03:00:00+02:00"},
		{"spring forward: 08:00 keeps its local time", weekly("Europe/Berlin", time.Monday, "08:00"), "2026-03-27T12:00:00Z", "2026-03-30T08:00:00+02:00"},
		// Berlin falls back on 2026-10-25 at 03:00 → 02:00: 02:30 happens twice.
		{"fall back: 02:30 twice, runs at the first", weekly("Europe/Berlin", time.Sunday, "02:30"), "2026-10-24T12:00:00Z", "2026-10-25T02:30:00+02:00"},
		{"fall back: between the two, the next week", weekly("Europe/Berlin", time.Sunday, "02:30"), "2026-10-25T00:45:00Z", "2026-11-01T02:30:00+01:00"},
		// New York: 2026-03-08 02:00 → 03:00; 2026-11-01 02:00 → 01:00.
		{"New York spring forward: 02:15 runs at 03:00", weekly("America/New_York", time.Sunday, "02:15"), "2026-03-07T12:00:00Z", "2026-03-08T03:00:00-04:00"},
		{"New York fall back: 01:30 runs once, at the first", weekly("America/New_York", time.Sunday, "01:30"), "2026-10-31T12:00:00Z", "2026-11-01T01:30:00-04:00"},
		{"New York fall back: after the first, next week", weekly("America/New_York", time.Sunday, "01:30"), "2026-11-01T05:45:00Z", "2026-11-08T01:30:00-05:00"},
		{"monthly later this month", monthly("UTC", 15, "09:00"), "2026-12-06T00:00:00Z", "2026-12-15T09:00:00Z"},
		{"monthly next month", monthly("UTC", 1, "09:00"), "2026-12-06T00:00:00Z", "2027-01-01T09:00:00Z"},
		{"the 31st in February runs on the 28th", monthly("UTC", 31, "09:00"), "2027-02-01T00:00:00Z", "2027-02-28T09:00:00Z"},
		{"the 31st in a leap February runs on the 29th", monthly("UTC", 31, "09:00"), "2028-02-01T00:00:00Z", "2028-02-29T09:00:00Z"},
		{"the 29th in a common February runs on the 28th", monthly("UTC", 29, "09:00"), "2027-02-10T00:00:00Z", "2027-02-28T09:00:00Z"},
		{"the 29th in a leap February", monthly("UTC", 29, "09:00"), "2028-02-10T00:00:00Z", "2028-02-29T09:00:00Z"},
		{"the 31st in a 30-day month runs on the 30th", monthly("UTC", 31, "09:00"), "2026-04-02T00:00:00Z", "2026-04-30T09:00:00Z"},
		{"after the last day's run, the next month's 31st", monthly("UTC", 31, "09:00"), "2026-04-30T09:00:00Z", "2026-05-31T09:00:00Z"},
		{"after the 31st of December, January's", monthly("UTC", 31, "09:00"), "2026-12-31T10:00:00Z", "2027-01-31T09:00:00Z"},
		{"monthly in Berlin on the 1st, still December in UTC", monthly("Europe/Berlin", 1, "00:30"), "2026-12-31T20:00:00Z", "2027-01-01T00:30:00+01:00"},
		{"monthly across spring forward", monthly("Europe/Berlin", 29, "02:30"), "2026-03-01T00:00:00Z", "2026-03-29T03:00:00+02:00"},
		{"monthly on the 31st in New York, UTC's next day", monthly("America/New_York", 31, "22:00"), "2026-08-31T12:00:00Z", "2026-08-31T22:00:00-04:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after, err := time.Parse(time.RFC3339, tt.after)
			if err != nil {
				t.Fatal(err)
			}
			want, err := time.Parse(time.RFC3339, tt.want)
			if err != nil {
				t.Fatal(err)
			}
			got := NextRun(tt.give, after)
			if !got.Equal(want) {
				t.Errorf("NextRun(after %s) = %s, want %s", tt.after, got.In(tt.give.Location()).Format(time.RFC3339), tt.want)
			}
			if !got.After(after) {
				t.Errorf("NextRun = %s, not after %s", got, after)
			}
		})
	}
}

// TestNextRunEveryWeekOfAYear walks a weekly and a monthly schedule through
// a year in several zones: each run is after the last, 6 to 8 days (weekly)
// or 28 to 31 days (monthly) later, and at the schedule's local time except
// across a gap.
func TestNextRunEveryWeekOfAYear(t *testing.T) {
	for _, zone := range []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata"} {
		for _, sc := range []Schedule{
			{Frequency: Weekly, Weekday: time.Sunday, Time: "02:30", TimeZone: zone},
			{Frequency: Monthly, DayOfMonth: 31, Time: "23:59", TimeZone: zone},
		} {
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			last := time.Time{}
			for range 60 {
				next := NextRun(sc, at)
				if !next.After(at) {
					t.Fatalf("%s %s: NextRun(%s) = %s", zone, sc.Frequency, at, next)
				}
				if !last.IsZero() {
					gap := next.Sub(last)
					lo, hi := 6*24*time.Hour, 8*24*time.Hour
					if sc.Frequency == Monthly {
						lo, hi = 27*24*time.Hour, 32*24*time.Hour
					}
					if gap < lo || gap > hi {
						t.Errorf("%s %s: %s then %s", zone, sc.Frequency, last, next)
					}
				}
				last, at = next, next
			}
		}
	}
}

func TestPeriodOf(t *testing.T) {
	tests := []struct {
		name     string
		give     Schedule
		runAt    string
		from, to string
	}{
		{"a Monday run: last Monday to Sunday", Schedule{Period: PeriodWeek, TimeZone: "UTC"}, "2026-12-07T08:00:00Z", "2026-11-30", "2026-12-06"},
		{"a Wednesday run: the last full week", Schedule{Period: PeriodWeek, TimeZone: "UTC"}, "2026-12-09T08:00:00Z", "2026-11-30", "2026-12-06"},
		{"a Sunday run: the week before this one", Schedule{Period: PeriodWeek, TimeZone: "UTC"}, "2026-12-13T08:00:00Z", "2026-11-30", "2026-12-06"},
		{"Monday in Tokyo is Sunday in UTC", Schedule{Period: PeriodWeek, TimeZone: "Asia/Tokyo"}, "2026-12-06T23:00:00Z", "2026-11-30", "2026-12-06"},
		{"the last month", Schedule{Period: PeriodMonth, TimeZone: "UTC"}, "2026-12-01T08:00:00Z", "2026-11-01", "2026-11-30"},
		{"the last month from March: February", Schedule{Period: PeriodMonth, TimeZone: "UTC"}, "2028-03-31T08:00:00Z", "2028-02-01", "2028-02-29"},
		{"January: December of the year before", Schedule{Period: PeriodMonth, TimeZone: "UTC"}, "2027-01-01T08:00:00Z", "2026-12-01", "2026-12-31"},
		{"the 1st in Berlin is still the 31st in UTC", Schedule{Period: PeriodMonth, TimeZone: "Europe/Berlin"}, "2026-12-31T23:30:00Z", "2026-12-01", "2026-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runAt, err := time.Parse(time.RFC3339, tt.runAt)
			if err != nil {
				t.Fatal(err)
			}
			from, to := PeriodOf(tt.give, runAt)
			if got, want := from.Format(DateLayout)+" "+to.Format(DateLayout), tt.from+" "+tt.to; got != want {
				t.Errorf("PeriodOf(%s) = %s, want %s", tt.runAt, got, want)
			}
		})
	}
}

func TestMonthBefore(t *testing.T) {
	for give, want := range map[string]string{
		"2026-12-06": "2026-11-06", "2026-03-31": "2026-02-28", "2028-03-30": "2028-02-29", "2027-01-15": "2026-12-15",
	} {
		d, _ := time.Parse(DateLayout, give)
		if got := monthBefore(d).Format(DateLayout); got != want {
			t.Errorf("monthBefore(%s) = %s, want %s", give, got, want)
		}
	}
}
