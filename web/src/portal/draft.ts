/**
 * The submission draft: form values in localStorage, photos and PDFs in IndexedDB, so a reload,
 * a dead battery or a lost network loses nothing. The Idempotency-Key lives with the draft: every
 * retry of the same draft is the same request to the server, which answers with the same case.
 */
import type { CoPetitioner } from './types';

export interface DraftValues {
  target?: string;
  categoryCode?: string;
  region?: string[];
  address?: string;
  title?: string;
  content?: string;
  joint?: boolean;
  coPetitioners?: CoPetitioner[];
  publicConsent?: boolean;
}

export interface DraftFile {
  id: string;
  name: string;
  type: string;
  size: number;
  uploaded: boolean;
}

export interface Draft {
  values: DraftValues;
  idempotencyKey: string;
  /** The exact body of the last POST /api/cases sent with this key (its reply may have been lost). */
  attempted?: string;
  /** Set once the server has registered the case; attachments may still be on their way. */
  created?: { id: string; caseNo: string; queryCode: string; earlier?: boolean };
  files: DraftFile[];
  savedAt: string;
}

const storageKey = (accountId: string) => `xf.draft.${accountId}`;

/** A random key that works outside secure contexts too (crypto.randomUUID needs HTTPS). */
export function newIdempotencyKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return `web-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

export function emptyDraft(): Draft {
  return { values: {}, idempotencyKey: newIdempotencyKey(), files: [], savedAt: new Date().toISOString() };
}

export function loadDraft(accountId: string): Draft | null {
  try {
    const raw = localStorage.getItem(storageKey(accountId));
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<Draft>;
    if (typeof d.idempotencyKey !== 'string' || typeof d.values !== 'object' || d.values === null) return null;
    return { values: d.values, idempotencyKey: d.idempotencyKey, attempted: d.attempted, created: d.created, files: Array.isArray(d.files) ? d.files : [], savedAt: d.savedAt ?? '' };
  } catch {
    return null;
  }
}

export function saveDraft(accountId: string, d: Draft): void {
  try {
    localStorage.setItem(storageKey(accountId), JSON.stringify({ ...d, savedAt: new Date().toISOString() }));
  } catch {
    // Storage full or disabled (private mode): the draft then lives only as long as the page.
  }
}

export function clearDraft(accountId: string, d: Draft | null): void {
  localStorage.removeItem(storageKey(accountId));
  if (d) void deleteFiles(d.files.map((f) => f.id));
}

// ---- attachments in IndexedDB -------------------------------------------------------------

const dbName = 'xf-drafts';
const store = 'files';

function openDb(): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(null);
    const req = indexedDB.open(dbName, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(store);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
    req.onblocked = () => resolve(null);
  });
}

async function withStore<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | null): Promise<T | null> {
  const db = await openDb();
  if (!db) return null;
  return new Promise((resolve) => {
    const tx = db.transaction(store, mode);
    const req = fn(tx.objectStore(store));
    let out: T | null = null;
    if (req) req.onsuccess = () => (out = req.result);
    tx.oncomplete = () => {
      db.close();
      resolve(out);
    };
    tx.onerror = tx.onabort = () => {
      db.close();
      resolve(null);
    };
  });
}

/** Keeps a chosen file with the draft; false when the browser has no room for it. */
export async function putFile(id: string, file: Blob): Promise<boolean> {
  return (await withStore('readwrite', (s) => s.put(file, id))) !== null;
}

export async function getFile(id: string): Promise<Blob | null> {
  const v = await withStore<unknown>('readonly', (s) => s.get(id));
  return v instanceof Blob ? v : null;
}

export async function deleteFiles(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await withStore('readwrite', (s) => {
    for (const id of ids) s.delete(id);
    return null;
  });
}
