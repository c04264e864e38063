import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Import } from '../../api';
import { makeMe, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';

const dryRun: Import = {
  id: 'i1',
  fileName: 'people.csv',
  status: 'dry_run',
  createdAt: '2026-12-01T09:00:00Z',
  applyBy: '2026-12-01T10:00:00Z',
  progress: { done: 0, total: 3 },
  counts: { invite: 1, accessAdded: 0, teamChanged: 1, deactivate: 0, noChange: 0, error: 1 },
  seats: { needed: 1, freed: 0, free: 4, total: 10, fits: true },
  rows: [
    { row: 1, line: 2, cells: [], firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', access: '', team: '', action: '', outcome: 'invite', detail: 'Invited with a seat.', seatDelta: 1 },
    { row: 2, line: 3, cells: [], firstName: '=1+2', lastName: 'X', email: 'x@example.com', access: '', team: 'Sales', action: '', outcome: 'team_changed', detail: 'Joins Sales.', seatDelta: 0 },
    {
      row: 3, line: 4, cells: [], firstName: '', lastName: '', email: 'nope', access: '', team: '', action: '', outcome: 'error', detail: '', seatDelta: 0,
      error: { code: 'validation_failed', field: 'email', message: 'The email must be an email address.' },
    },
  ],
};
const done: Import = {
  ...dryRun,
  status: 'done',
  progress: { done: 3, total: 3 },
  results: { invited: 1, accessAdded: 0, teamChanged: 1, deactivated: 0, noChange: 0, skipped: 1, seatLimitReached: 0, failed: 0 },
  resultUrl: 'https://files.example/people-result.csv?sig=1',
  rows: dryRun.rows.map((r) => ({ ...r, result: r.outcome === 'error' ? 'skipped' : r.outcome === 'invite' ? 'invited' : 'team_changed' })),
};

describe('import page', () => {
  it('uploads a CSV, shows the dry run and the seats, applies it and links the result file', async () => {
    let applied = false;
    const f = mockFetch({
      'GET /api/me': { body: makeMe() },
      'POST /api/imports': { status: 201, body: dryRun },
      'GET /api/imports/i1': () => ({ body: applied ? done : dryRun }),
      'POST /api/imports/i1/apply': () => {
        applied = true;
        return { status: 202, body: { ...dryRun, status: 'applying', rows: [] } };
      },
    });
    const user = userEvent.setup();
    renderApp('/users/import');
    expect(await screen.findByRole('heading', { name: 'Import people from a CSV', level: 1 })).toBeInTheDocument();
    await user.upload(screen.getByLabelText('CSV file'), new File(['email\nada@example.com\n'], 'people.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Run a dry run' }));
    const table = await screen.findByRole('table', { name: 'What each row would do' });
    expect(within(table).getByText('=1+2 X')).toBeInTheDocument();
    expect(within(table).getByText('The email must be an email address.')).toBeInTheDocument();
    expect(screen.getByText(/It fits: 1 seat more in use, 3 left free/)).toBeInTheDocument();
    const upload = f.calls.find((c) => c.method === 'POST' && c.url.startsWith('/api/imports'));
    expect(upload?.url).toBe('/api/imports?fileName=people.csv');
    expect((upload?.init.headers as Record<string, string>)['Content-Type']).toBe('text/csv');

    await user.click(screen.getByRole('button', { name: 'Apply 2 changes' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Apply 2 changes?' });
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    expect(await screen.findByRole('link', { name: 'Download the result file' }, { timeout: 4000 })).toHaveAttribute('href', done.resultUrl);
    expect(screen.getByRole('table', { name: 'What each row did' })).toBeInTheDocument();
  });
});
