import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { User, UserPage } from '../../api';
import { apiError, makeActivity, makeMe, makeUser, mockFetch, type FetchMock } from '../../test/fetchMock';
import { currentLocation, renderApp } from '../../test/render';
import { TOAST_MS } from './Users';

const COUNTS = { all: 34, active: 29, invited: 2, inactive: 3, admins: 1, seatsUsed: 31, seatsTotal: 50 };

const ada = makeUser({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
const grace = makeUser({ id: 'grace', firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', status: 'invited' });
const alan = makeUser({
  id: 'alan',
  firstName: 'Alan',
  lastName: 'Turing',
  email: 'alan@example.com',
  status: 'inactive',
  seat: false,
  lastLoginAt: '2026-10-02T12:00:00Z',
});

function page(items: User[], over: Partial<UserPage> = {}): { body: UserPage } {
  return { body: { items, counts: COUNTS, ...over } };
}

function setup(routes: Parameters<typeof mockFetch>[0] = {}): FetchMock {
  return mockFetch({
    'GET /api/me': { body: makeMe() },
    'GET /api/teams': { body: { items: [{ id: 't1', name: 'Engineering' }] } },
    'GET /api/users': page([ada, grace, alan]),
    ...routes,
  });
}

const userCalls = (f: FetchMock) => f.calls.filter((c) => c.method === 'GET' && c.url.startsWith('/api/users'));

describe('users page', () => {
  it('lists people with their status, access, last sign-in and the seat figures', async () => {
    setup();
    renderApp('/users');
    expect(await screen.findByRole('heading', { name: 'Users', level: 1 })).toBeInTheDocument();
    expect(await screen.findByText('31 of 50 seats in use')).toBeInTheDocument();
    expect(document.title).toBe('Users · ProPortal');

    const table = screen.getByRole('table', { name: 'Users' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]!).getByText('Ada Lovelace')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('Active')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('Seat')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('Never')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Invited')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Inactive')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('2 Oct 2026')).toBeInTheDocument();

    const status = screen.getByRole('radiogroup', { name: 'Status' });
    expect(within(status).getByRole('radio', { name: 'All' })).toBeChecked();
    expect(within(status).getByRole('radio', { name: 'Invited' })).toHaveTextContent('2');
    expect(within(status).getByRole('radio', { name: 'Active' })).toHaveAccessibleDescription('29 users');
    expect(screen.getByRole('link', { name: 'Users' })).toHaveAttribute('aria-current', 'page');
  });

  it('filters by status and team, and searches after a pause', async () => {
    const f = setup();
    const { user } = renderApp('/users');
    await screen.findByText('Ada Lovelace');

    await user.click(screen.getByRole('radio', { name: 'Invited' }));
    await waitFor(() => expect(userCalls(f).at(-1)?.url).toBe('/api/users?status=invited&limit=50'));
    expect(currentLocation().search).toBe('?status=invited');

    // Arrow keys move the choice, as in any radio group.
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('radio', { name: 'Inactive' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Inactive' })).toHaveFocus();

    await user.selectOptions(await screen.findByRole('combobox', { name: 'Team' }), 'Engineering');
    await waitFor(() => expect(userCalls(f).at(-1)?.url).toBe('/api/users?status=inactive&teamId=t1&limit=50'));

    const before = userCalls(f).length;
    await user.type(screen.getByRole('searchbox', { name: 'Search users' }), 'lov');
    // One request for the settled text, not one per key.
    await waitFor(() => expect(userCalls(f).at(-1)?.url).toBe('/api/users?status=inactive&teamId=t1&q=lov&limit=50'));
    expect(userCalls(f).length).toBe(before + 1);
  });

  it('says that the status counts are the whole organization’s when a team or search narrows the list', async () => {
    setup({ 'GET /api/users': page([ada]) });
    renderApp('/users?team=t1&q=lov');
    expect(await screen.findByText('Ada Lovelace')).toBeInTheDocument();
    expect(screen.getByText('Counts are for the whole organization, not this team or search.')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'All' })).toHaveAccessibleDescription('34 users in the whole organization');
    expect(screen.getByText('Showing 1 user that matches this team and search')).toBeInTheDocument();
  });

  it('says when nobody matches and clears the filters', async () => {
    const f = setup({ 'GET /api/users': page([]) });
    const { user } = renderApp('/users?status=invited&q=zz');
    expect(await screen.findByText('No users match')).toBeInTheDocument();
    f.on('GET /api/users', page([ada]));
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByText('Ada Lovelace')).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Search users' })).toHaveValue('');
    expect(userCalls(f).at(-1)?.url).toBe('/api/users?status=all&limit=50');
  });

  it('loads more pages with the cursor and appends them', async () => {
    const f = setup({ 'GET /api/users': page([ada, grace], { nextCursor: 'next.1' }) });
    f.on('GET /api/users?status=all&limit=50&cursor=next.1', page([alan]));
    const { user } = renderApp('/users');
    await screen.findByText('Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('Alan Turing')).toBeInTheDocument();
    expect(screen.getByText('Ada Lovelace')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('offers only the actions that fit, with a keyboard-friendly menu', async () => {
    setup();
    const { user } = renderApp('/users');
    const button = await screen.findByRole('button', { name: 'Actions for Alan Turing' });
    button.focus();
    await user.keyboard('{Enter}');
    const menu = screen.getByRole('menu');
    expect(within(menu).getAllByRole('menuitem').map((i) => i.textContent)).toEqual([
      'Activate subscription',
      'Give admin rights',
      'Activity',
    ]);
    expect(within(menu).getByRole('menuitem', { name: 'Activate subscription' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitem', { name: 'Give admin rights' })).toHaveFocus();
    await user.keyboard('{End}');
    expect(within(menu).getByRole('menuitem', { name: 'Activity' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitem', { name: 'Activate subscription' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(button).toHaveFocus();
    expect(button).toHaveAttribute('aria-expanded', 'false');
  });

  it('confirms a deactivation, says what happened and refreshes the list', async () => {
    const f = setup({ 'POST /api/users/ada/deactivate': { body: { ...ada, seat: false, status: 'inactive' } } });
    const { user } = renderApp('/users');
    await user.click(await screen.findByRole('button', { name: 'Actions for Ada Lovelace' }));
    await user.click(screen.getByRole('menuitem', { name: 'Deactivate subscription' }));

    const dialog = screen.getByRole('alertdialog');
    expect(dialog).toHaveAccessibleName("Deactivate Ada Lovelace's subscription?");
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    const loadsBefore = userCalls(f).length;
    f.on('GET /api/users', page([{ ...ada, seat: false, status: 'inactive' }, grace, alan], {
      counts: { ...COUNTS, seatsUsed: 30, active: 28, inactive: 4 },
    }));
    await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));

    expect(await screen.findByRole('status')).toHaveTextContent("Ada Lovelace's subscription was deactivated.");
    expect(await screen.findByText('30 of 50 seats in use')).toBeInTheDocument();
    expect(userCalls(f).length).toBe(loadsBefore + 1);
    const row = screen.getByText('Ada Lovelace').closest('tr')!;
    expect(within(row).getByText('Inactive')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Actions for Ada Lovelace' })).toHaveFocus());
  });

  it('lets the result message go by itself, held while hovered, and when a row menu opens', async () => {
    setup({ 'POST /api/users/grace/password-reset': { status: 202, body: { message: 'sent' } } });
    const { user } = renderApp('/users');
    await user.click(await screen.findByRole('button', { name: 'Actions for Grace Hopper' }));
    await user.click(screen.getByRole('menuitem', { name: 'Reset password' }));
    const status = screen.getByRole('status');
    await waitFor(() => expect(status).toHaveTextContent('A password-reset link was sent'));
    expect(screen.getByRole('button', { name: 'Dismiss' })).toBeInTheDocument();
    // Hovered, it stays; then it goes after TOAST_MS.
    await user.hover(status);
    await act(() => new Promise((r) => setTimeout(r, 50)));
    await user.unhover(status);
    await waitFor(() => expect(status).toHaveTextContent(''), { timeout: TOAST_MS + 2000 });
    // A new message goes as soon as a row menu opens (it would cover the menu).
    await user.click(screen.getByRole('button', { name: 'Actions for Grace Hopper' }));
    await user.click(screen.getByRole('menuitem', { name: 'Reset password' }));
    await waitFor(() => expect(status).toHaveTextContent('A password-reset link was sent'));
    await user.click(screen.getByRole('button', { name: 'Actions for Ada Lovelace' }));
    expect(status).toHaveTextContent('');
  }, 20000);

  it('cancelling a confirmation changes nothing', async () => {
    const f = setup();
    const { user } = renderApp('/users');
    await user.click(await screen.findByRole('button', { name: 'Actions for Ada Lovelace' }));
    await user.click(screen.getByRole('menuitem', { name: 'Deactivate subscription' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(f.calls.some((c) => c.method === 'POST')).toBe(false);
    expect(screen.getByRole('button', { name: 'Actions for Ada Lovelace' })).toHaveFocus();
  });

  it('shows the API’s message when an action is refused', async () => {
    const msg = 'No seats left: 50 of 50 are in use. Deactivate someone or add seats.';
    setup({ 'POST /api/users/alan/activate': apiError(409, 'seat_limit_reached', msg) });
    const { user } = renderApp('/users');
    await user.click(await screen.findByRole('button', { name: 'Actions for Alan Turing' }));
    await user.click(screen.getByRole('menuitem', { name: 'Activate subscription' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(msg);
  });

  it('invites a person and returns focus to the button', async () => {
    const nora = makeUser({ id: 'nora', firstName: 'Nora', lastName: 'Newhire', email: 'nora@example.com', status: 'invited' });
    const f = setup({ 'POST /api/users': { status: 201, body: nora } });
    const { user } = renderApp('/users');
    await screen.findByText('Ada Lovelace');
    const invite = screen.getByRole('button', { name: 'Invite people' });
    await user.click(invite);
    const dialog = screen.getByRole('dialog', { name: 'Invite a person' });
    await user.type(within(dialog).getByLabelText('First name'), 'Nora');
    await user.type(within(dialog).getByLabelText('Last name'), 'Newhire');
    await user.type(within(dialog).getByLabelText('Email'), 'nora@example.com');
    f.on('GET /api/users', page([ada, grace, nora, alan]));
    await user.click(within(dialog).getByRole('button', { name: 'Send invite' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByRole('status')).toHaveTextContent('Invitation sent to nora@example.com.');
    expect(await screen.findByText('Nora Newhire')).toBeInTheDocument();
    expect(invite).toHaveFocus();
  });

  it('says that nothing changed when the invited person already had that access', async () => {
    setup({ 'POST /api/users': { status: 200, body: ada, headers: { 'Invite-Outcome': 'unchanged' } } });
    const { user } = renderApp('/users');
    await screen.findByText('Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Invite people' }));
    await user.type(screen.getByLabelText('First name'), 'Ada');
    await user.type(screen.getByLabelText('Last name'), 'Lovelace');
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Send invite' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Ada Lovelace already had this access; nothing changed');
  });

  it('says so when the invited person already had an account', async () => {
    setup({ 'POST /api/users': { status: 200, body: ada, headers: { 'Invite-Outcome': 'added' } } });
    const { user } = renderApp('/users');
    await screen.findByText('Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Invite people' }));
    await user.type(screen.getByLabelText('First name'), 'Ada');
    await user.type(screen.getByLabelText('Last name'), 'Lovelace');
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Send invite' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Ada Lovelace already had an account; the access was added.');
  });

  it('sends people to sign in when the session has ended', async () => {
    setup({ 'GET /api/users': apiError(401, 'unauthorized', 'Sign in.') });
    renderApp('/users');
    expect(await screen.findByRole('heading', { name: 'Sign in to ProPortal' })).toBeInTheDocument();
    expect(screen.getByText(/session has ended/i)).toBeInTheDocument();
  });

  it('goes to the activity page from the menu', async () => {
    setup({
      'GET /api/users/ada/activity': { body: makeActivity(ada) },
    });
    const { user } = renderApp('/users');
    await user.click(await screen.findByRole('button', { name: 'Actions for Ada Lovelace' }));
    await act(async () => {
      await user.click(screen.getByRole('menuitem', { name: 'Activity' }));
    });
    expect(currentLocation().pathname).toBe('/users/ada');
    expect(await screen.findByRole('heading', { name: 'Ada Lovelace', level: 1 })).toBeInTheDocument();
  });

  it('keeps the list fresh when an invite was saved but its mail failed', async () => {
    const msg = 'The invite was saved, but the mail could not be sent. Try sending it again in a moment.';
    const f = setup({ 'POST /api/users': apiError(502, 'mail_failed', msg) });
    const { user } = renderApp('/users');
    await screen.findByText('Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Invite people' }));
    await user.type(screen.getByLabelText('First name'), 'Nora');
    await user.type(screen.getByLabelText('Last name'), 'Newhire');
    await user.type(screen.getByLabelText('Email'), 'nora@example.com');
    const loads = userCalls(f).length;
    await user.click(screen.getByRole('button', { name: 'Send invite' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(msg);
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(userCalls(f).length).toBe(loads + 1));
  });

  it('tells the only admin before confirming that they cannot remove their own rights', async () => {
    const me = makeMe();
    const f = setup({ 'GET /api/users': page([me.user, ada]) }); // COUNTS.admins is 1
    const { user } = renderApp('/users');
    await user.click(await screen.findByRole('button', { name: 'Actions for Dana Admin' }));
    await user.click(screen.getByRole('menuitem', { name: 'Remove my admin rights' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog).toHaveAccessibleName('You are the only admin');
    expect(within(dialog).queryByRole('button', { name: /Remove/ })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(f.calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('an admin who removes their own rights is shown the portal is for admins', async () => {
    let admin = true;
    const me = makeMe();
    setup({
      'GET /api/me': () => ({ body: { ...me, user: { ...me.user, admin } } }),
      'GET /api/users': page([me.user, ada], { counts: { ...COUNTS, admins: 2 } }),
      'DELETE /api/users/me/admin': () => {
        admin = false;
        return { body: { ...me.user, admin: false } };
      },
    });
    const { user } = renderApp('/users');
    await user.click(await screen.findByRole('button', { name: 'Actions for Dana Admin' }));
    await user.click(screen.getByRole('menuitem', { name: 'Remove my admin rights' }));
    expect(screen.getByRole('alertdialog')).toHaveAccessibleName('Remove your own admin rights?');
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove my rights' }));
    expect(await screen.findByRole('heading', { name: 'This portal is for admins' })).toBeInTheDocument();
  });
});
