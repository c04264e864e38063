package domain

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// AccountStore is the persistence the account pages need.
type AccountStore interface {
	FindOrganization(ctx context.Context, orgID string) (Organization, error)
	FindSubscription(ctx context.Context, orgID string) (Subscription, error)
	// FindAssignments returns a page of an organization's assignments (the dashboard's figures).
	FindAssignments(ctx context.Context, orgID, status string, limit int, after string) ([]Assignment, string, error)
	// FindOrgUsageWeeks returns the weeks with activity whose Mondays are
	// from to to, both included, oldest first (the dashboard's usage).
	FindOrgUsageWeeks(ctx context.Context, orgID string, from, to time.Time) ([]UsagePeriod, error)
	// UpdateOrganization changes an organization's settings (the fields of
	// c that are not nil) and returns the organization.
	UpdateOrganization(ctx context.Context, orgID string, c OrganizationChange, audit AuditEntry) error
	// Ping makes one cheap read of the store.
	Ping(ctx context.Context) error
}

// Ready says whether the store answers: nil, or an unavailable error that
// wraps the cause.
func (a *Accounts) Ready(ctx context.Context) error {
	if err := a.store.Ping(ctx); err != nil {
		return fmt.Errorf("%w: %w", Errorf(CodeUnavailable, "ProPortal cannot reach its data; try again in a few seconds."), err)
	}
	return nil
}

// Accounts answers what a signed-in person sees of their organization: who
// they are, the subscription and the dashboard.
type Accounts struct {
	store AccountStore
	now   Clock
}

// NewAccounts returns the account service.
func NewAccounts(store AccountStore, now Clock) *Accounts {
	return &Accounts{store: store, now: now}
}

// Me is the signed-in user and their organization.
type Me struct {
	User         User
	Organization Organization
}

// Me returns the principal's user and organization.
func (a *Accounts) Me(ctx context.Context, p *Principal) (Me, error) {
	org, err := a.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return Me{}, fmt.Errorf("me: %w", err)
	}
	return Me{User: p.User, Organization: org}, nil
}

// SubscriptionDetails is a subscription with its access period as of now.
type SubscriptionDetails struct {
	Subscription Subscription
	Access       Access
}

// Subscription returns the principal's organization's subscription.
func (a *Accounts) Subscription(ctx context.Context, p *Principal) (SubscriptionDetails, error) {
	sub, err := a.store.FindSubscription(ctx, p.OrgID())
	if err != nil {
		return SubscriptionDetails{}, fmt.Errorf("subscription: %w", err)
	}
	return SubscriptionDetails{Subscription: sub, Access: sub.AccessAt(a.now())}, nil
}

// Dashboard is the portal's first page: seat figures, access dates, usage and
// assignment progress.
type Dashboard struct {
	Subscription Subscription
	Access       Access
	// Usage holds the UsageWeeks weeks ending with the current one (in the
	// organization's time zone), oldest first, zero-filled.
	Usage []UsagePeriod
	// Assignments sums up assignment progress; zero until assignments exist.
	Assignments AssignmentProgress
}

// AssignmentProgress counts assignees by where they stand.
type AssignmentProgress struct {
	Assignments int
	Assignees   int
	Completed   int
	InProgress  int
	NotStarted  int
	Overdue     int
}

// Dashboard returns the principal's organization's dashboard. Its
// assignment figures sum the counters of the open assignments, read with one
// Query (per AssignmentPageSize assignments), whatever the number of people;
// its usage is the organization's last UsageWeeks weeks, one more Query.
func (a *Accounts) Dashboard(ctx context.Context, p *Principal) (Dashboard, error) {
	sub, err := a.store.FindSubscription(ctx, p.OrgID())
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	org, err := a.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	open, err := openAssignments(ctx, a.store, p.OrgID())
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	from, to := lastWeeks(a.now(), org.Location(), UsageWeeks)
	usage, err := a.store.FindOrgUsageWeeks(ctx, p.OrgID(), from, to)
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	today := DayIn(a.now(), org.Location())
	var progress AssignmentProgress
	for _, as := range open {
		progress.Assignments++
		progress.Assignees += as.Counts.Assignees
		progress.Completed += as.Counts.Completed
		progress.InProgress += as.Counts.InProgress
		progress.NotStarted += as.Counts.NotStarted
		progress.Overdue += as.OverdueCount(today)
	}
	return Dashboard{Subscription: sub, Access: sub.AccessAt(a.now()), Usage: fillWeeks(usage, from, UsageWeeks), Assignments: progress}, nil
}

// Organization returns the principal's organization and its settings.
func (a *Accounts) Organization(ctx context.Context, p *Principal) (Organization, error) {
	org, err := a.store.FindOrganization(ctx, p.OrgID())
	if err != nil {
		return Organization{}, fmt.Errorf("organization: %w", err)
	}
	return org, nil
}

// OrganizationChange is what an admin changes of the organization's settings;
// nil fields stay as they are.
type OrganizationChange struct {
	// TimeZone is an IANA time zone name ("Europe/Berlin", "UTC").
	TimeZone *string
	// Reminders turns due-date reminders and the admins' digest on or off.
	Reminders *bool
}

// UpdateOrganization changes the organization's settings.
func (a *Accounts) UpdateOrganization(ctx context.Context, p *Principal, c OrganizationChange) (Organization, error) {
	if c.TimeZone != nil && !validTimeZone(*c.TimeZone) {
		return Organization{}, Problems{"timeZone": "must be a time zone name like Europe/Berlin or UTC"}.Err()
	}
	before, err := a.Organization(ctx, p)
	if err != nil {
		return Organization{}, err
	}
	after := before
	if c.TimeZone != nil {
		after.TimeZone = *c.TimeZone
	}
	if c.Reminders != nil {
		after.RemindersOff = !*c.Reminders
	}
	changes := OrganizationChanges(before, after)
	if len(changes) == 0 {
		return before, nil
	}
	audit := NewAuditEntry(p, AuditOrganizationUpdated, AuditTarget{Kind: TargetOrganization, ID: before.ID, Name: before.Name}, a.now())
	audit.Changes = changes
	if err := a.store.UpdateOrganization(ctx, p.OrgID(), c, audit); err != nil {
		return Organization{}, fmt.Errorf("update organization: %w", err)
	}
	return after, nil
}

// OrganizationChanges are the settings that differ between before and after.
func OrganizationChanges(before, after Organization) []AuditChange {
	var out []AuditChange
	if b, a := before.TimeZone, after.TimeZone; b != a {
		out = append(out, AuditChange{Field: "timeZone", Before: b, After: a})
	}
	if b, a := before.Reminders(), after.Reminders(); b != a {
		out = append(out, AuditChange{Field: "reminders", Before: strconv.FormatBool(b), After: strconv.FormatBool(a)})
	}
	return out
}
