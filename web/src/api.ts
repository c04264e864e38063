// The one client of ProPortal's HTTP API (docs/api.md is the contract). Every
// request of the app goes through here: same-origin cookies, JSON in and out,
// and errors turned into ApiError. The session lives in an HttpOnly cookie;
// the app never reads or stores a token.

export type UserStatus = 'invited' | 'active' | 'inactive';
export type StatusFilter = 'active' | 'invited' | 'inactive' | 'admins' | 'all';
export type Access = 'subscription' | 'admin' | 'both';
export type SubscriptionStatus = 'upcoming' | 'active' | 'ended';
export type Feature = 'courses' | 'labs' | 'assignments' | 'reports';

export interface User {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  status: UserStatus;
  seat: boolean;
  admin: boolean;
  teamIds: string[];
  createdAt: string;
  lastLoginAt: string | null;
}

export interface Organization {
  id: string;
  name: string;
}

export interface Me {
  user: User;
  organization: Organization;
}

export interface Seats {
  total: number;
  used: number;
  available: number;
}

/** Access dates are calendar days (UTC), "2026-05-29"; access includes both. */
export interface AccessPeriod {
  startsAt: string;
  endsAt: string;
  status: SubscriptionStatus;
  /** Days of access left, counting today. */
  daysRemaining: number;
}

export interface Subscription extends AccessPeriod {
  seats: Seats;
  features: Feature[];
}

export interface UsageWeek {
  weekStart: string;
  activeUsers: number;
  viewings: number;
}

export interface AssignmentSummary {
  assignments: number;
  assignees: number;
  completed: number;
  inProgress: number;
  notStarted: number;
  overdue: number;
}

export interface Dashboard {
  seats: Seats;
  subscription: AccessPeriod;
  usage: UsageWeek[];
  assignments: AssignmentSummary;
}

export interface UserCounts {
  all: number;
  active: number;
  invited: number;
  inactive: number;
  admins: number;
  seatsUsed: number;
  seatsTotal: number;
}

export interface UserPage {
  items: User[];
  nextCursor?: string;
  counts: UserCounts;
}

export interface UserQuery {
  status?: StatusFilter;
  teamId?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface Team {
  id: string;
  name: string;
}

export interface Invite {
  firstName: string;
  lastName: string;
  email: string;
  access: Access;
  teamId?: string;
}

export interface InviteResult {
  user: User;
  /** true for a new person (201), false when access was added to an existing one (200). */
  created: boolean;
}

/** One item of an activity list. The lists fill in with later issues; the
 * fields here are the ones the page can show when present. */
export interface ActivityItem {
  id?: string;
  title?: string;
  name?: string;
  at?: string;
  [key: string]: unknown;
}

export interface UserActivity {
  user: User;
  teams: Team[];
  logins: { at: string }[];
  viewedCompletely: ActivityItem[];
  inProgress: ActivityItem[];
  labs: ActivityItem[];
  assignments: ActivityItem[];
}

export interface MailMessage {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  sentAt: string;
}

/** A message for people, as every 202 of the API answers. */
export interface Notice {
  message: string;
}

/** An error answered by the API, or a failure to reach it (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Per input field, what is wrong with it (validation_failed). */
  readonly fields: Record<string, string>;

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export const NETWORK_ERROR = 'network_error';

let onUnauthorized: (() => void) | null = null;
let onForbidden: (() => void) | null = null;

/**
 * Sets what happens when a request answers 401 (the session ended) or 403
 * (the user lost admin rights). The session provider sends people to sign in.
 */
export function setSessionHandlers(handlers: { unauthorized?: () => void; forbidden?: () => void }): void {
  onUnauthorized = handlers.unauthorized ?? null;
  onForbidden = handlers.forbidden ?? null;
}

interface RequestOptions {
  body?: unknown;
  /** A 401 is an answer here, not an ended session (sign-in, the start-up check). */
  expect401?: boolean;
  signal?: AbortSignal;
}

interface Response2<T> {
  status: number;
  data: T;
}

async function send<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Response2<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (opts.signal) init.signal = opts.signal;

  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(
      0,
      NETWORK_ERROR,
      'ProPortal could not be reached. Check your connection and try again.',
    );
  }

  if (res.ok) {
    if (res.status === 204) {
      // Read the (empty) body so the request completes rather than being cancelled.
      await res.text();
      return { status: res.status, data: undefined as T };
    }
    const text = await res.text();
    return { status: res.status, data: (text ? JSON.parse(text) : undefined) as T };
  }

  const err = await parseError(res);
  if (res.status === 401 && !opts.expect401) onUnauthorized?.();
  if (res.status === 403) onForbidden?.();
  throw err;
}

