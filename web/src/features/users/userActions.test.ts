import { describe, expect, it } from 'vitest';
import type { User } from '../../api';
import { apiError, makeUser, mockFetch } from '../../test/fetchMock';
import { actionsFor, runAction } from './userActions';

const labels = (u: Partial<User>) => actionsFor(makeUser(u)).map((a) => a.label);

describe('your own row', () => {
  const me = makeUser({ status: 'active', seat: true, admin: true });
  it('words removing admin rights for yourself', () => {
    const remove = actionsFor(me, { isMe: true, admins: 2 }).find((a) => a.id === 'removeAdmin')!;
    expect(remove.label).toBe('Remove my admin rights');
    expect(remove.confirm?.title).toBe('Remove your own admin rights?');
    expect(remove.confirm?.body).toMatch(/^You can no longer use this portal/);
    expect(remove.confirm?.button).toBe('Remove my rights');
  });
  it('says before confirming that the last admin cannot remove their rights', () => {
    const remove = actionsFor(me, { isMe: true, admins: 1 }).find((a) => a.id === 'removeAdmin')!;
    expect(remove.confirm?.title).toBe('You are the only admin');
    expect(remove.confirm?.body).toMatch(/Give someone else admin rights first/);
    expect(remove.confirm?.button).toBe('');
  });
  it('keeps the third person for others', () => {
    const remove = actionsFor(me, { isMe: false, admins: 1 }).find((a) => a.id === 'removeAdmin')!;
    expect(remove.label).toBe('Remove admin rights');
  });
});

describe('actionsFor', () => {
  it.each<[string, Partial<User>, string[]]>([
    [
      'active learner',
      { status: 'active', seat: true, admin: false },
      ['Deactivate subscription', 'Give admin rights', 'Reset password', 'Activity'],
    ],
    [
      'active learner and admin',
      { status: 'active', seat: true, admin: true },
      ['Deactivate subscription', 'Remove admin rights', 'Reset password', 'Activity'],
    ],
    [
      'admin without a seat',
      { status: 'active', seat: false, admin: true },
      ['Activate subscription', 'Remove admin rights', 'Reset password', 'Activity'],
    ],
    [
      'invited with a seat',
      { status: 'invited', seat: true, admin: false },
      ['Deactivate subscription', 'Give admin rights', 'Reset password', 'Resend invite', 'Activity'],
    ],
    [
      'inactive',
      { status: 'inactive', seat: false, admin: false },
      ['Activate subscription', 'Give admin rights', 'Activity'],
    ],
  ])('%s', (_, user, want) => {
    expect(labels(user)).toEqual(want);
  });

  it('asks before the destructive ones, with a button named after the action', () => {
    const actions = actionsFor(makeUser({ seat: true, admin: true, firstName: 'Ada', lastName: 'Lovelace' }));
    const deactivate = actions.find((a) => a.id === 'deactivate');
    const remove = actions.find((a) => a.id === 'removeAdmin');
    expect(deactivate?.confirm?.button).toBe('Deactivate');
    expect(deactivate?.confirm?.title).toBe("Deactivate Ada Lovelace's subscription?");
    expect(remove?.confirm?.button).toBe('Remove rights');
    expect(actions.filter((a) => a.confirm).map((a) => a.id)).toEqual(['deactivate', 'removeAdmin']);
  });
});

describe('runAction', () => {
  it('says in plain words what happened', async () => {
    const ada = makeUser({ id: 'u1', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
    mockFetch({
      'POST /api/users/u1/deactivate': { body: { ...ada, seat: false, status: 'inactive' } },
      'POST /api/users/u1/admin': { body: { ...ada, admin: true } },
      'DELETE /api/users/u1/admin': { body: ada },
      'POST /api/users/u1/password-reset': { status: 202, body: { message: 'sent' } },
      'POST /api/users/u1/resend-invite': { status: 202, body: { message: 'sent' } },
    });
    const out = await runAction('deactivate', ada);
    expect(out.message).toBe("Ada Lovelace's subscription was deactivated.");
    expect(out.user?.status).toBe('inactive');
    expect((await runAction('grantAdmin', ada)).message).toBe(
      'Ada Lovelace now has admin rights; they were told by email (ada@example.com).',
    );
    expect((await runAction('removeAdmin', ada)).message).toBe("Ada Lovelace's admin rights were removed.");
    expect((await runAction('resetPassword', ada)).message).toContain('ada@example.com');
    expect((await runAction('resendInvite', ada)).message).toContain('previous link no longer works');
  });

  it('says that activating someone without a password sent them the invite', async () => {
    const nina = makeUser({ id: 'u3', firstName: 'Nina', lastName: 'Nopass', email: 'nina@example.com', seat: false, status: 'inactive' });
    mockFetch({ 'POST /api/users/u3/activate': { body: { ...nina, seat: true, status: 'invited' } } });
    expect((await runAction('activate', nina)).message).toBe(
      "Nina Nopass's subscription was activated. They have not created a password yet, so a new invite was sent to nina@example.com.",
    );
  });

  it('passes the API’s refusal on', async () => {
    const ada = makeUser({ id: 'u2', seat: false, status: 'inactive' });
    mockFetch({
      'POST /api/users/u2/activate': apiError(
        409,
        'seat_limit_reached',
        'No seats left: 50 of 50 are in use. Deactivate someone or add seats.',
      ),
    });
    await expect(runAction('activate', ada)).rejects.toMatchObject({
      code: 'seat_limit_reached',
      message: 'No seats left: 50 of 50 are in use. Deactivate someone or add seats.',
    });
  });
});
