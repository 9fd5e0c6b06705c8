/**
 * Statistics rollups in SQL (migration 016): applying a case's changed contributions in its own
 * transaction, rebuilding them from the cases, and summing them for a period of whole months.
 */
import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { Contribution, RollupCase, RollupDim, RollupKind } from '../domain/stats-rollup.js';

type Db = Kysely<Database> | Transaction<Database>;

export const rollupCaseColumns = [
  'channel',
  'target',
  'category_code',
  'region_code',
  'current_unit_id',
  'receiving_unit_id',
  'state',
  'is_denunciation',
  'accused_unit_ids',
  'merged_into',
  'received_date',
  'accepted_at',
  'assigned_at',
  'replied_at',
  'closed_at',
  'due_accept',
  'due_assign',
  'due_reply',
  'evaluation',
] as const;

/** The unit paths and confirmed repeats ('same', not split off by staff) of some cases. */
export async function rollupLinks(db: Db, caseIds: string[]): Promise<{ paths: Map<string, string[]>; same: Map<string, string[]> }> {
  const paths = new Map<string, string[]>();
  const same = new Map<string, string[]>();
  if (caseIds.length === 0) return { paths, same };
  const units = await db.selectFrom('case_unit').select(['case_id', 'unit_path']).where('case_id', 'in', caseIds).execute();
  for (const u of units) (paths.get(u.case_id) ?? paths.set(u.case_id, []).get(u.case_id)!).push(u.unit_path);
  const links = await db.selectFrom('case_repeat').select(['case_id', 'received_date']).where('case_id', 'in', caseIds).where('decision', '=', 'same').where('staff_verdict', 'is', null).execute();
  for (const l of links) (same.get(l.case_id) ?? same.set(l.case_id, []).get(l.case_id)!).push(l.received_date);
  return { paths, same };
}

/** Adds signed counts to the rollup rows (one statement per 500 rows; rows in key order). */
export async function applyContributions(db: Db, deltas: Contribution[]): Promise<void> {
  for (let i = 0; i < deltas.length; i += 500) {
    const chunk = deltas.slice(i, i + 500);
    await db
      .insertInto('stats_rollup')
      .values(chunk.map((d) => ({ node: d.node, dim: d.dim, kind: d.kind, month: d.month, key: d.key, region: d.region, den: d.den, n: d.n, hit: d.hit, hit2: d.hit2, pending: d.pending })))
      .onConflict((oc) =>
        oc.columns(['node', 'dim', 'kind', 'month', 'key', 'region', 'den']).doUpdateSet({
          n: sql`stats_rollup.n + excluded.n`,
          hit: sql`stats_rollup.hit + excluded.hit`,
          hit2: sql`stats_rollup.hit2 + excluded.hit2`,
          pending: sql`stats_rollup.pending + excluded.pending`,
        }),
      )
      .execute();
  }
}

/** A page of cases by id for the rebuild. */
export function rollupCasePage(db: Db, after: string, limit: number) {
  return db
    .selectFrom('case_file')
    .select(['id', ...rollupCaseColumns])
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute() as Promise<(RollupCase & { id: string })[]>;
}

export async function rollupBuilt(db: Db): Promise<boolean> {
  const r = await db.selectFrom('stats_rollup_state').select('built').where('id', '=', 1).executeTakeFirst();
  return Number(r?.built ?? 0) === 1;
}

/**
 * Whether the rollups hold a case: always once built; while building, when the case's id is at or
 * below the build's watermark (compared in SQL, in the collation the build pages the cases by).
 * `lock` (PostgreSQL): 'share' for a case change, so no chunk of the build commits between this read
 * and the change's commit; the build's chunks take 'update'.
 */
export async function rollupHolds(db: Db, caseId: string, lock: 'share' | null): Promise<boolean> {
  let q = db
    .selectFrom('stats_rollup_state')
    .select(['built', sql<number>`case when upto <> '' and ${caseId} <= upto then 1 else 0 end`.as('covered')])
    .where('id', '=', 1);
  if (lock === 'share') q = q.forShare();
  const r = await q.executeTakeFirst();
  return Number(r?.built ?? 0) === 1 || Number(r?.covered ?? 0) === 1;
}

