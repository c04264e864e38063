// What the seat figures and access dates mean for an admin: the numbers shown
// on the dashboard, the users page and the subscription page, and when to warn.

import type { AccessPeriod, Feature, Seats, SubscriptionStatus } from '../../api';
import { formatDate, parseDay, plural } from '../../format';

/** Warn this many days (counting today) before access ends. */
export const ENDING_SOON_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** "31 of 50". */
export function seatsInUse(seats: Pick<Seats, 'used' | 'total'>): string {
  return `${seats.used} of ${seats.total}`;
}

/** Share of seats in use, 0 to 100, for the meter. */
export function seatShare(seats: Pick<Seats, 'used' | 'total'>): number {
  if (seats.total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round((seats.used / seats.total) * 100)));
}

/**
 * Days of access left counting today, as the API's daysRemaining: 1 on the
 * last day, 0 once it has ended. Falls back to the end date when the API did
 * not say.
 */
export function daysLeft(period: Pick<AccessPeriod, 'endsAt'> & { daysRemaining?: number }, today: Date = new Date()): number {
  if (typeof period.daysRemaining === 'number') return period.daysRemaining;
  const end = parseDay(period.endsAt);
  if (!end) return 0;
  const todayUTC = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.max(0, Math.floor((end.getTime() - todayUTC) / DAY_MS) + 1);
}

export interface AccessWarning {
  kind: 'ending' | 'ended';
  title: string;
  message: string;
}

/**
 * The warning to show for the access period: when it has ended, or when it
 * ends within ENDING_SOON_DAYS. Null otherwise (also while upcoming).
 */
export function accessWarning(
  period: Pick<AccessPeriod, 'endsAt' | 'status'> & { daysRemaining?: number },
  today: Date = new Date(),
): AccessWarning | null {
  const end = formatDate(period.endsAt);
  const left = daysLeft(period, today);
  if (period.status === 'ended' || (period.status === 'active' && left <= 0)) {
    return {
      kind: 'ended',
      title: 'Your subscription has ended',
      message: `Access ended on ${end}. Learners can no longer watch training. Contact your account manager to renew.`,
    };
  }
  if (period.status === 'active' && left <= ENDING_SOON_DAYS) {
    const when = left === 1 ? 'today' : `in ${plural(left, 'day')}`;
    return {
      kind: 'ending',
      title: `Your subscription ends ${when}`,
      message: `Access ends on ${end}. Contact your account manager to renew so learners keep their access.`,
    };
  }
  return null;
}

const STATUS_LABELS: Record<SubscriptionStatus, string> = {
  upcoming: 'Upcoming',
  active: 'Active',
  ended: 'Ended',
};

export function subscriptionStatusLabel(status: SubscriptionStatus): string {
  return STATUS_LABELS[status] ?? status;
}

const FEATURE_LABELS: Record<Feature, string> = {
  courses: 'Courses',
  labs: 'Labs',
  assignments: 'Assignments',
  reports: 'Reports',
};

/** "Courses" for courses; an unknown feature keeps its name, capitalised. */
export function featureLabel(feature: string): string {
  return FEATURE_LABELS[feature as Feature] ?? feature.charAt(0).toUpperCase() + feature.slice(1);
}
