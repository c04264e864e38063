import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { UsageWeek } from '../../api';
import { makeMe, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';

/** Twelve weeks from 2026-09-07, with the figures given (by index) and zeros elsewhere. */
function weeks(figures: Record<number, Partial<UsageWeek>> = {}): UsageWeek[] {
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(2026, 8, 7 + 7 * i));
    const zero = { activeLearners: 0, viewings: 0, seconds: 0, completed: 0, labsStarted: 0, labsCompleted: 0, logins: 0 };
    return { weekStart: d.toISOString().slice(0, 10), ...zero, ...figures[i] };
  });
}

const base = {
  seats: { total: 50, used: 31, available: 19 },
  subscription: { startsAt: '2026-05-29', endsAt: '2027-05-29', status: 'active', daysRemaining: 182 },
  usage: weeks(),
  assignments: { assignments: 0, assignees: 0, completed: 0, inProgress: 0, notStarted: 0, overdue: 0 },
};

function open(dashboard: typeof base) {
  mockFetch({ 'GET /api/me': { body: makeMe() }, 'GET /api/dashboard': { body: dashboard } });
  return renderApp('/');
}

describe('dashboard', () => {
  it('shows seats, access dates and empty states', async () => {
    open(base);
    expect(await screen.findByText('31 of 50')).toBeInTheDocument();
    expect(document.title).toBe('Dashboard · ProPortal');
    const seats = screen.getByRole('region', { name: 'Seats' });
    expect(within(seats).getByText('Seats allocated')).toBeInTheDocument();
    expect(within(seats).getByText('Available seats').nextElementSibling).toHaveTextContent('19');
    expect(screen.getByText('29 May 2026')).toBeInTheDocument();
    expect(screen.getByText('29 May 2027')).toBeInTheDocument();
    expect(screen.getByText('Active')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('No activity yet')).toBeInTheDocument();
    expect(screen.queryByRole('img', { name: /Viewings and active learners per week/ })).toBeNull();
    expect(screen.getByText('No assignments yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');
  });

  it('warns when the subscription ends within 30 days', async () => {
    open({ ...base, subscription: { ...base.subscription, endsAt: '2026-12-12', daysRemaining: 14 } });
    expect(await screen.findByRole('alert')).toHaveTextContent('Your subscription ends in 14 days');
    expect(screen.getByRole('alert')).toHaveTextContent('12 Dec 2026');
  });

  it('warns when every seat is in use', async () => {
    open({ ...base, seats: { total: 50, used: 50, available: 0 } });
    expect(await screen.findByRole('alert')).toHaveTextContent('All seats are in use');
  });

  it('does not warn while a seat is free', async () => {
    open(base);
    await screen.findByText('Seats allocated');
    expect(screen.queryByText('All seats are in use')).toBeNull();
  });

  it('warns when the subscription has ended', async () => {
    open({ ...base, subscription: { ...base.subscription, endsAt: '2026-11-01', status: 'ended', daysRemaining: 0 } });
    expect(await screen.findByRole('alert')).toHaveTextContent('Your subscription has ended');
  });

  it('draws 12 weeks of usage, with the figures in a table', async () => {
    open({
      ...base,
      usage: weeks({ 0: { activeLearners: 12, viewings: 40, seconds: 7200, completed: 9 }, 1: { activeLearners: 15, viewings: 52, seconds: 3600 } }),
      assignments: { assignments: 3, assignees: 20, completed: 8, inProgress: 6, notStarted: 4, overdue: 2 },
    });
    const chart = await screen.findByRole('img', { name: /Viewings and active learners per week/ });
    expect(chart).toHaveAccessibleName(expect.stringContaining('92 in all, the most (52) in the week of 14 Sep'));
    expect(chart.querySelectorAll('rect.chart-bar')).toHaveLength(12);
    const usage = screen.getByRole('region', { name: 'Usage over the last 12 weeks' });
    expect(within(usage).getByText('Hours watched', { selector: 'dt' }).nextElementSibling).toHaveTextContent('3');
    const table = within(usage).getByRole('table', { name: 'Viewings and active learners per week' });
    expect(within(table).getAllByRole('row')).toHaveLength(13);
    const row = within(table).getByRole('rowheader', { name: '14 Sep' }).closest('tr');
    expect(row).toHaveTextContent('14 Sep521510');
    expect(screen.queryByText('No activity yet')).toBeNull();
    expect(screen.getByText('3 open assignments to 20 people')).toBeInTheDocument();
    expect(screen.queryByText('No assignments yet')).toBeNull();
  });
});
