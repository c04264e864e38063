import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeMe, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';

const entry = (id: string, kind: string, at: string) => ({
  id,
  at,
  kind,
  actor: { kind: 'user', id: 'admin1', name: 'Dana Admin', email: 'admin@demo.test' },
  target: { kind: 'user', id: 'u1', name: 'Ada Lovelace', email: 'ada@demo.test' },
  changes: kind === 'user.admin_granted' ? [{ field: 'admin', before: 'false', after: 'true' }] : [],
  source: '203.0.113.7',
});

describe('the audit log', () => {
  it('lists entries newest first, filters by kind through the URL and loads more', async () => {
    const f = mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/users': { body: { items: [], counts: {} } },
      'GET /api/audit': ({ url }) => {
        const q = new URL(url, 'http://x').searchParams;
        if (q.get('cursor')) return { body: { items: [entry('e3', 'user.invited', '2026-05-01T09:00:00Z')] } };
        if (q.get('kind') === 'user.deactivated') return { body: { items: [] } };
        return {
          body: {
            items: [entry('e1', 'user.admin_granted', '2026-05-03T09:00:00Z'), entry('e2', 'user.deactivated', '2026-05-02T09:00:00Z')],
            nextCursor: 'next',
          },
        };
      },
    });
    const { user } = renderApp('/audit');
    const list = await screen.findByRole('list', { name: 'Audit entries, newest first' });
    const items = within(list).getAllByRole('listitem').filter((li) => li.parentElement === list);
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Admin rights granted');
    expect(items[0]).toHaveTextContent('Admin rights: No → Yes');
    expect(items[0]).toHaveTextContent('By Dana Admin (admin@demo.test) from 203.0.113.7');
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(list).findByText('Invited')).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'What' }), 'user.deactivated');
    expect(await screen.findByText('No entries match these filters')).toBeInTheDocument();
    expect(f.calls.some((c) => c.url.includes('kind=user.deactivated'))).toBe(true);
  });
});
