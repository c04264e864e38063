import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, makeMe, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';

const subscription = {
  seats: { total: 50, used: 31, available: 19 },
  startsAt: '2026-05-29',
  endsAt: '2027-05-29',
  status: 'active',
  daysRemaining: 182,
  features: ['courses'],
};
const org = { id: 'org1', name: 'Demo Company', timeZone: 'Europe/Berlin', reminders: true };

describe('the reminders switch', () => {
  it('turns reminders off and on with the keyboard, saying what they do', async () => {
    const f = mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/subscription': { body: subscription },
      'GET /api/subscription/seat-history': { body: { days: [], seatsTotal: 50 } },
      'GET /api/organization': { body: org },
      'PATCH /api/organization': ({ body }) => ({ body: { ...org, ...(body as object) } }),
    });
    const { user } = renderApp('/subscription');
    const card = await screen.findByRole('region', { name: 'Due-date reminders' });
    const toggle = await within(card).findByRole('switch', { name: 'Email reminders about due dates' });
    expect(toggle).toHaveAttribute('aria-checked', 'true');
    expect(toggle).toHaveAccessibleDescription(/3 days before it is due, on the due day, and once the day after/);
    toggle.focus();
    await user.keyboard(' ');
    expect(await within(card).findByText('Reminders are off: nobody is mailed about due dates.')).toBeInTheDocument();
    expect(toggle).toHaveAttribute('aria-checked', 'false');
    expect(f.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ reminders: false });
    await user.keyboard('{Enter}');
    expect(await within(card).findByText('Reminders are on.')).toBeInTheDocument();
    expect(toggle).toHaveAttribute('aria-checked', 'true');
  });

  it('puts the switch back and says so when the change is refused', async () => {
    mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/subscription': { body: subscription },
      'GET /api/subscription/seat-history': { body: { days: [], seatsTotal: 50 } },
      'GET /api/organization': { body: { ...org, reminders: false } },
      'PATCH /api/organization': apiError(500, 'internal', 'Internal error.'),
    });
    const { user } = renderApp('/subscription');
    const toggle = await screen.findByRole('switch', { name: 'Email reminders about due dates' });
    expect(toggle).toHaveAttribute('aria-checked', 'false');
    await user.click(toggle);
    expect(await screen.findByRole('alert')).toHaveTextContent('The change was not saved: Internal error.');
    expect(toggle).toHaveAttribute('aria-checked', 'false');
  });
});
