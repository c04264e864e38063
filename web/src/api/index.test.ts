import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, hasDevMailbox, NETWORK_ERROR, resetDevMailboxCheck, setSessionHandlers, userQueryString } from './index';
import { apiError, makeMe, makeUser, mockFetch } from '../test/fetchMock';

afterEach(() => {
  setSessionHandlers({});
  resetDevMailboxCheck();
});

describe('api client', () => {
  it('sends same-origin credentials and JSON, and never a token', async () => {
    const f = mockFetch({ 'POST /api/auth/login': { body: { token: 'secret', expiresAt: 'x', user: makeUser() } } });
    await api.login('a@b.co', 'pw');
    const call = f.calls[0]!;
    expect(call.init.credentials).toBe('same-origin');
    expect(call.init.method).toBe('POST');
    expect((call.init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(call.body).toEqual({ email: 'a@b.co', password: 'pw' });

    await api.dashboard().catch(() => undefined);
    const headers = f.calls[1]!.init.headers as Record<string, string>;
    expect(headers.Authorization).toBeUndefined();
    expect(f.calls[1]!.init.credentials).toBe('same-origin');
  });

  it('turns an error body into ApiError with code, message, fields and status', async () => {
    mockFetch({
      'POST /api/users': apiError(400, 'validation_failed', 'Check the fields.', { email: 'Enter an email address.' }),
    });
    const err = await api.invite({ firstName: 'A', lastName: 'B', email: 'x', access: 'subscription' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'validation_failed', message: 'Check the fields.' });
    expect(err.fields).toEqual({ email: 'Enter an email address.' });
  });

  it('gives a sentence when the error body is not the API’s', async () => {
    mockFetch({ 'GET /api/dashboard': { status: 502, body: '<html>Bad gateway</html>', type: 'text/html' } });
    const err = await api.dashboard().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(502);
    expect(err.code).toBe('http_502');
    expect(err.message).toMatch(/try again/i);
  });

  it('reports a network failure as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const err = await api.subscription().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.code).toBe(NETWORK_ERROR);
  });

  it('handles 204 with no body', async () => {
    mockFetch({ 'POST /api/auth/set-password': { status: 204 }, 'POST /api/auth/logout': { status: 204 } });
    await expect(api.setPassword('tok', 'long enough password')).resolves.toBeUndefined();
    await expect(api.logout()).resolves.toBeUndefined();
  });

  it('tells a new invite (201) from access added to an existing user (200)', async () => {
    const f = mockFetch({ 'POST /api/users': { status: 201, body: makeUser({ status: 'invited' }) } });
    const invite = { firstName: 'Nora', lastName: 'Newhire', email: 'nora@example.com', access: 'both' as const, teamId: 't1' };
    expect((await api.invite(invite)).created).toBe(true);
    expect(f.calls[0]!.body).toEqual(invite);
    f.on('POST /api/users', { status: 200, body: makeUser() });
    expect((await api.invite(invite)).created).toBe(false);
  });

  it('calls the session handler on 401, except where 401 is an answer', async () => {
    const unauthorized = vi.fn();
    const forbidden = vi.fn();
    setSessionHandlers({ unauthorized, forbidden });
    mockFetch({
      'GET /api/users': apiError(401, 'unauthorized', 'Sign in.'),
      'GET /api/me': apiError(401, 'unauthorized', 'Sign in.'),
      'POST /api/auth/login': apiError(401, 'invalid_credentials', 'The email or password is incorrect.'),
      'GET /api/dashboard': apiError(403, 'forbidden', 'Admins only.'),
    });
    await expect(api.me()).resolves.toBeNull();
    await expect(api.login('a@b.co', 'x')).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(unauthorized).not.toHaveBeenCalled();
    await expect(api.users({ status: 'all' })).rejects.toMatchObject({ status: 401 });
    expect(unauthorized).toHaveBeenCalledTimes(1);
    await expect(api.dashboard()).rejects.toMatchObject({ status: 403 });
    expect(forbidden).toHaveBeenCalledTimes(1);
  });

  it('returns me, and the teams list items', async () => {
    const me = makeMe();
    mockFetch({ 'GET /api/me': { body: me }, 'GET /api/teams': { body: { items: [{ id: 't1', name: 'Sales' }] } } });
    await expect(api.me()).resolves.toEqual(me);
    await expect(api.teams()).resolves.toEqual([{ id: 't1', name: 'Sales' }]);
  });

  it('builds user list queries without empty parameters and escapes ids', async () => {
    expect(userQueryString({})).toBe('');
    expect(userQueryString({ status: 'invited', teamId: 't1', q: 'ada lo', limit: 50, cursor: 'a.b' })).toBe(
      '?status=invited&teamId=t1&q=ada+lo&limit=50&cursor=a.b',
    );
    const f = mockFetch({ 'POST /api/users/a%2Fb/deactivate': { body: makeUser() } });
    await api.deactivate('a/b');
    expect(f.calls[0]!.url).toBe('/api/users/a%2Fb/deactivate');
  });

  it('uses the right method and path for each user action', async () => {
    const f = mockFetch({
      'POST /api/users/u1/activate': { body: makeUser() },
      'POST /api/users/u1/admin': { body: makeUser() },
      'DELETE /api/users/u1/admin': { body: makeUser() },
      'POST /api/users/u1/password-reset': { status: 202, body: { message: 'sent' } },
      'POST /api/users/u1/resend-invite': { status: 202, body: { message: 'sent' } },
    });
    await api.activate('u1');
    await api.grantAdmin('u1');
    await api.removeAdmin('u1');
    await expect(api.resetPassword('u1')).resolves.toEqual({ message: 'sent' });
    await api.resendInvite('u1');
    expect(f.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /api/users/u1/activate',
      'POST /api/users/u1/admin',
      'DELETE /api/users/u1/admin',
      'POST /api/users/u1/password-reset',
      'POST /api/users/u1/resend-invite',
    ]);
  });
});

describe('dev mailbox detection', () => {
  it('is there when /dev/mail answers JSON', async () => {
    mockFetch({ 'GET /dev/mail': { body: [] } });
    await expect(hasDevMailbox()).resolves.toBe(true);
  });

  it('is not there when /dev/mail answers the portal’s index.html (as in AWS)', async () => {
    mockFetch({ 'GET /dev/mail': { body: '<!doctype html><html></html>', type: 'text/html' } });
    await expect(hasDevMailbox()).resolves.toBe(false);
    await expect(api.devMail()).resolves.toBeNull();
  });

  it('asks only once per page load', async () => {
    const f = mockFetch({ 'GET /dev/mail': { body: [] } });
    await hasDevMailbox();
    await hasDevMailbox();
    expect(f.calls).toHaveLength(1);
  });
});
