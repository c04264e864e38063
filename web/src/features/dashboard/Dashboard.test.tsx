import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeMe, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';

// recharts needs a real layout; the test checks that the chart module is
// asked for only when there is usage, and what the page says around it.
vi.mock('./UsageChart', () => ({
  default: ({ usage }: { usage: unknown[] }) => <div data-testid="usage-chart">{usage.length} weeks</div>,
}));

const base = {
  seats: { total: 50, used: 31, available: 19 },
  subscription: { startsAt: '2026-05-29', endsAt: '2027-05-29', status: 'active', daysRemaining: 182 },
  usage: [] as unknown[],
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
    expect(screen.queryByTestId('usage-chart')).toBeNull();
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

  it('draws the usage chart (loaded lazily) with a table for screen readers', async () => {
    open({
      ...base,
      usage: [
        { weekStart: '2026-09-07', activeUsers: 12, viewings: 40 },
        { weekStart: '2026-09-14', activeUsers: 15, viewings: 52 },
      ],
      assignments: { assignments: 3, assignees: 20, completed: 8, inProgress: 6, notStarted: 4, overdue: 2 },
    });
    expect(await screen.findByTestId('usage-chart')).toHaveTextContent('2 weeks');
    const table = screen.getByRole('table', { name: 'Usage per week' });
    expect(within(table).getByRole('rowheader', { name: '14 Sep' })).toBeInTheDocument();
    expect(screen.getByText('3 open assignments to 20 people')).toBeInTheDocument();
    expect(screen.queryByText('No assignments yet')).toBeNull();
  });
});
