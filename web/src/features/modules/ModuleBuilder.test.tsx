import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CatalogItem, CatalogPage, Module } from '../../api';
import { apiError, makeMe, mockFetch } from '../../test/fetchMock';
import { currentLocation, renderApp } from '../../test/render';
import { deleteWarning } from './Modules';

const vlans: CatalogItem = { id: 'lab-vlans', kind: 'lab', title: 'Configure VLANs and Trunks', topic: 'Networking', seconds: 2400 };
const ccna: CatalogItem = { id: 'course-ccna', kind: 'course', title: 'CCNA Fundamentals', topic: 'Networking', seconds: 9000, episodes: 12 };
const exam: CatalogItem = { id: 'exam-ccna', kind: 'exam', title: 'CCNA Practice Exam', topic: 'Networking', seconds: 7200 };
const catalog: CatalogPage = { items: [ccna, vlans, exam], total: 3 };

const saved: Module = {
  id: 'm1',
  name: 'Network fundamentals',
  description: 'Addressing and VLANs.',
  itemCount: 3,
  seconds: 18600,
  assignments: 2,
  revision: 4,
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-02T10:00:00Z',
  items: [ccna, vlans, exam].map(({ id, kind, title, seconds }) => ({ id, kind, title, seconds })),
};

const order = () =>
  screen
    .getAllByRole('button', { name: /^Move .* up$/ })
    .map((b) => b.getAttribute('aria-label')!.replace(/^Move (.*) up$/, '$1'));

describe('module builder', () => {
  it('builds a module from the catalog with the keyboard and creates it', async () => {
    const f = mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/catalog': { body: catalog },
      'POST /api/modules': ({ body }) => ({ status: 201, body: { ...saved, id: 'new', revision: 1, ...(body as object) } }),
      'GET /api/modules': { body: { items: [] } },
    });
    const { user } = renderApp('/modules/new');
    await user.type(await screen.findByLabelText('Name'), 'Network fundamentals');
    await user.click(await screen.findByRole('button', { name: 'Add Configure VLANs and Trunks' }));
    await user.click(screen.getByRole('button', { name: 'Add CCNA Fundamentals' }));
    expect(screen.getByRole('button', { name: 'Configure VLANs and Trunks is in the module' })).toBeDisabled();
    expect(order()).toEqual(['Configure VLANs and Trunks', 'CCNA Fundamentals']);

    // Move the course up with the keyboard: focus stays with it.
    screen.getByRole('button', { name: 'Move CCNA Fundamentals up' }).focus();
    await user.keyboard('{Enter}');
    expect(order()).toEqual(['CCNA Fundamentals', 'Configure VLANs and Trunks']);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Move CCNA Fundamentals down' })).toHaveFocus());
    expect(screen.getByText('CCNA Fundamentals moved to position 1 of 2.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Create module' }));
    await waitFor(() => expect(currentLocation().pathname).toBe('/modules'));
    const post = f.calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ name: 'Network fundamentals', description: '', items: ['course-ccna', 'lab-vlans'] });
  });

  it('says what is missing before sending anything', async () => {
    const f = mockFetch({ 'GET /api/me': { body: makeMe() }, 'GET /api/catalog': { body: catalog } });
    const { user } = renderApp('/modules/new');
    await user.click(await screen.findByRole('button', { name: 'Create module' }));
    expect(await screen.findByText('Give the module a name.')).toBeInTheDocument();
    expect(screen.getByText('Add at least one item from the catalog.')).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveFocus();
    expect(f.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('saves an edit on its revision and says so when someone else saved first', async () => {
    const f = mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/catalog': { body: catalog },
      'GET /api/modules/m1': { body: saved },
      'PUT /api/modules/m1': apiError(409, 'conflict', 'Someone changed this module at the same time.'),
    });
    const { user } = renderApp('/modules/m1');
    await user.click(await screen.findByRole('button', { name: 'Remove Configure VLANs and Trunks' }));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Someone else saved this module meanwhile')).toBeInTheDocument();
    expect(f.calls.find((c) => c.method === 'PUT')?.body).toEqual({
      name: 'Network fundamentals',
      description: 'Addressing and VLANs.',
      items: ['course-ccna', 'exam-ccna'],
      revision: 4,
    });
  });

  it('marks the item the API refused', async () => {
    mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/catalog': { body: catalog },
      'GET /api/modules/m1': { body: saved },
      'PUT /api/modules/m1': apiError(400, 'validation_failed', 'Some fields are missing or invalid.', {
        'items[1]': '"lab-vlans" is no longer offered by the catalog',
      }),
    });
    const { user } = renderApp('/modules/m1');
    await user.click(await screen.findByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('"lab-vlans" is no longer offered by the catalog')).toBeInTheDocument();
  });
});

describe('deleting', () => {
  it('warns when the module is assigned', () => {
    expect(deleteWarning({ assignments: 2 })).toMatch(/^It is used by 2 assignments\. Those assignments keep their own copy/);
    expect(deleteWarning({ assignments: 0 })).toBe('It is not assigned to anyone. This cannot be undone.');
  });

  it('asks first, then deletes', async () => {
    const f = mockFetch({
      'GET /api/me': { body: makeMe() },
      'GET /api/modules': { body: { items: [saved] } },
      'DELETE /api/modules/m1': { status: 204 },
    });
    const { user } = renderApp('/modules');
    await user.click(await screen.findByRole('button', { name: 'Delete Network fundamentals' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(within(dialog).getByText(/used by 2 assignments/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Delete module' }));
    await waitFor(() => expect(f.calls.some((c) => c.method === 'DELETE' && c.url === '/api/modules/m1')).toBe(true));
  });
});

