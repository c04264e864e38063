// Dates and numbers as people read them: "29 May 2026", "29 May 2026, 17:36".
// Month names are spelled out here rather than taken from Intl so the text is
// the same in every browser (ICU versions differ, e.g. "Sep" / "Sept").

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const DAY_MS = 24 * 60 * 60 * 1000;

/** Parses a calendar day "2026-05-29" as that day at 00:00 UTC; null if it is not one. */
export function parseDay(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) || d.getUTCDate() !== Number(m[3]) ? null : d;
}

/**
 * A calendar day ("2026-05-29") or a timestamp as "29 May 2026". Calendar days
 * are read in UTC, as the API means them; timestamps in the viewer's zone.
 */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const day = parseDay(value);
  if (day) return `${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}`;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

/** A timestamp as "29 May 2026, 17:36" in the viewer's time zone. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${hh}:${mm}`;
}

/** The last sign-in for the users table: "Never" when there was none. */
export function formatLastSignIn(value: string | null | undefined, now: Date = new Date()): string {
  if (!value) return 'Never';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return 'Never';
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  const days = Math.round((startOfDay(now) - startOfDay(d)) / DAY_MS);
  if (days === 0) return `Today, ${hh}:${mm}`;
  if (days === 1) return `Yesterday, ${hh}:${mm}`;
  return formatDate(value);
}

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** A week start "2026-09-07" as a short axis label "7 Sep". */
export function formatWeek(day: string): string {
  const d = parseDay(day);
  return d ? `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}` : day;
}

/** "1 day", "3 days". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/**
 * Direction controls (embeddings, overrides, isolates, marks). The API refuses
 * them in new names; names stored before may hold them, and they are dropped
 * for display so that a name cannot reverse itself or what follows it.
 */
const directionControls = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

/** "Ada Lovelace", without direction controls. */
export function fullName(u: { firstName: string; lastName: string }): string {
  return `${u.firstName} ${u.lastName}`.replace(directionControls, '').trim();
}

/** "Ada Lovelace's", "James's". */
export function possessive(name: string): string {
  return `${name}'s`;
}

/** Seconds watched as people say them: "45 s", "12 min", "3 h 05 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  return `${h.toLocaleString('en-GB')} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Seconds as hours with one decimal for figures and axes: "0", "0.5", "12.3". */
export function formatHours(seconds: number): string {
  const h = Math.round((seconds / 3600) * 10) / 10;
  return h.toLocaleString('en-GB', { maximumFractionDigits: 1 });
}
