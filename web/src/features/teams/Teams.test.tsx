import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeMe, makeUser, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';
import { nameProblem } from './NewTeam';

const counts = { all: 2, active: 2, invited: 0, inactive: 0, admins: 1, seatsUsed: 2, seatsTotal: 10 };
const team = {
  id: 't1',
  name: 'Platform',
  createdAt: '2026-11-29T09:15:00Z',
  members: { active: 1, invited: 0, inactive: 1, total: 2 },
  deleting: false,
};

describe('team names', () => {
  it.each([
    ['', 'Give the team a name.'],
    ['   ', 'Give the team a name.'],
    ['x'.repeat(81), 'A team name has at most 80 characters.'],
    ['  Platform  Team ', ''],
    ['é'.repeat(80), ''],
  ])('%j: %s', (name, want) => {
    expect(nameProblem(name)).toBe(want);
  });
});

describe('new team', () => {
  it('takes a name, people and a review, then creates the team with them in one request', async () => {
    const ada = makeUser({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
    const alan = makeUser({ id: 'alan', firstName: 'Alan', lastName: 'Turing', email: 'alan@example.com' });
    const f = mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/users': { body: { items: [ada, alan], counts } },
      'POST /api/teams': { status: 201, body: { team: { ...team, members: { active: 1, invited: 0, inactive: 0, total: 1 } } } },
      'GET /api/teams/t1': { body: team },
    });
    const user = userEvent.setup();
    renderApp('/teams/new');
    expect(await screen.findByRole('heading', { name: 'Name the team' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next: add people' }));
    expect(screen.getByText('Give the team a name.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Team name'), 'Platform');
    await user.click(screen.getByRole('button', { name: 'Next: add people' }));

    expect(await screen.findByRole('heading', { name: 'Add people' })).toBeInTheDocument();
    await user.click(await screen.findByRole('checkbox', { name: /Ada Lovelace/ }));
    expect(screen.getByText('1 person picked.')).toBeInTheDocument();
    expect(f.calls.some((c) => c.url.includes('/api/users?status=active'))).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Next: review' }));

    expect(await screen.findByRole('heading', { name: 'Review and create' })).toBeInTheDocument();
    expect(within(screen.getByRole('list', { name: 'People to add' })).getByText('Ada Lovelace')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create team' }));
    expect(await screen.findByRole('heading', { name: 'Platform', level: 1 })).toBeInTheDocument();
    expect(f.calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'Platform', userIds: ['ada'] });
  });

  it('goes back to the name when the name is taken', async () => {
    mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/users': { body: { items: [], counts } },
      'POST /api/teams': {
        status: 409,
        body: { error: { code: 'conflict', message: 'There is a team named Platform already.', fields: { name: 'is the name of another team' } } },
      },
    });
    const user = userEvent.setup();
    renderApp('/teams/new');
    await user.type(await screen.findByLabelText('Team name'), 'Platform');
    await user.click(screen.getByRole('button', { name: 'Next: add people' }));
    await user.click(await screen.findByRole('button', { name: 'Next: review' }));
    await user.click(await screen.findByRole('button', { name: 'Create team' }));
    expect(await screen.findByRole('heading', { name: 'Name the team' })).toBeInTheDocument();
    expect(screen.getByText(/There is a team named Platform already. Choose another name./)).toBeInTheDocument();
  });
});

describe('a team', () => {
  it('lists its members, deactivated ones marked, and counts them', async () => {
    const ada = makeUser({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace' });
    const old = makeUser({ id: 'old', firstName: 'Charles', lastName: 'Babbage', status: 'inactive', seat: false });
    mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/teams/t1': { body: team },
      'GET /api/users': { body: { items: [old, ada], counts } },
    });
    renderApp('/teams/t1');
    expect(await screen.findByRole('heading', { name: 'Platform', level: 1 })).toBeInTheDocument();
    expect(screen.getByText('1 / 2 active members')).toBeInTheDocument();
    const list = await screen.findByRole('list', { name: 'Members of Platform' });
    expect(within(list).getByText('Deactivated; still a member')).toBeInTheDocument();
    expect(within(list).getByRole('button', { name: 'Remove Ada Lovelace from Platform' })).toBeInTheDocument();
  });

  it("shows the team's last 12 weeks: totals and a chart", async () => {
    const zero = { activeLearners: 0, viewings: 0, seconds: 0, completed: 0, labsStarted: 0, labsCompleted: 0, logins: 0 };
    const weeks = Array.from({ length: 12 }, (_, i) => ({
      weekStart: new Date(Date.UTC(2026, 8, 7 + 7 * i)).toISOString().slice(0, 10),
      ...zero,
      ...(i >= 10 ? { activeLearners: i - 8, viewings: 10 * i, seconds: 3600 * i, completed: i } : {}),
    }));
    mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/teams/t1': { body: team },
      'GET /api/users': { body: { items: [], counts } },
      'GET /api/teams/t1/activity': {
        body: { team, weeks, totals: { ...zero, weekStart: weeks[0]?.weekStart, activeLearners: 3, viewings: 210, seconds: 75600, completed: 21, labsStarted: 4, labsCompleted: 2 } },
      },
    });
    renderApp('/teams/t1');
    const activity = await screen.findByRole('region', { name: 'Activity, last 12 weeks' });
    const stat = (label: string) => within(activity).getByText(label, { selector: 'dt' }).nextElementSibling;
    expect(await within(activity).findByRole('img', { name: /Platform: viewings and active learners per week/ })).toBeInTheDocument();
    expect(stat('Active learners')).toHaveTextContent('3');
    expect(stat('Viewings')).toHaveTextContent('210');
    expect(stat('Hours watched')).toHaveTextContent('21');
    expect(stat('Labs completed')).toHaveTextContent('2');
    expect(within(activity).getByText('of 4 started')).toBeInTheDocument();
  });
});