/** The build's state: built, and the id of the last case its committed chunks hold ('' = none). */
export async function rollupState(db: Db, lock: 'update' | null): Promise<{ built: boolean; upto: string }> {
  let q = db.selectFrom('stats_rollup_state').select(['built', 'upto']).where('id', '=', 1);
  if (lock === 'update') q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return { built: Number(r?.built ?? 0) === 1, upto: r?.upto ?? '' };
}

/** Moves the build's watermark past a committed chunk. */
export async function setRollupUpto(db: Db, upto: string): Promise<void> {
  await db.updateTable('stats_rollup_state').set({ upto }).where('id', '=', 1).execute();
}

export async function setRollupBuilt(db: Db, at: string): Promise<void> {
  await db.updateTable('stats_rollup_state').set({ built: 1, built_at: at }).where('id', '=', 1).execute();
}

/** Empties the rollups and starts a build from the first case. */
export async function resetRollups(db: Db): Promise<void> {
  await db.deleteFrom('stats_rollup').execute();
  await db.updateTable('stats_rollup_state').set({ built: 0, built_at: null, upto: '' }).where('id', '=', 1).execute();
}

export interface RollupSum {
  key: string;
  region: string;
  month: string;
  den: string;
  n: number;
  hit: number;
  hit2: number;
  pending: number;
}

/** Sums of one anchor kind over whole months [fromMonth, toMonth] for a node and a dimension, with an optional county prefix. */
export async function sumRollups(
  db: Db,
  o: { node: string; dim: RollupDim; kind: RollupKind; fromMonth: string; toMonth: string; regionPrefix?: string | undefined; excludeAccusedPaths: string[]; by: 'key' | 'region' | 'month' | 'none' },
): Promise<{ key: string; n: number; hit: number; hit2: number; pending: number }[]> {
  const col = o.by === 'key' ? sql<string>`key` : o.by === 'region' ? sql<string>`region` : o.by === 'month' ? sql<string>`month` : sql<string>`'all'`;
  let q = db
    .selectFrom('stats_rollup')
    .select([col.as('g'), sql<number>`sum(n)`.as('n'), sql<number>`sum(hit)`.as('hit'), sql<number>`sum(hit2)`.as('hit2'), sql<number>`sum(pending)`.as('pending')])
    .where('node', '=', o.node)
    .where('dim', '=', o.dim)
    .where('kind', '=', o.kind)
    .where('month', '>=', o.fromMonth)
    .where('month', '<=', o.toMonth);
  if (o.regionPrefix) q = o.regionPrefix.length === 6 ? q.where('region', '=', o.regionPrefix) : q.where('region', 'like', `${o.regionPrefix}%`);
  for (const p of o.excludeAccusedPaths) q = q.where(sql<SqlBool>`(den = '' or den not like ${`%"${p}"%`})`);
  if (o.by === 'key') q = q.groupBy('key');
  else if (o.by === 'region') q = q.groupBy('region');
  else if (o.by === 'month') q = q.groupBy('month');
  const rows = await q.execute();
  return rows.map((r) => ({ key: String(r.g), n: Number(r.n ?? 0), hit: Number(r.hit ?? 0), hit2: Number(r.hit2 ?? 0), pending: Number(r.pending ?? 0) }));
}

/** Every non-zero rollup row, in key order (to compare the maintained rollups with a rebuild). */
export function allRollups(db: Db) {
  return db
    .selectFrom('stats_rollup')
    .select(['node', 'dim', 'kind', 'month', 'key', 'region', 'den', 'n', 'hit', 'hit2', 'pending'])
    .where((eb) => eb.or([eb('n', '!=', 0), eb('hit', '!=', 0), eb('hit2', '!=', 0), eb('pending', '!=', 0)]))
    .orderBy('node')
    .orderBy('dim')
    .orderBy('kind')
    .orderBy('month')
    .orderBy('key')
    .orderBy('region')
    .orderBy('den')
    .execute();
}