/** Reads the API's error body; falls back to a sentence that says what to do. */
export async function parseError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const e = (body as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | undefined)?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    const fields: Record<string, string> = {};
    if (e.fields && typeof e.fields === 'object') {
      for (const [k, v] of Object.entries(e.fields as Record<string, unknown>)) {
        if (typeof v === 'string') fields[k] = v;
      }
    }
    return new ApiError(res.status, e.code, e.message, fields);
  }
  if (res.status === 401) {
    return new ApiError(401, 'unauthorized', 'Your session has ended. Sign in again.');
  }
  return new ApiError(
    res.status,
    `http_${res.status}`,
    `Something went wrong on our side (HTTP ${res.status}). Try again in a moment.`,
  );
}

async function call<T>(method: string, path: string, opts?: RequestOptions): Promise<T> {
  return (await send<T>(method, path, opts)).data;
}

const seg = encodeURIComponent;

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

export const api = {
  login(email: string, password: string): Promise<{ user: User }> {
    // The response also carries a token for scripts; the portal uses the cookie.
    return call<{ user: User }>('POST', '/api/auth/login', { body: { email, password }, expect401: true });
  },
  logout(): Promise<void> {
    return call<void>('POST', '/api/auth/logout', { expect401: true });
  },
  /** The signed-in user and organization, or null without a session. */
  async me(): Promise<Me | null> {
    try {
      return await call<Me>('GET', '/api/me', { expect401: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  },
  forgotPassword(email: string): Promise<Notice> {
    return call<Notice>('POST', '/api/auth/forgot-password', { body: { email } });
  },
  setPassword(token: string, password: string): Promise<void> {
    return call<void>('POST', '/api/auth/set-password', { body: { token, password } });
  },

  dashboard(signal?: AbortSignal): Promise<Dashboard> {
    return call<Dashboard>('GET', '/api/dashboard', { signal });
  },
  subscription(signal?: AbortSignal): Promise<Subscription> {
    return call<Subscription>('GET', '/api/subscription', { signal });
  },

  users(query: UserQuery, signal?: AbortSignal): Promise<UserPage> {
    return call<UserPage>('GET', `/api/users${userQueryString(query)}`, { signal });
  },
  user(userId: string, signal?: AbortSignal): Promise<User> {
    return call<User>('GET', `/api/users/${seg(userId)}`, { signal });
  },
  async invite(invite: Invite): Promise<InviteResult> {
    const res = await send<User>('POST', '/api/users', { body: invite });
    return { user: res.data, created: res.status === 201 };
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

  async teams(signal?: AbortSignal): Promise<Team[]> {
    return (await call<{ items: Team[] }>('GET', '/api/teams', { signal })).items;
  },

  /**
   * The mail the local server has sent, newest first; null where there is no
   * local mailbox (in AWS the path answers the portal's index.html).
   */
  async devMail(signal?: AbortSignal): Promise<MailMessage[] | null> {
    let res: Response;
    try {
      res = await fetch('/dev/mail', {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        signal,
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      return null;
    }
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('application/json')) return null;
    if (!res.ok) throw await parseError(res);
    const data: unknown = await res.json();
    return Array.isArray(data) ? (data as MailMessage[]) : null;
  },
};

let mailboxCheck: Promise<boolean> | null = null;

/** Whether this is a local run with a mailbox; asked once per page load. */
export function hasDevMailbox(): Promise<boolean> {
  mailboxCheck ??= api.devMail().then(
    (mail) => mail !== null,
    () => false,
  );
  return mailboxCheck;
}

/** Forgets the answer of hasDevMailbox (for tests). */
export function resetDevMailboxCheck(): void {
  mailboxCheck = null;
}
