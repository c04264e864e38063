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

  it('lists a mail’s attachments, each a download link', async () => {
    const report = {
      id: 'm3',
      to: ['finance@example.com'],
      subject: 'Weekly viewings for finance: 23 Nov – 29 Nov 2026',
      text: 'Viewings: 1,234',
      html: '',
      sentAt: '2026-11-30T07:00:09Z',
      attachments: [
        { name: 'proportal-viewings-2026-11-23-to-2026-11-29.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', size: 48_000, url: '/dev/mail/m3/attachments/0' },
        { name: 'old.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', size: 2_000, url: '' },
      ],
    };
    mockFetch({ 'GET /api/me': apiError(401, 'unauthorized', 'Sign in.'), 'GET /dev/mail': { body: [report, ...mail] } });
    const { user } = renderApp('/dev/mailbox');
    expect(await screen.findByRole('button', { name: /Weekly viewings for finance.*2 attachments/ })).toBeInTheDocument();
    const files = screen.getByRole('region', { name: 'Attachments' });
    const link = within(files).getByRole('link', { name: 'proportal-viewings-2026-11-23-to-2026-11-29.xlsx' });
    expect(link).toHaveAttribute('href', '/dev/mail/m3/attachments/0');
    expect(link).toHaveAttribute('download', 'proportal-viewings-2026-11-23-to-2026-11-29.xlsx');
    expect(files).toHaveTextContent('48 KB');
    expect(files).toHaveTextContent('old.xlsx (2 KB, no longer kept by the local mailbox)');
    expect(within(files).getAllByRole('link')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: /You are invited/ }));
    expect(screen.queryByRole('region', { name: 'Attachments' })).toBeNull();
  });

  it('says there is no mailbox where there is none', async () => {
    mockFetch({ 'GET /api/me': apiError(401, 'unauthorized', 'Sign in.'), 'GET /dev/mail': { body: '<!doctype html>', type: 'text/html' } });
    renderApp('/dev/mailbox');
    expect(await screen.findByText('There is no mailbox here')).toBeInTheDocument();
  });
});
