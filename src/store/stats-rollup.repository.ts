/**
 * Statistics rollups in SQL (migrations 016, 019): applying a case's changed contributions in its own
 * transaction, rebuilding them from the cases, and summing them for a period of whole months. Rows
 * per county go to stats_rollup, the totals over all counties (region '') to stats_rollup_total.
 */
import { CompiledQuery, sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Dialect } from './db.js';
import type { TxContext } from './tx.js';
import type { Database } from './schema.js';
import { allRegions, type Contribution, type RollupCase, type RollupDim, type RollupKind } from '../domain/stats-rollup.js';

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

const keyColumns = ['node', 'dim', 'kind', 'month', 'key', 'region', 'den'] as const;
const countColumns = ['n', 'hit', 'hit2', 'pending'] as const;
/** Rows per upsert statement (11 values each: under SQLite's and PostgreSQL's parameter limits). */
const upsertRows = 500;

/**
 * The upsert of `rows` rollup rows into a table, each count added to the row's: the same few texts
 * recur, so SQLite keeps their compiled statements (sqlite-statements.ts) and no query is built per
 * call (building a 500-row insert cost as much as running it).
 */
const upsertTexts = new Map<string, string>();
function upsertText(table: 'stats_rollup' | 'stats_rollup_total', rows: number, dialect: Dialect): string {
  const id = `${table}|${rows}|${dialect}`;
  let text = upsertTexts.get(id);
  if (text === undefined) {
    const keys = keyColumns.filter((c) => table === 'stats_rollup' || c !== 'region');
    const columns = [...keys, ...countColumns];
    let p = 0;
    const values = Array.from({ length: rows }, () => `(${columns.map(() => (dialect === 'postgres' ? `$${++p}` : '?')).join(', ')})`).join(', ');
    const q = (c: string) => `"${c}"`;
    text =
      `insert into ${table} (${columns.map(q).join(', ')}) values ${values} ` +
      `on conflict (${keys.map(q).join(', ')}) do update set ${countColumns.map((c) => `${q(c)} = ${table}.${q(c)} + excluded.${q(c)}`).join(', ')}`;
    upsertTexts.set(id, text);
  }
  return text;
}

/** Adds signed counts to the rollup rows (one statement per 500 rows; rows in key order). */
export async function applyContributions(t: TxContext, deltas: Contribution[]): Promise<void> {
  const perCounty = deltas.filter((d) => d.region !== allRegions);
  const totals = deltas.filter((d) => d.region === allRegions);
  const write = async (table: 'stats_rollup' | 'stats_rollup_total', list: Contribution[]) => {
    for (let i = 0; i < list.length; i += upsertRows) {
      const chunk = list.slice(i, i + upsertRows);
      const params: (string | number)[] = [];
      for (const d of chunk) {
        if (table === 'stats_rollup') params.push(d.node, d.dim, d.kind, d.month, d.key, d.region, d.den, d.n, d.hit, d.hit2, d.pending);
        else params.push(d.node, d.dim, d.kind, d.month, d.key, d.den, d.n, d.hit, d.hit2, d.pending);
      }
      await t.tx.executeQuery(CompiledQuery.raw(upsertText(table, chunk.length, t.dialect), params));
    }
  };
  await write('stats_rollup', perCounty);
  await write('stats_rollup_total', totals);
}

/** A page of cases for the build: the next by number (seq_no) after `after`. */
export async function rollupCasePage(db: Db, after: number, limit: number): Promise<(RollupCase & { id: string; seq_no: number })[]> {
  const rows = (await db
    .selectFrom('case_file')
    .select(['id', 'seq_no', ...rollupCaseColumns])
    .where('seq_no', '>', after)
    .orderBy('seq_no')
    .limit(limit)
    .execute()) as (RollupCase & { id: string; seq_no: number })[];
  for (const r of rows) r.seq_no = Number(r.seq_no);
  return rows;
}

export async function rollupBuilt(db: Db): Promise<boolean> {
  const r = await db.selectFrom('stats_rollup_state').select('built').where('id', '=', 1).executeTakeFirst();
  return Number(r?.built ?? 0) === 1;
}

/**
 * Whether the rollups hold a case (PostgreSQL): always once built; while building, when the case's
 * number is at or below the build's watermark. The state row is held for share, so no chunk of the
 * build commits between this read and the change's commit; the build's chunks take it for update.
 * SQLite: rollupHoldsUnqueued.
 */
export async function rollupHolds(db: Db, seqNo: number): Promise<boolean> {
  const r = await db.selectFrom('stats_rollup_state').select(['built', 'upto_seq']).where('id', '=', 1).forShare().executeTakeFirst();
  return Number(r?.built ?? 0) === 1 || seqNo <= Number(r?.upto_seq ?? 0);
}

