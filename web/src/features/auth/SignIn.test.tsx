import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetDevMailboxCheck } from '../../api';
import { apiError, makeMe, makeUser, mockFetch } from '../../test/fetchMock';
import { currentLocation, renderApp } from '../../test/render';

const ME_401 = apiError(401, 'unauthorized', 'Sign in.');
const DASHBOARD = {
  seats: { total: 50, used: 31, available: 19 },
  subscription: { startsAt: '2026-05-29', endsAt: '2027-05-29', status: 'active', daysRemaining: 182 },
  usage: [],
  assignments: { assignments: 0, assignees: 0, completed: 0, inProgress: 0, notStarted: 0, overdue: 0 },
};

afterEach(() => resetDevMailboxCheck());

describe('sign in', () => {
  it('shows the API’s message when the password is wrong, and calls nothing else', async () => {
    const f = mockFetch({
      'GET /api/me': ME_401,
      'GET /dev/mail': { body: '<!doctype html>', type: 'text/html' },
      'POST /api/auth/login': apiError(401, 'invalid_credentials', 'The email or password is incorrect.'),
    });
    const { user } = renderApp('/sign-in');
    expect(await screen.findByRole('heading', { name: 'Sign in to ProPortal' })).toBeInTheDocument();
    expect(document.title).toBe('Sign in · ProPortal');
    await user.type(screen.getByLabelText('Email'), 'admin@demo.test');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The email or password is incorrect.');
    expect(screen.getByLabelText('Password')).toHaveValue('');
    expect(f.calls.map((c) => `${c.method} ${c.url}`).sort()).toEqual(
      ['GET /api/me', 'GET /dev/mail', 'POST /api/auth/login'].sort(),
    );
    expect(screen.queryByRole('link', { name: 'Mailbox' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Forgot password?' })).toBeInTheDocument();
  });

  it('offers the mailbox on a local run', async () => {
    mockFetch({ 'GET /api/me': ME_401, 'GET /dev/mail': { body: [] } });
    renderApp('/sign-in');
    expect(await screen.findByRole('link', { name: 'Mailbox' })).toHaveAttribute('href', '/dev/mailbox');
    expect(screen.getByText('Local run: open invite and reset mail here')).toBeInTheDocument();
  });

  it('takes an admin to the dashboard', async () => {
    let signedIn = false;
    mockFetch({
      'GET /api/me': () => (signedIn ? { body: makeMe() } : ME_401),
      'GET /dev/mail': { body: [] },
      'POST /api/auth/login': () => {
        signedIn = true;
        return { body: { token: 't', expiresAt: 'x', user: makeMe().user } };
      },
      'GET /api/dashboard': { body: DASHBOARD },
    });
    const { user } = renderApp('/sign-in');
    await user.type(await screen.findByLabelText('Email'), 'admin@demo.test');
    await user.type(screen.getByLabelText('Password'), 'demo-admin-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Dashboard', level: 1 })).toBeInTheDocument();
    expect(currentLocation().pathname).toBe('/');
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    expect(screen.getByText('Demo Company', { selector: '.org-name' })).toBeInTheDocument();
  });

  it('shows a learner that the portal is for admins, without calling admin routes', async () => {
    let signedIn = false;
    const learner = makeUser({ firstName: 'Lee', lastName: 'Learner', admin: false });
    const f = mockFetch({
      'GET /api/me': () => (signedIn ? { body: { user: learner, organization: { id: 'o', name: 'Demo Company' } } } : ME_401),
      'GET /dev/mail': { body: [] },
      'POST /api/auth/login': () => {
        signedIn = true;
        return { body: { token: 't', expiresAt: 'x', user: learner } };
      },
      'POST /api/auth/logout': { status: 204 },
    });
    const { user } = renderApp('/sign-in');
    await user.type(await screen.findByLabelText('Email'), learner.email);
    await user.type(screen.getByLabelText('Password'), 'a learner password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'This portal is for admins' })).toBeInTheDocument();
    expect(f.calls.some((c) => /\/api\/(dashboard|users|teams|subscription)/.test(c.url))).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to ProPortal' })).toBeInTheDocument();
  });

  it('sends a signed-out visitor of an admin page to sign in', async () => {
    mockFetch({ 'GET /api/me': ME_401, 'GET /dev/mail': { body: [] } });
    renderApp('/users');
    expect(await screen.findByRole('heading', { name: 'Sign in to ProPortal' })).toBeInTheDocument();
    await waitFor(() => expect(currentLocation().pathname).toBe('/sign-in'));
  });
});

describe('forgot password', () => {
  it('prefills the email, and shows the API’s answer in a status', async () => {
    const message = 'If an account exists for that email, a link to set a new password is on its way. It works for 15 minutes.';
    const f = mockFetch({ 'GET /api/me': ME_401, 'POST /api/auth/forgot-password': { status: 202, body: { message } } });
    const { user } = renderApp('/forgot-password?email=ada%40example.com');
    expect(await screen.findByLabelText('Email')).toHaveValue('ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByRole('status')).toHaveTextContent(message);
    expect(f.calls.find((c) => c.method === 'POST')?.body).toEqual({ email: 'ada@example.com' });
    expect(screen.getByRole('link', { name: 'Back to sign in' })).toHaveAttribute('href', '/sign-in');
  });

  it('puts the API’s field error next to the email', async () => {
    mockFetch({
      'GET /api/me': ME_401,
      'POST /api/auth/forgot-password': apiError(400, 'validation_failed', 'Check the email.', { email: 'Enter an email address.' }),
    });
    const { user } = renderApp('/forgot-password');
    await user.type(await screen.findByLabelText('Email'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Send reset link' }));
    await waitFor(() => expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter an email address.'));
  });
});
