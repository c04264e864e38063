import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetDevMailboxCheck } from '../../api';
import { apiError, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';

afterEach(() => resetDevMailboxCheck());

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