/**
 * rollupHolds and not rollupQueued, in one read: for SQLite, whose one writer at a time leaves no
 * flush to commit between the two (PostgreSQL reads the queue after the state's share lock).
 */
export async function rollupHoldsUnqueued(db: Db, caseId: string, seqNo: number): Promise<boolean> {
  const r = await db
    .selectFrom('stats_rollup_state')
    .select([
      sql<number>`case when (built = 1 or ${seqNo} <= upto_seq) and not exists (select 1 from stats_rollup_pending where case_id = ${caseId}) then 1 else 0 end`.as('held'),
    ])
    .where('id', '=', 1)
    .executeTakeFirst();
  return Number(r?.held ?? 0) === 1;
}

/** Whether the rollups are built, and whether new cases wait in their queue (one read per statistics query). */
export async function rollupReadiness(db: Db): Promise<{ built: boolean; queued: boolean }> {
  const r = await db
    .selectFrom('stats_rollup_state')
    .select(['built', sql<number>`case when exists (select 1 from stats_rollup_pending) then 1 else 0 end`.as('queued')])
    .where('id', '=', 1)
    .executeTakeFirst();
  return { built: Number(r?.built ?? 0) === 1, queued: Number(r?.queued ?? 0) === 1 };
}

/** Queues a new case for the rollups (migration 020). */
export async function queueRollup(db: Db, caseId: string): Promise<void> {
  await db.insertInto('stats_rollup_pending').values({ case_id: caseId }).execute();
}

/** Whether a case still waits in the queue, i.e. the rollups do not hold what it adds yet. */
export async function rollupQueued(db: Db, caseId: string): Promise<boolean> {
  return (await db.selectFrom('stats_rollup_pending').select('case_id').where('case_id', '=', caseId).executeTakeFirst()) !== undefined;
}

/**
 * The first queued cases in id order, each with whether the rollups are to hold it now: once built
 * always; while building only at or below the watermark (as rollupHolds) — a case above it is left
 * to the build, which counts it as it then stands.
 */
