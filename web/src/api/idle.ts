// Idle seats (docs/api.md, "Idle seats"): seat holders who are not training,
// the exception list, reminders and reclaiming seats.

import { call, seg } from './client';
import type { IdlePage, IdleResults, User } from './types.gen';

export interface IdleQuery {
  /** 30, 60 or 90. */
  days?: number;
  exceptions?: boolean;
  limit?: number;
  cursor?: string;
}

/** Query string of an idle seats request, without empty parameters. */
export function idleQueryString(q: IdleQuery): string {
  const p = new URLSearchParams();
  if (q.exceptions) p.set('exceptions', 'true');
  else if (q.days) p.set('days', String(q.days));
  if (q.limit) p.set('limit', String(q.limit));
  if (q.cursor) p.set('cursor', q.cursor);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const idleApi = {
  idleSeats(query: IdleQuery, signal?: AbortSignal): Promise<IdlePage> {
    return call<IdlePage>('GET', `/api/idle-seats${idleQueryString(query)}`, { signal });
  },
  keepSeat(userId: string, keep: boolean): Promise<User> {
    return call<User>('PUT', `/api/users/${seg(userId)}/keep-seat`, { body: { keep } });
  },
  remindIdle(userIds: string[]): Promise<IdleResults> {
    return call<IdleResults>('POST', '/api/idle-seats/remind', { body: { userIds } });
  },
  deactivateIdle(userIds: string[]): Promise<IdleResults> {
    return call<IdleResults>('POST', '/api/idle-seats/deactivate', { body: { userIds } });
  },
};
