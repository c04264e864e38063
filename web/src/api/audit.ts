// The audit log (docs/api.md, "Audit log"): who did what, newest first, and
// the seats used per day built from it.

import { call } from './client';
import type { AuditPage, SeatHistory } from './types.gen';

export interface AuditQuery {
  actorId?: string;
  targetId?: string;
  kind?: string;
  /** Days, yyyy-mm-dd, both included. */
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** The largest page GET /api/audit answers. */
export const MAX_AUDIT_PAGE_SIZE = 200;

/** Query string of an audit log request, without empty parameters. */
export function auditQueryString(q: AuditQuery): string {
  const p = new URLSearchParams();
  for (const key of ['actorId', 'targetId', 'kind', 'from', 'to', 'cursor'] as const) {
    const v = q[key];
    if (v) p.set(key, v);
  }
  if (q.limit) p.set('limit', String(q.limit));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const auditApi = {
  audit(query: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
    return call<AuditPage>('GET', `/api/audit${auditQueryString(query)}`, { signal });
  },
  seatHistory(signal?: AbortSignal): Promise<SeatHistory> {
    return call<SeatHistory>('GET', '/api/subscription/seat-history', { signal });
  },
};