export async function queuedRollups(db: Db, limit: number): Promise<{ caseId: string; held: boolean }[]> {
  const rows = await db
    .selectFrom('stats_rollup_pending')
    .innerJoin('stats_rollup_state', (j) => j.on('stats_rollup_state.id', '=', 1))
    .innerJoin('case_file', 'case_file.id', 'stats_rollup_pending.case_id')
    .select([
      'stats_rollup_pending.case_id as caseId',
      sql<number>`case when stats_rollup_state.built = 1 or case_file.seq_no <= stats_rollup_state.upto_seq then 1 else 0 end`.as('held'),
    ])
    .orderBy('stats_rollup_pending.case_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ caseId: r.caseId, held: Number(r.held) === 1 }));
}

/** Takes cases off the queue (after their contributions were applied, or left to the build). */
export async function unqueueRollups(db: Db, caseIds: string[]): Promise<void> {
  for (let i = 0; i < caseIds.length; i += 500) await db.deleteFrom('stats_rollup_pending').where('case_id', 'in', caseIds.slice(i, i + 500)).execute();
}

/** Some cases by id, with the facts the rollups read. */
export function rollupCasesById(db: Db, ids: string[]) {
  return db
    .selectFrom('case_file')
    .select(['id', ...rollupCaseColumns])
    .where('id', 'in', ids)
    .execute() as Promise<(RollupCase & { id: string })[]>;
}

/** The build's state: built, and the number of the last case its committed chunks hold (0 = none). */
export async function rollupState(db: Db, lock: 'update' | null): Promise<{ built: boolean; uptoSeq: number }> {
  let q = db.selectFrom('stats_rollup_state').select(['built', 'upto_seq']).where('id', '=', 1);
  if (lock === 'update') q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return { built: Number(r?.built ?? 0) === 1, uptoSeq: Number(r?.upto_seq ?? 0) };
}

/** Moves the build's watermark past a committed chunk. */
export async function setRollupUpto(db: Db, uptoSeq: number): Promise<void> {
  await db.updateTable('stats_rollup_state').set({ upto_seq: uptoSeq }).where('id', '=', 1).execute();
}

export async function setRollupBuilt(db: Db, at: string): Promise<void> {
  await db.updateTable('stats_rollup_state').set({ built: 1, built_at: at }).where('id', '=', 1).execute();
}

/** Empties the rollups (and their queue) and starts a build from the first case. */
export async function resetRollups(db: Db): Promise<void> {
  await db.deleteFrom('stats_rollup').execute();
  await db.deleteFrom('stats_rollup_total').execute();
  await db.deleteFrom('stats_rollup_pending').execute();
  await db.updateTable('stats_rollup_state').set({ built: 0, built_at: null, upto_seq: 0 }).where('id', '=', 1).execute();
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

/**
 * Sums of one anchor kind over whole months [fromMonth, toMonth] for a node and a dimension: from the
 * rows per county when a county prefix filters them (grouping by county reads the 'region' column),
 * otherwise from the totals over all counties (grouping by county is the 'region' dimension there).
 */
export async function sumRollups(
  db: Db,
  o: {
    node: string;
    dim: RollupDim;
    kind: RollupKind;
    fromMonth: string;
    toMonth: string;
    regionPrefix?: string | undefined;
    excludeAccusedPaths: string[];
    by: 'key' | 'month' | 'none';
    /** Only this key of the dimension (for 'region' a county code or, shorter, the prefix of a city's or province's). */
    onlyKey?: string | undefined;
  },
): Promise<{ key: string; n: number; hit: number; hit2: number; pending: number }[]> {
  const perCounty = o.regionPrefix !== undefined;
  const dim = perCounty && o.dim === 'region' ? 'category' : o.dim;
  const col = o.by === 'key' ? (perCounty && o.dim === 'region' ? sql<string>`region` : sql<string>`key`) : o.by === 'month' ? sql<string>`month` : sql<string>`'all'`;
  let q = db
    .selectFrom(perCounty ? 'stats_rollup' : 'stats_rollup_total')
    .select([col.as('g'), sql<number>`sum(n)`.as('n'), sql<number>`sum(hit)`.as('hit'), sql<number>`sum(hit2)`.as('hit2'), sql<number>`sum(pending)`.as('pending')])
    .where('node', '=', o.node)
    .where('dim', '=', dim)
    .where('kind', '=', o.kind)
    .where('month', '>=', o.fromMonth)
    .where('month', '<=', o.toMonth);
  if (o.onlyKey !== undefined) {
    const keyCol = perCounty && o.dim === 'region' ? sql.ref('region') : sql.ref('key');
    q = o.dim === 'region' && o.onlyKey.length < 6 ? q.where(keyCol, '>=', o.onlyKey).where(keyCol, '<', `${o.onlyKey}~`) : q.where(keyCol, '=', o.onlyKey);
  }
  if (o.regionPrefix) q = o.regionPrefix.length === 6 ? q.where(sql.ref('region'), '=', o.regionPrefix) : q.where(sql.ref('region'), 'like', `${o.regionPrefix}%`);
  for (const p of o.excludeAccusedPaths) q = q.where(sql<SqlBool>`(den = '' or den not like ${`%"${p}"%`})`);
  if (o.by !== 'none') q = q.groupBy(sql`1`);
  const rows = await q.execute();
  return rows.map((r) => ({ key: String(r.g), n: Number(r.n ?? 0), hit: Number(r.hit ?? 0), hit2: Number(r.hit2 ?? 0), pending: Number(r.pending ?? 0) }));
}

/** Every non-zero rollup row of both grains (totals with region ''), in key order (to compare the maintained rollups with a rebuild). */
export async function allRollups(db: Db) {
  const nonZero = sql<SqlBool>`(n <> 0 or hit <> 0 or hit2 <> 0 or pending <> 0)`;
  const perCounty = await db.selectFrom('stats_rollup').select(['node', 'dim', 'kind', 'month', 'key', 'region', 'den', 'n', 'hit', 'hit2', 'pending']).where(nonZero).execute();
  const totals = await db.selectFrom('stats_rollup_total').select(['node', 'dim', 'kind', 'month', 'key', 'den', 'n', 'hit', 'hit2', 'pending']).where(nonZero).execute();
  const rows = [...perCounty, ...totals.map((r) => ({ node: r.node, dim: r.dim, kind: r.kind, month: r.month, key: r.key, region: allRegions, den: r.den, n: r.n, hit: r.hit, hit2: r.hit2, pending: r.pending }))];
  const order = (r: (typeof rows)[number]) => [r.node, r.dim, r.kind, r.month, r.key, r.region, r.den].join('\u0001');
  return rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** Cases received per month under a jurisdiction node, from the totals (a few dozen rows). */
export async function receivedPerMonth(db: Db, node: string): Promise<{ month: string; n: number }[]> {
  const rows = await db
    .selectFrom('stats_rollup_total')
    .select(['month', sql<number>`sum(n)`.as('n')])
    .where('node', '=', node)
    .where('dim', '=', 'category')
    .where('kind', '=', 'received')
    .groupBy('month')
    .orderBy('month')
    .execute();
  return rows.map((r) => ({ month: r.month, n: Number(r.n ?? 0) }));
}
