import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetDevMailboxCheck } from '../api';
import { apiError, makeMe, makeUser, mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';

afterEach(() => resetDevMailboxCheck());

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

describe('subscription page', () => {
  it('shows seats, dates and the features included', async () => {
    mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/subscription': {
        body: {
          seats: { total: 50, used: 31, available: 19 },
          startsAt: '2026-05-29',
          endsAt: '2027-05-29',
          status: 'active',
          daysRemaining: 182,
          features: ['courses', 'labs', 'assignments', 'reports'],
        },
      },
    });
    renderApp('/subscription');
    expect(await screen.findByText('Total seats')).toBeInTheDocument();
    const seats = screen.getByRole('region', { name: 'Seats' });
    expect(within(seats).getByText('50')).toBeInTheDocument();
    expect(within(seats).getByText('31')).toBeInTheDocument();
    expect(within(seats).getByText('19')).toBeInTheDocument();
    expect(screen.getByText('29 May 2027')).toBeInTheDocument();
    const features = within(screen.getByRole('region', { name: 'Included features' })).getAllByRole('listitem');
    expect(features.map((f) => f.textContent)).toEqual(['Courses', 'Labs', 'Assignments', 'Reports']);
    expect(document.title).toBe('Subscription · ProPortal');
  });
});

describe('layout and not found', () => {
  it('has a skip link, the main navigation and the admin', async () => {
    mockFetch({ 'GET /api/me': { body: makeMe() }, 'GET /api/subscription': apiError(500, 'internal', 'Internal error.') });
    renderApp('/subscription');
    expect(await screen.findByRole('link', { name: 'Skip to content' })).toHaveAttribute('href', '#main');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual(['Dashboard', 'Users', 'Subscription']);
    expect(within(nav).getByRole('link', { name: 'Subscription' })).toHaveAttribute('aria-current', 'page');
    expect(within(nav).getByRole('link', { name: 'Users' })).not.toHaveAttribute('aria-current');
    expect(screen.getByText('Dana Admin')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    // A failed load says so and offers another try.
    expect(await screen.findByRole('alert')).toHaveTextContent('Internal error.');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('answers an unknown address with a page that links to the dashboard', async () => {
    mockFetch({ 'GET /api/me': { body: makeMe() } });
    renderApp('/no/such/page');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('href', '/');
  });
});

describe('mailbox page', () => {
  const mail = [
    {
      id: 'm2',
      to: ['nora@example.com'],
      subject: 'You are invited to ProPortal',
      text: `Hello Nora,\nCreate your password: ${window.location.origin}/set-password#token=abc\n<script>alert(1)</script>`,
      html: '<p>Hello <img src=x onerror=alert(1)></p>',
      sentAt: '2026-11-29T17:40:00Z',
    },
    { id: 'm1', to: ['ada@example.com'], subject: 'Reset your ProPortal password', text: 'Older', html: '', sentAt: '2026-11-29T17:00:00Z' },
  ];

  it('lists mail newest first and shows the text part with working links', async () => {
    mockFetch({ 'GET /api/me': apiError(401, 'unauthorized', 'Sign in.'), 'GET /dev/mail': { body: mail } });
    const { user } = renderApp('/dev/mailbox');
    expect(await screen.findByRole('heading', { name: 'Mailbox', level: 1 })).toBeInTheDocument();
    const items = await screen.findAllByRole('button', { name: /ProPortal/ });
    expect(items.map((b) => b.querySelector('.mail-item-subject')?.textContent)).toEqual([
      'You are invited to ProPortal',
      'Reset your ProPortal password',
    ]);
    const message = screen.getByRole('region', { name: 'You are invited to ProPortal' });
    expect(message.querySelector('img, script')).toBeNull();
    expect(message).toHaveTextContent('<script>alert(1)</script>');
    const link = within(message).getByRole('link', { name: /set-password#token=abc/ });
    expect(link).toHaveAttribute('href', '/set-password#token=abc');
    expect(link).not.toHaveAttribute('target');

    await user.click(screen.getByRole('button', { name: /Reset your ProPortal password/ }));
    expect(screen.getByRole('region', { name: 'Reset your ProPortal password' })).toHaveTextContent('Older');
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeInTheDocument();
  });

  it('says there is no mailbox where there is none', async () => {
    mockFetch({ 'GET /api/me': apiError(401, 'unauthorized', 'Sign in.'), 'GET /dev/mail': { body: '<!doctype html>', type: 'text/html' } });
    renderApp('/dev/mailbox');
    expect(await screen.findByText('There is no mailbox here')).toBeInTheDocument();
  });
});
