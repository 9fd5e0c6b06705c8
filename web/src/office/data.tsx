/** Data the whole office shares: the workbench counts (refreshed after every action) and the catalogue. */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, errorMessage } from '../shared/api';
import type { Catalog, Workbench } from './types';

interface OfficeData {
  workbench: Workbench | null;
  /** Why the workbench could not be loaded (e.g. a role without access to cases). */
  workbenchError: string | null;
  refreshCounts(): void;
  catalog: Catalog | null;
}

const OfficeDataContext = createContext<OfficeData>({ workbench: null, workbenchError: null, refreshCounts: () => undefined, catalog: null });

export function OfficeDataProvider({ children }: { children: ReactNode }) {
  const [workbench, setWorkbench] = useState<Workbench | null>(null);
  const [workbenchError, setWorkbenchError] = useState<string | null>(null);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const seq = useRef(0);
  const refreshCounts = useCallback(() => {
    const mine = ++seq.current;
    api
      .get<Workbench>('/api/office/workbench')
      .then((w) => {
        if (mine !== seq.current) return;
        setWorkbench(w);
        setWorkbenchError(null);
      })
      .catch((e: unknown) => {
        if (mine === seq.current) setWorkbenchError(errorMessage(e));
      });
  }, []);
  useEffect(() => {
    refreshCounts();
    api
      .get<Catalog>('/api/catalog')
      .then(setCatalog)
      .catch(() => undefined);
    // Others work the same queues: keep the badges current.
    const timer = window.setInterval(refreshCounts, 60_000);
    return () => window.clearInterval(timer);
  }, [refreshCounts]);
  return <OfficeDataContext.Provider value={{ workbench, workbenchError, refreshCounts, catalog }}>{children}</OfficeDataContext.Provider>;
}

export const useOfficeData = () => useContext(OfficeDataContext);
