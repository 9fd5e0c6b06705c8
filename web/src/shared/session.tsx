/** Who is logged in (GET /api/me), shared by portal and office. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError } from './api';

export interface Me {
  id: string;
  kind: 'citizen' | 'staff';
  name: string;
  username?: string | null;
  /** Staff whose password an administrator set: they must change it first. */
  mustChangePassword?: boolean;
  phone: string | null;
  idNumber: string | null;
  roles: string[];
  permissions: string[];
  unit: { id: string; name: string; kind: string; level: string; regionCode: string } | null;
  scope?: { id: string; name: string };
}

interface SessionState {
  me: Me | null;
  loading: boolean;
  refresh(): Promise<Me | null>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const refresh = useCallback(async () => {
    try {
      const m = await api.get<Me>('/api/me');
      setMe(m);
      return m;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) console.warn(e);
      setMe(null);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);
  const logout = useCallback(async () => {
    await api.post('/api/auth/logout').catch(() => undefined);
    setMe(null);
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return <SessionContext.Provider value={{ me, loading, refresh, logout }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
