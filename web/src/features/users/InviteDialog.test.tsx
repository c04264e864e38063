import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { accessOptions, InviteDialog, validateInvite } from './InviteDialog';
import type { Team } from '../../api';
import { apiError, makeUser, mockFetch } from '../../test/fetchMock';

const members = { active: 0, invited: 0, inactive: 0, total: 0 };
const TEAMS: Team[] = [
  { id: 't1', name: 'Engineering', createdAt: '2026-11-01T10:00:00Z', members, deleting: false },
  { id: 't2', name: 'Sales', createdAt: '2026-11-01T10:00:00Z', members, deleting: false },
];

function renderDialog() {
  const onDone = vi.fn();
  const onClose = vi.fn();
  const user = userEvent.setup();
  render(<InviteDialog teams={TEAMS} counts={{ seatsUsed: 31, seatsTotal: 50 }} onClose={onClose} onDone={onDone} />);
  return { user, onDone, onClose };
}

async function fill(user: ReturnType<typeof userEvent.setup>, email = 'nora@example.com') {
  await user.type(screen.getByLabelText('First name'), 'Nora');
  await user.type(screen.getByLabelText('Last name'), 'Newhire');
  await user.type(screen.getByLabelText('Email'), email);
}

describe('validateInvite', () => {
  it('needs names and an address', () => {
    expect(validateInvite({ firstName: ' ', lastName: '', email: 'nope', teamId: '', access: 'subscription' })).toEqual({
      firstName: 'Enter a first name.',
      lastName: 'Enter a last name.',
      email: 'Enter an email address like name@company.com.',
    });
    expect(validateInvite({ firstName: 'A', lastName: 'B', email: 'a@b.co', teamId: '', access: 'admin' })).toEqual({});
  });

  it('says what each access means, with the seat figures', () => {
    const [seat, admin, both] = accessOptions({ seatsUsed: 31, seatsTotal: 50 });
    expect(seat).toMatchObject({ value: 'subscription', label: 'Learner seat' });
    expect(seat!.help).toContain('50 seats (19 free)');
    expect(admin).toMatchObject({ value: 'admin', label: 'Portal admin' });
    expect(admin!.help).toMatch(/uses no seat/i);
    expect(both).toMatchObject({ value: 'both', label: 'Both' });
  });
});

describe('InviteDialog', () => {
  it('is a labelled dialog with focus on the first field', () => {
    renderDialog();
    const dialog = screen.getByRole('dialog', { name: 'Invite a person' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(screen.getByLabelText('First name')).toHaveFocus();
    const group = screen.getByRole('radiogroup', { name: 'Access' });
    const radios = within(group).getAllByRole('radio');
    expect(radios.map((r) => r.getAttribute('value'))).toEqual(['subscription', 'admin', 'both']);
    expect(screen.getByRole('radio', { name: 'Learner seat' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Portal admin' })).toHaveAccessibleDescription(/uses no seat/i);
    expect(screen.getByRole('combobox', { name: 'Team' })).toHaveValue('');
  });

  it('shows what is missing next to the fields and sends nothing', async () => {
    const f = mockFetch({});
    const { user } = renderDialog();
    await user.click(screen.getByRole('button', { name: 'Send invite' }));
    expect(screen.getByLabelText('First name')).toHaveAccessibleDescription('Enter a first name.');
    expect(screen.getByLabelText('Last name')).toHaveAccessibleDescription('Enter a last name.');
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter an email address.');
    expect(screen.getByLabelText('First name')).toHaveFocus();
    expect(f.calls).toHaveLength(0);
  });

  it('sends the chosen access and team', async () => {
    const f = mockFetch({ 'POST /api/users': { status: 201, body: makeUser({ email: 'nora@example.com', status: 'invited' }) } });
    const { user, onDone } = renderDialog();
    await fill(user);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Team' }), 'Sales');
    await user.click(screen.getByRole('radio', { name: 'Both' }));
    await user.click(screen.getByRole('button', { name: 'Send invite' }));
    expect(f.calls[0]!.body).toEqual({
      firstName: 'Nora',
      lastName: 'Newhire',
      email: 'nora@example.com',
      access: 'both',
      teamId: 't2',
    });
    expect(onDone).toHaveBeenCalledWith({
      result: { user: expect.objectContaining({ email: 'nora@example.com' }), created: true, changed: true },
    });
  });

  it('leaves the team out when none is chosen', async () => {
    const f = mockFetch({ 'POST /api/users': { status: 200, body: makeUser() } });
    const { user, onDone } = renderDialog();
    await fill(user);
    await user.click(screen.getByRole('radio', { name: 'Portal admin' }));
    await user.click(screen.getByRole('button', { name: 'Send invite' }));
    expect(f.calls[0]!.body).not.toHaveProperty('teamId');
    expect(f.calls[0]!.body).toMatchObject({ access: 'admin' });
    expect(onDone.mock.calls[0]![0].result.created).toBe(false);
  });

  it('puts the API’s field errors next to the fields', async () => {
    mockFetch({
      'POST /api/users': apiError(400, 'validation_failed', 'Some fields are not valid.', {
        email: 'The email address is not valid.',
        lastName: 'Use at most 100 characters.',
      }),
    });
    const { user, onDone } = renderDialog();
    await fill(user, 'nora@example.com');
    await user.click(screen.getByRole('button', { name: 'Send invite' }));
    expect(await screen.findByText('The email address is not valid.')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Last name')).toHaveAccessibleDescription('Use at most 100 characters.');
    expect(screen.getByLabelText('Last name')).toHaveFocus();
    expect(onDone).not.toHaveBeenCalled();
  });

  it('says up front when no learner seat is free, and sends a learner invite nowhere', async () => {
    const f = mockFetch({});
    const user = userEvent.setup();
    render(<InviteDialog teams={TEAMS} counts={{ seatsUsed: 50, seatsTotal: 50 }} onClose={vi.fn()} onDone={vi.fn()} />);
    expect(screen.getByRole('alert')).toHaveTextContent('No learner seat is free');
    expect(screen.getByRole('radio', { name: 'Learner seat' })).toHaveAccessibleDescription(/all 50 are in use/);
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Send invite' }));
    expect(await screen.findByText(/choose Portal admin, or free a seat first/)).toBeInTheDocument();
    expect(f.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('shows a refusal such as no seats left in the dialog', async () => {
    const msg = 'No seats left: 50 of 50 are in use. Deactivate someone or add seats.';
    mockFetch({ 'POST /api/users': apiError(409, 'seat_limit_reached', msg) });
    const { user, onDone } = renderDialog();
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Send invite' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(msg);
    expect(onDone).not.toHaveBeenCalled();
  });

  it('marks the email when it belongs to another organization', async () => {
    mockFetch({ 'POST /api/users': apiError(409, 'email_in_use', 'This email already has an account elsewhere.') });
    const { user } = renderDialog();
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Send invite' }));
    expect(await screen.findByLabelText('Email')).toHaveAccessibleDescription('This email already has an account elsewhere.');
  });

  it('reports a saved invite whose mail failed', async () => {
    mockFetch({ 'POST /api/users': apiError(502, 'mail_failed', 'The invite was saved, but the mail could not be sent.') });
    const { user, onDone } = renderDialog();
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Send invite' }));
    expect(onDone).toHaveBeenCalledWith({ mailFailed: 'The invite was saved, but the mail could not be sent.' });
  });

  it('closes on Escape and on Cancel', async () => {
    const { user, onClose } = renderDialog();
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
