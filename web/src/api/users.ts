// The organization's people (docs/api.md, "Users").

import { call, send, seg } from './client';
import type { Invite, Notice, StatusFilter, User, UserActivity, UserPage } from './types.gen';

export interface UserQuery {
  status?: StatusFilter;
  teamId?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

/** An invite as sent: the API reads a missing teamId as "no team". */
export type InviteRequest = Omit<Invite, 'teamId'> & Partial<Pick<Invite, 'teamId'>>;

export interface InviteResult {
  user: User;
  /** true for a new person (201), false when access was added to an existing one (200). */
  created: boolean;
  /** false when the person already had that access (Invite-Outcome: unchanged). */
  changed: boolean;
}

/** Query string of a user list request, without empty parameters. */
export function userQueryString(q: UserQuery): string {
  const p = new URLSearchParams();
  if (q.status) p.set('status', q.status);
  if (q.teamId) p.set('teamId', q.teamId);
  if (q.q) p.set('q', q.q);
  if (q.limit) p.set('limit', String(q.limit));
  if (q.cursor) p.set('cursor', q.cursor);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const usersApi = {
  users(query: UserQuery, signal?: AbortSignal): Promise<UserPage> {
    return call<UserPage>('GET', `/api/users${userQueryString(query)}`, { signal });
  },
  user(userId: string, signal?: AbortSignal): Promise<User> {
    return call<User>('GET', `/api/users/${seg(userId)}`, { signal });
  },
  async invite(invite: InviteRequest): Promise<InviteResult> {
    const res = await send<User>('POST', '/api/users', { body: invite });
    return { user: res.data, created: res.status === 201, changed: res.headers?.get('Invite-Outcome') !== 'unchanged' };
  },
  deactivate(userId: string): Promise<User> {
    return call<User>('POST', `/api/users/${seg(userId)}/deactivate`);
  },
  activate(userId: string): Promise<User> {
    return call<User>('POST', `/api/users/${seg(userId)}/activate`);
  },
  grantAdmin(userId: string): Promise<User> {
    return call<User>('POST', `/api/users/${seg(userId)}/admin`);
  },
  removeAdmin(userId: string): Promise<User> {
    return call<User>('DELETE', `/api/users/${seg(userId)}/admin`);
  },
  resetPassword(userId: string): Promise<Notice> {
    return call<Notice>('POST', `/api/users/${seg(userId)}/password-reset`);
  },
  resendInvite(userId: string): Promise<Notice> {
    return call<Notice>('POST', `/api/users/${seg(userId)}/resend-invite`);
  },
  activity(userId: string, signal?: AbortSignal): Promise<UserActivity> {
    return call<UserActivity>('GET', `/api/users/${seg(userId)}/activity`, { signal });
  },
};
