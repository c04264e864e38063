package domain

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSubscriptionAccessAt(t *testing.T) {
	// Access from March 1 to March 31 2026, both days included: 31 days.
	sub := Subscription{
		StartsOn: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		EndsOn:   time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC),
	}
	paris := time.FixedZone("CET", 3600)
	tests := []struct {
		name       string
		give       time.Time
		wantStatus string
		wantDays   int
	}{
		{"long before start", time.Date(2025, 12, 1, 12, 0, 0, 0, time.UTC), SubscriptionUpcoming, 31},
		{"last second of the day before", time.Date(2026, 2, 28, 23, 59, 59, 0, time.UTC), SubscriptionUpcoming, 31},
		{"first day, midnight", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), SubscriptionActive, 31},
		{"first day, evening", time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC), SubscriptionActive, 31},
		{"second day", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), SubscriptionActive, 30},
		{"last day, midnight", time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), SubscriptionActive, 1},
		{"last day, last second", time.Date(2026, 3, 31, 23, 59, 59, 999_999_999, time.UTC), SubscriptionActive, 1},
		{"day after, midnight", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), SubscriptionEnded, 0},
		{"long after", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), SubscriptionEnded, 0},
		// Days are UTC days: 00:30 in Paris on March 1 is still February 28 in UTC.
		{"first day in Paris, day before in UTC", time.Date(2026, 3, 1, 0, 30, 0, 0, paris), SubscriptionUpcoming, 31},
		{"day after in Paris, last day in UTC", time.Date(2026, 4, 1, 0, 30, 0, 0, paris), SubscriptionActive, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := Access{StartsOn: sub.StartsOn, EndsOn: sub.EndsOn, Status: tt.wantStatus, DaysRemaining: tt.wantDays}
			if diff := cmp.Diff(want, sub.AccessAt(tt.give)); diff != "" {
				t.Errorf("AccessAt(%v) mismatch (-want +got):\n%s", tt.give, diff)
			}
		})
	}
}

func TestSubscriptionOfOneDay(t *testing.T) {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	sub := Subscription{StartsOn: day, EndsOn: day}
	if got := sub.AccessAt(day.Add(12 * time.Hour)); got.Status != SubscriptionActive || got.DaysRemaining != 1 {
		t.Errorf("on its only day: status %q, %d days remaining; want %q, 1", got.Status, got.DaysRemaining, SubscriptionActive)
	}
}

func TestSeatsAvailable(t *testing.T) {
	tests := []struct {
		name        string
		total, used int
		want        int
	}{
		{"none used", 10, 0, 10},
		{"some used", 50, 31, 19},
		{"all used", 10, 10, 0},
		{"more used than total never goes negative", 10, 12, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Subscription{SeatsTotal: tt.total, SeatsUsed: tt.used}
			if got := s.SeatsAvailable(); got != tt.want {
				t.Errorf("SeatsAvailable() with %d of %d used = %d, want %d", tt.used, tt.total, got, tt.want)
			}
		})
	}
}

// validNewOrganization is input that passes validation; tests change one thing.
func validNewOrganization() NewOrganization {
	return NewOrganization{
		Name: "Acme Corp", Seats: 25, StartsOn: "2026-01-01", EndsOn: "2026-12-31",
		Admin: NewUser{FirstName: "Ada", LastName: "Lovelace", Email: "it@acme.example"},
	}
}

