import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../api';
import { makeMe, makeUser, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';

function makeAssignment(over: Partial<Assignment> = {}): Assignment {
  return {
    id: 'as1',
    moduleId: 'm1',
    moduleName: 'Network basics',
    itemCount: 2,
    dueOn: '2026-12-20',
    status: 'open',
    overdue: false,
    userIds: [],
    teamIds: ['t1'],
    counts: { assignees: 10, completed: 4, inProgress: 3, notStarted: 3, overdue: 0, pending: 0 },
    createdAt: '2026-12-01T10:00:00Z',
    cancelledAt: null,
    ...over,
  };
}

describe('assignments page', () => {
  it('lists each assignment with its figures and completion bar', async () => {
    mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/teams': { body: { items: [{ id: 't1', name: 'Engineering' }] } },
      'GET /api/assignments': {
        body: {
          items: [makeAssignment(), makeAssignment({ id: 'as2', moduleName: 'Linux', dueOn: '2026-12-01', overdue: true, counts: { assignees: 4, completed: 1, inProgress: 1, notStarted: 2, overdue: 3, pending: 0 } })],
          today: '2026-12-06',
        },
      },
    });
    renderApp('/assignments');
    expect(await screen.findByRole('link', { name: 'Network basics' })).toHaveAttribute('href', '/assignments/as1');
    expect(screen.getByRole('img', { name: /40% completed: 4 of 10 people, 3 in progress, 3 not started/ })).toBeInTheDocument();
    const linux = screen.getByRole('link', { name: 'Linux' }).closest('li');
    expect(within(linux as HTMLElement).getByText('Overdue', { selector: '.badge' })).toBeInTheDocument();
  });

  it('assigns a module to a team with a due date', async () => {
    const fetch = mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/teams': { body: { items: [{ id: 't1', name: 'Engineering' }] } },
      'GET /api/assignments': { body: { items: [], today: '2026-12-06' } },
      'GET /api/modules': { body: { items: [{ id: 'm1', name: 'Network basics' }] } },
      'GET /api/users': { body: { items: [makeUser({ id: 'u1', firstName: 'Ada', lastName: 'Lovelace' })], counts: {} } },
      'POST /api/assignments': { status: 201, body: makeAssignment() },
      'GET /api/assignments/as1': { body: { ...makeAssignment(), items: [], today: '2026-12-06' } },
      'GET /api/assignments/as1/assignees': { body: { items: [] } },
    });
    renderApp('/assignments');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'New assignment' }));
    const dialog = await screen.findByRole('dialog', { name: 'New assignment' });
    await user.selectOptions(await within(dialog).findByRole('combobox', { name: 'Module' }), 'm1');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Engineering' }));
    const due = within(dialog).getByLabelText('Due date');
    await user.clear(due);
    await user.type(due, '2026-12-31');
    await user.click(within(dialog).getByRole('button', { name: 'Assign' }));
    expect(await screen.findByRole('heading', { name: 'Network basics', level: 1 })).toBeInTheDocument();
    const post = fetch.calls.find((c) => c.method === 'POST' && c.url === '/api/assignments');
    expect(post?.body).toEqual({ moduleId: 'm1', dueOn: '2026-12-31', userIds: [], teamIds: ['t1'] });
  });
});
