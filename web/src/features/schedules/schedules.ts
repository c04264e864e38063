// How a report schedule reads to an admin: its cadence in words, its
// statuses, the times in its own zone, and the form's values to and from the
// API's JSON.

import {
  MAX_RECIPIENTS,
  type Delivery,
  type DeliveryStatus,
  type RecipientStatus,
  type Schedule,
  type ScheduleFrequency,
  type ScheduleInput,
  type ScheduleKind,
  type SchedulePeriod,
  type Weekday,
} from '../../api';

export { MAX_RECIPIENTS };
import type { BadgeTone } from '../../components/Badge';

/** How often a schedule's page asks for its deliveries while one is being made or mailed (tests shorten it). */
export const polling = { ms: 1000 };

/** The export kinds a schedule can make, in the order the form offers them. */
export const SCHEDULE_KINDS: { kind: ScheduleKind; name: string }[] = [
  { kind: 'viewings', name: 'Viewings' },
  { kind: 'assignments', name: 'Assignments' },
  { kind: 'labs', name: 'Labs' },
  { kind: 'logins', name: 'Logins' },
  { kind: 'team-activity', name: 'Activity of a team' },
  { kind: 'idle-seats', name: 'Idle seats (30+ days)' },
];

export const WEEKDAYS: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** "monday" → "Monday". */
export function weekdayName(d: Weekday): string {
  return d.charAt(0).toUpperCase() + d.slice(1);
}

/** 1 → "1st", 22 → "22nd", 13 → "13th". */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
}

/** "Every Monday at 08:00 (Europe/Berlin)", "Every month on the 31st at 08:00 (UTC)". */
export function cadence(s: Pick<Schedule, 'frequency' | 'weekday' | 'dayOfMonth' | 'time' | 'timeZone'>): string {
  const when = s.frequency === 'weekly' ? `Every ${weekdayName(s.weekday ?? 'monday')}` : `Every month on the ${ordinal(s.dayOfMonth ?? 1)}`;
  return `${when} at ${s.time} (${s.timeZone})`;
}

/** What a run covers: "The last week (Monday to Sunday)". */
export function periodText(p: SchedulePeriod): string {
  return p === 'week' ? 'The last week (Monday to Sunday)' : 'The last calendar month';
}

/** A schedule's report, with its team's name for team activity. */
export function kindName(kind: ScheduleKind, teamName?: string): string {
  if (kind === 'team-activity') return teamName ? `Activity of ${teamName}` : 'Activity of a team';
  return SCHEDULE_KINDS.find((k) => k.kind === kind)?.name ?? kind;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An instant as "Mon 7 Dec 2026, 08:00" in a time zone (the viewer's when the zone is unknown). */
export function formatInZone(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(d);
  } catch {
    return formatInZone(iso, Intl.DateTimeFormat().resolvedOptions().timeZone);
  }
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('weekday')} ${Number(get('day'))} ${MONTHS[Number(get('month')) - 1]} ${get('year')}, ${get('hour')}:${get('minute')}`;
}

/** How a delivery's status reads, and its badge's colour. */
export const DELIVERY_STATUS: Record<DeliveryStatus, { label: string; tone: BadgeTone }> = {
  pending: { label: 'Waiting to send', tone: 'blue' },
  running: { label: 'Sending', tone: 'blue' },
  delivered: { label: 'Delivered', tone: 'green' },
  partial: { label: 'Partly delivered', tone: 'amber' },
  failed: { label: 'Failed', tone: 'red' },
};

/** How one recipient's mail reads. */
export const RECIPIENT_STATUS: Record<RecipientStatus, string> = {
  pending: 'Waiting',
  sent: 'Sent',
  failed: 'Not sent',
  bounced: 'Bounced',
};

/** Whether a delivery is still being made or mailed. */
export function inFlight(d: Pick<Delivery, 'status'>): boolean {
  return d.status === 'pending' || d.status === 'running';
}

/** How long the API holds "send now" back for a delivery that is still pending or running. */
export const SEND_GUARD_MS = 15 * 60 * 1000;

/**
 * Whether a delivery is under way: in flight and asked for within the last 15
 * minutes (one stuck longer no longer holds "send now" back, nor is it
 * followed).
 */
export function underWay(d: Pick<Delivery, 'status' | 'createdAt'>, now = Date.now()): boolean {
  return inFlight(d) && now - Date.parse(d.createdAt) < SEND_GUARD_MS;
}

/** A workbook's size as people read it: "840 B", "12 KB", "8.4 MB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${Math.round(n / 1000)} KB`;
  return `${(Math.round(n / 100_000) / 10).toLocaleString('en-GB')} MB`;
}

