import type { ReactNode } from 'react';
import type { UserStatus } from '../api';

export type BadgeTone = 'green' | 'amber' | 'grey' | 'blue' | 'violet' | 'red';

export function Badge({ tone, children }: { tone: BadgeTone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

const STATUS: Record<UserStatus, { label: string; tone: BadgeTone }> = {
  active: { label: 'Active', tone: 'green' },
  invited: { label: 'Invited', tone: 'amber' },
  inactive: { label: 'Inactive', tone: 'grey' },
};

export function StatusBadge({ status }: { status: UserStatus }) {
  const s = STATUS[status] ?? { label: status, tone: 'grey' as const };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

/** "Seat" and/or "Admin"; "None" when the person has neither. */
export function AccessBadges({ seat, admin }: { seat: boolean; admin: boolean }) {
  if (!seat && !admin) return <span className="muted">None</span>;
  return (
    <span className="badge-list">
      {seat ? <Badge tone="blue">Seat</Badge> : null}
      {admin ? <Badge tone="violet">Admin</Badge> : null}
    </span>
  );
}
