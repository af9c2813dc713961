import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, type LoginRequest, type RegisterRequest, type SessionInfo } from '../api/client';
import type { SessionView } from './guard';

export type Notice = 'logged_out' | 'session_ended' | null;

type State =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'signed_in'; session: SessionInfo }
  | { status: 'unavailable'; error: unknown };

interface SessionContextValue {
  state: State;
  view: SessionView;
  /** The signed-in session; only for pages behind a signed-in guard. */
  session: SessionInfo | null;
  notice: Notice;
  login: (body: LoginRequest) => Promise<void>;
  register: (body: RegisterRequest) => Promise<void>;
  logout: () => Promise<void>;
  reload: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const [notice, setNotice] = useState<Notice>(null);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    api.me().then(
      (session) => setState(session ? { status: 'signed_in', session } : { status: 'anonymous' }),
      (error: unknown) => setState({ status: 'unavailable', error }),
    );
  }, []);

  useEffect(reload, [reload]);

  // A request refused for want of a session (expired, or revoked by a suspension).
  const signedIn = useRef(false);
  signedIn.current = state.status === 'signed_in';
  useEffect(
    () =>
      api.onUnauthenticated(() => {
        if (!signedIn.current) return;
        setNotice('session_ended');
        setState({ status: 'anonymous' });
      }),
    [],
  );

  const login = useCallback(async (body: LoginRequest) => {
    const session = await api.login(body);
    setNotice(null);
    setState({ status: 'signed_in', session });
  }, []);

  const register = useCallback(async (body: RegisterRequest) => {
    const session = await api.register(body);
    setNotice(null);
    setState({ status: 'signed_in', session });
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Already gone on the server (or unreachable): the browser forgets it either way.
    }
    setNotice('logged_out');
    setState({ status: 'anonymous' });
  }, []);

  const value = useMemo<SessionContextValue>(() => {
    const view: SessionView =
      state.status === 'signed_in'
        ? { status: 'signed_in', role: state.session.user.role, home: state.session.home }
        : state.status === 'anonymous'
          ? { status: 'anonymous' }
          : { status: 'loading' };
    return {
      state,
      view,
      session: state.status === 'signed_in' ? state.session : null,
      notice,
      login,
      register,
      logout,
      reload,
    };
  }, [state, notice, login, register, logout, reload]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in session on a page behind a signed-in guard. */
export function useSignedIn(): SessionInfo {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn on a page without a signed-in guard');
  return session;
}
