// Who is signed in. The session itself is an HttpOnly cookie the app cannot
// read: at start the app asks GET /api/me once (a 401 there just means nobody
// is signed in), and any later 401 sends the admin back to sign in.

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { api, setSessionHandlers, type Me } from './api';

export type SessionState =
  | { status: 'loading' }
  /** expired: a session ended under the admin's feet (a request answered 401). */
  | { status: 'signedOut'; expired?: boolean }
  | { status: 'signedIn'; me: Me }
  | { status: 'error'; message: string };

export interface Session {
  state: SessionState;
  /** Signs in and loads the user and organization; throws ApiError. */
  signIn(email: string, password: string): Promise<Me>;
  signOut(): Promise<void>;
  /** Asks the API again who is signed in (after the admin changed their own rights). */
  refresh(): Promise<void>;
  /** Forgets the session without asking the API (it is known to have ended). */
  forget(): void;
}

const SessionContext = createContext<Session | null>(null);

/** Where sign-in sends people back to, and why they were sent there. */
export interface SignInState {
  from?: string;
  reason?: 'expired';
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const navigate = useNavigate();

  const load = useCallback(async () => {
    try {
      const me = await api.me();
      setState(me ? { status: 'signedIn', me } : { status: 'signedOut' });
    } catch (err) {
      setState({
        status: 'error',
        message: err instanceof Error ? err.message : 'ProPortal could not be reached. Try again in a moment.',
      });
    }
  }, []);

  // Once per page load: is there a session?
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void load();
  }, [load]);

  useEffect(() => {
    setSessionHandlers({
      // The admin pages notice and send the admin to sign in, saying why.
      unauthorized: () => setState((s) => (s.status === 'signedOut' ? s : { status: 'signedOut', expired: true })),
      // Admin rights were taken away (perhaps by the admin themself): ask again.
      forbidden: () => void load(),
    });
    return () => setSessionHandlers({});
  }, [load]);

  const signIn = useCallback(async (email: string, password: string) => {
    await api.login(email, password);
    const me = await api.me();
    if (!me) throw new Error('The sign-in did not hold. Check that your browser accepts cookies for this site, then try again.');
    setState({ status: 'signedIn', me });
    return me;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setState({ status: 'signedOut' });
      navigate('/sign-in', { replace: true });
    }
  }, [navigate]);

  const forget = useCallback(() => setState({ status: 'signedOut' }), []);

  const value = useMemo<Session>(
    () => ({ state, signIn, signOut, refresh: load, forget }),
    [state, signIn, signOut, load, forget],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in admin; only for pages under the admin layout. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signedIn') throw new Error('useMe without a session');
  return state.me;
}
