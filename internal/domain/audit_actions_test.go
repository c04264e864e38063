package domain_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"proportal/internal/domain"
	"proportal/internal/testenv"
)

// TestAdminActionsAreAudited: modules, assignments, exports, schedules and
// the organization's settings each write one entry per change, and none for
// a change that changes nothing.
func TestAdminActionsAreAudited(t *testing.T) {
	t.Parallel()
	e, admin := newModules(t)
	admin.Source = adminSource
	ctx := context.Background()
	s := e.app.Services
	w := e.watchAudit()
	type line struct {
		Kind, Actor, TargetKind, TargetName, Source, Detail string
		Changes                                             []domain.AuditChange
	}
	check := func(what string, err error, want ...line) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		var got []line
		for _, en := range w.next(t) {
			got = append(got, line{en.Kind, en.Actor.ID, en.Target.Kind, en.Target.Name, en.Source, en.Detail, en.Changes})
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s wrote (-want +got):\n%s", what, diff)
		}
	}
	by := admin.User.ID
	today := domain.DayIn(e.clock.Now(), e.org.Location())
	day := func(n int) string { return today.AddDate(0, 0, n).Format(domain.DateLayout) }

	m, err := s.Modules.Create(ctx, admin, domain.ModuleInput{Name: "Network fundamentals", ItemIDs: []string{"lab-vlans"}})
	check("create a module", err, line{domain.AuditModuleCreated, by, domain.TargetModule, "Network fundamentals", adminSource, "",
		[]domain.AuditChange{{Field: "name", After: "Network fundamentals"}, {Field: "items", After: m.Items[0].Title}}})
	m, err = s.Modules.Update(ctx, admin, m.ID, domain.ModuleInput{Name: "Networking", ItemIDs: []string{"lab-vlans"}, Revision: m.Revision})
	check("rename it", err, line{domain.AuditModuleUpdated, by, domain.TargetModule, "Network fundamentals", adminSource, "",
		[]domain.AuditChange{{Field: "name", Before: "Network fundamentals", After: "Networking"}}})
	cp, err := s.Modules.Duplicate(ctx, admin, m.ID, "")
	check("duplicate it", err, line{domain.AuditModuleCreated, by, domain.TargetModule, "Copy of Networking", adminSource, "copy of Networking",
		[]domain.AuditChange{{Field: "name", After: "Copy of Networking"}, {Field: "items", After: m.Items[0].Title}}})
	check("delete the copy", s.Modules.Delete(ctx, admin, cp.ID),
		line{domain.AuditModuleDeleted, by, domain.TargetModule, "Copy of Networking", adminSource, "", nil})

	a, err := s.Assignments.Create(ctx, admin, domain.NewAssignment{ModuleID: m.ID, UserIDs: []string{by}, DueOn: day(14)})
	check("assign it", err, line{domain.AuditAssignmentCreated, by, domain.TargetAssignment, "Networking", adminSource, "1 person (1 chosen, 0 teams)",
		[]domain.AuditChange{{Field: "dueOn", After: day(14)}}})
	_, err = s.Assignments.Update(ctx, admin, a.Assignment.ID, domain.AssignmentChange{DueOn: day(21)})
	check("move its due day", err, line{domain.AuditAssignmentUpdated, by, domain.TargetAssignment, "Networking", adminSource, "",
		[]domain.AuditChange{{Field: "dueOn", Before: day(14), After: day(21)}}})
	_, err = s.Assignments.Update(ctx, admin, a.Assignment.ID, domain.AssignmentChange{DueOn: day(21)})
	check("the same due day", err)
	lea := e.add(t, person(e.org.ID, "Lea", "Learner", domain.StatusActive))
	_, err = s.Assignments.AddAssignees(ctx, admin, a.Assignment.ID, domain.AssigneeChange{UserIDs: []string{lea.ID}})
	check("add a person", err, line{domain.AuditAssignmentPeopleAdded, by, domain.TargetAssignment, "Networking", adminSource, "+1 person (1 chosen, 0 teams)", nil})
	_, err = s.Assignments.Cancel(ctx, admin, a.Assignment.ID)
	check("cancel it", err, line{domain.AuditAssignmentCancelled, by, domain.TargetAssignment, "Networking", adminSource, "",
		[]domain.AuditChange{{Field: "status", Before: domain.AssignmentOpen, After: domain.AssignmentCancelled}}})
	_, err = s.Assignments.Cancel(ctx, admin, a.Assignment.ID)
	check("cancel it again", err)

	x, err := s.Exports.Create(ctx, admin, domain.ExportRequest{Kind: domain.ExportUserActivity, UserID: lea.ID, From: day(-6), To: day(0)})
	check("export", err, line{domain.AuditExportCreated, by, domain.TargetExport, domain.ExportUserActivity, adminSource,
		"user-activity of Lea Learner, " + day(-6) + " to " + day(0), nil})
	_ = x

	in := domain.ScheduleInput{Name: "Weekly viewings", Kind: domain.ExportViewings, Frequency: domain.Weekly, Weekday: "monday",
		Time: "08:00", TimeZone: "UTC", Period: domain.PeriodWeek, Recipients: []string{"boss@example.com"}}
	sc, err := s.Schedules.Create(ctx, admin, in)
	check("create a schedule", err, line{domain.AuditScheduleCreated, by, domain.TargetSchedule, "Weekly viewings", adminSource, "", domain.ScheduleChanges(domain.Schedule{}, sc)})
	in.Paused = true
	_, err = s.Schedules.Update(ctx, admin, sc.ID, in)
	check("pause it", err, line{domain.AuditScheduleUpdated, by, domain.TargetSchedule, "Weekly viewings", adminSource, "",
		[]domain.AuditChange{{Field: "paused", Before: "false", After: "true"}}})
	d, err := s.Schedules.SendNow(ctx, admin, sc.ID)
	check("send it now", err, line{domain.AuditScheduleSentNow, by, domain.TargetSchedule, "Weekly viewings", adminSource,
		d.From.Format(domain.DateLayout) + " to " + d.To.Format(domain.DateLayout), nil})
	check("delete it", s.Schedules.Delete(ctx, admin, sc.ID),
		line{domain.AuditScheduleDeleted, by, domain.TargetSchedule, "Weekly viewings", adminSource, "", nil})

	zone, off := "Europe/Berlin", false
	_, err = s.Accounts.UpdateOrganization(ctx, admin, domain.OrganizationChange{TimeZone: &zone, Reminders: &off})
	check("change the settings", err, line{domain.AuditOrganizationUpdated, by, domain.TargetOrganization, e.org.Name, adminSource, "",
		[]domain.AuditChange{{Field: "timeZone", After: zone}, {Field: "reminders", Before: "true", After: "false"}}})
	_, err = s.Accounts.UpdateOrganization(ctx, admin, domain.OrganizationChange{TimeZone: &zone})
	check("the same settings", err)
	if got := testenv.AuditKinds(w.next(t)); len(got) != 0 {
		t.Errorf("entries left over: %q", got)
	}
}
