import { describe, expect, it } from 'vitest';
import { cadence, errorsFromApi, formatBytes, formatInZone, inputOf, ordinal, valuesOf, blankValues } from './schedules';
import { makeSchedule } from '../../test/fetchMock';

describe('schedule wording', () => {
  it('says the cadence in words', () => {
    const tests = [
      { give: makeSchedule(), want: 'Every Monday at 08:00 (Europe/Berlin)' },
      { give: makeSchedule({ frequency: 'monthly', dayOfMonth: 31, time: '06:30', timeZone: 'UTC' }), want: 'Every month on the 31st at 06:30 (UTC)' },
      { give: makeSchedule({ frequency: 'monthly', dayOfMonth: 2 }), want: 'Every month on the 2nd at 08:00 (Europe/Berlin)' },
      { give: makeSchedule({ weekday: 'sunday', timeZone: 'America/New_York' }), want: 'Every Sunday at 08:00 (America/New_York)' },
    ];
    for (const tt of tests) expect(cadence(tt.give)).toBe(tt.want);
  });

  it('spells ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '31st']);
  });

  it('shows instants in the schedule’s zone, across a daylight-saving change', () => {
    expect(formatInZone('2026-12-07T07:00:00Z', 'Europe/Berlin')).toBe('Mon 7 Dec 2026, 08:00');
    expect(formatInZone('2026-03-30T06:00:00Z', 'Europe/Berlin')).toBe('Mon 30 Mar 2026, 08:00');
    expect(formatInZone('2026-12-07T07:00:00Z', 'Not/AZone')).toBe('Mon 7 Dec 2026, 07:00');
    expect(formatInZone(null, 'UTC')).toBe('—');
  });

  it('sizes files', () => {
    expect([840, 12_400, 8_400_000].map(formatBytes)).toEqual(['840 B', '12 KB', '8.4 MB']);
  });
});

describe('the schedule form and the API', () => {
  it('sends only what the frequency and kind use, addresses trimmed and blanks left out', () => {
    const v = { ...blankValues('Europe/Berlin'), name: ' Finance ', recipients: [' a@example.com ', '', 'b@example.com'] };
    expect(inputOf(v, false)).toEqual({
      name: 'Finance', kind: 'viewings', frequency: 'weekly', weekday: 'monday', time: '08:00', timeZone: 'Europe/Berlin',
      period: 'week', recipients: ['a@example.com', 'b@example.com'], paused: false,
    });
    const monthly = { ...v, kind: 'team-activity' as const, teamId: 't1', frequency: 'monthly' as const, dayOfMonth: '31', period: 'month' as const };
    expect(inputOf(monthly, true)).toMatchObject({ teamId: 't1', dayOfMonth: 31, period: 'month', paused: true });
    expect(inputOf(monthly, true)).not.toHaveProperty('weekday');
  });

  it('round-trips a schedule through the form unchanged', () => {
    const s = makeSchedule({ kind: 'team-activity', teamId: 't1' });
    expect(inputOf(valuesOf(s), s.paused)).toEqual({
      name: s.name, kind: s.kind, teamId: 't1', frequency: 'weekly', weekday: 'monday', time: '08:00', timeZone: 'Europe/Berlin',
      period: 'week', recipients: s.recipients, paused: false,
    });
  });

  it('puts the API’s field errors on their fields, an address’s on that address', () => {
    const sent = ['a@example.com', '', 'not-an-address'];
    expect(errorsFromApi({ name: 'Give the schedule a name.', 'recipients[1]': 'not-an-address is not an email address.' }, 'Some fields are missing or invalid.', sent)).toEqual({
      name: 'Give the schedule a name.',
      recipient: { 2: 'not-an-address is not an email address.' },
    });
    expect(errorsFromApi({ recipients: 'At most 20 addresses.' }, 'x', sent)).toEqual({ recipients: 'At most 20 addresses.' });
    expect(errorsFromApi({ recipients: '"not-an-address" is not an email address.' }, 'x', sent)).toEqual({
      recipient: { 2: '"not-an-address" is not an email address.' },
    });
    expect(errorsFromApi({}, 'You have 50 schedules, the most there can be.', sent)).toEqual({ form: 'You have 50 schedules, the most there can be.' });
    expect(errorsFromApi({ other: 'Odd.' }, 'x', sent)).toEqual({ form: 'Odd.' });
  });
});