func TestNewOrganizationValidateNamesFieldAtFault(t *testing.T) {
	tests := []struct {
		name       string
		give       func(*NewOrganization)
		wantFields []string
	}{
		{"valid", func(*NewOrganization) {}, nil},
		{"empty name", func(n *NewOrganization) { n.Name = "" }, []string{"name"}},
		{"blank name", func(n *NewOrganization) { n.Name = "   " }, []string{"name"}},
		{"name too long", func(n *NewOrganization) { n.Name = strings.Repeat("x", 201) }, []string{"name"}},
		{"name of 200", func(n *NewOrganization) { n.Name = strings.Repeat("x", 200) }, nil},
		{"no seats", func(n *NewOrganization) { n.Seats = 0 }, []string{"seats"}},
		{"negative seats", func(n *NewOrganization) { n.Seats = -1 }, []string{"seats"}},
		{"one seat", func(n *NewOrganization) { n.Seats = 1 }, nil},
		{"most seats", func(n *NewOrganization) { n.Seats = MaxSeats }, nil},
		{"too many seats", func(n *NewOrganization) { n.Seats = MaxSeats + 1 }, []string{"seats"}},
		{"start not a date", func(n *NewOrganization) { n.StartsOn = "01/01/2026" }, []string{"startsOn"}},
		{"start missing", func(n *NewOrganization) { n.StartsOn = "" }, []string{"startsOn"}},
		{"end not a date", func(n *NewOrganization) { n.EndsOn = "2026-02-30" }, []string{"endsOn"}},
		{"end before start", func(n *NewOrganization) { n.StartsOn, n.EndsOn = "2026-06-01", "2026-05-31" }, []string{"endsOn"}},
		{"one-day subscription", func(n *NewOrganization) { n.StartsOn, n.EndsOn = "2026-06-01", "2026-06-01" }, nil},
		{"unknown feature", func(n *NewOrganization) { n.Features = []string{FeatureLabs, "teleport"} }, []string{"features"}},
		{"admin email invalid", func(n *NewOrganization) { n.Admin.Email = "Bob <b@x.com>" }, []string{"admin.email"}},
		{"admin first name missing", func(n *NewOrganization) { n.Admin.FirstName = " " }, []string{"admin.firstName"}},
		{"admin last name too long", func(n *NewOrganization) { n.Admin.LastName = strings.Repeat("é", 101) }, []string{"admin.lastName"}},
		{"admin name with control character", func(n *NewOrganization) { n.Admin.FirstName = "Ada\x00" }, []string{"admin.firstName"}},
		{"several at once", func(n *NewOrganization) { n.Name, n.Seats, n.Admin = "", 0, NewUser{} },
			[]string{"admin.email", "admin.firstName", "admin.lastName", "name", "seats"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := validNewOrganization()
			tt.give(&n)
			_, _, err := n.validate()
			if tt.wantFields == nil {
				if err != nil {
					t.Fatalf("validate() = %v, want no error", err)
				}
				return
			}
			e, ok := errors.AsType[*Error](err)
			if !ok || e.Code != CodeValidationFailed {
				t.Fatalf("validate() = %v, want a %s *Error", err, CodeValidationFailed)
			}
			got := slices.Sorted(maps.Keys(e.Fields))
			if diff := cmp.Diff(tt.wantFields, got); diff != "" {
				t.Errorf("fields at fault mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewOrganizationValidateNormalizes(t *testing.T) {
	n := validNewOrganization()
	n.Name = "  Acme Corp  "
	n.Admin = NewUser{FirstName: " Ada ", LastName: "Lovelace ", Email: " IT@Acme.Example ", Access: AccessBoth}
	starts, ends, err := n.validate()
	if err != nil {
		t.Fatalf("validate() = %v", err)
	}
	type result struct {
		Name         string
		Admin        NewUser
		Features     []string
		Starts, Ends time.Time
	}
	want := result{
		Name:     "Acme Corp",
		Admin:    NewUser{FirstName: "Ada", LastName: "Lovelace", Email: "it@acme.example", Access: AccessAdmin},
		Features: AllFeatures,
		Starts:   time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Ends:     time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
	}
	got := result{Name: n.Name, Admin: n.Admin, Features: n.Features, Starts: starts, Ends: ends}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("validated input mismatch (-want +got):\n%s", diff)
	}
}

func TestNewOrganizationNameLengthCountsCharacters(t *testing.T) {
	n := validNewOrganization()
	n.Name = strings.Repeat("é", 200)
	if _, _, err := n.validate(); err != nil {
		t.Errorf("a name of 200 characters (400 bytes) was refused: %v", err)
	}
}
