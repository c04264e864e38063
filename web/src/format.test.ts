import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDuration, formatHours, formatLastSignIn, formatWeek, fullName, parseDay, plural } from './format';

describe('formatDate', () => {
  it.each([
    ['2026-05-29', '29 May 2026'],
    ['2027-01-01', '1 Jan 2027'],
    ['2026-09-07', '7 Sep 2026'],
    ['2026-12-31', '31 Dec 2026'],
  ])('formats the calendar day %s as %s, whatever the time zone', (give, want) => {
    expect(formatDate(give)).toBe(want);
  });

  it('formats a timestamp as its day', () => {
    expect(formatDate('2026-11-29T17:36:49Z')).toBe('29 Nov 2026');
  });

  it('shows a dash for nothing and keeps what it cannot read', () => {
    expect(formatDate(null)).toBe('—');
    expect(formatDate('')).toBe('—');
    expect(formatDate('soon')).toBe('soon');
  });
});

describe('parseDay', () => {
  it('refuses days that do not exist', () => {
    expect(parseDay('2026-02-30')).toBeNull();
    expect(parseDay('2026-5-1')).toBeNull();
    expect(parseDay('2026-02-28')?.toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });
});

describe('formatDateTime', () => {
  it('shows day and 24-hour time (tests run in UTC)', () => {
    expect(formatDateTime('2026-11-29T07:05:00Z')).toBe('29 Nov 2026, 07:05');
    expect(formatDateTime(null)).toBe('—');
  });
});

describe('formatLastSignIn', () => {
  const now = new Date('2026-11-29T18:00:00Z');
  it.each([
    [null, 'Never'],
    ['2026-11-29T09:30:00Z', 'Today, 09:30'],
    ['2026-11-28T23:10:00Z', 'Yesterday, 23:10'],
    ['2026-10-02T12:00:00Z', '2 Oct 2026'],
  ])('%s → %s', (give, want) => {
    expect(formatLastSignIn(give, now)).toBe(want);
  });
});

describe('small words', () => {
  it('formats weeks, plurals and names', () => {
    expect(formatWeek('2026-09-07')).toBe('7 Sep');
    expect(plural(1, 'day')).toBe('1 day');
    expect(plural(182, 'day')).toBe('182 days');
    expect(plural(2, 'person', 'people')).toBe('2 people');
    expect(plural(1200, 'seat')).toBe('1,200 seats');
    expect(fullName({ firstName: 'Ada', lastName: 'Lovelace' })).toBe('Ada Lovelace');
    // A right-to-left override stored before the API refused it shows as written.
    expect(fullName({ firstName: '\u202eRtl', lastName: 'Override\u2066' })).toBe('Rtl Override');
  });
});

describe('durations', () => {
  it('says seconds, minutes and hours as people do', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(60 * 12 + 30)).toBe('12 min');
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe('3 h 05 min');
    expect(formatHours(0)).toBe('0');
    expect(formatHours(1800)).toBe('0.5');
    expect(formatHours(12 * 3600 + 1000)).toBe('12.3');
  });
});
