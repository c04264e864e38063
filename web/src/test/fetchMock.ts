// A fetch stand-in for tests: answers by "METHOD /path" (query string
// ignored unless the key has one) and records every call.
import { vi } from 'vitest';
import type { Delivery, Me, Schedule, User, UserActivity } from '../api';

export interface MockAnswer {
  status?: number;
  body?: unknown;
  /** Content-Type; JSON unless said. */
  type?: string;
  /** More response headers. */
  headers?: Record<string, string>;
}

export type Handler = MockAnswer | ((req: { url: string; init: RequestInit; body: unknown }) => MockAnswer);

export interface FetchMock {
  calls: { method: string; url: string; init: RequestInit; body: unknown }[];
  on(key: string, handler: Handler): void;
}

export function mockFetch(routes: Record<string, Handler> = {}): FetchMock {
  const table = new Map(Object.entries(routes));
  const calls: FetchMock['calls'] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init.method ?? 'GET').toUpperCase();
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, init, body });
    const path = url.split('?')[0];
    const handler = table.get(`${method} ${url}`) ?? table.get(`${method} ${path}`);
    if (!handler) {
      return new Response(JSON.stringify({ error: { code: 'not_found', message: `No mock for ${method} ${url}` } }), {
        status: 404,
        headers: { 'Content-Type': 'application/json' },
      });
    }
    const a = typeof handler === 'function' ? handler({ url, init, body }) : handler;
    const status = a.status ?? 200;
    const text = a.body === undefined ? null : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    return new Response(status === 204 ? null : text, {
      status,
      headers: { 'Content-Type': a.type ?? 'application/json; charset=utf-8', ...a.headers },
    });
  });
  vi.stubGlobal('fetch', fn);
  return { calls, on: (key, handler) => table.set(key, handler) };
}

export function apiError(status: number, code: string, message: string, fields?: Record<string, string>): MockAnswer {
  return { status, body: { error: { code, message, ...(fields ? { fields } : {}) } } };
}

let n = 0;
export function makeUser(over: Partial<User> = {}): User {
  n++;
  return {
    id: `user${n}`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: `ada${n}@example.com`,
    status: 'active',
    seat: true,
    admin: false,
    teamIds: [],
    createdAt: '2026-11-01T10:00:00Z',
    lastLoginAt: null,
    ...over,
  };
}

export function makeMe(over: Partial<User> = {}): Me {
  return {
    user: makeUser({ id: 'me', firstName: 'Dana', lastName: 'Admin', email: 'admin@demo.test', admin: true, ...over }),
    organization: { id: 'org1', name: 'Demo Company' },
  };
}

/** A user's activity with nothing recorded yet: twelve empty weeks from `firstWeek`. */
export function makeActivity(user: User, over: Partial<UserActivity> = {}, firstWeek = '2026-09-07'): UserActivity {
  const start = Date.parse(`${firstWeek}T00:00:00Z`);
  return {
    user,
    teams: [],
    summary: {
      logins: 0, lastLoginAt: null, viewings: 0, seconds: 0, episodesCompleted: 0, labsStarted: 0, labsCompleted: 0,
      firstActiveAt: null, lastActiveAt: null,
    },
    logins: [],
    viewedCompletely: { courses: [], episodes: [] },
    inProgress: { courses: [], episodes: [] },
    labs: [],
    assignments: { items: [], today: '2026-11-30' },
    weeks: Array.from({ length: 12 }, (_, i) => ({
      weekStart: new Date(start + i * 7 * 86_400_000).toISOString().slice(0, 10),
      activeLearners: 0, viewings: 0, seconds: 0, completed: 0, labsStarted: 0, labsCompleted: 0, logins: 0,
    })),
    ...over,
  };
}

/** A weekly schedule of viewings, Mondays 08:00 Berlin, to two people. */
export function makeSchedule(over: Partial<Schedule> = {}): Schedule {
  return {
    id: 's1',
    name: 'Weekly viewings for finance',
    kind: 'viewings',
    teamId: '',
    frequency: 'weekly',
    weekday: 'monday',
    dayOfMonth: 0,
    time: '08:00',
    timeZone: 'Europe/Berlin',
    period: 'week',
    recipients: ['finance@example.com', 'boss@example.com'],
    bounced: [],
    paused: false,
    nextRunAt: '2026-12-07T07:00:00Z',
    lastDelivery: null,
    createdAt: '2026-12-01T09:00:00Z',
    updatedAt: '2026-12-01T09:00:00Z',
    ...over,
  };
}

/** A delivered run of makeSchedule's schedule over the last week of November. */
export function makeDelivery(over: Partial<Delivery> = {}): Delivery {
  return {
    id: 'd1',
    scheduleId: 's1',
    trigger: 'schedule',
    from: '2026-11-23',
    to: '2026-11-29',
    status: 'delivered',
    rows: 1234,
    bytes: 48_000,
    attached: true,
    error: '',
    recipients: [
      { address: 'finance@example.com', status: 'sent', reason: '' },
      { address: 'boss@example.com', status: 'sent', reason: '' },
    ],
    createdAt: '2026-11-30T07:00:00Z',
    finishedAt: '2026-11-30T07:00:09Z',
    ...over,
  };
}
