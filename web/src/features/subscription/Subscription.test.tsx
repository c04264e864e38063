import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeMe, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';

describe('subscription page', () => {
  it('shows seats, dates and the features included', async () => {
    mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/subscription': {
        body: {
          seats: { total: 50, used: 31, available: 19 },
          startsAt: '2026-05-29',
          endsAt: '2027-05-29',
          status: 'active',
          daysRemaining: 182,
          features: ['courses', 'labs', 'assignments', 'reports'],
        },
      },
      'GET /api/subscription/seat-history': {
        body: {
          days: [
            { date: '2026-05-29', used: 20 },
            { date: '2026-05-30', used: 20 },
            { date: '2026-05-31', used: 31 },
          ],
          seatsTotal: 50,
        },
      },
    });
    const { user } = renderApp('/subscription');
    expect(await screen.findByText('Total seats')).toBeInTheDocument();
    const seats = screen.getByRole('region', { name: 'Seats' });
    expect(within(seats).getByText('50')).toBeInTheDocument();
    expect(within(seats).getByText('31')).toBeInTheDocument();
    expect(within(seats).getByText('19')).toBeInTheDocument();
    expect(screen.getByText('29 May 2027')).toBeInTheDocument();
    const features = within(screen.getByRole('region', { name: 'Included features' })).getAllByRole('listitem');
    expect(features.map((f) => f.textContent)).toEqual(['Courses', 'Labs', 'Assignments', 'Reports']);
    expect(document.title).toBe('Subscription · ProPortal');
    const history = await screen.findByRole('region', { name: 'Seats used per day' });
    const chart = await within(history).findByRole('img');
    expect(chart).toHaveAccessibleName(
      expect.stringContaining('Seats used per day from 29 May 2026 to 31 May 2026: 31 of 50 now, at most 31 (on 31 May 2026).'),
    );
    expect(chart.querySelectorAll('line.chart-limit')).toHaveLength(1);
    // The figures: the days the count changed.
    await user.click(within(history).getByText('Show the figures'));
    const rows = within(within(history).getByRole('table')).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual(['FromSeats used', '29 May 202620', '31 May 202631']);
  });
});
