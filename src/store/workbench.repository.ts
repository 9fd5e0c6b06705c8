/**
 * The workbench's queue filters (beyond state, category, channel and text) and the queue counts,
 * in one query over the cases of the caller's jurisdiction.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database } from './schema.js';
import type { Tx } from './tx.js';
import { isPostgres } from './search.repository.js';

/** The deadline staff owe next in the case's state (null when staff owe nothing). */
export const staffDue: RawBuilder<string | null> = sql<string | null>`(case case_file.state
  when 'submitted' then case_file.due_accept
  when 'accepted' then case_file.due_assign
  when 'returned' then case_file.due_assign
  when 'assigned' then case_file.due_reply
  when 'in_progress' then case_file.due_reply
  when 'under_review' then case_file.due_review_decision
  else null end)`;

/**
 * The same deadline as one sortable key: '~' (after every date) when staff owe nothing. Ordering by
 * it equals ordering by (staffDue is null, staffDue), and migration 012 indexes exactly this
 * expression, so a queue sorted by due date and a due-date range read the index in order.
 */
export const staffDueKey: RawBuilder<string> = sql<string>`coalesce(${staffDue}, '~')`;

/** How far a count goes before it stops and says "more than": a badge reads 1000+, not 93,417. */
export const defaultCountCap = 1000;

export type QueueSort = 'due' | '-due' | 'submitted' | '-submitted';

export interface WorkbenchFilter {
  /** GB/T 2260 code; a city or province code covers the regions below it. */
  regionCode?: string | undefined;
  target?: string | undefined;
  /** 待签收: an assignment to this very unit waits to be signed for. */
  pendingForUnitId?: string | undefined;
  /** 延期待批: an extension request waits for approval. */
  pendingExtension?: boolean | undefined;
  /** 待评价: answered, the petitioner has not rated it yet. */
  awaitingEvaluation?: boolean | undefined;
  /** Staff's next deadline on or after / on or before these dates. */
  dueFrom?: string | undefined;
  dueTo?: string | undefined;
  petitionerId?: string | undefined;
  excludeCaseId?: string | undefined;
  sort?: QueueSort | undefined;
}

type CaseEb = ExpressionBuilder<Database, 'case_file'>;

/**
 * Cases one of whose units (receiving or assigned) lies in the subtree at `path`; '/' is the whole
 * tree and costs nothing. On SQLite the path prefix becomes a range the unit_path index can serve
 * (LIKE is case-insensitive there and cannot), in one of two ways:
 * - drive (a county's few hundred cases): the set built from case_unit drives the query, each case
 *   then checked in the narrow case_scope_idx;
 * - probe (a city's or a province's tens of thousands, unary +): the set is built once and probed
 *   while the queue's own index (state, due key) is read in order, so a page stops after a few rows
 *   and a small queue (办理中) never visits the whole jurisdiction.
 */
export function caseInSubtree(db: Tx, path: string, mode: ScopeMode = 'drive'): Expression<SqlBool> {
  if (path === '/') return sql<SqlBool>`1 = 1`;
  if (isPostgres(db)) return sql<SqlBool>`case_file.id in (select case_id from case_unit where unit_path like ${`${path}%`})`;
  const upper = subtreeUpper(path);
  if (mode === 'probe') return sql<SqlBool>`+case_file.id in (select case_id from case_unit where unit_path >= ${path} and unit_path < ${upper})`;
  return sql<SqlBool>`case_file.id in (select case_id from case_unit where unit_path >= ${path} and unit_path < ${upper})`;
}

export type ScopeMode = 'drive' | 'probe';

function subtreeUpper(path: string): string {
  return `${path.slice(0, -1)}${String.fromCharCode(path.charCodeAt(path.length - 1) + 1)}`;
}

/** Above this many case-unit links a jurisdiction is probed, not driven from (see caseInSubtree). */
export const driveScopeUpTo = 2000;

/** How caseInSubtree should treat the subtree at `path`: a capped count of its case-unit links (SQLite). */
export async function scopeMode(db: Kysely<Database>, path: string): Promise<ScopeMode> {
  if (path === '/' || isPostgres(db)) return 'drive';
  const r = await sql<{ n: number }>`select count(*) as n from (select 1 from case_unit where unit_path >= ${path} and unit_path < ${subtreeUpper(path)} limit ${driveScopeUpTo + 1})`.execute(db);
  return Number(r.rows[0]?.n ?? 0) > driveScopeUpTo ? 'probe' : 'drive';
}

function regionPrefix(code: string): string {
  if (/^\d{2}0000$/.test(code)) return code.slice(0, 2);
  if (/^\d{4}00$/.test(code)) return code.slice(0, 4);
  return code;
}

