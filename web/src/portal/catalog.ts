/** The public catalogue (GET /api/catalog), fetched once per page load and shared by every page. */
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../shared/api';
import type { Catalog } from './types';

let pending: Promise<Catalog> | null = null;

function loadCatalog(): Promise<Catalog> {
  pending ??= api.get<Catalog>('/api/catalog').catch((e: unknown) => {
    pending = null; // let a later page try again
    throw e;
  });
  return pending;
}

export function useCatalog(): { catalog: Catalog | null; error: string | null } {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadCatalog().then(
      (c) => live && setCatalog(c),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, []);
  return { catalog, error };
}

/** Leaders' mailboxes split into the governor's and the mayors'. */
export function mailboxes(c: Catalog) {
  const all = c.targets.filter((t) => t.kind === 'mailbox');
  return { governor: all.find((t) => t.regionCode?.endsWith('0000')) ?? null, mayors: all.filter((t) => !t.regionCode?.endsWith('0000')) };
}

/** The region path [province, city, county] leading to a code, for the cascader. */
export function regionPath(c: Catalog, code: string): string[] {
  const walk = (nodes: Catalog['regions'], trail: string[]): string[] | null => {
    for (const n of nodes) {
      const here = [...trail, n.code];
      if (n.code === code) return here;
      const found = n.children ? walk(n.children, here) : null;
      if (found) return found;
    }
    return null;
  };
  return walk(c.regions, []) ?? [];
}
