// How the portal talks to ProPortal's HTTP API (docs/api.md is the contract):
// same-origin cookies, JSON in and out, and errors turned into ApiError. The
// session lives in an HttpOnly cookie; the app never reads or stores a token.
// Only the modules of this folder call fetch.

import type { ApiErrorResponse } from './types.gen';

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

export interface RequestOptions {
  body?: unknown;
  /** A body sent as it is, with its own media type (a CSV upload: text/csv). */
  raw?: { body: Blob | string; contentType: string };
  /** A 401 is an answer here, not an ended session (sign-in, the start-up check). */
  expect401?: boolean;
  signal?: AbortSignal | undefined;
}

export interface Answer<T> {
  status: number;
  data: T;
  headers?: Headers;
}

/** Whether a failed fetch was aborted by its caller (then it is no error to show). */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** Sends one request to the API; the answer's status comes with its data. */
export async function send<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  // Every request that changes something says JSON, body or not: the API
  // refuses any other (a forged form or no-cors fetch cannot send it).
  if (opts.body !== undefined || (method !== 'GET' && method !== 'HEAD')) {
    headers['Content-Type'] = 'application/json';
  }
  if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
  if (opts.raw) {
    // Another type the API reads on that route only (not one a form can send).
    headers['Content-Type'] = opts.raw.contentType;
    init.body = opts.raw.body;
  }
  if (opts.signal) init.signal = opts.signal;

  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (isAbort(err)) throw err;
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
      return { status: res.status, data: undefined as T, headers: res.headers };
    }
    const text = await res.text();
    return { status: res.status, data: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }

  const err = await parseError(res);
  if (res.status === 401 && !opts.expect401) onUnauthorized?.();
  if (res.status === 403) onForbidden?.();
  throw err;
}

/** Sends one request to the API and gives its data. */
export async function call<T>(method: string, path: string, opts?: RequestOptions): Promise<T> {
  return (await send<T>(method, path, opts)).data;
}

/** Reads the API's error body; falls back to a sentence that says what to do. */
export async function parseError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  // The body is the API's ApiErrorResponse, or anything a proxy answered.
  const e = (body as { error?: Partial<Record<keyof ApiErrorResponse['error'], unknown>> } | undefined)?.error;
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

/** A path segment from an id. */
export const seg = encodeURIComponent;
