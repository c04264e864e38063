// What each kind of audit entry is called, grouped as the Audit page's
// "What" filter lists them (the kinds: internal/domain/audit.go).

export interface AuditKindGroup {
  label: string;
  kinds: { kind: string; label: string }[];
}

export const AUDIT_KIND_GROUPS: AuditKindGroup[] = [
  {
    label: 'People',
    kinds: [
      { kind: 'user.invited', label: 'Invited' },
      { kind: 'user.access_added', label: 'Access added' },
      { kind: 'user.invite_resent', label: 'Invite resent' },
      { kind: 'user.deactivated', label: 'Deactivated' },
      { kind: 'user.activated', label: 'Activated' },
      { kind: 'user.admin_granted', label: 'Admin rights granted' },
      { kind: 'user.admin_removed', label: 'Admin rights removed' },
      { kind: 'user.reset_sent', label: 'Password reset sent' },
      { kind: 'user.password_set', label: 'Password set' },
      { kind: 'user.teams_changed', label: 'Teams changed' },
      { kind: 'user.seat_kept', label: 'Seat kept (idle seats exception)' },
      { kind: 'user.seat_released', label: 'Seat no longer kept' },
      { kind: 'user.idle_reminded', label: 'Reminded of an idle seat' },
    ],
  },
  {
    label: 'Teams',
    kinds: [
      { kind: 'team.created', label: 'Team created' },
      { kind: 'team.renamed', label: 'Team renamed' },
      { kind: 'team.deleted', label: 'Team deleted' },
      { kind: 'team.members_changed', label: 'Team members changed' },
    ],
  },
  {
    label: 'Modules and assignments',
    kinds: [
      { kind: 'module.created', label: 'Module created' },
      { kind: 'module.updated', label: 'Module updated' },
      { kind: 'module.deleted', label: 'Module deleted' },
      { kind: 'assignment.created', label: 'Assignment created' },
      { kind: 'assignment.updated', label: 'Assignment changed' },
      { kind: 'assignment.cancelled', label: 'Assignment cancelled' },
      { kind: 'assignment.people_added', label: 'People added to an assignment' },
    ],
  },
  {
    label: 'Reports and settings',
    kinds: [
      { kind: 'export.created', label: 'Export made' },
      { kind: 'schedule.created', label: 'Report schedule created' },
      { kind: 'schedule.updated', label: 'Report schedule changed' },
      { kind: 'schedule.deleted', label: 'Report schedule deleted' },
      { kind: 'schedule.sent_now', label: 'Scheduled report sent now' },
      { kind: 'organization.updated', label: 'Organization settings changed' },
      { kind: 'organization.created', label: 'Organization opened' },
      { kind: 'import.applied', label: 'CSV import applied' },
    ],
  },
];

const LABELS = new Map(AUDIT_KIND_GROUPS.flatMap((g) => g.kinds.map((k) => [k.kind, k.label] as const)));

/** What a kind of entry says to people; the kind itself for one this page does not know. */
export function auditKindLabel(kind: string): string {
  return LABELS.get(kind) ?? kind;
}

const FIELDS: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  status: 'Status',
  seat: 'Seat',
  admin: 'Admin rights',
  teamIds: 'Teams',
  name: 'Name',
  dueOn: 'Due date',
  timeZone: 'Time zone',
  reminders: 'Reminders',
};

/** A changed field's name for people. */
export function auditFieldLabel(field: string): string {
  return FIELDS[field] ?? field;
}

/** A value before or after a change, for people: yes/no for true/false, a dash for nothing. */
export function auditValue(v: string): string {
  if (v === 'true') return 'Yes';
  if (v === 'false') return 'No';
  return v === '' ? '—' : v;
}
