import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, makeMe, makeUser, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';

describe('activity page', () => {
  it('shows the person and every section, empty for now', async () => {
    const ada = makeUser({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', admin: true });
    mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/users/ada/activity': {
        body: {
          user: ada,
          teams: [{ id: 't1', name: 'Engineering' }],
          logins: [{ at: '2026-11-29T09:15:00Z' }],
          viewedCompletely: [],
          inProgress: [],
          labs: [],
          assignments: [],
        },
      },
    });
    renderApp('/users/ada');
    expect(await screen.findByRole('heading', { name: 'Ada Lovelace', level: 1 })).toBeInTheDocument();
    expect(document.title).toBe('Ada Lovelace · Users · ProPortal');
    expect(screen.getByText('ada@example.com')).toBeInTheDocument();
    expect(screen.getByText('Admin')).toBeInTheDocument();
    for (const name of ['Sign-ins', 'Teams', 'Episodes viewed completely', 'In progress', 'Labs', 'Assignments']) {
      expect(screen.getByRole('region', { name })).toBeInTheDocument();
    }
    expect(within(screen.getByRole('region', { name: 'Sign-ins' })).getByText('29 Nov 2026, 09:15')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Teams' })).getByRole('link', { name: 'Engineering' })).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Labs' })).getByText('No labs yet.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All users' })).toHaveAttribute('href', '/users');
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
