import { describe, expect, it } from 'vitest';
import { accessWarning, daysLeft, featureLabel, seatShare, seatsInUse, subscriptionStatusLabel } from './subscription';

describe('seat figures', () => {
  it('says used of total', () => {
    expect(seatsInUse({ used: 31, total: 50 })).toBe('31 of 50');
    expect(seatsInUse({ used: 0, total: 0 })).toBe('0 of 0');
  });

  it('gives the share in use, bounded to 0–100', () => {
    expect(seatShare({ used: 31, total: 50 })).toBe(62);
    expect(seatShare({ used: 50, total: 50 })).toBe(100);
    expect(seatShare({ used: 3, total: 0 })).toBe(0);
    expect(seatShare({ used: 60, total: 50 })).toBe(100);
  });
});

describe('accessWarning', () => {
  const today = new Date('2026-11-29T12:00:00Z');

  it.each([
    ['far from the end', { status: 'active' as const, endsAt: '2027-05-29', daysRemaining: 182 }, null],
    ['31 days left', { status: 'active' as const, endsAt: '2026-12-29', daysRemaining: 31 }, null],
    ['30 days left', { status: 'active' as const, endsAt: '2026-12-28', daysRemaining: 30 }, 'ending'],
    ['the last day', { status: 'active' as const, endsAt: '2026-11-29', daysRemaining: 1 }, 'ending'],
    ['ended', { status: 'ended' as const, endsAt: '2026-11-01', daysRemaining: 0 }, 'ended'],
    ['upcoming', { status: 'upcoming' as const, endsAt: '2027-12-01', daysRemaining: 400 }, null],
  ])('%s', (_, period, want) => {
    expect(accessWarning(period, today)?.kind ?? null).toBe(want);
  });

  it('says when and what to do', () => {
    const w = accessWarning({ status: 'active', endsAt: '2026-12-12', daysRemaining: 14 }, today);
    expect(w?.title).toBe('Your subscription ends in 14 days');
    expect(w?.message).toContain('12 Dec 2026');
    expect(w?.message).toMatch(/contact your account manager/i);
    expect(accessWarning({ status: 'active', endsAt: '2026-11-29', daysRemaining: 1 }, today)?.title).toBe(
      'Your subscription ends today',
    );
    expect(accessWarning({ status: 'ended', endsAt: '2026-11-01', daysRemaining: 0 }, today)?.message).toContain(
      '1 Nov 2026',
    );
  });

  it('works from the end date when daysRemaining is missing', () => {
    expect(daysLeft({ endsAt: '2026-11-29' }, today)).toBe(1);
    expect(daysLeft({ endsAt: '2026-12-28' }, today)).toBe(30);
    expect(daysLeft({ endsAt: '2026-11-20' }, today)).toBe(0);
    expect(accessWarning({ status: 'active', endsAt: '2026-12-20' }, today)?.kind).toBe('ending');
    expect(accessWarning({ status: 'active', endsAt: '2027-12-20' }, today)).toBeNull();
  });
});

describe('labels', () => {
  it('names statuses and features for people', () => {
    expect(subscriptionStatusLabel('active')).toBe('Active');
    expect(subscriptionStatusLabel('upcoming')).toBe('Upcoming');
    expect(featureLabel('courses')).toBe('Courses');
    expect(featureLabel('labs')).toBe('Labs');
    expect(featureLabel('assignments')).toBe('Assignments');
    expect(featureLabel('reports')).toBe('Reports');
    expect(featureLabel('webinars')).toBe('Webinars');
  });
});
