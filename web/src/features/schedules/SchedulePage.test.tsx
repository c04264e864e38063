import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiError, makeDelivery, makeMe, makeSchedule, mockFetch } from '../../test/fetchMock';
import { currentLocation, renderApp } from '../../test/render';
import { polling } from './schedules';

beforeEach(() => {
  polling.ms = 20;
});
afterEach(() => {
  polling.ms = 1000;
  vi.restoreAllMocks();
});

const base = {
  'GET /api/me': { body: makeMe() },
  'GET /api/teams': { body: { items: [] } },
};

describe('a schedule’s page', () => {
  it('shows its settings with bounced recipients flagged, and its deliveries per recipient', async () => {
    mockFetch({
      ...base,
      'GET /api/report-schedules/s1': { body: makeSchedule({ bounced: ['boss@example.com'] }) },
      'GET /api/report-schedules/s1/deliveries': {
        body: {
          deliveries: [
            makeDelivery({
              id: 'd2', status: 'partial', attached: false, bytes: 8_400_000, trigger: 'manual',
              recipients: [
                { address: 'finance@example.com', status: 'sent', reason: '' },
                { address: 'boss@example.com', status: 'bounced', reason: 'The mailbox does not exist.' },
              ],
            }),
            makeDelivery({ id: 'd1', status: 'failed', rows: 0, bytes: 0, error: 'The report could not be made.', recipients: [] }),
          ],
        },
      },
    });
    renderApp('/reports/schedules/s1');
    expect(await screen.findByRole('heading', { name: 'Weekly viewings for finance', level: 1 })).toBeInTheDocument();
    const settings = screen.getByRole('region', { name: 'Settings' });
    expect(settings).toHaveTextContent('Every Monday at 08:00 (Europe/Berlin)');
    expect(settings).toHaveTextContent('The last week (Monday to Sunday)');
    expect(settings).toHaveTextContent('Mon 7 Dec 2026, 08:00');
    const boss = within(settings).getByText('boss@example.com').closest('li')!;
    expect(boss).toHaveTextContent('Bounced');
    expect(within(settings).getByText('finance@example.com').closest('li')).not.toHaveTextContent('Bounced');

    const table = await screen.findByRole('table', { name: 'Deliveries' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Mon 30 Nov 2026, 08:00');
    expect(rows[0]).toHaveTextContent('Sent now');
    expect(rows[0]).toHaveTextContent('23 Nov 2026 – 29 Nov 2026');
    expect(rows[0]).toHaveTextContent('1,234');
    expect(rows[0]).toHaveTextContent('Linked (8.4 MB)');
    expect(rows[0]).toHaveTextContent('Partly delivered');
    expect(rows[0]).toHaveTextContent('boss@example.com: Bounced (The mailbox does not exist.)');
    expect(rows[1]).toHaveTextContent('Failed');
    expect(rows[1]).toHaveTextContent('The report could not be made.');
  });

  it('sends now: the button waits while the report is made and mailed, then says it was delivered', async () => {
    const schedule = makeSchedule();
    const pending = makeDelivery({ id: 'd9', trigger: 'manual', status: 'pending', rows: 0, bytes: 0, createdAt: new Date().toISOString(), finishedAt: null,
      recipients: schedule.recipients.map((address) => ({ address, status: 'pending' as const, reason: '' })) });
    const delivered = { ...pending, status: 'delivered' as const, rows: 1234, bytes: 48_000, recipients: schedule.recipients.map((address) => ({ address, status: 'sent' as const, reason: '' })) };
    let polls = 0;
    const f = mockFetch({
      ...base,
      'GET /api/report-schedules/s1': { body: schedule },
      'GET /api/report-schedules/s1/deliveries': () => {
        polls++;
        if (polls === 1) return { body: { deliveries: [] } };
        return { body: { deliveries: [polls < 4 ? { ...pending, status: 'running' } : delivered] } };
      },
      'POST /api/report-schedules/s1/deliveries': { status: 202, body: pending },
    });
    const { user } = renderApp('/reports/schedules/s1');
    expect(await screen.findByText('Nothing sent yet')).toBeInTheDocument();
    const send = screen.getByRole('button', { name: 'Send now' });
    await user.click(send);
    expect(await screen.findByRole('button', { name: 'Sending…' })).toBeDisabled();
    expect(await screen.findByText('The report for 23 Nov 2026 – 29 Nov 2026 was mailed to 2 recipients.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send now' })).toBeEnabled();
    const row = within(screen.getByRole('table', { name: 'Deliveries' })).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('Delivered');
    expect(row).toHaveTextContent('Attached (48 KB)');
    expect(f.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(polls).toBeGreaterThanOrEqual(4);
  });

  it('says why "send now" was refused and lets the admin try again', async () => {
    mockFetch({
      ...base,
      'GET /api/report-schedules/s1': { body: makeSchedule() },
      'GET /api/report-schedules/s1/deliveries': { body: { deliveries: [] } },
      'POST /api/report-schedules/s1/deliveries': apiError(503, 'unavailable', 'Reports cannot be queued right now. Try again in a minute.'),
    });
    const { user } = renderApp('/reports/schedules/s1');
    await user.click(await screen.findByRole('button', { name: 'Send now' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Reports cannot be queued right now. Try again in a minute.');
    expect(screen.getByRole('button', { name: 'Send now' })).toBeEnabled();
  });

  it('holds "send now" back while the dispatcher’s delivery is under way, and follows it', async () => {
    const running = makeDelivery({ id: 'd5', status: 'running', createdAt: new Date().toISOString(), finishedAt: null });
    let polls = 0;
    mockFetch({
      ...base,
      'GET /api/report-schedules/s1': { body: makeSchedule() },
      'GET /api/report-schedules/s1/deliveries': () => ({ body: { deliveries: [++polls < 3 ? running : { ...running, status: 'delivered' }] } }),
    });
    renderApp('/reports/schedules/s1');
    expect(await screen.findByRole('button', { name: 'Sending…' })).toBeDisabled();
    expect(await screen.findByRole('button', { name: 'Send now' })).toBeEnabled();
    expect(within(screen.getByRole('table', { name: 'Deliveries' })).getAllByRole('row')[1]).toHaveTextContent('Delivered');
  });

  it('says so when another delivery is under way after all (409)', async () => {
    mockFetch({
      ...base,
      'GET /api/report-schedules/s1': { body: makeSchedule() },
      'GET /api/report-schedules/s1/deliveries': { body: { deliveries: [] } },
      'POST /api/report-schedules/s1/deliveries': apiError(409, 'conflict', 'A delivery is under way.'),
    });
    const { user } = renderApp('/reports/schedules/s1');
    await user.click(await screen.findByRole('button', { name: 'Send now' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('A report of this schedule is being sent right now. Wait until it is done.');
  });

  it('deletes after asking and goes back to the Reports page', async () => {
    mockFetch({
      ...base,
      'GET /api/report-schedules/s1': { body: makeSchedule() },
      'GET /api/report-schedules/s1/deliveries': { body: { deliveries: [] } },
      'DELETE /api/report-schedules/s1': { status: 204 },
      'GET /api/exports': { body: { items: [] } },
      'GET /api/report-schedules': { body: { schedules: [] } },
      'GET /api/organization': { body: { id: 'org1', name: 'Demo Company', timeZone: 'UTC', reminders: true } },
    });
    const { user } = renderApp('/reports/schedules/s1');
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete schedule' }));
    expect(await screen.findByRole('heading', { name: 'Reports', level: 1 })).toBeInTheDocument();
    expect(currentLocation().pathname).toBe('/reports');
  });

  it('says when there is no such schedule', async () => {
    mockFetch({ ...base, 'GET /api/report-schedules/nope': apiError(404, 'not_found', 'schedule not found') });
    renderApp('/reports/schedules/nope');
    expect(await screen.findByRole('heading', { name: 'Schedule not found' })).toBeInTheDocument();
  });
});
