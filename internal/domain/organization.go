package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// DateLayout is how access dates are written: a calendar day, in UTC.
const DateLayout = time.DateOnly

// Organization is one customer company (a tenant). Every piece of tenant data
// belongs to exactly one.
type Organization struct {
	ID        string
	Name      string
	CreatedAt time.Time
	// TimeZone is an IANA name ("Europe/Berlin"); due dates are days there.
	// Empty means UTC.
	TimeZone string
	// RemindersOff stops due-date reminders and the admins' weekly digest
	// (Reminders). The zero value, reminders on, is every organization's
	// default.
	RemindersOff bool
}

// Reminders says whether the organization's people get due-date reminders
// and its admins the weekly digest of overdue assignments.
func (o Organization) Reminders() bool { return !o.RemindersOff }

// DefaultTimeZone is an organization's time zone until an admin sets one.
const DefaultTimeZone = "UTC"

// Location is the organization's time zone; UTC when unset or unknown.
func (o Organization) Location() *time.Location {
	if o.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Zone is the organization's time zone name, DefaultTimeZone when unset.
func (o Organization) Zone() string {
	if o.TimeZone == "" {
		return DefaultTimeZone
	}
	return o.TimeZone
}

// validTimeZone says whether name is an IANA time zone this build knows.
// The functions that read time zones embed the zone database (time/tzdata).
func validTimeZone(name string) bool {
	if name == "" || name == "Local" || len(name) > 64 {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// Subscription is an organization's contract: its seats, access dates and features.
type Subscription struct {
	OrgID      string
	SeatsTotal int
	SeatsUsed  int
	// StartsOn and EndsOn are calendar days (UTC midnight); access includes both.
	StartsOn time.Time
	EndsOn   time.Time
	Features []string
}

// SeatsAvailable is the number of seats that can still be given.
func (s Subscription) SeatsAvailable() int {
	return max(s.SeatsTotal-s.SeatsUsed, 0)
}

// Subscription statuses.
const (
	SubscriptionUpcoming = "upcoming"
	SubscriptionActive   = "active"
	SubscriptionEnded    = "ended"
)

// Status tells whether access has not begun, is running or has ended at now.
func (s Subscription) Status(now time.Time) string {
	day := now.UTC().Truncate(24 * time.Hour)
	switch {
	case day.Before(s.StartsOn):
		return SubscriptionUpcoming
	case day.After(s.EndsOn):
		return SubscriptionEnded
	default:
		return SubscriptionActive
	}
}

// DaysRemaining is the number of access days left at now, counting today; 0 once ended.
func (s Subscription) DaysRemaining(now time.Time) int {
	day := now.UTC().Truncate(24 * time.Hour)
	if day.After(s.EndsOn) {
		return 0
	}
	from := day
	if from.Before(s.StartsOn) {
		from = s.StartsOn
	}
	return int(s.EndsOn.Sub(from).Hours()/24) + 1
}

// Access is a subscription's access period as seen at one moment.
type Access struct {
	StartsOn      time.Time
	EndsOn        time.Time
	Status        string
	DaysRemaining int
}

// AccessAt returns the access period and where now stands in it.
func (s Subscription) AccessAt(now time.Time) Access {
	return Access{StartsOn: s.StartsOn, EndsOn: s.EndsOn, Status: s.Status(now), DaysRemaining: s.DaysRemaining(now)}
}

// Features a subscription can include.
const (
	FeatureCourses     = "courses"
	FeatureLabs        = "labs"
	FeatureAssignments = "assignments"
	FeatureReports     = "reports"
)

// AllFeatures lists every feature, in the order the portal shows them.
var AllFeatures = []string{FeatureCourses, FeatureLabs, FeatureAssignments, FeatureReports}

// NewOrganization is what an operator supplies to open a customer's account.
type NewOrganization struct {
	Name     string
	Seats    int
	StartsOn string
	EndsOn   string
	Features []string
	Admin    NewUser
}

// MaxSeats bounds a subscription's size; larger deals are split or raised by hand.
const MaxSeats = 100_000

// validate checks the operator's input and returns the parsed subscription dates.
func (n *NewOrganization) validate() (starts, ends time.Time, err error) {
	p := Problems{}
	n.Name = strings.TrimSpace(n.Name)
	switch {
	case n.Name == "":
		p.Add("name", "is required")
	case utf8.RuneCountInString(n.Name) > 200:
		p.Add("name", "must be at most 200 characters")
	}
	if n.Seats < 1 || n.Seats > MaxSeats {
		p.Add("seats", "must be between 1 and 100000")
	}
	starts, errS := time.Parse(DateLayout, n.StartsOn)
	if errS != nil {
		p.Add("startsOn", "must be a date like 2026-01-31")
	}
	ends, errE := time.Parse(DateLayout, n.EndsOn)
	if errE != nil {
		p.Add("endsOn", "must be a date like 2026-12-31")
	}
	if errS == nil && errE == nil && ends.Before(starts) {
		p.Add("endsOn", "must not be before startsOn")
	}
	if len(n.Features) == 0 {
		n.Features = slices.Clone(AllFeatures)
	}
	for _, f := range n.Features {
		if !isFeature(f) {
			p.Add("features", "must be among "+strings.Join(AllFeatures, ", "))
		}
	}
	n.Admin.Access = AccessAdmin
	n.Admin.validateInto(p, "admin.")
	return starts, ends, p.Err()
}

func isFeature(f string) bool {
	for _, known := range AllFeatures {
		if f == known {
			return true
		}
	}
	return false
}
