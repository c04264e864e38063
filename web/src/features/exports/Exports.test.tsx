import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiError, makeMe, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';
import { navigation } from './useExport';

const pending = {
  id: 'e1',
  kind: 'viewings',
  from: '2026-11-01',
  to: '2026-11-30',
  status: 'pending',
  progress: 0,
  rows: 0,
  createdAt: '2026-12-01T09:00:00Z',
  expiresAt: '2026-12-08T09:00:00Z',
  fileName: 'proportal-viewings-2026-11-01-to-2026-11-30.xlsx',
};
const done = { ...pending, status: 'done', progress: 1, rows: 1200, downloadUrl: 'https://files.example/x.xlsx?sig=1' };

afterEach(() => vi.restoreAllMocks());

/** The Reports page's "Scheduled reports" section, with no schedules. */
const noSchedules = {
  'GET /api/report-schedules': { body: { schedules: [] } },
  'GET /api/organization': { body: { id: 'org1', name: 'Demo Company', timeZone: 'Europe/Berlin', reminders: true } },
  'GET /api/teams': { body: { items: [] } },
};

describe('reports', () => {
  it('exports viewings over the range with a progress bar, then downloads the file', async () => {
    const assign = vi.spyOn(navigation, 'assign').mockImplementation(() => {});
    const f = mockFetch({
      ...noSchedules,
      'GET /api/me': { body: makeMe() },
      'GET /api/exports': { body: { items: [] } },
      'POST /api/exports': { status: 202, body: pending },
      'GET /api/exports/e1': { body: done },
    });
    const user = userEvent.setup();
    renderApp('/reports');
    expect(await screen.findByRole('heading', { name: 'Reports', level: 1 })).toBeInTheDocument();
    const from = screen.getByLabelText('From');
    await user.clear(from);
    await user.type(from, '2026-11-01');
    const to = screen.getByLabelText('To');
    await user.clear(to);
    await user.type(to, '2026-11-30');
    await user.click(screen.getByRole('button', { name: 'Download Viewings' }));
    expect(await screen.findByRole('progressbar', { name: 'Viewings export' })).toHaveAttribute('aria-valuemin', '0');
    expect(await screen.findByRole('link', { name: /Download proportal-viewings-2026-11-01-to-2026-11-30.xlsx again/ }, { timeout: 3000 })).toHaveAttribute(
      'href',
      done.downloadUrl,
    );
    expect(assign).toHaveBeenCalledWith(done.downloadUrl);
    expect(f.calls.find((c) => c.method === 'POST')?.body).toEqual({ kind: 'viewings', from: '2026-11-01', to: '2026-11-30' });
  });

  it('says what is wrong with the range before asking', async () => {
    mockFetch({ ...noSchedules, 'GET /api/me': { body: makeMe() }, 'GET /api/exports': { body: { items: [] } } });
    const user = userEvent.setup();
    renderApp('/reports');
    const from = await screen.findByLabelText('From');
    await user.clear(from);
    await user.type(from, '2024-01-01');
    expect(screen.getByText('A report covers at most 366 days; choose a shorter range.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download Viewings' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Download Assignments' })).toBeEnabled();
  });

  it('shows a refused export and lets the admin try again', async () => {
    mockFetch({
      ...noSchedules,
      'GET /api/me': { body: makeMe() },
      'GET /api/exports': { body: { items: [done] } },
      'POST /api/exports': apiError(400, 'validation_failed', 'Some fields are missing or invalid.', { to: 'An export covers at most 366 days.' }),
    });
    const user = userEvent.setup();
    renderApp('/reports');
    const recent = await screen.findByRole('table', { name: 'Recent exports' });
    expect(within(recent).getByText('Ready, 1,200 rows')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Download Logins' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('An export covers at most 366 days.');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
