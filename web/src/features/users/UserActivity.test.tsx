import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { UsageWeek, UserActivity } from '../../api';
import { apiError, makeActivity, makeMe, makeUser, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';

const zero = { activeLearners: 0, viewings: 0, seconds: 0, completed: 0, labsStarted: 0, labsCompleted: 0, logins: 0 };

function weeks(figures: Record<number, Partial<UsageWeek>> = {}): UsageWeek[] {
  return Array.from({ length: 12 }, (_, i) => ({
    weekStart: new Date(Date.UTC(2026, 8, 7 + 7 * i)).toISOString().slice(0, 10),
    ...zero,
    ...figures[i],
  }));
}

const ada = makeUser({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', admin: true });

const empty: UserActivity = makeActivity(ada);

const episode = (i: number, done: boolean) => ({
  id: `ep-${i}`, title: `Episode ${i}`, courseId: 'course-net', courseTitle: 'Networking', viewings: 1, seconds: 300,
  lastViewedAt: '2026-11-20T10:00:00Z', completedAt: done ? '2026-11-20T10:05:00Z' : null,
});

const busy: UserActivity = {
  ...empty,
  teams: [{ id: 't1', name: 'Engineering', createdAt: '2026-01-01T00:00:00Z', members: { active: 1, invited: 0, inactive: 0, total: 1 }, deleting: false }],
  summary: { ...empty.summary, logins: 41, lastLoginAt: '2026-11-29T09:15:00Z', viewings: 14, seconds: 4500, lastActiveAt: '2026-11-29T09:30:00Z' },
  logins: [{ at: '2026-11-29T09:15:00Z' }, { at: '2026-11-28T08:00:00Z' }],
  viewedCompletely: {
    courses: [{ id: 'course-net', title: 'Networking', episodesCompleted: 3, episodes: 3, seconds: 900, lastViewedAt: '2026-11-20T10:00:00Z', completedAt: '2026-11-20T10:05:00Z' }],
    episodes: Array.from({ length: 12 }, (_, i) => episode(i + 1, true)),
  },
  inProgress: {
    courses: [{ id: 'course-sec', title: 'Security', episodesCompleted: 1, episodes: 4, seconds: 400, lastViewedAt: '2026-11-25T10:00:00Z', completedAt: null }],
    episodes: [episode(20, false)],
  },
  labs: [
    { id: 'lab-vlan', title: 'VLANs', attempts: 2, completions: 1, completed: true, bestScore: 85, lastAt: '2026-11-21T10:00:00Z', completedAt: '2026-11-21T10:00:00Z' },
    { id: 'lab-acl', title: 'Access lists', attempts: 1, completions: 0, completed: false, bestScore: null, lastAt: '2026-11-22T10:00:00Z', completedAt: null },
  ],
  weeks: weeks({ 10: { viewings: 4, seconds: 1800, activeLearners: 1 }, 11: { viewings: 2, seconds: 600, activeLearners: 1 } }),
};

function open(body: UserActivity) {
  mockFetch({ 'GET /api/me': { body: makeMe() }, 'GET /api/users/ada/activity': { body }, 'GET /api/audit': { body: { items: [] } } });
  renderApp('/users/ada');
}

describe('activity page', () => {
  it('says what will appear in every section while there is nothing', async () => {
    open(empty);
    expect(await screen.findByRole('heading', { name: 'Ada Lovelace', level: 1 })).toBeInTheDocument();
    await waitFor(() => expect(document.title).toBe('Ada Lovelace · Users · ProPortal'));
    expect(screen.getByText('ada@example.com')).toBeInTheDocument();
    expect(screen.getByText('Admin')).toBeInTheDocument();
    for (const name of ['Summary', 'Weekly viewing', 'Assignments', 'Courses', 'Episodes', 'Labs', 'Sign-ins', 'Teams', 'History']) {
      expect(screen.getByRole('region', { name })).toBeInTheDocument();
    }
    expect(within(screen.getByRole('region', { name: 'Weekly viewing' })).getByText(/Nothing watched in the last 12 weeks/)).toBeInTheDocument();
    expect(await within(screen.getByRole('region', { name: 'History' })).findByText('No changes to Ada Lovelace are recorded yet.')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Courses' })).getByText(/No course watched to the end yet/)).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Labs' })).getByText(/No labs yet/)).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Sign-ins' })).getByText(/No sign-ins yet/)).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Summary' })).getByText('Never signed in')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All users' })).toHaveAttribute('href', '/users');
  });

  it('shows sign-ins, courses, episodes, labs and the weekly chart', async () => {
    open(busy);
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(within(summary).getByText('Sign-ins').nextElementSibling).toHaveTextContent('41');
    expect(within(summary).getByText('Time watched').nextElementSibling).toHaveTextContent('1 h 15 min');
    const signIns = screen.getByRole('region', { name: 'Sign-ins' });
    expect(within(signIns).getByText('41 sign-ins in all; the last 2:')).toBeInTheDocument();
    expect(within(signIns).getByText('29 Nov 2026, 09:15')).toBeInTheDocument();

    const courses = screen.getByRole('region', { name: 'Courses' });
    const done = within(courses).getByRole('table', { name: 'Courses viewed completely' });
    expect(within(done).getByRole('row', { name: /Networking/ })).toHaveTextContent('3 of 3');
    const going = within(courses).getByRole('table', { name: 'Courses in progress' });
    expect(within(going).getByRole('row', { name: /Security/ })).toHaveTextContent('1 of 4');

    const episodes = screen.getByRole('region', { name: 'Episodes' });
    const complete = within(episodes).getByRole('table', { name: 'Episodes viewed completely' });
    expect(within(complete).getAllByRole('row')).toHaveLength(11); // the header and the first 10
    await userEvent.click(within(episodes).getByRole('button', { name: 'Show all 12' }));
    expect(within(complete).getAllByRole('row')).toHaveLength(13);
    expect(within(episodes).getByRole('table', { name: 'Episodes in progress' })).toHaveTextContent('Episode 20');

    const labs = within(screen.getByRole('region', { name: 'Labs' })).getByRole('table', { name: 'Labs' });
    expect(within(labs).getByRole('row', { name: /VLANs/ })).toHaveTextContent('Completed85%');
    expect(within(labs).getByRole('row', { name: /Access lists/ })).toHaveTextContent('Started—');

    const chart = within(screen.getByRole('region', { name: 'Weekly viewing' })).getByRole('img');
    expect(chart).toHaveAccessibleName(expect.stringContaining('Minutes watched per week'));
    expect(chart).toHaveAccessibleName(expect.stringContaining('40 in all'));
    expect(within(screen.getByRole('region', { name: 'Teams' })).getByRole('link', { name: 'Engineering' })).toBeInTheDocument();
  });

  it('says when there is no such user', async () => {
    mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/users/zzz/activity': apiError(404, 'not_found', 'There is no such user.'),
    });
    renderApp('/users/zzz');
    expect(await screen.findByRole('heading', { name: 'User not found', level: 1 })).toBeInTheDocument();
  });
});
