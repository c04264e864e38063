import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiError, mockFetch } from '../../test/fetchMock';
import { currentLocation, renderApp } from '../../test/render';

// The page reads the token from the router's location and clears it from the
// real address bar; start both at the same link.
function openLink(hash: string) {
  window.history.replaceState(null, '', `/set-password${hash}`);
  return renderApp(`/set-password${hash}`);
}

const ME_401 = apiError(401, 'unauthorized', 'Sign in.');

describe('set password', () => {
  beforeEach(() => {
    window.history.replaceState(null, '', '/');
  });
  afterEach(() => {
    window.history.replaceState(null, '', '/');
  });

  it('reads the token from the hash, clears it, and sets the password', async () => {
    const f = mockFetch({
      'GET /api/me': ME_401,
      'POST /api/auth/set-password': { body: { admin: true, learningUrl: 'https://learn.example.com' } },
    });
    const spy = vi.spyOn(window.history, 'replaceState');
    const { user } = openLink('#token=tok-123');

    expect(await screen.findByRole('heading', { name: 'Create your password' })).toBeInTheDocument();
    await waitFor(() => expect(window.location.hash).toBe(''));
    expect(window.location.pathname).toBe('/set-password');
    expect(spy).toHaveBeenCalled();
    expect(screen.getByText('At least 12 characters')).toBeInTheDocument();

    await user.type(screen.getByLabelText('New password'), 'correct horse battery');
    await user.type(screen.getByLabelText('Confirm password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Set password' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Your password is set.');
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in');
    expect(f.calls.find((c) => c.url === '/api/auth/set-password')?.body).toEqual({
      token: 'tok-123',
      password: 'correct horse battery',
    });
  });

  it('sends a learner to the learning platform, not to the admins-only portal', async () => {
    mockFetch({
      'GET /api/me': ME_401,
      'POST /api/auth/set-password': { body: { admin: false, learningUrl: 'https://learn.example.com' } },
    });
    const { user } = openLink('#token=tok-123');
    await user.type(await screen.findByLabelText('New password'), 'correct horse battery');
    await user.type(screen.getByLabelText('Confirm password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Your password is set.');
    expect(screen.getByRole('link', { name: 'Start learning' })).toHaveAttribute('href', 'https://learn.example.com');
    expect(screen.queryByRole('link', { name: 'Sign in' })).not.toBeInTheDocument();
  });

  it('says "Choose a new password" for a reset link, and clears the hash', async () => {
    mockFetch({ 'GET /api/me': ME_401 });
    openLink('#token=tok-123&purpose=reset');
    expect(await screen.findByRole('heading', { name: 'Choose a new password' })).toBeInTheDocument();
    expect(document.title).toBe('Choose a new password · ProPortal');
    await waitFor(() => expect(window.location.hash).toBe(''));
  });

  it('checks that both passwords match before asking the API', async () => {
    const f = mockFetch({ 'GET /api/me': ME_401 });
    const { user } = openLink('#token=tok');
    await user.type(await screen.findByLabelText('New password'), 'correct horse battery');
    await user.type(screen.getByLabelText('Confirm password'), 'correct horse batterz');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect(await screen.findByText(/passwords do not match/i)).toBeInTheDocument();
    expect(screen.getByLabelText('Confirm password')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Confirm password')).toHaveFocus();
    expect(f.calls.some((c) => c.url === '/api/auth/set-password')).toBe(false);
  });

  it('says an expired link has expired and offers a new one', async () => {
    mockFetch({
      'GET /api/me': ME_401,
      'POST /api/auth/set-password': apiError(410, 'token_expired', 'This link has expired.'),
      'POST /api/auth/forgot-password': { status: 202, body: { message: 'ok' } },
    });
    const { user } = openLink('#token=old');
    await user.type(await screen.findByLabelText('New password'), 'correct horse battery');
    await user.type(screen.getByLabelText('Confirm password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/link has expired/i);
    await user.click(screen.getByRole('button', { name: 'Send a new link' }));
    expect(currentLocation().pathname).toBe('/forgot-password');
    expect(await screen.findByRole('button', { name: 'Send reset link' })).toBeInTheDocument();
  });

  it('says a used or replaced link no longer works', async () => {
    mockFetch({
      'GET /api/me': ME_401,
      'POST /api/auth/set-password': apiError(400, 'invalid_token', 'This link is not valid.'),
    });
    const { user } = openLink('#token=used');
    await user.type(await screen.findByLabelText('New password'), 'correct horse battery');
    await user.type(screen.getByLabelText('Confirm password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/already used or replaced/i);
    expect(screen.getByRole('button', { name: 'Send a new link' })).toBeInTheDocument();
  });

  it('shows the API’s password rule next to the field', async () => {
    mockFetch({
      'GET /api/me': ME_401,
      'POST /api/auth/set-password': apiError(400, 'validation_failed', 'Check the password.', {
        password: 'This password is too common. Choose another.',
      }),
    });
    const { user } = openLink('#token=tok');
    await user.type(await screen.findByLabelText('New password'), 'password1234');
    await user.type(screen.getByLabelText('Confirm password'), 'password1234');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect(await screen.findByText('This password is too common. Choose another.')).toBeInTheDocument();
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription(/too common/);
  });

  it('without a token, says so and offers a new link', async () => {
    mockFetch({ 'GET /api/me': ME_401 });
    openLink('');
    expect(await screen.findByRole('alert')).toHaveTextContent(/incomplete/i);
    expect(screen.queryByLabelText('New password')).toBeNull();
  });
});