/** The schedule form's values, all strings as inputs hold them. */
export interface ScheduleValues {
  name: string;
  kind: ScheduleKind;
  teamId: string;
  frequency: ScheduleFrequency;
  weekday: Weekday;
  dayOfMonth: string;
  time: string;
  timeZone: string;
  period: SchedulePeriod;
  recipients: string[];
}

/** A new schedule's values: weekly on Monday at 08:00 over the last week, in the organization's zone. */
export function blankValues(orgTimeZone: string): ScheduleValues {
  return {
    name: '',
    kind: 'viewings',
    teamId: '',
    frequency: 'weekly',
    weekday: 'monday',
    dayOfMonth: '1',
    time: '08:00',
    timeZone: orgTimeZone,
    period: 'week',
    recipients: [''],
  };
}

/** An existing schedule's values for its edit form. */
export function valuesOf(s: Schedule): ScheduleValues {
  return {
    name: s.name,
    kind: s.kind,
    teamId: s.teamId,
    frequency: s.frequency,
    weekday: s.weekday || 'monday',
    dayOfMonth: String(s.dayOfMonth || 1),
    time: s.time,
    timeZone: s.timeZone,
    period: s.period,
    recipients: s.recipients.length > 0 ? [...s.recipients] : [''],
  };
}

/** The API's ScheduleInput from the form: only the fields the frequency and kind use, blank addresses left out. */
export function inputOf(v: ScheduleValues, paused: boolean): ScheduleInput {
  return {
    name: v.name.trim(),
    kind: v.kind,
    ...(v.kind === 'team-activity' ? { teamId: v.teamId } : {}),
    frequency: v.frequency,
    ...(v.frequency === 'weekly' ? { weekday: v.weekday } : { dayOfMonth: Number(v.dayOfMonth) }),
    time: v.time,
    timeZone: v.timeZone,
    period: v.period,
    recipients: v.recipients.map((r) => r.trim()).filter((r) => r !== ''),
    paused,
  };
}

/** What is wrong with a schedule form, per field. */
export type ScheduleErrors = Partial<Record<Exclude<keyof ScheduleValues, 'recipients'> | 'recipients' | 'form', string>> & {
  /** Per address (by its place in the form). */
  recipient?: Record<number, string>;
};

/** What the form can tell before asking the API. */
export function checkValues(v: ScheduleValues): ScheduleErrors {
  const e: ScheduleErrors = {};
  if (!v.name.trim()) e.name = 'Give the schedule a name.';
  if (v.kind === 'team-activity' && !v.teamId) e.teamId = 'Choose the team.';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(v.time)) e.time = 'Give a time of day, hh:mm.';
  if (v.recipients.every((r) => !r.trim())) e.recipients = 'Give at least one address.';
  return e;
}

/**
 * The API's refusal on the form's fields: `fields` named as in JSON. An
 * address's own problem lands on that address: keyed "recipients[2]" (or
 * "recipients.2", counted among the non-blank ones the form sent), or keyed
 * "recipients" with the address quoted first in the message.
 */
export function errorsFromApi(fields: Record<string, string>, message: string, sent: string[]): ScheduleErrors {
  const e: ScheduleErrors = {};
  const sentIndexes = sent.map((r, i) => (r.trim() ? i : -1)).filter((i) => i >= 0);
  for (const [key, problem] of Object.entries(fields)) {
    const m = /^recipients(?:\[(\d+)\]|\.(\d+))$/.exec(key);
    if (m) {
      const at = sentIndexes[Number(m[1] ?? m[2])];
      if (at !== undefined) {
        e.recipient = { ...e.recipient, [at]: problem };
        continue;
      }
      e.recipients = problem;
      continue;
    }
    if (key === 'recipients') {
      // The API names a bad address first, quoted: '"bad@" is not an email address.'
      const quoted = /^"([^"]*)"/.exec(problem)?.[1];
      const at = quoted === undefined ? -1 : sent.findIndex((r) => r.trim() === quoted);
      if (at >= 0) e.recipient = { ...e.recipient, [at]: problem };
      else e.recipients = problem;
      continue;
    }
    if (key in FIELD_KEYS) (e as Record<string, string>)[key] = problem;
    else e.form = e.form ? `${e.form} ${problem}` : problem;
  }
  if (Object.keys(e).length === 0) e.form = message;
  return e;
}

const FIELD_KEYS: Record<string, true> = {
  name: true, kind: true, teamId: true, frequency: true, weekday: true, dayOfMonth: true,
  time: true, timeZone: true, period: true, recipients: true,
};
