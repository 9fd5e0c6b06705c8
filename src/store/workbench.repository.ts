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
 * tree and costs nothing. A set built once (IN) rather than a probe per case: on SQLite the path
 * prefix becomes a range the unit_path index can serve (LIKE is case-insensitive there and cannot),
 * and each case of the set is then checked in the narrow case_scope_idx, never in its long row.
 */
export function caseInSubtree(db: Tx, path: string): Expression<SqlBool> {
  if (path === '/') return sql<SqlBool>`1 = 1`;
  if (isPostgres(db)) return sql<SqlBool>`case_file.id in (select case_id from case_unit where unit_path like ${`${path}%`})`;
  const upper = `${path.slice(0, -1)}${String.fromCharCode(path.charCodeAt(path.length - 1) + 1)}`;
  return sql<SqlBool>`case_file.id in (select case_id from case_unit where unit_path >= ${path} and unit_path < ${upper})`;
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
    out.push(prefix.length === 6 ? eb('case_file.region_code', '=', prefix) : eb('case_file.region_code', 'like', `${prefix}%`));
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
  if (f.dueFrom) out.push(sql<SqlBool>`${staffDue} >= ${f.dueFrom}`);
  if (f.dueTo) out.push(sql<SqlBool>`${staffDue} <= ${f.dueTo}`);
  if (f.petitionerId) out.push(eb('case_file.petitioner_id', '=', f.petitionerId));
  if (f.excludeCaseId) out.push(eb('case_file.id', '!=', f.excludeCaseId));
  return out;
}

/** Applies the workbench filters to a queue query. */
export function applyWorkbenchFilters<O>(q: SelectQueryBuilder<Database, 'case_file', O>, f: WorkbenchFilter): SelectQueryBuilder<Database, 'case_file', O> {
  return q.where((eb) => eb.and(workbenchConditions(eb, f)));
}

/** Orders a queue: by staff's next deadline (cases without one last) or by submission time. */
export function orderQueue<O>(q: SelectQueryBuilder<Database, 'case_file', O>, sort: QueueSort | undefined): SelectQueryBuilder<Database, 'case_file', O> {
  switch (sort) {
    case 'due':
      return q.orderBy(sql`${staffDue} is null`).orderBy(staffDue, 'asc').orderBy('case_file.submitted_at', 'asc');
    case '-due':
      return q.orderBy(sql`${staffDue} is null`).orderBy(staffDue, 'desc').orderBy('case_file.submitted_at', 'desc');
    case 'submitted':
      return q.orderBy('case_file.submitted_at', 'asc');
    case '-submitted':
    case undefined:
      return q.orderBy('case_file.submitted_at', 'desc');
  }
}

export interface QueueDefinition extends WorkbenchFilter {
  key: string;
  states?: string[];
}

/**
 * Counts every queue in one pass over the cases touching the jurisdiction (minus denunciations
 * against the caller's unit or one above it).
 */
export async function countQueues(
  db: Kysely<Database>,
  scope: { scopePath: string; excludeAccusedPaths: string[] },
  queues: QueueDefinition[],
): Promise<Record<string, number>> {
  if (queues.length === 0) return {};
  let q = db.selectFrom('case_file').where(caseInSubtree(db, scope.scopePath));
  for (const p of scope.excludeAccusedPaths) {
    q = q.where((eb) => eb.or([eb('case_file.is_denunciation', '=', 0), eb('case_file.accused_unit_ids', 'not like', `%"${p}"%`)]));
  }
  // Only cases some queue can hold are read.
  const states = new Set<string>();
  let anyState = false;
  for (const d of queues) {
    if (d.states) for (const s of d.states) states.add(s);
    else anyState = true;
  }
  if (!anyState) q = q.where('case_file.state', 'in', [...states]);
  const row = await q
    .select((eb) =>
      queues.map((d, i) => {
        const conds = workbenchConditions(eb, d);
        if (d.states) conds.push(eb('case_file.state', 'in', d.states));
        return eb.fn.sum<number>(eb.case().when(eb.and(conds)).then(1).else(0).end()).as(`q${i}`);
      }),
    )
    .executeTakeFirstOrThrow();
  const r = row as Record<string, unknown>;
  return Object.fromEntries(queues.map((d, i) => [d.key, Number(r[`q${i}`] ?? 0)]));
}