/** The conditions of the workbench-only filters. */
export function workbenchConditions(eb: CaseEb, f: WorkbenchFilter): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (f.regionCode) {
    const prefix = regionPrefix(f.regionCode);
    // A prefix of digits as a range (codes are six digits): both databases read it from an index,
    // where LIKE would need a case-sensitive collation or a pattern operator class.
    if (prefix.length === 6) out.push(eb('case_file.region_code', '=', prefix));
    else out.push(eb.and([eb('case_file.region_code', '>=', prefix), eb('case_file.region_code', '<', String(Number(prefix) + 1).padStart(prefix.length, '0'))]));
  }
  if (f.target) out.push(eb('case_file.target', '=', f.target));
  if (f.pendingForUnitId) {
    out.push(eb('case_file.state', '=', 'assigned'));
    out.push(
      eb.exists(
        eb
          .selectFrom('assignment')
          .select('assignment.id')
          .whereRef('assignment.case_id', '=', 'case_file.id')
          .where('assignment.unit_id', '=', f.pendingForUnitId)
          .where('assignment.status', '=', 'pending'),
      ),
    );
  }
  if (f.pendingExtension) out.push(eb('case_file.pending_extension', 'is not', null));
  if (f.awaitingEvaluation) {
    out.push(eb('case_file.state', '=', 'replied'));
    out.push(eb('case_file.evaluation', 'is', null));
  }
  // On the indexed key: '~' (no deadline) sorts after every date, so "<= to" leaves it out and
  // ">= from" needs "< '~'" to do the same.
  if (f.dueFrom) out.push(sql<SqlBool>`(${staffDueKey} >= ${f.dueFrom} and ${staffDueKey} < '~')`);
  if (f.dueTo) out.push(sql<SqlBool>`${staffDueKey} <= ${f.dueTo}`);
  if (f.petitionerId) out.push(eb('case_file.petitioner_id', '=', f.petitionerId));
  if (f.excludeCaseId) out.push(eb('case_file.id', '!=', f.excludeCaseId));
  return out;
}

/** Applies the workbench filters to a queue query. */
export function applyWorkbenchFilters<O>(q: SelectQueryBuilder<Database, 'case_file', O>, f: WorkbenchFilter): SelectQueryBuilder<Database, 'case_file', O> {
  return q.where((eb) => eb.and(workbenchConditions(eb, f)));
}

/**
 * Orders a queue: by staff's next deadline (cases without one last) or by submission time, and
 * always last by id, so cases registered in the same instant keep one order and paging through a
 * queue neither repeats nor skips one (the indexes of migrations 004 and 012 hold id after
 * submitted_at).
 */
export function orderQueue<O>(q: SelectQueryBuilder<Database, 'case_file', O>, sort: QueueSort | undefined): SelectQueryBuilder<Database, 'case_file', O> {
  switch (sort) {
    case 'due':
      return q.orderBy(staffDueKey, 'asc').orderBy('case_file.submitted_at', 'asc').orderBy('case_file.id', 'asc');
    case '-due':
      return q.orderBy(sql`${staffDue} is null`).orderBy(staffDue, 'desc').orderBy('case_file.submitted_at', 'desc').orderBy('case_file.id', 'desc');
    case 'submitted':
      return q.orderBy('case_file.submitted_at', 'asc').orderBy('case_file.id', 'asc');
    case '-submitted':
    case undefined:
      return q.orderBy('case_file.submitted_at', 'desc').orderBy('case_file.id', 'desc');
  }
}

export interface QueueDefinition extends WorkbenchFilter {
  key: string;
  states?: string[];
}

/** The jurisdiction and the denunciations it must never see. */
export interface QueueScope {
  scopePath: string;
  excludeAccusedPaths: string[];
  /** From scopeMode(); 'drive' when not given. */
  scopeMode?: ScopeMode | undefined;
}

/** case_file restricted to a jurisdiction, without denunciations against the caller's unit or one above it. */
export function scopedCases(db: Kysely<Database>, scope: QueueScope): SelectQueryBuilder<Database, 'case_file', object> {
  let q = db.selectFrom('case_file').where(caseInSubtree(db, scope.scopePath, scope.scopeMode));
  for (const p of scope.excludeAccusedPaths) {
    q = q.where((eb) => eb.or([eb('case_file.is_denunciation', '=', 0), eb('case_file.accused_unit_ids', 'not like', `%"${p}"%`)]));
  }
  return q;
}

export interface CappedCount {
  count: number;
  /** There are more than `count` (the cap): shown as 1000+. */
  capped: boolean;
}

/**
 * Counts the rows of a query up to `cap`: the database stops reading at cap + 1 rows, so a count
 * over a whole province costs what a count of ten thousand does.
 */
export async function cappedCount(db: Kysely<Database>, q: SelectQueryBuilder<Database, 'case_file', object>, cap: number): Promise<CappedCount> {
  const row = await db
    .selectFrom(q.select(sql<number>`1`.as('one')).limit(cap + 1).as('capped'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return n > cap ? { count: cap, capped: true } : { count: n, capped: false };
}

/**
 * Counts each queue on its own, up to the cap, over the cases touching the jurisdiction (minus
 * denunciations against the caller's unit or one above it). Each count reads the queue's index
 * range (state, due key) and stops at the cap.
 */
export async function countQueues(db: Kysely<Database>, scope: QueueScope, queues: QueueDefinition[], cap = defaultCountCap): Promise<Record<string, CappedCount>> {
  const out: Record<string, CappedCount> = {};
  const mode = scope.scopeMode ?? (await scopeMode(db, scope.scopePath));
  for (const d of queues) {
    let q = scopedCases(db, { ...scope, scopeMode: mode });
    if (d.states) q = q.where('case_file.state', 'in', d.states);
    q = applyWorkbenchFilters(q, d);
    out[d.key] = await cappedCount(db, q, cap);
  }
  return out;
}
