/**
 * The workbench's queue filters (beyond state, category, channel and text) and the queue counts,
 * in one query over the cases of the caller's jurisdiction.
 */
import { expressionBuilder, sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database } from './schema.js';
import type { Tx } from './tx.js';
import { isPostgres } from './search.repository.js';
import { reachable } from './migrations/021-case-reach.js';

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
 *   while the queue's own index (state, due key) is read in order. Building it costs a city some
 *   6 ms per statement (13,000 links), so the queue counts and lists use caseLinkedUnder instead
 *   where they read few cases (see countInScope, pageScope).
 */
export function caseInSubtree(db: Tx, path: string, mode: ScopeMode = 'drive'): Expression<SqlBool> {
  if (path === '/') return sql<SqlBool>`1 = 1`;
  if (isPostgres(db)) return sql<SqlBool>`case_file.id in (select case_id from case_unit where unit_path like ${`${path}%`})`;
  if (mode === 'reach') return sql<SqlBool>`case_file.id in (select id from case_reach where scope_path = ${path})`;
  const upper = subtreeUpper(path);
  if (mode === 'probe') return sql<SqlBool>`+case_file.id in (select case_id from case_unit where unit_path >= ${path} and unit_path < ${upper})`;
  return sql<SqlBool>`case_file.id in (select case_id from case_unit where unit_path >= ${path} and unit_path < ${upper})`;
}

/**
 * SQLite: the case `caseId` (a column reference) has a unit in the subtree at `path`, tested case by
 * case with no set built first: the case's own links are read from the case_unit key (case_id,
 * unit_id, role) without touching the table, and their unit ids looked up in the subtree's units
 * (a few hundred, read once per statement by the unique unit.path). Units never move and a link
 * holds its unit's path (addCaseUnit), so this is exactly "unit_path in the subtree".
 */
