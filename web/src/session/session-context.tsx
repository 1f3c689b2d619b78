import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError, setUnauthenticatedListener } from '../api/client.ts';
import { authApi, meApi, setupApi } from '../api/endpoints.ts';
import type { User } from '../api/types.ts';
import { changeLocale, currentLocale, isLocale, storedLocale } from '../i18n/index.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; setupNeeded: boolean; user: User | null };

interface SessionValue {
  state: SessionState;
  /** The signed-in user; only call inside routes that require one. */
  user: User | null;
  reload(): Promise<void>;
  signedIn(user: User): void;
  signOut(): Promise<void>;
  userChanged(user: User): void;
}

const SessionContext = createContext<SessionValue | null>(null);

async function loadSession(): Promise<SessionState> {
  const { needed } = await setupApi.status();
  if (needed) return { status: 'ready', setupNeeded: true, user: null };
  try {
    const { user } = await meApi.get();
    return { status: 'ready', setupNeeded: false, user };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      return { status: 'ready', setupNeeded: false, user: null };
    }
    throw error;
  }
}

/** A user's saved language wins over the browser's, but not over a choice made on this device. */
function adoptUserLocale(user: User): void {
  if (isLocale(user.locale) && !storedLocale() && user.locale !== currentLocale()) {
    void changeLocale(user.locale, false);
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const reload = useCallback(async () => {
    setState({ status: 'loading' });
    try {
      const next = await loadSession();
      if (next.status === 'ready' && next.user) adoptUserLocale(next.user);
      setState(next);
    } catch (error) {
      setState({ status: 'error', error });
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  useEffect(() => {
    // A 401 on any call means the session is gone: drop the user so the router shows the login page.
    setUnauthenticatedListener(() => {
      setState((prev) => (prev.status === 'ready' ? { ...prev, user: null } : prev));
    });
    return () => setUnauthenticatedListener(null);
  }, []);

  const signedIn = useCallback((user: User) => {
    adoptUserLocale(user);
    setState({ status: 'ready', setupNeeded: false, user });
  }, []);

  const userChanged = useCallback((user: User) => {
    setState((prev) => (prev.status === 'ready' ? { ...prev, user } : prev));
  }, []);

  const signOut = useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      setState((prev) => (prev.status === 'ready' ? { ...prev, user: null } : prev));
    }
  }, []);

  const value = useMemo<SessionValue>(
    () => ({
      state,
      user: state.status === 'ready' ? state.user : null,
      reload,
      signedIn,
      signOut,
      userChanged,
    }),
    [state, reload, signedIn, signOut, userChanged],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in user, for components rendered only behind the sign-in guard. */
export function useCurrentUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useCurrentUser called without a signed-in user');
  return user;
}
