package domain

import (
	"context"
	"fmt"
	"strings"
)

// auditReport is the audit log of the export's days with its filters,
// newest first as the Audit page shows it, read a page at a time.
func (s *workbooks) auditReport(ctx context.Context, e *Export, d *exportData, r *Report) error {
	r.Title = "Audit log"
	from := d.start
	if floor := s.now().Add(-s.store.AuditRetention()); floor.After(from) {
		from = floor
	}
	name := func(id string) string {
		if u, ok := d.users[id]; ok {
			return u.FullName() + " (" + u.Email + ")"
		}
		if t, ok := d.teams[id]; ok {
			return t
		}
		return id
	}
	for _, f := range []struct{ label, value string }{
		{"Done by", name(e.ActorID)}, {"Done to", name(e.TargetID)}, {"What", AuditKindLabel(e.AuditKind)},
	} {
		if f.value != "" {
			r.Facts = append(r.Facts, ReportFact{Label: f.label, Value: f.value, Type: ColumnText})
		}
	}
	q := AuditQuery{ActorID: e.ActorID, TargetID: e.TargetID, Kind: e.AuditKind, From: from, To: d.end, Limit: MaxAuditPageSize}
	r.Sheets = []ReportSheet{{
		Name: "Audit log",
		Columns: []ReportColumn{
			{Title: "When", Type: ColumnDateTime, Width: 18},
			{Title: "Actor", Type: ColumnText, Width: 22},
			{Title: "Actor email", Type: ColumnText, Width: 28},
			{Title: "What", Type: ColumnText, Width: 30},
			{Title: "Target", Type: ColumnText, Width: 24},
			{Title: "Target email", Type: ColumnText, Width: 28},
			{Title: "Changes", Type: ColumnText, Width: 48},
			{Title: "Source", Type: ColumnText, Width: 16},
		},
		Rows: func(emit func([]any) error) error {
			for {
				page, next, err := s.store.FindAuditEntries(ctx, e.OrgID, q)
				if err != nil {
					return fmt.Errorf("audit entries: %w", err)
				}
				for _, en := range page {
					what := AuditKindLabel(en.Kind)
					if en.Detail != "" {
						what += " (" + en.Detail + ")"
					}
					if err := emit([]any{en.At, en.Actor.Name, en.Actor.Email, what, en.Target.Name, en.Target.Email,
						AuditChangesText(en.Changes), en.Source}); err != nil {
						return err
					}
				}
				if next == "" {
					return nil
				}
				q.After = next
			}
		},
	}}
	return nil
}

// AuditChangesText is an entry's changes on one line:
// "admin: false → true; teamIds: (none) → t1".
func AuditChangesText(changes []AuditChange) string {
	parts := make([]string, len(changes))
	for i, c := range changes {
		before, after := c.Before, c.After
		if before == "" {
			before = "(none)"
		}
		if after == "" {
			after = "(none)"
		}
		parts[i] = c.Field + ": " + before + " → " + after
	}
	return strings.Join(parts, "; ")
}

// AuditKindLabel is what an entry's kind says to people ("Invited"); the
// kind itself for one it does not know, "" for "".
func AuditKindLabel(kind string) string {
	switch kind {
	case AuditUserInvited:
		return "Invited"
	case AuditUserAccessAdded:
		return "Access added"
	case AuditInviteResent:
		return "Invite resent"
	case AuditUserDeactivated:
		return "Deactivated"
	case AuditUserActivated:
		return "Activated"
	case AuditAdminGranted:
		return "Admin rights granted"
	case AuditAdminRemoved:
		return "Admin rights removed"
	case AuditResetSent:
		return "Password reset sent"
	case AuditPasswordSet:
		return "Password set"
	case AuditUserTeamsChanged:
		return "Teams changed"
	case AuditSeatKept:
		return "Seat kept (idle seats exception)"
	case AuditSeatReleased:
		return "Seat no longer kept"
	case AuditIdleReminded:
		return "Reminded of an idle seat"
	case AuditTeamCreated:
		return "Team created"
	case AuditTeamRenamed:
		return "Team renamed"
	case AuditTeamDeleted:
		return "Team deleted"
	case AuditTeamMembersChanged:
		return "Team members changed"
	case AuditModuleCreated:
		return "Module created"
	case AuditModuleUpdated:
		return "Module updated"
	case AuditModuleDeleted:
		return "Module deleted"
	case AuditAssignmentCreated:
		return "Assignment created"
	case AuditAssignmentUpdated:
		return "Assignment changed"
	case AuditAssignmentCancelled:
		return "Assignment cancelled"
	case AuditAssignmentPeopleAdded:
		return "People added to an assignment"
	case AuditExportCreated:
		return "Export made"
	case AuditScheduleCreated:
		return "Report schedule created"
	case AuditScheduleUpdated:
		return "Report schedule changed"
	case AuditScheduleDeleted:
		return "Report schedule deleted"
	case AuditScheduleSentNow:
		return "Scheduled report sent now"
	case AuditOrganizationUpdated:
		return "Organization settings changed"
	case AuditOrganizationCreated:
		return "Organization opened"
	case AuditImportApplied:
		return "CSV import applied"
	}
	return kind
}
