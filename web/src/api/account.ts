// The signed-in admin's account: who they are, the subscription, the dashboard.

import { ApiError, call } from './client';
import type { Dashboard, Me, Subscription } from './types.gen';

export const accountApi = {
  /** The signed-in user and organization, or null without a session. */
  async me(): Promise<Me | null> {
    try {
      return await call<Me>('GET', '/api/me', { expect401: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  },
  dashboard(signal?: AbortSignal): Promise<Dashboard> {
    return call<Dashboard>('GET', '/api/dashboard', { signal });
  },
  subscription(signal?: AbortSignal): Promise<Subscription> {
    return call<Subscription>('GET', '/api/subscription', { signal });
  },
};
