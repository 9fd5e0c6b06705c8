/**
 * Per-case hash chain over events: hash = sha256(prev_hash ‖ canonical event). Rewriting,
 * deleting or reordering any event breaks every later link.
 */
import crypto from 'node:crypto';

export const genesisHash = '0'.repeat(64);

export interface ChainedEvent {
  caseId: string;
  seq: number;
  type: string;
  actorKind: string;
  actorId: string | null;
  actorUnitId: string | null;
  at: string;
  visibility: string;
  payload: string; // canonical JSON text
}

/** JSON with object keys sorted at every depth, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .filter((k) => o[k] !== undefined)
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return v;
}

/** The hash of one event given the previous link. */
export function eventHash(prevHash: string, e: ChainedEvent): string {
  const body = canonicalJson([e.caseId, e.seq, e.type, e.actorKind, e.actorId, e.actorUnitId, e.at, e.visibility, e.payload]);
  return crypto.createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

/** Checks a case's events in order; returns the first broken link or null. */
export function verifyChain(events: (ChainedEvent & { prevHash: string; hash: string })[], headHash?: string): ChainBreak | null {
  let prev = genesisHash;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.seq !== i + 1) return { seq: e.seq, reason: `序号不连续：应为 ${i + 1}` };
    if (e.prevHash !== prev) return { seq: e.seq, reason: '前一哈希不符（事件被删除、插入或重排）' };
    if (eventHash(prev, e) !== e.hash) return { seq: e.seq, reason: '事件内容与哈希不符（事件被改写）' };
    prev = e.hash;
  }
  if (headHash !== undefined && headHash !== prev) return { seq: events.length + 1, reason: '案件头哈希与最后一个事件不符（尾部事件被删除）' };
  return null;
}