export function caseLinkedUnder(path: string, caseId = 'case_file.id'): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from case_unit cu where cu.case_id = ${sql.ref(caseId)} and +cu.unit_id in (select id from unit where path >= ${path} and path < ${subtreeUpper(path)}))`;
}

/**
 * How a jurisdiction's cases are read (SQLite; PostgreSQL always 'drive'):
 * - reach: from case_reach (migration 021), the jurisdiction's own rows with the queue columns, in
 *   the order of its indexes: every jurisdiction below the top of the tree;
 * - drive / probe: from case_file, with the jurisdiction's set from case_unit (see caseInSubtree);
 *   kept for a top-level unit other than the single root, which case_reach leaves out.
 */
export type ScopeMode = 'drive' | 'probe' | 'reach';

function subtreeUpper(path: string): string {
  return `${path.slice(0, -1)}${String.fromCharCode(path.charCodeAt(path.length - 1) + 1)}`;
}

/** Above this many case-unit links a jurisdiction is probed, not driven from (see caseInSubtree). */
export const driveScopeUpTo = 2000;

/** How the jurisdiction at `path` is read: case_reach below the top of the tree, else by a capped count of its case-unit links (SQLite). */
export async function scopeMode(db: Kysely<Database>, path: string): Promise<ScopeMode> {
  if (path === '/' || isPostgres(db)) return 'drive';
  if (reachable(path)) return 'reach';
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

/** Whether any workbench filter applies (workbenchConditions has a condition). */
export function hasWorkbenchConditions(f: WorkbenchFilter): boolean {
  return workbenchConditions(expressionBuilder<Database, 'case_file'>(), f).length > 0;
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

/** case_file without the denunciations against the caller's unit or one above it. */
export function unscopedCases(db: Kysely<Database>, excludeAccusedPaths: string[]): SelectQueryBuilder<Database, 'case_file', object> {
  return withoutAccused(db.selectFrom('case_file'), excludeAccusedPaths);
}

/**
 * Leaves out the denunciations naming one of `paths` (the caller's unit and those above it), in one
 * condition: a case that is no denunciation (nearly every one) is kept after a single test, where a
 * condition per path tested it once per path (a city's scan of 13,000 cases: 2.5 ms, not 1.2).
 */
export function withoutAccused<O>(q: SelectQueryBuilder<Database, 'case_file', O>, paths: string[]): SelectQueryBuilder<Database, 'case_file', O> {
  if (paths.length === 0) return q;
  return q.where((eb) => eb.or([eb('case_file.is_denunciation', '=', 0), eb.and(paths.map((p) => eb('case_file.accused_unit_ids', 'not like', `%"${p}"%`)))]));
}

/**
 * The cases of a jurisdiction, without denunciations against the caller's unit or one above it. In
 * 'reach' mode they are the jurisdiction's rows of case_reach under the name case_file: the queue
 * conditions and orders read the same columns there (reachColumns of migration 021), and only `id`
 * and those columns may be read from it; the rest of a case comes from case_file by id.
 */
export function scopedCases(db: Kysely<Database>, scope: QueueScope): SelectQueryBuilder<Database, 'case_file', object> {
  if (scope.scopeMode === 'reach' && scope.scopePath !== '/' && !isPostgres(db)) {
    const q = db.selectFrom('case_reach as case_file' as 'case_file').where(sql<SqlBool>`case_file.scope_path = ${scope.scopePath}`);
    return withoutAccused(q, scope.excludeAccusedPaths);
  }
  return unscopedCases(db, scope.excludeAccusedPaths).where(caseInSubtree(db, scope.scopePath, scope.scopeMode));
}

/**
 * Where a queue query starts: in 'reach' mode the jurisdiction's own rows (scopedCases), otherwise
 * case_file without the hidden denunciations, the jurisdiction left to countInScope and pageScope.
 */
export function queueSource(db: Kysely<Database>, scope: QueueScope & { scopeMode: ScopeMode }): SelectQueryBuilder<Database, 'case_file', object> {
  return scope.scopeMode === 'reach' ? scopedCases(db, scope) : unscopedCases(db, scope.excludeAccusedPaths);
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

/** What a count over a jurisdiction learnt about the query: how a page of it is best read (pageScope). */
export interface ScopedCount extends CappedCount {
  /** The first pass (SQLite, probe): `seen` cases of the query without the jurisdiction, `inScope` of them in it. */
  sample?: { seen: number; inScope: number; limit: number } | undefined;
}

/** Overrides of countInScope's and pageScope's thresholds, for tests of every way of reading. */
export interface ScopeTuning {
  /** Cases of the query the first pass reads (default twice the cap, plus two). */
  sampleRows?: number | undefined;
  /** A page is read probing case by case while it should take no more cases than this (default pageByLinkUpTo). */
  pageByLinkUpTo?: number | undefined;
  /** A search's matches in the jurisdiction drive its page up to this many (default driveMatchesUpTo of case.repository). */
  driveMatchesUpTo?: number | undefined;
}

/**
 * Counts the cases of `rest` (every condition but the jurisdiction) that touch the subtree at
 * `path`, up to `cap`. A large subtree on SQLite (probe) is counted in up to two passes, neither
 * building the subtree's set of cases:
 * 1. the first 2 × (cap + 1) cases of `rest`, each tested with caseLinkedUnder: a queue that small
 *    (办理中, 待评价 …) is counted exactly, and one whose cases lie in the subtree often enough
 *    passes the cap;
 * 2. otherwise the subtree's links drive (case_unit_path_idx, in path order), each case looked up
 *    in `rest` by id, until cap + 1 distinct cases: a big queue (待受理) that makes up much of the
 *    subtree stops after about cap + 1 links.
 * Elsewhere (PostgreSQL, '/', a small subtree) it is one capped count, as before; in 'reach' mode
 * `rest` already reads the jurisdiction's own rows (scopedCases), and is counted as it is.
 */
export async function countInScope(
  db: Kysely<Database>,
  path: string,
  mode: ScopeMode,
  rest: SelectQueryBuilder<Database, 'case_file', object>,
  cap: number,
  tuning: ScopeTuning = {},
): Promise<ScopedCount> {
  if (mode === 'reach') return cappedCount(db, rest, cap);
  if (path === '/' || mode === 'drive' || isPostgres(db)) return cappedCount(db, rest.where(caseInSubtree(db, path, mode)), cap);
  const limit = tuning.sampleRows ?? 2 * (cap + 1);
  const first = await sql<{ seen: number; in_scope: number | null }>`select count(*) as seen, sum(${caseLinkedUnder(path, 's.id')}) as in_scope from (${rest.select('case_file.id').limit(limit)}) as s`.execute(db);
  const seen = Number(first.rows[0]?.seen ?? 0);
  const inScope = Number(first.rows[0]?.in_scope ?? 0);
  const sample = { seen, inScope, limit };
  if (inScope > cap) return { count: cap, capped: true, sample };
  if (seen < limit) return { count: inScope, capped: false, sample };
  // INDEXED BY: the links in path order, never the case_unit key in case order (a full scan); the
  // cross join keeps case_unit outside, and `rest` is flattened into a lookup of case_file by id.
  const second = await sql<{ n: number }>`select count(*) as n from (select distinct cu.case_id from case_unit cu indexed by case_unit_path_idx
    cross join (${rest.select('case_file.id')}) as r on r.id = cu.case_id
    where cu.unit_path >= ${path} and cu.unit_path < ${subtreeUpper(path)} limit ${cap + 1})`.execute(db);
  const n = Number(second.rows[0]?.n ?? 0);
  return n > cap ? { count: cap, capped: true, sample } : { count: n, capped: false, sample };
}

/**
 * Below this many cases read, a page is read along the queue's index testing each case with
 * caseLinkedUnder (about 1.5 µs a case) rather than building the subtree's set first (a city's:
 * some 6 ms) and probing it (about 0.6 µs a case).
 */
export const pageByLinkUpTo = 4000;

/**
 * The jurisdiction condition for reading a page (`upTo` = offset + limit cases of it) after
 * countInScope. 'reach': none left, the query reads the jurisdiction's rows already. Otherwise
 * case by case when the first pass saw the whole query or its share of cases in the
 * subtree says the page is near, otherwise the subtree's set, probed (caseInSubtree).
 */
export function pageScope(db: Kysely<Database>, path: string, mode: ScopeMode, counted: ScopedCount, upTo: number, tuning: ScopeTuning = {}): Expression<SqlBool> {
  const s = counted.sample;
  if (mode === 'reach') return sql<SqlBool>`1 = 1`;
  if (path === '/' || mode === 'drive' || isPostgres(db) || !s) return caseInSubtree(db, path, mode);
  const byLinkUpTo = tuning.pageByLinkUpTo ?? pageByLinkUpTo;
  // Cases of the query read per case of the jurisdiction found, from the first pass; never more
  // than the whole query when the first pass saw all of it.
  let cases = s.inScope > 0 ? (upTo * s.seen) / s.inScope : Infinity;
  if (s.seen < s.limit) cases = Math.min(cases, s.seen);
  return cases <= byLinkUpTo ? caseLinkedUnder(path) : caseInSubtree(db, path, mode);
}

/**
 * Counts each queue on its own, up to the cap, over the cases touching the jurisdiction (minus
 * denunciations against the caller's unit or one above it): each reads the queue's index range
 * (state, due key) and stops at the cap, or drives from the jurisdiction (countInScope).
 */
export async function countQueues(
  db: Kysely<Database>,
  scope: QueueScope,
  queues: QueueDefinition[],
  cap = defaultCountCap,
  tuning: ScopeTuning = {},
): Promise<Record<string, CappedCount>> {
  const out: Record<string, CappedCount> = {};
  const mode = scope.scopeMode ?? (await scopeMode(db, scope.scopePath));
  for (const d of queues) {
    let q = queueSource(db, { ...scope, scopeMode: mode });
    if (d.states) q = q.where('case_file.state', 'in', d.states);
    q = applyWorkbenchFilters(q, d);
    const { count, capped } = await countInScope(db, scope.scopePath, mode, q, cap, tuning);
    out[d.key] = { count, capped };
  }
  return out;
}
