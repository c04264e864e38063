import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiError, makeMe, makeSchedule, mockFetch } from '../../test/fetchMock';
import { currentLocation, renderApp } from '../../test/render';

afterEach(() => vi.restoreAllMocks());

const base = {
  'GET /api/me': { body: makeMe() },
  'GET /api/exports': { body: { items: [] } },
  'GET /api/organization': { body: { id: 'org1', name: 'Demo Company', timeZone: 'Europe/Berlin', reminders: true } },
  'GET /api/teams': { body: { items: [{ id: 't1', name: 'Sales', memberCount: 4, createdAt: '2026-11-01T10:00:00Z' }] } },
};

describe('scheduled reports on the Reports page', () => {
  it('lists schedules with their cadence, recipients, next run, last delivery and paused badge', async () => {
    mockFetch({
      ...base,
      'GET /api/report-schedules': {
        body: {
          schedules: [
            makeSchedule({ lastDelivery: { id: 'd1', status: 'partial', createdAt: '2026-11-30T07:00:00Z' }, bounced: ['boss@example.com'] }),
            makeSchedule({ id: 's2', name: 'Sales monthly', kind: 'team-activity', teamId: 't1', frequency: 'monthly', dayOfMonth: 31, period: 'month', paused: true, nextRunAt: null, recipients: ['a@example.com'] }),
          ],
        },
      },
    });
    renderApp('/reports');
    const table = await screen.findByRole('table', { name: 'Scheduled reports' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Weekly viewings for finance');
    expect(rows[0]).toHaveTextContent('Every Monday at 08:00 (Europe/Berlin)');
    expect(rows[0]).toHaveTextContent('2 recipients');
    expect(rows[0]).toHaveTextContent('1 bounce');
    expect(rows[0]).toHaveTextContent('Mon 7 Dec 2026, 08:00');
    expect(rows[0]).toHaveTextContent('Partly delivered');
    expect(within(rows[0]!).getByRole('link', { name: 'Weekly viewings for finance' })).toHaveAttribute('href', '/reports/schedules/s1');
    expect(await within(rows[1]!).findByText('Activity of Sales')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('Every month on the 31st at 08:00 (Europe/Berlin)');
    expect(within(rows[1]!).getAllByText('Paused')).toHaveLength(2);
    expect(rows[1]).toHaveTextContent('None yet');
  }, 15_000);

  it('creates a schedule for a team, in the organization’s zone, with the recipients added, and opens it', async () => {
    const created = makeSchedule({ id: 's9', name: 'Sales weekly', kind: 'team-activity', teamId: 't1' });
    const f = mockFetch({
      ...base,
      'GET /api/report-schedules': { body: { schedules: [] } },
      'POST /api/report-schedules': { status: 201, body: created },
      'GET /api/report-schedules/s9': { body: created },
      'GET /api/report-schedules/s9/deliveries': { body: { deliveries: [] } },
    });
    const { user } = renderApp('/reports');
    expect(await screen.findByText('No scheduled reports yet')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'New schedule' }));
    const dialog = await screen.findByRole('dialog', { name: 'New schedule' });
    expect(within(dialog).getByLabelText('Time zone')).toHaveValue('Europe/Berlin');
    await user.click(within(dialog).getByLabelText('Name'));
    await user.paste('Sales weekly');
    await user.selectOptions(within(dialog).getByLabelText('Report'), 'team-activity');
    await user.selectOptions(within(dialog).getByLabelText('Team'), 't1');
    await user.selectOptions(within(dialog).getByLabelText('Day of the week'), 'friday');
    await user.click(within(dialog).getByLabelText('Recipient 1'));
    await user.paste('finance@example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Add recipient' }));
    expect(within(dialog).getByLabelText('Recipient 2')).toHaveFocus();
    await user.paste('boss@example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Add recipient' }));
    await user.click(within(dialog).getByRole('button', { name: 'Remove recipient 3' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create schedule' }));
    expect(await screen.findByRole('heading', { name: 'Sales weekly', level: 1 })).toBeInTheDocument();
    expect(currentLocation().pathname).toBe('/reports/schedules/s9');
    expect(screen.getByText(/Sales weekly was created\./)).toBeInTheDocument();
    expect(f.calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Sales weekly', kind: 'team-activity', teamId: 't1', frequency: 'weekly', weekday: 'friday', time: '08:00',
      timeZone: 'Europe/Berlin', period: 'week', recipients: ['finance@example.com', 'boss@example.com'], paused: false,
    });
  }, 15_000);

  it('shows the API’s field errors on their fields and the form’s own before asking', async () => {
    const f = mockFetch({
      ...base,
      'GET /api/report-schedules': { body: { schedules: [] } },
      'POST /api/report-schedules': apiError(400, 'validation_failed', 'Some fields are missing or invalid.', {
        recipients: '"bad@" is not an email address.',
        time: 'Give a time between 00:00 and 23:59.',
      }),
    });
    const { user } = renderApp('/reports');
    await user.click(await screen.findByRole('button', { name: 'New schedule' }));
    const dialog = await screen.findByRole('dialog', { name: 'New schedule' });
    await user.click(within(dialog).getByRole('button', { name: 'Create schedule' }));
    expect(within(dialog).getByText('Give the schedule a name.')).toBeInTheDocument();
    expect(within(dialog).getByText('Give at least one address.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Name')).toHaveFocus();
    expect(f.calls.some((c) => c.method === 'POST')).toBe(false);

    await user.click(within(dialog).getByLabelText('Name'));
    await user.paste('Finance');
    await user.click(within(dialog).getByLabelText('Recipient 1'));
    await user.paste('ok@example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Add recipient' }));
    await user.paste('bad@');
    await user.click(within(dialog).getByRole('button', { name: 'Create schedule' }));
    const bad = within(dialog).getByLabelText('Recipient 2');
    expect(await within(dialog).findByText('"bad@" is not an email address.')).toBeInTheDocument();
    expect(bad).toHaveAttribute('aria-invalid', 'true');
    expect(bad).toHaveAccessibleDescription('"bad@" is not an email address.');
    expect(within(dialog).getByLabelText('Time')).toHaveAccessibleDescription('Give a time between 00:00 and 23:59.');
    expect(within(dialog).getByLabelText('Recipient 1')).not.toHaveAttribute('aria-invalid');
  }, 15_000);

  it('offers at most 20 addresses', async () => {
    mockFetch({ ...base, 'GET /api/report-schedules': { body: { schedules: [] } } });
    const { user } = renderApp('/reports');
    await user.click(await screen.findByRole('button', { name: 'New schedule' }));
    const dialog = await screen.findByRole('dialog', { name: 'New schedule' });
    expect(within(dialog).getByRole('button', { name: 'Remove recipient 1' })).toBeDisabled();
    const add = within(dialog).getByRole('button', { name: 'Add recipient' });
    for (let i = 1; i < 20; i++) await user.click(add);
    expect(within(dialog).getByLabelText('Recipient 20')).toBeInTheDocument();
    expect(add).toBeDisabled();
    expect(within(dialog).getByText('That is the most a schedule mails.')).toBeInTheDocument();
  }, 15_000);

  it('pauses, edits and deletes (after asking) from a row’s actions', async () => {
    const s = makeSchedule();
    let schedules = [s];
    const f = mockFetch({
      ...base,
      'GET /api/report-schedules': () => ({ body: { schedules } }),
      'PUT /api/report-schedules/s1': ({ body }) => ({ body: { ...s, ...(body as object), nextRunAt: null } }),
      'DELETE /api/report-schedules/s1': () => {
        schedules = [];
        return { status: 204 };
      },
    });
    const { user } = renderApp('/reports');
    await user.click(await screen.findByRole('button', { name: 'Actions for Weekly viewings for finance' }));
    await user.click(screen.getByRole('menuitem', { name: 'Pause' }));
    expect(await screen.findByText('Weekly viewings for finance is paused: nothing is sent until you resume it.')).toBeInTheDocument();
    expect(f.calls.find((c) => c.method === 'PUT')?.body).toMatchObject({ paused: true, recipients: s.recipients, weekday: 'monday' });

    await user.click(screen.getByRole('button', { name: 'Actions for Weekly viewings for finance' }));
    await user.click(screen.getByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Weekly viewings for finance' });
    expect(within(dialog).getByLabelText('Recipient 2')).toHaveValue('boss@example.com');
    await user.selectOptions(within(dialog).getByLabelText('Frequency'), 'monthly');
    await user.selectOptions(within(dialog).getByLabelText('Day of the month'), '31');
    expect(within(dialog).getByText('In shorter months it runs on the last day.')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Save schedule' }));
    expect(await screen.findByText('Weekly viewings for finance was saved.')).toBeInTheDocument();
    expect(f.calls.filter((c) => c.method === 'PUT')[1]?.body).toMatchObject({ frequency: 'monthly', dayOfMonth: 31 });

    await user.click(screen.getByRole('button', { name: 'Actions for Weekly viewings for finance' }));
    await user.click(screen.getByRole('menuitem', { name: 'Delete' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete Weekly viewings for finance?' });
    expect(within(confirm).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(confirm).getByRole('button', { name: 'Delete schedule' }));
    expect(await screen.findByText('No scheduled reports yet')).toBeInTheDocument();
    expect(f.calls.some((c) => c.method === 'DELETE')).toBe(true);
  }, 15_000);
});
