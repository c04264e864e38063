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
    });
    renderApp('/subscription');
    expect(await screen.findByText('Total seats')).toBeInTheDocument();
    const seats = screen.getByRole('region', { name: 'Seats' });
    expect(within(seats).getByText('50')).toBeInTheDocument();
    expect(within(seats).getByText('31')).toBeInTheDocument();
    expect(within(seats).getByText('19')).toBeInTheDocument();
    expect(screen.getByText('29 May 2027')).toBeInTheDocument();
    const features = within(screen.getByRole('region', { name: 'Included features' })).getAllByRole('listitem');
    expect(features.map((f) => f.textContent)).toEqual(['Courses', 'Labs', 'Assignments', 'Reports']);
    expect(document.title).toBe('Subscription · ProPortal');
  });
});
