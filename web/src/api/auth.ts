// Signing in and out, and the password links (docs/api.md, "Auth").

import { call } from './client';
import type { Login, Notice, PasswordSet } from './types.gen';

export const authApi = {
  login(email: string, password: string): Promise<Login> {
    // The answer also carries a token for scripts; the portal uses the cookie.
    return call<Login>('POST', '/api/auth/login', { body: { email, password }, expect401: true });
  },
  logout(): Promise<void> {
    return call<void>('POST', '/api/auth/logout', { expect401: true });
  },
  forgotPassword(email: string): Promise<Notice> {
    return call<Notice>('POST', '/api/auth/forgot-password', { body: { email } });
  },
  /** Says whether the portal is the person's (admin) and where learners go instead. */
  setPassword(token: string, password: string): Promise<PasswordSet> {
    return call<PasswordSet>('POST', '/api/auth/set-password', { body: { token, password } });
  },
};
