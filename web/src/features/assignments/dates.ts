// Due dates are calendar days in the organization's time zone (YYYY-MM-DD):
// shown as days, never converted through the browser's zone.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "28 Jun 2030" for "2030-06-28"; the text itself when it is not a day. */
export function formatDay(day: string): string {
  const m = DAY.exec(day);
  if (!m) return day;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** The day n days after day (YYYY-MM-DD). */
export function addDays(day: string, n: number): string {
  const m = DAY.exec(day);
  if (!m) return day;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n));
  return d.toISOString().slice(0, 10);
}
