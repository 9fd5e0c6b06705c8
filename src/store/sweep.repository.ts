/**
 * The deadline sweep's reads and writes of case_file (src/jobs/sweep.ts): its candidates from two
 * index ranges (case_sweep_idx, case_unswept_idx of migration 018), and each batch's dates and heads written
 * back in one statement (UPDATE … FROM VALUES, on both databases) instead of one per case.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { CaseRow } from './case.repository.js';
import type { TxContext } from './tx.js';
import { jobsDb } from './jobs.schema.js';

/** What the sweep plans from (with sweep_on itself, NULL in the second range): the columns of case_unswept_idx. */
export const SWEEP_CANDIDATE_COLUMNS = ['id', 'state', 'due_accept', 'due_assign', 'due_reply', 'due_review_decision', 'sweep_on'] as const;

export type SweepCandidate = Pick<CaseRow, 'id' | 'state' | 'due_accept' | 'due_assign' | 'due_reply' | 'due_review_decision'> & { sweep_on: string | null };

/**
 * Up to `limit` cases whose sweep date has come (`day`: a range of case_sweep_idx, in its order),
 * or, with `day` null, that were never swept since their deadlines changed (sweep_on NULL: the
 * covering partial index case_unswept_idx of migration 018, read in its order — no ORDER BY, which
 * under misleading statistics could make the planner sort every unswept case for each batch).
 */
export function sweepCandidatesQuery(db: Kysely<Database>, day: string | null, limit: number) {
  const q = jobsDb(db).selectFrom('case_file').select([...SWEEP_CANDIDATE_COLUMNS]);
  return (day === null ? q.where('sweep_on', 'is', null) : q.where('sweep_on', '<=', day).orderBy('sweep_on')).limit(limit);
}

export function sweepCandidates(db: Kysely<Database>, day: string | null, limit: number): Promise<SweepCandidate[]> {
  return sweepCandidatesQuery(db, day, limit).execute();
}

/** Rows per statement: 500 rows × 7 parameters stays far below either database's parameter limit. */
const ROWS_PER_STATEMENT = 500;

/**
 * Stores the next dates of cases planned without a lock. Optimistic: a row is only updated if
 * nothing the plan read has changed meanwhile; a change resets sweep_on through the trigger anyway,
 * and must not be overwritten by a stale date.
 */
export async function setNextSweepDates(t: TxContext, rows: { c: SweepCandidate; next: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const values = rows.slice(i, i + ROWS_PER_STATEMENT).map(({ c, next }) => sql`(${c.id}, ${next}, ${c.state}, ${c.due_accept}, ${c.due_assign}, ${c.due_reply}, ${c.due_review_decision})`);
    await sql`update case_file set sweep_on = v.column2
      from (values ${sql.join(values)}) as v
      where case_file.id = v.column1 and case_file.state = v.column3
        and case_file.due_accept is not distinct from v.column4 and case_file.due_assign is not distinct from v.column5
        and case_file.due_reply is not distinct from v.column6 and case_file.due_review_decision is not distinct from v.column7`.execute(t.tx);
  }
}

/** What a locked, alerted case gets back: its next date and its hash-chain head (with the columns the alerts changed). */
export type SweptCase = Pick<CaseRow, 'id' | 'event_count' | 'head_hash' | 'updated_at' | 'supervised'> & { sweep_on: string };

/**
 * Writes the cases of an alert chunk, locked by the caller, in one statement per 500: the values
 * are the rows as read under the lock and changed in memory, so columns left alone are written as they were.
 */
export async function writeSweptCases(t: TxContext, rows: SweptCase[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const values = rows
      .slice(i, i + ROWS_PER_STATEMENT)
      .map((r) => sql`(${r.id}, ${r.sweep_on}, ${r.event_count}, ${r.head_hash}, ${r.updated_at}, ${r.supervised})`);
    // PostgreSQL types the parameters of a VALUES list as text: the integers are cast back.
    await sql`update case_file set sweep_on = v.column2, event_count = cast(v.column3 as integer), head_hash = v.column4,
        updated_at = v.column5, supervised = cast(v.column6 as integer)
      from (values ${sql.join(values)}) as v
      where case_file.id = v.column1`.execute(t.tx);
  }
}
