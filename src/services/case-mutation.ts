/**
 * The one way a case changes: lock the row, re-read it, let the caller decide, write the new row,
 * append the events to the hash chain and queue notifications — all in one transaction.
 */
import type { AppContext } from './context.js';
import { notFound } from './errors.js';
import { inTransaction, lockCaseRow, type TxContext } from '../store/tx.js';
import { appendEvent, findCase, updateCase, type CaseRow } from '../store/case.repository.js';
import { enqueue, type OutboxMessage } from '../store/outbox.repository.js';
import { canonicalJson } from '../domain/event-chain.js';
import { refreshTracking } from './tracking.service.js';
import { rollupAfter, rollupBefore, type RollupSnapshot } from './stats-rollup.service.js';

export interface Actor {
  kind: 'citizen' | 'staff' | 'system';
  id: string | null;
  unitId: string | null;
  /**
   * Proof spent inside the act's transaction right after the case row is locked (a one-time code):
   * it throws to refuse, and is rolled back with the act if the act fails.
   */
  proof?: (t: TxContext) => Promise<void>;
}

export interface EventSpec {
  type: string;
  visibility: 'public' | 'internal';
  payload: Record<string, unknown>;
}

export interface Mutation {
  patch: Partial<CaseRow>;
  events: EventSpec[];
  outbox?: Omit<OutboxMessage, 'at' | 'caseId'>[];
  /** Extra writes inside the same transaction (assignments, attachments…). */
  also?: (t: TxContext, row: CaseRow) => Promise<void>;
}

/** Applies a decided change to a case atomically; `decide` throws AppError to refuse. */
export async function mutateCase(
  ctx: AppContext,
  caseId: string,
  actor: Actor,
  decide: (row: CaseRow, t: TxContext) => Promise<Mutation> | Mutation,
): Promise<CaseRow> {
  return inTransaction(ctx.store, (t) => mutateCaseIn(ctx, t, caseId, actor, decide));
}

/** mutateCase inside a transaction the caller already holds (a change that also touches a second case). */
export async function mutateCaseIn(
  ctx: AppContext,
  t: TxContext,
  caseId: string,
  actor: Actor,
  decide: (row: CaseRow, t: TxContext) => Promise<Mutation> | Mutation,
): Promise<CaseRow> {
  if (!(await lockCaseRow(t, caseId))) throw notFound();
  if (actor.proof) await actor.proof(t);
  const locked = await readLocked(ctx, t, caseId);
  const m = await decide(locked.row, t);
  await applyMutation(ctx, t, locked, actor, m, ctx.clock.now().toISOString());
  return locked.row;
}

/** A case row read under its lock, with what it added to the statistics rollups at that moment. */
interface LockedCase {
  row: CaseRow;
  rollup: RollupSnapshot;
}

/** Re-reads a locked case; its rollup contributions are taken before any decision writes anything. */
async function readLocked(ctx: AppContext, t: TxContext, caseId: string): Promise<LockedCase> {
  const row = await findCase(t.tx, caseId);
  if (!row) throw notFound();
  return { row, rollup: await rollupBefore(ctx, t, row) };
}

/**
 * Writes one decided mutation of a locked row: patch, extra writes, the statistics rollups' change,
 * chained events, outbox, tracking view. Every change of a case passes here, so the rollups follow.
 */
async function applyMutation(ctx: AppContext, t: TxContext, locked: LockedCase, actor: Actor, m: Mutation, at: string): Promise<void> {
  const row = locked.row;
  const patch = { ...m.patch, updated_at: at };
  await updateCase(t, row.id, patch);
  Object.assign(row, patch);
  if (m.also) await m.also(t, row);
  await rollupAfter(ctx, t, row, locked.rollup);
  for (const e of m.events) {
    await appendEvent(t, row, {
      type: e.type,
      actorKind: actor.kind,
      actorId: actor.id,
      actorUnitId: actor.unitId,
      at,
      visibility: e.visibility,
      payload: canonicalJson(e.payload),
    });
  }
  for (const o of m.outbox ?? []) await enqueue(t, { ...o, at, caseId: row.id });
  // The public tracking view, re-rendered in the same transaction (services/tracking.service.ts).
  await refreshTracking(ctx, t, row.id);
}

export interface GroupMutation {
  /** One mutation per case, in the order of the rows given to `decide`. */
  perCase: Mutation[];
  /** Writes that belong to the group (e.g. the 督办件 row), done before the per-case writes. */
  also?: (t: TxContext) => Promise<void>;
}

/**
 * Applies one decided change to several cases atomically (a 督办件 over a group of cases): every
 * row locked (in id order, so two groups cannot deadlock), re-read, and each case's events chained.
 */
export async function mutateCases(
  ctx: AppContext,
  caseIds: string[],
  actor: Actor,
  decide: (rows: CaseRow[], t: TxContext) => Promise<GroupMutation> | GroupMutation,
): Promise<CaseRow[]> {
  const ids = [...new Set(caseIds)].sort();
  return inTransaction(ctx.store, async (t) => {
    const locked: LockedCase[] = [];
    for (const id of ids) {
      if (!(await lockCaseRow(t, id))) throw notFound();
      locked.push(await readLocked(ctx, t, id));
    }
    const rows = locked.map((l) => l.row);
    const g = await decide(rows, t);
    const at = ctx.clock.now().toISOString();
    if (g.also) await g.also(t);
    for (const [i, l] of locked.entries()) {
      const m = g.perCase[i];
      if (m) await applyMutation(ctx, t, l, actor, m, at);
    }
    return rows;
  });
}
